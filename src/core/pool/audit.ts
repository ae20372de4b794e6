/** The records of the pool's audit trail (seed 004's interactions trail): what each store writes and reads. */

export type AuditOperation = 'assign' | 'lease' | 'release' | 'hold' | 'provision' | 'expire' | 'import' | 'update' | 'delete';

export interface AuditWho { host: string; pid: number; user: string | null }

/** What a command records; time and who are added when it is written. */
export interface AuditEvent {
  operation: AuditOperation;
  phone_number: string | null;
  agent_path?: string | null;
  ref?: string;
  pool?: string | null;
  workspace?: string | null;
  result: string;
  /** Only what a person needs to read the line (a hold's new end, for instance): never a secret. */
  detail?: Record<string, string | number | boolean | null>;
}

export interface AuditRecord extends AuditEvent { time: string; who: AuditWho }

export interface AuditQuery { number?: string; since?: Date; limit?: number }
