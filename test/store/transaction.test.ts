import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  COMMIT_MARKER_NAME,
  JOURNAL_NAME,
  TransactionJournalError,
  commitFiles,
  readSnapshot,
  recoverTransaction,
} from '../../src/store/transaction.js';
import { listFiles, makeTempDir } from './helpers.js';

let root: string;
let dir: string;
const p = (rel: string): string => path.join(dir, ...rel.split('/'));
const read = (rel: string): Promise<string> => fsp.readFile(p(rel), 'utf8');
const exists = (rel: string): Promise<boolean> => fsp.access(p(rel)).then(() => true, () => false);
/** data files only: no commit marker */
const dataFiles = async (): Promise<string[]> => (await listFiles(dir)).filter((f) => f !== COMMIT_MARKER_NAME);

beforeEach(async () => {
  root = await makeTempDir('txn');
  dir = path.join(root, 'phone-numbers');
  await fsp.mkdir(dir);
});
afterEach(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

/** Writes a journal and staged files the way commitFiles does, as if the process died after its commit point. */
async function fakeCommitted(txid: string, entries: { target: string; content: string | null; alreadyRenamed?: boolean }[]): Promise<void> {
  const journal = {
    version: 1,
    txid,
    created: new Date().toISOString(),
    entries: entries.map((e) => (e.content === null ? { target: e.target, delete: true } : { target: e.target, temp: `${e.target}.${txid}.tmp` })),
  };
  for (const e of entries) {
    if (e.content === null) continue;
    await fsp.mkdir(path.dirname(p(e.target)), { recursive: true });
    await fsp.writeFile(e.alreadyRenamed ? p(e.target) : p(`${e.target}.${txid}.tmp`), e.content);
  }
  await fsp.writeFile(p(JOURNAL_NAME), JSON.stringify(journal));
}

describe('commitFiles', () => {
  it('creates files and missing parent directories, returns the changed paths sorted', async () => {
    const changed = await commitFiles(dir, [
      { path: p('ws/numbers.json'), content: '{"n":1}\n' },
      { path: p('directory.json'), content: '{}\n' },
      { path: p('a/b/c/deep.json'), content: 'deep\n' },
    ]);
    expect(changed).toEqual([p('a/b/c/deep.json'), p('directory.json'), p('ws/numbers.json')]);
    expect(await read('ws/numbers.json')).toBe('{"n":1}\n');
    expect(await read('a/b/c/deep.json')).toBe('deep\n');
    expect(await dataFiles()).toEqual(['a/b/c/deep.json', 'directory.json', 'ws/numbers.json']);
  });

  it('skips files whose bytes are identical and leaves them untouched', async () => {
    await commitFiles(dir, [
      { path: p('x.json'), content: 'same\n' },
      { path: p('y.json'), content: 'old\n' },
    ]);
    const before = await fsp.stat(p('x.json'), { bigint: true });
    const changed = await commitFiles(dir, [
      { path: p('x.json'), content: 'same\n' },
      { path: p('y.json'), content: 'new\n' },
      { path: p('gone.json'), content: null },
    ]);
    expect(changed).toEqual([p('y.json')]);
    const after = await fsp.stat(p('x.json'), { bigint: true });
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeNs).toBe(before.mtimeNs);
    expect(await commitFiles(dir, [{ path: p('x.json'), content: 'same\n' }])).toEqual([]);
  });

  it('returns [] and writes nothing (not even a marker) when nothing changes', async () => {
    expect(await commitFiles(dir, [{ path: p('missing.json'), content: null }])).toEqual([]);
    expect(await listFiles(dir)).toEqual([]);
  });

  it('deletes files marked null and removes directories left empty', async () => {
    await commitFiles(dir, [
      { path: p('ws/numbers.json'), content: '1\n' },
      { path: p('ws/assignments.json'), content: '2\n' },
      { path: p('keep.json'), content: '3\n' },
    ]);
    const changed = await commitFiles(dir, [
      { path: p('ws/numbers.json'), content: null },
      { path: p('ws/assignments.json'), content: null },
      { path: p('keep.json'), content: '4\n' },
    ]);
    expect(changed).toEqual([p('keep.json'), p('ws/assignments.json'), p('ws/numbers.json')]);
    expect(await exists('ws')).toBe(false);
    expect(await dataFiles()).toEqual(['keep.json']);
    expect(await read('keep.json')).toBe('4\n');
  });

  it('writes UTF-8 bytes exactly and keeps the mode of an existing file', async () => {
    await commitFiles(dir, [{ path: p('u.json'), content: 'é\n' }]);
    await fsp.chmod(p('u.json'), 0o600);
    await commitFiles(dir, [{ path: p('u.json'), content: '"☎ +1 415"\n' }]);
    expect(await fsp.readFile(p('u.json'))).toEqual(Buffer.from('"☎ +1 415"\n', 'utf8'));
    if (process.platform !== 'win32') expect((await fsp.stat(p('u.json'))).mode & 0o777).toBe(0o600);
  });

  it('writes files of the project root (the parent of txnDir) in the same transaction', async () => {
    const gitignore = path.join(root, '.gitignore');
    const changed = await commitFiles(dir, [
      { path: gitignore, content: 'phone-numbers/.lock*\n' },
      { path: p('directory.json'), content: '{}\n' },
    ]);
    expect(changed).toEqual([gitignore, p('directory.json')].sort());
    expect(await fsp.readFile(gitignore, 'utf8')).toBe('phone-numbers/.lock*\n');
    expect(await listFiles(root)).toEqual(['.gitignore', `phone-numbers/${COMMIT_MARKER_NAME}`, 'phone-numbers/directory.json']);
    const snap = await readSnapshot(dir, [gitignore]);
    expect(snap.get(gitignore)).toBe('phone-numbers/.lock*\n');
  });

  it('leaves no journal or staged file behind', async () => {
    await commitFiles(dir, [{ path: p('a.json'), content: 'a' }, { path: p('s/b.json'), content: 'b' }]);
    const all = await listFiles(dir);
    expect(all.filter((f) => f.endsWith('.tmp') && f !== COMMIT_MARKER_NAME)).toEqual([]);
    expect(all).not.toContain(JOURNAL_NAME);
  });

  it('rejects relative paths, paths outside the directory, reserved names and duplicates', async () => {
    await expect(commitFiles(dir, [{ path: 'rel.json', content: '' }])).rejects.toThrow(/absolute/);
    await expect(commitFiles(dir, [{ path: path.join(root, '..', 'outside.json'), content: '' }])).rejects.toThrow(/not inside/);
    await expect(commitFiles(dir, [{ path: root, content: '' }])).rejects.toThrow(/not inside/);
    await expect(commitFiles(dir, [{ path: dir, content: '' }])).rejects.toThrow(/transaction directory itself/);
    await expect(commitFiles(dir, [{ path: p('.txn'), content: '' }])).rejects.toThrow(/reserved/);
    await expect(commitFiles(dir, [{ path: p('.lock'), content: '' }])).rejects.toThrow(/reserved/);
    await expect(commitFiles(dir, [{ path: p('x.tmp'), content: '' }])).rejects.toThrow(/reserved/);
    await expect(commitFiles(dir, [{ path: p('a.json'), content: '1' }, { path: p('a.json'), content: '1' }])).rejects.toThrow(/twice/);
    expect(await listFiles(dir)).toEqual([]);
  });

  it('rolls back its staged files when staging fails before the commit point', async () => {
    await fsp.writeFile(p('blocker'), 'a file where a directory is needed');
    await expect(
      commitFiles(dir, [
        { path: p('a.json'), content: 'a' },
        { path: p('blocker/b.json'), content: 'b' },
      ]),
    ).rejects.toThrow();
    expect(await listFiles(dir)).toEqual(['blocker']);
  });

  it('finishes a journal left by a crash before committing', async () => {
    await fsp.writeFile(p('a.json'), 'old a');
    await fakeCommitted('pd-abc-0000000a', [{ target: 'a.json', content: 'new a' }]);
    await commitFiles(dir, [{ path: p('b.json'), content: 'b' }]);
    expect(await read('a.json')).toBe('new a');
    expect(await dataFiles()).toEqual(['a.json', 'b.json']);
  });
});

