/**
 * The files store's unit of work (src/store/files/pool-store.ts) over a copy of the sample directory: it
 * tracks its own changes (a unit that changes nothing writes nothing), writes all or nothing, and hands its
 * backend exactly the records it changed, as the store saw them (with a shared store's overlay laid on).
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { cp, readFile, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { FilesPoolStore } from '../../src/store/files/pool-store.js';
import { StateFileBackend } from '../../src/store/files/state-backend.js';
import type { BackendTransaction, UnitBackend, UnitChange, PoolFieldsOverlay } from '../../src/store/files/backend.js';
import { projectPaths, type ProjectPaths } from '../../src/store/paths.js';
import { emptyRuntimeState, type RuntimeState } from '../../src/core/pool/state.js';
import type { Notices } from '../../src/ports/notices.js';
import { REPO_ROOT, makeTempDir } from './helpers.js';

const PHONE = '+12125550106';
const QUIET: Notices = { info: () => {}, warn: () => {}, progress: () => {} };

async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, file), `${(await stat(file)).mtimeMs}:${await readFile(file, 'utf8')}`);
  }
  return out;
}

/** A backend that records what the unit handed it, over an in-memory state, optionally with an overlay. */
class RecordingBackend implements UnitBackend {
  readonly kind = 'recording';
  readonly shared = true;
  readonly location = 'memory';
  state: RuntimeState = emptyRuntimeState();
  prepared: UnitChange[] = [];
  committed = 0;
  rolledBack = 0;
  constructor(private readonly overlay?: PoolFieldsOverlay) {}
  async begin(): Promise<BackendTransaction> {
    const state = structuredClone(this.state);
    return {
      state,
      ...(this.overlay ? { overlay: this.overlay } : {}),
      prepare: async (change) => { this.prepared.push(change); return []; },
      commit: async (change) => { this.state = structuredClone(change.state); this.committed++; },
      rollback: async () => { this.rolledBack++; },
    };
  }
  async peekState() { return structuredClone(this.state); }
  async readAudit() { return { records: [], skipped: 0 }; }
  async close() {}
}

describe('the files store unit of work', () => {
  let root: string;
  let paths: ProjectPaths;
  const store = (backend?: UnitBackend) => new FilesPoolStore({ paths, command: 'test', lockTimeoutMs: 5_000, now: () => new Date('2026-12-01T12:00:00Z'), notices: QUIET, ...(backend ? { backend } : {}) });

  beforeEach(async () => {
    root = await makeTempDir('unit');
    await cp(path.join(REPO_ROOT, 'phone-numbers'), path.join(root, 'phone-numbers'), { recursive: true });
    await cp(path.join(REPO_ROOT, 'agents'), path.join(root, 'agents'), { recursive: true });
    paths = projectPaths(root);
  });
  afterEach(async () => { await rm(root, { recursive: true, force: true }); });

  it('a unit that reads and changes nothing writes nothing', async () => {
    const before = await snapshot(path.join(root, 'phone-numbers'));
    const backend = new RecordingBackend();
    await store(backend).unit('read', async (unit) => {
      expect((await unit.directoryFile())!.numbers[PHONE]).toBeDefined();
      expect((await unit.subset([PHONE])).numbers.get(PHONE)!.phone_number).toBe(PHONE);
    });
    expect(await snapshot(path.join(root, 'phone-numbers'))).toEqual(before);
    expect(backend.prepared).toHaveLength(1);
    expect(backend.prepared[0]).toMatchObject({ stateChanged: false, records: [] });
  });

  it('hands the backend the changed records and the state, and writes the views', async () => {
    const backend = new RecordingBackend();
    await store(backend).unit('change', async (unit) => {
      const record = (await unit.subset([PHONE])).numbers.get(PHONE)!;
      record.notes = 'changed by the unit test';
      unit.state.reservations.push({ phone_number: PHONE, workspace: 'staging', kind: 'update', owner: { pid: 1, host: 'h', token: 't', command: 'c' }, created: '2026-12-01T12:00:00Z', expires: '2026-12-01T12:10:00Z', intended: {} });
      unit.audit({ operation: 'update', phone_number: PHONE, result: 'updated' });
    });
    const change = backend.prepared[0]!;
    expect(change.records.map((r) => r.phone)).toEqual([PHONE]);
    expect(change.records[0]!.before!.notes).not.toBe('changed by the unit test');
    expect(change.records[0]!.after!.notes).toBe('changed by the unit test');
    expect(change.stateChanged).toBe(true);
    expect(change.audit).toEqual([{ operation: 'update', phone_number: PHONE, result: 'updated' }]);
    expect(backend.committed).toBe(1);
    expect(JSON.parse(await readFile(paths.directory, 'utf8')).numbers[PHONE].notes).toBe('changed by the unit test');
  });

  it('a unit that throws writes nothing and rolls the backend back', async () => {
    const before = await snapshot(path.join(root, 'phone-numbers'));
    const backend = new RecordingBackend();
    await expect(store(backend).unit('fail', async (unit) => {
      (await unit.subset([PHONE])).numbers.get(PHONE)!.notes = 'never written';
      unit.state.intents.length = 0;
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await snapshot(path.join(root, 'phone-numbers'))).toEqual(before);
    expect(backend).toMatchObject({ prepared: [], committed: 0, rolledBack: 1 });
  });

  it('a shared store\'s overlay is what the unit sees, and reaches the views only with a record it writes', async () => {
    const overlay: PoolFieldsOverlay = {
      entry: (phone, entry) => (phone === PHONE ? { ...entry, status: 'protected' } : entry),
      record: (record) => { if (record.phone_number === PHONE) record.status = 'protected'; },
    };
    const backend = new RecordingBackend(overlay);
    const raw = await readFile(paths.directory, 'utf8');
    await store(backend).unit('look', async (unit) => {
      expect((await unit.directoryFile())!.numbers[PHONE]!.status).toBe('protected');
    });
    expect(await readFile(paths.directory, 'utf8')).toBe(raw);
    await store(backend).unit('touch', async (unit) => {
      (await unit.subset([PHONE])).numbers.get(PHONE)!.notes = 'touched';
    });
    const last = backend.prepared.at(-1)!;
    expect(last.records[0]!.before!.status).toBe('protected');
    const written = JSON.parse(await readFile(paths.directory, 'utf8')).numbers[PHONE];
    expect(written).toMatchObject({ status: 'protected', notes: 'touched' });
  });

  it('with the files backend, a state-only change writes pool-state.json and no view', async () => {
    const views = await snapshot(path.join(root, 'phone-numbers'));
    await store(new StateFileBackend(paths, QUIET)).unit('lease', async (unit) => {
      (unit.state.leases ??= []).push({ ref: 'lead-1', pool: 'p', workspace: 'staging', phone_number: PHONE, release_at: '2026-12-02T00:00:00Z', created: '2026-12-01T12:00:00Z' });
    });
    const after = await snapshot(path.join(root, 'phone-numbers'));
    // The journal's own commit marker (a dot file) changes with every commit; the views must not.
    const changed = [...after.keys()].filter((k) => !path.basename(k).startsWith('.') && after.get(k) !== views.get(k));
    expect(changed).toEqual([path.join('twilio', 'pool-state.json')]);
    expect(JSON.parse(await readFile(path.join(root, 'phone-numbers', 'twilio', 'pool-state.json'), 'utf8')).leases).toHaveLength(1);
  });
});
