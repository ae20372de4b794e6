/**
 * Hostile or broken files and names, through the built binary: phone-dir refuses them with exit 2 naming
 * the path (never exit 70, never a hang), and writes nothing, least of all outside the project.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { runCli } from '../helpers/cli.js';
import { emptyProject, removeProject, sampleProject } from '../helpers/fixture.js';
import { sandboxProject } from '../helpers/sandbox-project.js';
import { startSandbox } from '../../src/sandbox/index.js';

const projects: string[] = [];
afterEach(async () => { await Promise.all(projects.splice(0).map(removeProject)); });
const track = (p: string) => { projects.push(p); return p; };

const WORKSPACES = { staging: { api_key_env: 'RETELL_STAGING_API_KEY' }, production: { api_key_env: 'RETELL_PRODUCTION_API_KEY' } };
/** A short timeout: a command that blocks (on a FIFO) fails the test instead of hanging it. */
const cli = (root: string, args: string[]) => runCli(args, { cwd: root, timeoutMs: 20_000 });

/** A project with workspaces.json and an initialized phone-numbers/. */
async function initialized(workspaces: Record<string, unknown> = WORKSPACES): Promise<string> {
  const root = track(await emptyProject());
  await fsp.writeFile(path.join(root, 'workspaces.json'), `${JSON.stringify(workspaces, null, 2)}\n`);
  const r = await cli(root, ['init']);
  expect(r.exitCode, r.stderr).toBe(0);
  return root;
}

/** Every entry under dir (not following symbolic links): name → kind and, for files, bytes. */
async function tree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    for (const e of await fsp.readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p);
      if (e.isDirectory()) { out.set(rel, 'dir'); await walk(p); }
      else if (e.isFile()) out.set(rel, await fsp.readFile(p, 'utf8'));
      else out.set(rel, e.isSymbolicLink() ? `link → ${await fsp.readlink(p)}` : 'special');
    }
  };
  await walk(dir);
  return out;
}

/** The one `error:` line of a refusal, which must name `where`; and no internal error. */
function expectRefusal(r: { exitCode: number; stderr: string }, where: string): void {
  expect(r.exitCode, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/internal error|this is a bug/);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
  expect(errors, r.stderr).toHaveLength(1);
  expect(errors[0]).toContain(where);
}

describe('hostile workspace names', () => {
  it.each([
    ['constructor'], ['toString'], ['hasOwnProperty'], ['valueOf'], ['directory.json'], ['pools.json'], ['twilio.tmp'], ['w'.repeat(300)],
  ])('workspaces.json naming a workspace %j: exit 2 naming the key, and nothing created', async (name) => {
    const root = track(await emptyProject());
    await fsp.writeFile(path.join(root, 'workspaces.json'), JSON.stringify({ staging: { api_key_env: 'A' }, [name]: { api_key_env: 'B' } }));
    const r = await cli(root, ['init']);
    expectRefusal(r, `workspaces.json: ${name.slice(0, 40)}`);
    expect(r.stderr).toContain('cannot name a workspace');
    expect([...(await tree(root)).keys()]).toEqual(['workspaces.json']);
  });

  it('a folder of phone-numbers/ whose name cannot be a workspace is refused, not read as one', async () => {
    const root = await initialized();
    await fsp.cp(path.join(root, 'phone-numbers', 'staging'), path.join(root, 'phone-numbers', 'constructor'), { recursive: true });
    expectRefusal(await cli(root, ['list']), 'phone-numbers/constructor/');
  });

  it('a workspace key inside a directory.json entry is checked the same way', async () => {
    const root = track(await sampleProject());
    const file = path.join(root, 'phone-numbers', 'directory.json');
    const json = JSON.parse(await fsp.readFile(file, 'utf8'));
    const [phone, entry] = Object.entries(json.numbers as Record<string, { workspaces: Record<string, unknown> }>)[0]!;
    Reflect.set(entry.workspaces, 'toString', Object.values(entry.workspaces)[0]); // schema-valid, only the name is wrong
    await fsp.writeFile(file, JSON.stringify(json, null, 2));
    const where = `phone-numbers/directory.json: numbers.${phone}.workspaces: "toString" cannot name a workspace`;
    expectRefusal(await cli(root, ['list']), where);
    const validate = await cli(root, ['validate']);
    expect(validate.exitCode).not.toBe(0);
    expect(validate.stdout).toContain(where);
  });
});