describe('recoverTransaction', () => {
  it('reports none on a clean directory (also a missing one)', async () => {
    expect(await recoverTransaction(dir)).toBe('none');
    expect(await recoverTransaction(path.join(root, 'nope'))).toBe('none');
  });

  it('rolls forward a journal: renames the remaining temps, keeps renamed ones, applies deletions', async () => {
    await fsp.writeFile(p('a.json'), 'old a');
    await fsp.mkdir(p('ws'));
    await fsp.writeFile(p('ws/b.json'), 'old b');
    await fsp.writeFile(p('gone.json'), 'old gone');
    await fsp.writeFile(p('untouched.json'), 'same');
    await fakeCommitted('pd-abc-12345678', [
      { target: 'a.json', content: 'new a', alreadyRenamed: true },
      { target: 'ws/b.json', content: 'new b' },
      { target: 'new/c.json', content: 'new c' },
      { target: 'gone.json', content: null },
    ]);
    expect(await recoverTransaction(dir)).toBe('rolled-forward');
    expect(await read('a.json')).toBe('new a');
    expect(await read('ws/b.json')).toBe('new b');
    expect(await read('new/c.json')).toBe('new c');
    expect(await dataFiles()).toEqual(['a.json', 'new/c.json', 'untouched.json', 'ws/b.json']);
    expect(await recoverTransaction(dir)).toBe('none'); // idempotent
  });

  it('rolls forward and also drops temps of an older rolled-back attempt', async () => {
    await fsp.writeFile(p('a.json.pd-old-00000001.tmp'), 'abandoned');
    await fakeCommitted('pd-abc-12345678', [{ target: 'a.json', content: 'new a' }]);
    expect(await recoverTransaction(dir)).toBe('rolled-forward');
    expect(await dataFiles()).toEqual(['a.json']);
  });

  it('rolls back: no journal, stray temps (data and journal) are deleted, targets untouched', async () => {
    await fsp.writeFile(p('a.json'), 'old a');
    await fsp.mkdir(p('ws'));
    await fsp.writeFile(p('a.json.pd-lq2x-0badf00d.tmp'), 'half');
    await fsp.writeFile(p('ws/n.json.pd-lq2x-0badf00d.tmp'), 'half');
    await fsp.writeFile(p('.txn.pd-lq2x-0badf00d.tmp'), '{"version":1');
    await fsp.writeFile(p('notes.tmp'), 'not ours'); // not a phone-dir staged file
    expect(await recoverTransaction(dir)).toBe('rolled-back');
    expect(await read('a.json')).toBe('old a');
    expect(await dataFiles()).toEqual(['a.json', 'notes.tmp']);
    expect(await recoverTransaction(dir)).toBe('none');
  });

  it('rolls back staged files outside txnDir, found through the abandoned journal temp', async () => {
    const txid = 'pd-lq2x-0badf00d';
    await fsp.writeFile(path.join(root, '.gitignore'), 'old\n');
    await fsp.writeFile(path.join(root, `.gitignore.${txid}.tmp`), 'new\n');
    await fsp.writeFile(
      p(`${JOURNAL_NAME}.${txid}.tmp`),
      JSON.stringify({ version: 1, txid, created: '', entries: [{ target: '../.gitignore', temp: `../.gitignore.${txid}.tmp` }] }),
    );
    expect(await recoverTransaction(dir)).toBe('rolled-back');
    expect(await listFiles(root)).toEqual(['.gitignore']);
    expect(await fsp.readFile(path.join(root, '.gitignore'), 'utf8')).toBe('old\n');
  });

  it('rolls forward a journal that includes a project-root file', async () => {
    const txid = 'pd-lq2x-0badf00d';
    await fsp.writeFile(path.join(root, '.gitignore'), 'old\n');
    await fsp.writeFile(path.join(root, `.gitignore.${txid}.tmp`), 'new\n');
    await fsp.writeFile(p(JOURNAL_NAME), JSON.stringify({ version: 1, txid, created: '', entries: [{ target: '../.gitignore', temp: `../.gitignore.${txid}.tmp` }] }));
    expect((await readSnapshot(dir, [path.join(root, '.gitignore')])).get(path.join(root, '.gitignore'))).toBe('new\n');
    expect(await recoverTransaction(dir)).toBe('rolled-forward');
    expect(await fsp.readFile(path.join(root, '.gitignore'), 'utf8')).toBe('new\n');
    expect((await listFiles(root)).filter((f) => f.endsWith('.tmp') && !f.endsWith(COMMIT_MARKER_NAME))).toEqual([]);
  });

  it('refuses a corrupt or hostile journal instead of guessing', async () => {
    await fsp.writeFile(p(JOURNAL_NAME), '{"version":1,"txid":"pd-a-00000000","entr');
    await expect(recoverTransaction(dir)).rejects.toBeInstanceOf(TransactionJournalError);
    await fsp.writeFile(p(JOURNAL_NAME), JSON.stringify({ version: 1, txid: 'pd-a-00000000', entries: [{ target: '../../etc/x', delete: true }] }));
    await expect(recoverTransaction(dir)).rejects.toThrow(/Invalid path/);
    const err = await recoverTransaction(dir).catch((e: unknown) => e);
    expect((err as TransactionJournalError).exitCode).toBe(2);
    expect((err as TransactionJournalError).hint).toMatch(/git checkout/);
  });

  it.each([['../.git/HEAD'], ['../README.md'], ['pools.json'], ['.lock'], ['sub/.hidden.json'], ['notes.txt']])(
    'refuses a journal naming %s, a file phone-dir never writes, and deletes nothing',
    async (target) => {
      await fsp.mkdir(path.join(root, '.git'));
      await fsp.mkdir(p('sub'));
      for (const f of [path.join(root, '.git', 'HEAD'), path.join(root, 'README.md'), p('pools.json'), p('sub/.hidden.json'), p('notes.txt'), p('a.json')]) await fsp.writeFile(f, 'x\n');
      await fsp.writeFile(p(JOURNAL_NAME), JSON.stringify({ version: 1, txid: 'pd-a-00000000', entries: [{ target: 'a.json', delete: true }, { target, delete: true }] }));
      const before = await listFiles(root);
      const err = await recoverTransaction(dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransactionJournalError);
      expect((err as Error).message).toContain(JSON.stringify(target));
      await expect(readSnapshot(dir, [p('a.json')])).rejects.toBeInstanceOf(TransactionJournalError);
      expect(await listFiles(root)).toEqual(before);
    },
  );

  it('refuses to roll a journal forward through a folder that is a symbolic link out of the project', async () => {
    const outside = await makeTempDir('txn-outside');
    try {
      await fsp.symlink(outside, p('ws'));
      await fsp.writeFile(path.join(outside, 'numbers.json'), 'old\n');
      await fsp.writeFile(p(JOURNAL_NAME), JSON.stringify({ version: 1, txid: 'pd-a-00000000', entries: [{ target: 'ws/numbers.json', delete: true }] }));
      await expect(recoverTransaction(dir)).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('phone-numbers/ws leads outside the project') });
      expect(await fsp.readFile(path.join(outside, 'numbers.json'), 'utf8')).toBe('old\n');
    } finally {
      await fsp.rm(outside, { recursive: true, force: true });
    }
  });
});

