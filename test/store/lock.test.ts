import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LockTimeoutError, acquireLock, readLockHolder, withLock, type LockHolder } from '../../src/store/lock.js';
import { buildStoreForChildren, deadPid, killHard, makeTempDir, sleep, spawnFixture, type Child } from './helpers.js';

let modDir: string;
let cleanupBuild: () => void;
let root: string;
let lockPath: string;
const children: Child[] = [];

beforeAll(() => {
  const built = buildStoreForChildren();
  modDir = built.dir;
  cleanupBuild = built.cleanup;
});
afterAll(() => cleanupBuild?.());
beforeEach(async () => {
  root = await makeTempDir('lock');
  await fsp.mkdir(path.join(root, 'phone-numbers'));
  lockPath = path.join(root, 'phone-numbers', '.lock');
});
afterEach(async () => {
  await Promise.all(children.splice(0).map(killHard));
  await fsp.rm(root, { recursive: true, force: true });
});

function spawnWorker(...args: string[]): Child {
  const c = spawnFixture('lock-worker.mjs', [modDir, lockPath, ...args]);
  children.push(c);
  return c;
}

async function holdInChild(command: string, heartbeatMs = 5000): Promise<{ child: Child; holder: LockHolder }> {
  const child = spawnWorker('hold', command, String(heartbeatMs));
  const line = await child.waitForLine(/^locked /);
  return { child, holder: JSON.parse(line.slice('locked '.length)) as LockHolder };
}

/** A lock file as a process on this machine would have written it, for a process that is gone. */
async function writeDeadLock(file: string, extra: Partial<LockHolder> = {}): Promise<LockHolder> {
  const me = await readOwnIdentity();
  const holder: LockHolder = { ...me, pid: await deadPid(), command: 'phone-dir sync', since: new Date(Date.now() - 3_600_000).toISOString(), token: 'deadbeef0123', ...extra };
  await fsp.writeFile(file, JSON.stringify(holder));
  return holder;
}

/** host/bootId/pidNs as this process would record them. */
async function readOwnIdentity(): Promise<Omit<LockHolder, 'pid' | 'command' | 'since' | 'token'>> {
  const h = await acquireLock(path.join(root, 'probe.lock'), { timeoutMs: 0, command: 'probe' });
  await h.release();
  const { host, bootId, pidNs } = h.holder;
  return { host, ...(bootId ? { bootId } : {}), ...(pidNs ? { pidNs } : {}) };
}

async function setMtime(file: string, agoMs: number): Promise<void> {
  const t = new Date(Date.now() - agoMs);
  await fsp.utimes(file, t, t);
}

describe('acquireLock / release', () => {
  it('writes the holder, is readable by readLockHolder, and release removes it', async () => {
    expect(await readLockHolder(lockPath)).toBeNull();
    const h = await acquireLock(lockPath, { timeoutMs: 1000, command: 'phone-dir sync' });
    const seen = await readLockHolder(lockPath);
    expect(seen).toMatchObject({ pid: process.pid, host: os.hostname(), command: 'phone-dir sync', token: h.holder.token });
    expect(new Date(seen!.since).toISOString()).toBe(seen!.since);
    await h.release();
    await h.release(); // idempotent
    expect(await readLockHolder(lockPath)).toBeNull();
    expect((await fsp.readdir(path.dirname(lockPath))).filter((f) => f.startsWith('.lock'))).toEqual([]);
  });

  it('creates the lock directory if needed', async () => {
    const deep = path.join(root, 'new', 'phone-numbers', '.lock');
    const h = await acquireLock(deep, { timeoutMs: 100, command: 'init' });
    await h.release();
  });

  it('withLock releases after success and after a throw', async () => {
    expect(await withLock(lockPath, { timeoutMs: 100, command: 'a' }, async () => 42)).toBe(42);
    await expect(withLock(lockPath, { timeoutMs: 100, command: 'b' }, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await readLockHolder(lockPath)).toBeNull();
  });

  it('release() never removes a lock whose owner changed', async () => {
    const h = await acquireLock(lockPath, { timeoutMs: 100, command: 'a' });
    await fsp.unlink(lockPath); // e.g. broken by someone who judged it stale
    await fsp.writeFile(lockPath, JSON.stringify({ ...h.holder, token: 'someoneelse1' }));
    await h.release();
    expect((await readLockHolder(lockPath))?.token).toBe('someoneelse1');
  });

  it('is released when the process exits without calling release()', async () => {
    const child = spawnWorker('exit');
    await child.waitForLine(/^locked/);
    await child.exited;
    expect(await readLockHolder(lockPath)).toBeNull();
  });

  it('is exclusive between concurrent acquirers in one process', async () => {
    let inside = 0;
    let max = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        withLock(lockPath, { timeoutMs: 10_000, command: 'x' }, async () => {
          inside++;
          max = Math.max(max, inside);
          await sleep(5);
          inside--;
        }),
      ),
    );
    expect(max).toBe(1);
  });
});

