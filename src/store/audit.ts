/**
 * The pool's audit trail: `phone-numbers/twilio/pool-audit.jsonl` (gitignored with the rest of twilio/),
 * one JSON line per pool operation, appended under the directory lock right after the change it records.
 * Append + fsync: a crash may lose the last line (or leave it torn: skipped when read, and the next append
 * starts on a fresh line), never an earlier one. Append-only; rotate with logrotate's copytruncate.
 */
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { userInfo } from 'node:os';
import type { ProjectPaths } from './paths.js';
import { isNotFound } from './fsutil.js';
import { machineIdentity } from './process-identity.js';

export const AUDIT_FILE = 'pool-audit.jsonl';

export type { AuditOperation, AuditWho, AuditEvent, AuditRecord, AuditQuery } from '../core/pool/audit.js';
import type { AuditWho, AuditEvent, AuditRecord, AuditQuery } from '../core/pool/audit.js';

export function auditPath(paths: ProjectPaths): string {
  return path.join(path.dirname(paths.sync), AUDIT_FILE);
}

let who: AuditWho | undefined;
function currentWho(): AuditWho {
  if (!who) {
    let user: string | null = null;
    try {
      user = userInfo().username;
    } catch {
      user = process.env.USER ?? null; // no passwd entry (some containers)
    }
    who = { host: machineIdentity().host, pid: process.pid, user };
  }
  return who;
}

export function auditRecords(events: AuditEvent[], now: Date): AuditRecord[] {
  const w = currentWho();
  return events.map((e) => ({ time: now.toISOString(), ...e, who: w }));
}

/** Appends the records as whole lines, then fsyncs. Called under the directory lock (one writer at a time). */
export async function appendAudit(paths: ProjectPaths, records: AuditRecord[]): Promise<void> {
  if (!records.length) return;
  const file = auditPath(paths);
  await mkdir(path.dirname(file), { recursive: true });
  const fh = await open(file, 'a+', 0o600);
  try {
    const { size } = await fh.stat();
    let lead = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await fh.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) lead = '\n'; // a torn line left by a crash: it stays on its own line
    }
    await fh.write(lead + records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    await fh.sync();
  } finally {
    await fh.close();
  }
}


/** The records, newest first; lines that do not parse (a torn last line) are skipped and counted. */
export async function readAudit(paths: ProjectPaths, q: AuditQuery = {}): Promise<{ records: AuditRecord[]; skipped: number }> {
  let text: string;
  try {
    text = await readFile(auditPath(paths), 'utf8');
  } catch (err) {
    if (isNotFound(err)) return { records: [], skipped: 0 };
    throw err;
  }
  const out: AuditRecord[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let r: AuditRecord;
    try {
      r = JSON.parse(line) as AuditRecord;
    } catch {
      skipped++;
      continue;
    }
    if (!r || typeof r !== 'object' || typeof r.time !== 'string' || typeof r.operation !== 'string') {
      skipped++;
      continue;
    }
    if (q.number !== undefined && r.phone_number !== q.number) continue;
    if (q.since && !(Date.parse(r.time) >= q.since.getTime())) continue;
    out.push(r);
  }
  out.reverse();
  return { records: q.limit !== undefined ? out.slice(0, q.limit) : out, skipped };
}