describe('commitFiles refuses paths it cannot safely write', () => {
  it('never writes through a folder that is a symbolic link out of the project', async () => {
    const outside = await makeTempDir('txn-outside');
    try {
      await fsp.symlink(outside, p('ws'));
      await expect(commitFiles(dir, [{ path: p('ws/numbers.json'), content: '{}\n' }, { path: p('a.json'), content: '{}\n' }])).rejects.toMatchObject({ exitCode: 2 });
      expect(await fsp.readdir(outside)).toEqual([]);
      expect(await exists('a.json')).toBe(false);
    } finally {
      await fsp.rm(outside, { recursive: true, force: true });
    }
  });

  it('never writes a file phone-dir would refuse to recover', async () => {
    await expect(commitFiles(dir, [{ path: p('notes.txt'), content: 'x' }])).rejects.toThrow(/not a file phone-dir writes/);
    await expect(commitFiles(dir, [{ path: path.join(root, 'README.md'), content: 'x' }])).rejects.toThrow(/outside/);
  });

  it('a folder in place of a target, or of the commit marker, is an error naming it (exit 2) before anything is written', async () => {
    await fsp.mkdir(p('a.json'));
    await expect(commitFiles(dir, [{ path: p('a.json'), content: 'x' }, { path: p('b.json'), content: 'y' }])).rejects.toMatchObject({ exitCode: 2, message: 'phone-numbers/a.json is a folder, not a regular file' });
    await fsp.rmdir(p('a.json'));
    await fsp.mkdir(p(COMMIT_MARKER_NAME));
    await expect(commitFiles(dir, [{ path: p('b.json'), content: 'y' }])).rejects.toMatchObject({ exitCode: 2 });
    expect(await listFiles(dir)).toEqual([]);
  });
});

