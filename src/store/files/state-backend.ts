/**
 * The files store's backend: the runtime state in the gitignored phone-numbers/twilio/pool-state.json,
 * written in the same journal as the views; the audit trail appended to pool-audit.jsonl after the commit.
 */
import type { Notices } from '../../ports/notices.js';
import type { ProjectPaths } from '../paths.js';
import { readRuntimeState, runtimeStateWrite } from '../runtime-state.js';
import { appendAudit, auditPath, auditRecords, readAudit } from '../audit.js';
import type { AuditQuery } from '../../core/pool/audit.js';
import type { BackendTransaction, UnitBackend, UnitChange } from './backend.js';

export class StateFileBackend implements UnitBackend {
  readonly kind = 'files';
  readonly shared = false;
  readonly location: string;
  constructor(private readonly paths: ProjectPaths, private readonly notices: Notices) {
    this.location = paths.rel(paths.dataDir) || '.';
  }

  async begin(): Promise<BackendTransaction> {
    const state = await readRuntimeState(this.paths);
    return {
      state,
      prepare: async (change: UnitChange) => (change.stateChanged ? [runtimeStateWrite(this.paths, change.state)] : []),
      commit: async (change: UnitChange) => { await this.writeAudit(change); },
      rollback: async () => {},
    };
  }

  peekState() { return readRuntimeState(this.paths); }

  readAudit(query: AuditQuery) { return readAudit(this.paths, query); }

  async close(): Promise<void> {}

  /** The change is committed: a failed audit append is a warning, not a failed command. */
  private async writeAudit(change: UnitChange): Promise<void> {
    if (!change.audit.length) return;
    try {
      await appendAudit(this.paths, auditRecords(change.audit, change.now));
    } catch (err) {
      this.notices.warn(`${this.paths.rel(auditPath(this.paths))}: could not append the audit line (${(err as Error).message})`);
    }
  }
}
