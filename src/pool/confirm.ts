/**
 * A use case that is about to do something irreversible or wide (buy numbers, unassign many, delete)
 * asks the command through this port; the command asks the person (at a terminal) or refuses (exit 2).
 */
import { UsageError } from '../core/errors.js';

export interface ConfirmRequest {
  /** What would happen, one line ("pool provision buys 2 numbers from Twilio (billed monthly)"). */
  summary: string;
  /** What to do instead when nobody can be asked (no terminal). */
  hint: string;
  /** Shown before the question (the numbers, the agents that lose them); may be empty. */
  details: string;
  question: string;
  /** The person must type this text (a number to release) rather than answer y/N. */
  typed?: string;
}

export type Confirm = (request: ConfirmRequest) => Promise<boolean>;

/** When nobody was given to ask (a caller without a terminal): refuse, exit 2. */
export const refuseConfirm: Confirm = async (request) => {
  throw new UsageError(`${request.summary}: confirm with --yes`, request.hint);
};
