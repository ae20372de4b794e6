/**
 * phone-numbers/.schemas/: the copy of the package's schemas/ that every written file's `$schema` points
 * at, relative to the file, so editors resolve it however phone-dir is installed.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { cp, mkdir, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { runCli, REPO_ROOT } from '../helpers/cli.js';
import { emptyProject, sampleProject, removeProject, editJson, readJson, snapshotTree } from '../helpers/fixture.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { sandboxProject, gitStatus, gitCommitAll } from '../helpers/sandbox-project.js';
import { unresolvedSchemaRefs } from '../helpers/schema-refs.js';

const projects: string[] = [];
afterEach(async () => { await Promise.all(projects.splice(0).map(removeProject)); });
const track = (p: string) => { projects.push(p); return p; };

const PACKAGE_SCHEMAS = path.join(REPO_ROOT, 'schemas');
const schemaNames = async () => (await readdir(PACKAGE_SCHEMAS)).filter((n) => n.endsWith('.schema.json')).sort();
const copyDir = (root: string) => path.join(root, 'phone-numbers', '.schemas');

async function expectIdenticalCopy(root: string): Promise<void> {
  expect((await readdir(copyDir(root))).sort()).toEqual(await schemaNames());
  for (const name of await schemaNames()) {
    expect(await readFile(path.join(copyDir(root), name), 'utf8'), name).toBe(await readFile(path.join(PACKAGE_SCHEMAS, name), 'utf8'));
  }
}

describe('phone-numbers/.schemas/', () => {
  it('init writes a byte-identical copy of schemas/, and every $schema it writes resolves to a file of it', async () => {
    const root = track(await emptyProject());
    await cp(path.join(REPO_ROOT, 'workspaces.example.json'), path.join(root, 'workspaces.json'));
    const r = await runCli(['init', '--json'], { cwd: root });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).created).toEqual(expect.arrayContaining((await schemaNames()).map((n) => `phone-numbers/.schemas/${n}`)));
    await expectIdenticalCopy(root);
    expect(await readJson(path.join(root, 'phone-numbers', 'directory.json'))).toMatchObject({ $schema: './.schemas/directory.schema.json' });
    expect(await readJson(path.join(root, 'phone-numbers', 'staging', 'numbers.json'))).toMatchObject({ $schema: '../.schemas/numbers.schema.json' });
    expect(await unresolvedSchemaRefs(root)).toEqual([]);
    // workspaces.json (copied from the example) resolves too, through the same copy.
    expect(path.resolve(root, (await readJson(path.join(root, 'workspaces.json'))).$schema)).toBe(path.join(copyDir(root), 'workspaces.schema.json'));
  });

  it('the .gitignore init writes leaves the copy committed', async () => {
    const root = track(await emptyProject());
    await execa('git', ['init', '-q'], { cwd: root });
    expect((await runCli(['init'], { cwd: root })).exitCode).toBe(0);
    const ignored = await execa('git', ['check-ignore', 'phone-numbers/.schemas/directory.schema.json'], { cwd: root, reject: false });
    expect(ignored.exitCode).toBe(1);
    expect((await gitStatus(root)).split('\n')).toContain('?? phone-numbers/');
    const untracked = (await execa('git', ['ls-files', '--others', '--exclude-standard'], { cwd: root })).stdout.split('\n');
    expect(untracked).toContain('phone-numbers/.schemas/numbers.schema.json');
  });

  it('an up-to-date copy is not rewritten; a stale or missing file of it is refreshed, and only that one', async () => {
    const root = track(await sampleProject());
    const mtime = async (n: string) => (await stat(path.join(copyDir(root), n))).mtimeMs;
    const before = await mtime('pools.schema.json');
    await writeFile(path.join(copyDir(root), 'numbers.schema.json'), '{}\n');
    await rm(path.join(copyDir(root), 'sync.schema.json'));
    const r = await runCli(['init', '--json'], { cwd: root });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).created.sort()).toEqual(['.gitignore', 'phone-numbers/.schemas/numbers.schema.json', 'phone-numbers/.schemas/sync.schema.json']);
    await expectIdenticalCopy(root);
    expect(await mtime('pools.schema.json')).toBe(before);
  });

  it("a file still pointing into node_modules/phone-dir/schemas moves to the copy; a $schema of the user's own is kept", async () => {
    const root = track(await sampleProject());
    await editJson(path.join(root, 'phone-numbers', 'directory.json'), (j) => { j.$schema = '../node_modules/phone-dir/schemas/directory.schema.json'; });
    await editJson(path.join(root, 'phone-numbers', 'staging', 'numbers.json'), (j) => { j.$schema = '../../node_modules/phone-dir/schemas/numbers.schema.json'; });
    await editJson(path.join(root, 'phone-numbers', 'staging', 'assignments.json'), (j) => { j.$schema = 'https://schemas.example.test/assignments.json'; });
    expect((await runCli(['init'], { cwd: root })).exitCode).toBe(0);
    expect((await readJson(path.join(root, 'phone-numbers', 'directory.json'))).$schema).toBe('./.schemas/directory.schema.json');
    expect((await readJson(path.join(root, 'phone-numbers', 'staging', 'numbers.json'))).$schema).toBe('../.schemas/numbers.schema.json');
    expect((await readJson(path.join(root, 'phone-numbers', 'staging', 'assignments.json'))).$schema).toBe('https://schemas.example.test/assignments.json');
    const v = await runCli(['validate', '--json'], { cwd: root });
    expect(JSON.parse(v.stdout).errors).toEqual([]);
  });

  it('a file named .schemas is an error naming it (exit 2), and the directory files are left alone', async () => {
    const root = track(await emptyProject());
    await mkdir(path.join(root, 'phone-numbers'));
    await writeFile(path.join(copyDir(root)), 'not a folder');
    const r = await runCli(['init'], { cwd: root });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: phone-numbers\/\.schemas is a file, not a folder/m);
    expect(await readFile(copyDir(root), 'utf8')).toBe('not a folder');
  });

  it('a .schemas symbolic link leading out of the project is refused (exit 2) and nothing is written there', async () => {
    const root = track(await emptyProject());
    const outside = track(await emptyProject());
    await mkdir(path.join(root, 'phone-numbers'));
    await symlink(outside, copyDir(root));
    const r = await runCli(['init'], { cwd: root });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/phone-numbers\/\.schemas leads outside the project/);
    expect(await readdir(outside)).toEqual([]);
  });

  it('sync refreshes the copy and --commit commits it with the views; a second sync changes none of it', async () => {
    const sandbox = await startSandbox({ port: 0 });
    try {
      const project = await sandboxProject(sandbox);
      track(project.dir);
      const cli = (args: string[]) => runCli(args, { cwd: project.dir, env: project.env });
      // A project set up before the copy existed: init's files committed, no .schemas/.
      expect((await cli(['init'])).exitCode).toBe(0);
      await rm(copyDir(project.dir), { recursive: true });
      await gitCommitAll(project.dir, 'init');
      const first = await cli(['sync', '--all', '--commit']);
      expect(first.exitCode, first.stderr).toBe(0);
      await expectIdenticalCopy(project.dir);
      expect(await unresolvedSchemaRefs(project.dir)).toEqual([]);
      const committed = (await execa('git', ['show', '--name-only', '--format=', 'HEAD'], { cwd: project.dir })).stdout.split('\n');
      expect(committed).toEqual(expect.arrayContaining((await schemaNames()).map((n) => `phone-numbers/.schemas/${n}`)));
      await writeFile(path.join(copyDir(project.dir), 'trunks.schema.json'), '{"stale": true}\n');
      const second = await cli(['sync', '--all', '--commit', '--json']);
      expect(second.exitCode, second.stderr).toBe(0);
      expect(JSON.parse(second.stdout).written).toContain('phone-numbers/.schemas/trunks.schema.json');
      expect(await gitStatus(project.dir)).toBe('');
      const tree = await snapshotTree(copyDir(project.dir));
      const third = await cli(['sync', '--all', '--json']);
      expect(JSON.parse(third.stdout).written.filter((f: string) => f.includes('.schemas'))).toEqual([]);
      expect(await snapshotTree(copyDir(project.dir))).toEqual(tree);
    } finally {
      await sandbox.close();
    }
  });
});

describe("the repository's own sample", () => {
  it('every $schema of phone-numbers/ and workspaces.example.json resolves to a file on disk', async () => {
    expect(await unresolvedSchemaRefs(REPO_ROOT)).toEqual([]);
    expect(await unresolvedSchemaRefs(REPO_ROOT, ['workspaces.example.json'])).toEqual([]);
  });
});