describe('readSnapshot', () => {
  it('reads current contents; missing files are null; keys are the paths as given', async () => {
    await commitFiles(dir, [{ path: p('a.json'), content: 'A' }, { path: p('ws/b.json'), content: 'B' }]);
    const given = [p('a.json'), path.join(dir, 'ws', '..', 'ws', 'b.json'), p('none.json')];
    const snap = await readSnapshot(dir, given);
    expect([...snap.entries()]).toEqual([
      [given[0], 'A'],
      [given[1], 'B'],
      [given[2], null],
    ]);
    expect((await readSnapshot(path.join(root, 'absent'), [path.join(root, 'absent', 'x')])).get(path.join(root, 'absent', 'x'))).toBeNull();
  });

  it('with a journal present, shows the post-commit view (temp, renamed target, deletion, unlisted file)', async () => {
    await fsp.writeFile(p('a.json'), 'old a');
    await fsp.writeFile(p('b.json'), 'old b');
    await fsp.writeFile(p('c.json'), 'old c');
    await fsp.writeFile(p('d.json'), 'old d');
    await fakeCommitted('pd-abc-12345678', [
      { target: 'a.json', content: 'new a' },
      { target: 'b.json', content: 'new b', alreadyRenamed: true },
      { target: 'c.json', content: null },
      { target: 'e.json', content: 'new e' },
    ]);
    const snap = await readSnapshot(dir, ['a.json', 'b.json', 'c.json', 'd.json', 'e.json'].map(p));
    expect([...snap.values()]).toEqual(['new a', 'new b', null, 'old d', 'new e']);
    // ignores stray temps without a journal
    await fsp.rm(p(JOURNAL_NAME));
    const after = await readSnapshot(dir, ['a.json', 'e.json'].map(p));
    expect([...after.values()]).toEqual(['old a', null]);
  });

  it('reads large files quickly', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    await commitFiles(dir, ['a', 'b', 'c'].map((n) => ({ path: p(`${n}.json`), content: `${n}${big}` })));
    const paths = ['a', 'b', 'c'].map((n) => p(`${n}.json`));
    const timeIt = async (f: () => Promise<unknown>): Promise<number> => {
      const runs: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t = performance.now();
        await f();
        runs.push(performance.now() - t);
      }
      return runs.sort((x, y) => x - y)[3]!;
    };
    const plain = await timeIt(() => Promise.all(paths.map((f) => fsp.readFile(f, 'utf8'))));
    const snap = await timeIt(() => readSnapshot(dir, paths));
    console.log(`3 × 3 MB: readFile ${plain.toFixed(1)} ms, readSnapshot ${snap.toFixed(1)} ms`);
    expect(snap).toBeLessThan(plain * 3 + 20);
    expect((await readSnapshot(dir, paths)).get(paths[1]!)).toBe(`b${big}`);
  });
});
