import { describe, it, expect, afterEach } from 'vitest';
import { readFile, writeFile, cp } from 'node:fs/promises';
import path from 'node:path';
import { runCli, REPO_ROOT } from '../helpers/cli.js';
import { emptyProject, sampleProject, removeProject, snapshotTree, readJson } from '../helpers/fixture.js';

const projects: string[] = [];
afterEach(async () => { await Promise.all(projects.splice(0).map(removeProject)); });
const track = (p: string) => { projects.push(p); return p; };

/** The committed files of a tree: runtime files (lock, journal marker, temps) left out. */
const committed = (tree: Map<string, string>) => new Map([...tree].filter(([f]) => !/(^|\/)\.(lock|txn)|\.tmp$/.test(f)));

describe('init', () => {
  it('creates valid empty views for every workspace of workspaces.json, and the .gitignore entries', async () => {
    const root = track(await emptyProject());
    await cp(path.join(REPO_ROOT, 'workspaces.example.json'), path.join(root, 'workspaces.json'));
    const r = await runCli(['init'], { cwd: root });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('Initialized phone-numbers/');
    const numbers = await readJson(path.join(root, 'phone-numbers', 'staging', 'numbers.json'));
    expect(numbers).toMatchObject({ version: '1.0.0', workspace: 'staging', numbers: [], summary: { total: 0, assigned: 0, unassigned: 0, import_methods: {} } });
    expect(numbers.last_sync).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const directory = await readJson(path.join(root, 'phone-numbers', 'directory.json'));
    expect(directory.metadata).toEqual({ total_numbers: 0, by_workspace: { production: 0, staging: 0 }, by_type: {}, by_provider: {}, assigned: 0, unassigned: 0 });
    for (const ws of ['staging', 'production']) {
      expect((await readJson(path.join(root, 'phone-numbers', ws, 'assignments.json'))).assignments).toEqual([]);
    }
    const gitignore = await readFile(path.join(root, '.gitignore'), 'utf8');
    expect(gitignore.split('\n')).toEqual(expect.arrayContaining(['phone-numbers/twilio/', 'phone-numbers/.lock*', 'phone-numbers/.txn*', 'phone-numbers/**/*.tmp']));
    const v = await runCli(['validate', '--json'], { cwd: root });
    expect(JSON.parse(v.stdout)).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it('is idempotent: a second run changes no byte', async () => {
    const root = track(await emptyProject());
    await cp(path.join(REPO_ROOT, 'workspaces.example.json'), path.join(root, 'workspaces.json'));
    await writeFile(path.join(root, '.gitignore'), 'node_modules/\n.env');
    expect((await runCli(['init'], { cwd: root })).exitCode).toBe(0);
    const gitignore = await readFile(path.join(root, '.gitignore'), 'utf8');
    expect(gitignore.startsWith('node_modules/\n.env\n')).toBe(true);
    const before = committed(await snapshotTree(root));
    const again = await runCli(['init', '--json'], { cwd: root });
    expect(again.exitCode).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ created: [] });
    expect(committed(await snapshotTree(root))).toEqual(before);
    expect(gitignore.match(/phone-numbers\/twilio\//g)).toHaveLength(1);
  });

  it('leaves an existing valid directory byte-identical (only .gitignore is added)', async () => {
    const root = track(await sampleProject());
    const before = await snapshotTree(path.join(root, 'phone-numbers'));
    const r = await runCli(['init', '--json'], { cwd: root });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ created: ['.gitignore'] });
    expect(committed(await snapshotTree(path.join(root, 'phone-numbers')))).toEqual(before);
  });

  it('refuses to rewrite an invalid directory without --force (exit 2), and empties it with --force', async () => {
    const root = track(await sampleProject());
    await writeFile(path.join(root, 'phone-numbers', 'directory.json'), '{ not json');
    const r = await runCli(['init'], { cwd: root });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/phone-numbers\/directory\.json/);
    expect(await readFile(path.join(root, 'phone-numbers', 'directory.json'), 'utf8')).toBe('{ not json');
    const forced = await runCli(['init', '--force'], { cwd: root });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect((await readJson(path.join(root, 'phone-numbers', 'directory.json'))).numbers).toEqual({});
    expect(JSON.parse((await runCli(['validate', '--json'], { cwd: root })).stdout).ok).toBe(true);
  });

  it('warns about a literal API key in workspaces.json without printing it', async () => {
    const root = track(await emptyProject());
    const secret = 'key_literal_in_file_0123456789';
    await writeFile(path.join(root, 'workspaces.json'), JSON.stringify({ staging: { api_key: secret } }));
    const r = await runCli(['init'], { cwd: root });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/warning:.*staging\.api_key/);
    expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('a broken workspaces.json is a configuration error (exit 2) naming the file', async () => {
    const root = track(await emptyProject());
    await writeFile(path.join(root, 'workspaces.json'), JSON.stringify({ staging: { name: 'Staging' } }));
    const r = await runCli(['init'], { cwd: root });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/workspaces\.json: staging\.api_key_env/);
  });
});
