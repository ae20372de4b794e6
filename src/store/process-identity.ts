import { readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';

/** Who a process is, well enough to tell a dead owner from a live one (the lock, pool reservations). */
export interface MachineIdentity { host: string; bootId?: string; pidNs?: string }

let machineCache: MachineIdentity | undefined;

export function machineIdentity(): MachineIdentity {
  if (machineCache) return machineCache;
  const m: MachineIdentity = { host: os.hostname() };
  if (process.platform === 'linux') {
    try {
      m.bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
    } catch {
      /* not available */
    }
    try {
      m.pidNs = readlinkSync('/proc/self/ns/pid');
    } catch {
      /* not available */
    }
  }
  machineCache = m;
  return m;
}

/** Start time of a process in clock ticks since boot (Linux), to see through pid reuse; else undefined. */
export function pidStartTime(pid: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]; // field 22 (starttime); [0] is field 3
  } catch {
    return undefined;
  }
}

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