describe('symbolic links leading out of the project', () => {
  it.each([['phone-numbers'], ['phone-numbers/staging']])('%s → a folder outside: init refuses (exit 2) and writes nothing there', async (link) => {
    const root = await initialized();
    const outside = track(await emptyProject());
    await fsp.rename(path.join(root, link), path.join(outside, 'moved'));
    await fsp.symlink(path.join(outside, 'moved'), path.join(root, link));
    const before = await tree(outside);
    // a fresh directory.json makes init write: through the link, were it followed
    await fsp.rm(path.join(outside, 'moved', link === 'phone-numbers' ? 'directory.json' : 'numbers.json'));
    const expected = await tree(outside);
    expect(expected.size).toBe(before.size - 1);
    for (const command of [['init'], ['list']]) expectRefusal(await cli(root, command), `${link} leads outside the project`);
    expect(await tree(outside)).toEqual(expected);
  });

  it('phone-numbers/twilio → a folder outside: sync refuses before writing trunks.json and sync.json there', async () => {
    const sandbox = await startSandbox({ port: 0 });
    try {
      const project = await sandboxProject(sandbox, { git: false });
      track(project.dir);
      expect((await runCli(['init'], { cwd: project.dir })).exitCode).toBe(0);
      const outside = track(await emptyProject());
      await fsp.symlink(outside, path.join(project.dir, 'phone-numbers', 'twilio'));
      const r = await runCli(['sync', '--all'], { cwd: project.dir, env: project.env });
      expectRefusal(r, 'phone-numbers/twilio leads outside the project');
      expect(await fsp.readdir(outside)).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it('a data file linked to a file outside is not read (its content never reaches an error)', async () => {
    const root = await initialized();
    const outside = track(await emptyProject());
    await fsp.writeFile(path.join(outside, 'secret.txt'), 'TOP-SECRET-CONTENT {');
    const file = path.join(root, 'phone-numbers', 'directory.json');
    await fsp.rm(file);
    await fsp.symlink(path.join(outside, 'secret.txt'), file);
    for (const command of [['list'], ['show', '+14155550101'], ['validate']]) {
      const r = await cli(root, command);
      expect(r.stderr + r.stdout).not.toContain('TOP-SECRET');
      expect(r.exitCode).toBe(2);
    }
  });

  it('workspaces.json may be a link to a shared file outside, whose bytes a JSON error never echoes', async () => {
    const root = track(await emptyProject());
    const outside = track(await emptyProject());
    await fsp.writeFile(path.join(outside, 'workspaces.json'), 'TOP-SECRET-CONTENT {');
    await fsp.symlink(path.join(outside, 'workspaces.json'), path.join(root, 'workspaces.json'));
    const r = await cli(root, ['init']);
    expectRefusal(r, 'workspaces.json:1:1: invalid JSON');
    expect(r.stderr).not.toContain('TOP-SECRET');
    await fsp.writeFile(path.join(outside, 'workspaces.json'), JSON.stringify(WORKSPACES));
    expect((await cli(root, ['init'])).exitCode).toBe(0);
  });

  it('an agent file linked to a file outside is not read either', async () => {
    const root = await initialized();
    const outside = track(await emptyProject());
    await fsp.writeFile(path.join(outside, 'secret.txt'), 'TOP-SECRET-CONTENT {');
    await fsp.mkdir(path.join(root, 'agents', 'sales'), { recursive: true });
    await fsp.symlink(path.join(outside, 'secret.txt'), path.join(root, 'agents', 'sales', 'staging.json'));
    const r = await cli(root, ['validate']);
    expect(r.stderr + r.stdout).not.toContain('TOP-SECRET');
    expect(r.stdout + r.stderr).toMatch(/agents\/sales\/staging\.json.*leads outside the project/);
  });

  it('a symbolic link that stays inside the project is followed', async () => {
    const root = await initialized();
    const file = path.join(root, 'phone-numbers', 'directory.json');
    await fsp.rename(file, path.join(root, 'directory.copy.json'));
    await fsp.symlink('../directory.copy.json', file);
    const r = await cli(root, ['list', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});

describe('a forged transaction journal', () => {
  it.each([['../.git/HEAD'], ['pools.json'], ['../agents/a/agent.json'], ['staging/.hidden.json']])('naming %s: every command stops with exit 2 and a hint, deleting nothing', async (target) => {
    const root = await initialized();
    await fsp.mkdir(path.join(root, '.git'));
    await fsp.mkdir(path.join(root, 'agents', 'a'), { recursive: true });
    await Promise.all(['.git/HEAD', 'phone-numbers/pools.json', 'agents/a/agent.json', 'phone-numbers/staging/.hidden.json'].map((f) => fsp.writeFile(path.join(root, f), '{}\n')));
    const journal = { version: 1, txid: 'pd-abc-12345678', created: '2026-01-01T00:00:00Z', entries: [{ target: 'directory.json', delete: true }, { target, delete: true }] };
    await fsp.writeFile(path.join(root, 'phone-numbers', '.txn'), JSON.stringify(journal));
    const before = await tree(root);
    for (const command of [['list'], ['init']]) {
      const r = await cli(root, command);
      expectRefusal(r, `Invalid path "${target}" in transaction journal`);
      expect(r.stderr).toContain('hint:');
    }
    expect(await tree(root)).toEqual(before);
  });
});

describe('files of the wrong kind: exit 2 naming the path, never 70 or a hang', () => {
  it.each([['phone-numbers/directory.json'], ['phone-numbers/staging/numbers.json'], ['workspaces.json'], ['phone-numbers/.lock'], ['phone-numbers/.txn']])('%s as a folder', async (file) => {
    const root = await initialized();
    await fsp.rm(path.join(root, file), { force: true });
    await fsp.mkdir(path.join(root, file));
    expectRefusal(await cli(root, ['init']), `${file} is a folder, not a regular file`);
  });

  it('phone-numbers as a file', async () => {
    const root = track(await emptyProject());
    await fsp.writeFile(path.join(root, 'workspaces.json'), JSON.stringify(WORKSPACES));
    await fsp.writeFile(path.join(root, 'phone-numbers'), 'not a folder\n');
    for (const command of [['init'], ['list'], ['report']]) expectRefusal(await cli(root, command), 'phone-numbers is a file, not a folder');
  });

  it('agents as a file is refused, not taken for "no agent folders" (sync would unlink every agent)', async () => {
    const root = await initialized();
    await fsp.writeFile(path.join(root, 'agents'), 'not a folder\n');
    expectRefusal(await cli(root, ['validate']), 'agents is a file, not a folder');
  });

  it('a folder named .txn-seq.tmp is refused before anything is written, and phone-dir works again once it is gone', async () => {
    const root = await initialized();
    const marker = path.join(root, 'phone-numbers', '.txn-seq.tmp');
    await fsp.rm(marker, { force: true });
    await fsp.mkdir(marker);
    const before = await tree(root);
    expectRefusal(await cli(root, ['init', '--force']), 'phone-numbers/.txn-seq.tmp');
    expect(await tree(root)).toEqual(before);
    await fsp.rmdir(marker);
    expect((await cli(root, ['init', '--force'])).exitCode).toBe(0);
    expect((await cli(root, ['list'])).exitCode).toBe(0);
  });

  it.runIf(process.platform !== 'win32').each([
    ['phone-numbers/directory.json'], ['phone-numbers/staging/assignments.json'], ['workspaces.json'], ['phone-numbers/.lock'], ['phone-numbers/.txn'], ['phone-numbers/pools.json'],
  ])('%s as a FIFO', async (file) => {
    const root = await initialized();
    await fsp.rm(path.join(root, file), { force: true });
    await execa('mkfifo', [path.join(root, file)]);
    const r = await cli(root, file.endsWith('pools.json') ? ['pool', 'health'] : ['init']);
    expectRefusal(r, `${file} is a named pipe (FIFO), not a regular file`);
  });

  it.runIf(process.platform !== 'win32')('an agent file as a FIFO is reported, not waited for', async () => {
    const root = await initialized();
    await fsp.mkdir(path.join(root, 'agents', 'sales'), { recursive: true });
    await execa('mkfifo', [path.join(root, 'agents', 'sales', 'staging.json')]);
    const r = await cli(root, ['validate']);
    expect(r.exitCode).not.toBe(70);
    expect(r.stdout + r.stderr).toContain('agents/sales/staging.json');
    expect(r.stdout + r.stderr).toContain('named pipe (FIFO)');
  });
});

describe('the lock and its leftovers', () => {
  it('an unreadable lock older than two heartbeats is taken over, not waited for', async () => {
    const root = await initialized();
    const lock = path.join(root, 'phone-numbers', '.lock');
    await fsp.writeFile(lock, 'garbage');
    const old = new Date(Date.now() - 15_000);
    await fsp.utimes(lock, old, old);
    const r = await cli(root, ['init', '--force', '--lock-timeout', '1s']);
    expect(r.exitCode, r.stderr).toBe(0);
  });

  it('a .lock.<hex>.tmp left by a writer killed with -9 is swept by the next command that takes the lock', async () => {
    const root = await initialized();
    const dead = await execa('node', ['-e', 'process.stdout.write(String(process.pid))']);
    const holder = { pid: Number(dead.stdout), host: (await execa('hostname')).stdout, command: 'phone-dir sync', since: new Date().toISOString(), token: 'deadbeef0001' };
    const leftover = path.join(root, 'phone-numbers', '.lock.0a1b2c3d4e5f.tmp');
    await fsp.writeFile(leftover, JSON.stringify(holder));
    expect((await cli(root, ['init'])).exitCode).toBe(0);
    await expect(fsp.access(leftover)).rejects.toThrow();
  });
});

describe('credentials in URLs', () => {
  it('a base_url with user:password is never echoed with the password', async () => {
    const root = track(await emptyProject());
    await fsp.writeFile(path.join(root, 'workspaces.json'), JSON.stringify({ staging: { api_key_env: 'A', base_url: 'https://user:S3CRET-PASS@' } }));
    const r = await cli(root, ['init']);
    expectRefusal(r, 'staging.base_url');
    expect(r.stderr).not.toContain('S3CRET-PASS');
    expect(r.stderr).toContain('https://***@');
  });
});

describe('credentials in provider URLs', () => {
  it('an SDK error quoting a base URL with user:password shows it redacted', async () => {
    const root = await initialized();
    const env = { RETELL_STAGING_API_KEY: 'key_stg_abcdef', RETELL_PRODUCTION_API_KEY: 'key_prd_abcdef', PHONE_DIR_RETELL_BASE_URL: 'http://user:S3CRET-PASS@127.0.0.1:9' };
    const r = await runCli(['sync-retell', '--all'], { cwd: root, env, timeoutMs: 60_000 });
    expect(r.exitCode, r.stderr).toBe(5);
    expect(r.stderr).toContain('http://***@127.0.0.1:9');
    expect(r.stderr + r.stdout).not.toContain('S3CRET-PASS');
  });
});

describe('workspaces.json mode', () => {
  it('an object is refused naming mode; an unknown string is a warning', async () => {
    const root = track(await emptyProject());
    await fsp.writeFile(path.join(root, 'workspaces.json'), JSON.stringify({ mode: { production: 'multi' }, ...WORKSPACES }));
    expectRefusal(await cli(root, ['init']), 'workspaces.json: mode: expected "single-production" or "multi-production"');
    await fsp.writeFile(path.join(root, 'workspaces.json'), JSON.stringify({ mode: 'multi', ...WORKSPACES }));
    const r = await cli(root, ['init']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: workspaces.json: mode: "multi" is not one the Retell CLIs know');
  });
});