describe('mutual exclusion across processes', () => {
  it('N processes × M locked increments of a counter file → N*M', async () => {
    const counter = path.join(root, 'counter');
    await fsp.writeFile(counter, '0');
    const N = 4;
    const M = 20;
    const startAt = String(Date.now() + 700); // all start hammering at the same moment
    const workers = Array.from({ length: N }, () => spawnWorker('count', startAt, counter, String(M)));
    for (const w of workers) await w.waitForLine(/^done/, 40_000);
    expect(Number(await fsp.readFile(counter, 'utf8'))).toBe(N * M);
    expect(await readLockHolder(lockPath)).toBeNull();
  }, 45_000);
});

describe('timeout', () => {
  it('throws LockTimeoutError (exit code 3) naming pid, host, command and since of the holder', async () => {
    const { child, holder } = await holdInChild('phone-dir sync --all');
    const waits: LockHolder[] = [];
    const t0 = Date.now();
    const err = await acquireLock(lockPath, { timeoutMs: 300, command: 'phone-dir pool assign', onWait: (h) => waits.push(h) }).catch((e: unknown) => e);
    const waited = Date.now() - t0;
    expect(err).toBeInstanceOf(LockTimeoutError);
    const e = err as LockTimeoutError;
    expect(e.exitCode).toBe(3);
    expect(e.holder).toMatchObject({ pid: child.proc.pid, host: os.hostname(), command: 'phone-dir sync --all', since: holder.since });
    expect(e.message).toContain(`pid ${child.proc.pid}`);
    expect(e.message).toContain(os.hostname());
    expect(e.message).toContain('phone-dir sync --all');
    expect(e.message).toContain(holder.since);
    expect(e.message).toContain('300ms');
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(2000);
    expect(waits.map((w) => w.token)).toEqual([holder.token]); // onWait once per holder
  });

  it('timeoutMs 0 tries once', async () => {
    await holdInChild('hold');
    const t0 = Date.now();
    await expect(acquireLock(lockPath, { timeoutMs: 0, command: 'x' })).rejects.toBeInstanceOf(LockTimeoutError);
    expect(Date.now() - t0).toBeLessThan(500);
  });
});

describe('stale locks', () => {
  it('a lock left by a SIGKILLed holder on this machine is taken over at once', async () => {
    const { child, holder } = await holdInChild('phone-dir sync');
    await killHard(child);
    expect((await readLockHolder(lockPath))?.token).toBe(holder.token); // kill -9 leaves it behind
    const t0 = Date.now();
    const h = await acquireLock(lockPath, { timeoutMs: 5000, command: 'next' });
    expect(Date.now() - t0).toBeLessThan(500);
    expect((await readLockHolder(lockPath))?.token).toBe(h.holder.token);
    await h.release();
  });

  it('a live holder on this machine is never robbed, however old its lock file', async () => {
    const { child } = await holdInChild('long job', 3_600_000); // heartbeat effectively off
    await setMtime(lockPath, 3_600_000);
    const err = await acquireLock(lockPath, { timeoutMs: 400, staleMs: 50, command: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockTimeoutError);
    expect((err as LockTimeoutError).holder?.pid).toBe(child.proc.pid);
  });

  it('the holder heartbeat keeps the lock fresh', async () => {
    await holdInChild('long job', 50);
    await setMtime(lockPath, 3_600_000);
    await sleep(300);
    const age = Date.now() - (await fsp.stat(lockPath)).mtimeMs;
    expect(age).toBeLessThan(1000);
  });

  it('a holder on another host is stale only once its heartbeat is older than staleMs', async () => {
    const other: LockHolder = { pid: process.pid, host: 'elsewhere.example', command: 'phone-dir sync', since: new Date().toISOString(), token: 'a1b2c3d4e5f6' };
    await fsp.writeFile(lockPath, JSON.stringify(other));
    await setMtime(lockPath, 10_000);
    const err = await acquireLock(lockPath, { timeoutMs: 250, staleMs: 60_000, command: 'x' }).catch((e: unknown) => e);
    expect((err as LockTimeoutError).holder).toMatchObject({ host: 'elsewhere.example', token: other.token });
    await setMtime(lockPath, 61_000);
    const h = await acquireLock(lockPath, { timeoutMs: 250, staleMs: 60_000, command: 'x' });
    await h.release();
  });

  it('a holder in another pid namespace of the same host is judged by its heartbeat', async () => {
    const me = await readOwnIdentity();
    if (!me.pidNs) return; // not Linux
    await fsp.writeFile(lockPath, JSON.stringify({ ...me, pidNs: 'pid:[1]', pid: await deadPid(), command: 'c', since: new Date().toISOString(), token: 'abcabcabc123' }));
    await expect(acquireLock(lockPath, { timeoutMs: 200, command: 'x' })).rejects.toBeInstanceOf(LockTimeoutError);
  });

  it('a holder whose pid was recycled, or whose machine rebooted, is stale', async () => {
    const me = await readOwnIdentity();
    if (!me.bootId) return; // not Linux
    // pid alive (ours) but it was started at another time: the recorded process is gone
    await fsp.writeFile(lockPath, JSON.stringify({ ...me, pid: process.pid, pidStart: '1', command: 'c', since: new Date().toISOString(), token: 'aaaa1111' }));
    await (await acquireLock(lockPath, { timeoutMs: 200, command: 'x' })).release();
    await fsp.writeFile(lockPath, JSON.stringify({ ...me, bootId: 'another-boot', pid: process.pid, command: 'c', since: new Date().toISOString(), token: 'bbbb2222' }));
    await (await acquireLock(lockPath, { timeoutMs: 200, command: 'x' })).release();
  });

  it('an unreadable lock file is judged by its age', async () => {
    await fsp.writeFile(lockPath, '');
    await expect(acquireLock(lockPath, { timeoutMs: 200, staleMs: 10_000, command: 'x' })).rejects.toBeInstanceOf(LockTimeoutError);
    await setMtime(lockPath, 11_000);
    await (await acquireLock(lockPath, { timeoutMs: 200, staleMs: 10_000, command: 'x' })).release();
  });

  it('an unreadable lock file is stale once older than two heartbeats, not only after staleMs', async () => {
    await fsp.writeFile(lockPath, 'garbage');
    await setMtime(lockPath, 11_000); // staleMs 60 s → heartbeat 5 s
    await (await acquireLock(lockPath, { timeoutMs: 200, staleMs: 60_000, command: 'x' })).release();
  });

  it('sweeps temp files of dead writers at once, and of live ones only once old', async () => {
    await writeDeadLock(`${lockPath}.0a0a0a0a0a0a.tmp`);
    const live = `${lockPath}.0b0b0b0b0b0b.tmp`;
    await fsp.writeFile(live, JSON.stringify({ ...(await readOwnIdentity()), pid: process.pid, command: 'x', since: new Date().toISOString(), token: 'cccc3333' }));
    const names = async () => (await fsp.readdir(path.dirname(lockPath))).sort();
    await (await acquireLock(lockPath, { timeoutMs: 200, command: 'x' })).release();
    expect(await names()).toEqual(['.lock.0b0b0b0b0b0b.tmp']);
    await setMtime(live, 11_000);
    await (await acquireLock(lockPath, { timeoutMs: 200, command: 'x' })).release();
    expect(await names()).toEqual([]);
  });

  it.runIf(process.platform !== 'win32')('a FIFO or folder in place of the lock is an error naming it (exit 2), never a wait', async () => {
    await fsp.mkdir(lockPath);
    const err = await acquireLock(lockPath, { timeoutMs: 5000, command: 'x' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 2, message: expect.stringContaining('phone-numbers/.lock is a folder') });
  });

  it('the lock folder may not be a symbolic link leading out of the project', async () => {
    const outside = await makeTempDir('lock-outside');
    try {
      await fsp.rmdir(path.join(root, 'phone-numbers'));
      await fsp.symlink(outside, path.join(root, 'phone-numbers'));
      const err = await acquireLock(lockPath, { timeoutMs: 200, command: 'x' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ exitCode: 2, message: expect.stringContaining('phone-numbers leads outside the project') });
      expect(await fsp.readdir(outside)).toEqual([]);
    } finally {
      await fsp.rm(outside, { recursive: true, force: true });
    }
  });

  it('a guard left by a breaker that died does not block the takeover', async () => {
    const stale = await writeDeadLock(lockPath);
    await writeDeadLock(`${lockPath}.break.${stale.token}`, { token: 'feedface9999' });
    const h = await acquireLock(lockPath, { timeoutMs: 2000, command: 'x' });
    await h.release();
  });

  it('many waiters in one process racing to break the same stale lock: one holder at a time', async () => {
    await writeDeadLock(lockPath);
    let inside = 0;
    let max = 0;
    let entered = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        withLock(lockPath, { timeoutMs: 15_000, command: 'w' }, async () => {
          inside++;
          entered++;
          max = Math.max(max, inside);
          await sleep(10);
          inside--;
        }),
      ),
    );
    expect(entered).toBe(10);
    expect(max).toBe(1);
  });

  it('several processes racing to break the same stale lock: exactly one wins at a time', async () => {
    for (let round = 0; round < 2; round++) {
      await writeDeadLock(lockPath, { token: `deadbeef00${round}` });
      const marker = path.join(root, `inside-${round}`);
      const log = path.join(root, `log-${round}`);
      await fsp.writeFile(log, '');
      const startAt = Date.now() + 700; // all children start racing at the same moment
      const racers = Array.from({ length: 4 }, () => spawnWorker('race', String(startAt), '60', marker, log));
      for (const r of racers) {
        await r.waitForLine(/^(done|VIOLATION)/, 20_000);
        expect(r.stdout()).not.toContain('VIOLATION');
      }
      const lines = (await fsp.readFile(log, 'utf8')).trim().split('\n');
      expect(lines).toHaveLength(8);
      for (let i = 0; i < lines.length; i += 2) {
        const pid = lines[i]!.split(' ')[1];
        expect([lines[i], lines[i + 1]]).toEqual([`enter ${pid}`, `leave ${pid}`]);
      }
      expect(await readLockHolder(lockPath)).toBeNull();
    }
  }, 30_000);
});
