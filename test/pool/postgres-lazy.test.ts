/**
 * pg is loaded only by the commands that reach the PostgreSQL store: with the store chosen (the variable set),
 * --version and the reading commands never resolve it; `pool store status` does. A database that cannot be
 * reached is exit 5 naming the variable, never the URL.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { removeProject, sampleProject } from '../helpers/fixture.js';
import { writeModuleLogHooks } from '../helpers/module-log.js';

const URL_ENV = 'PHONE_DIR_POOL_DATABASE_URL';
const UNREACHABLE = 'postgres://someone:S3cret-Passw0rd@127.0.0.1:1/nowhere';

describe('the PostgreSQL store loads pg only when it is used', () => {
  let root: string;
  let hooks: string;
  let nodeOptions: string;
  beforeAll(async () => {
    root = await sampleProject({ withConfig: true });
    hooks = path.join(root, '.module-hooks');
    nodeOptions = await writeModuleLogHooks(hooks);
  });
  afterAll(async () => { await removeProject(root); });

  const pgModules = async (args: string[], name: string) => {
    const log = path.join(hooks, `${name}.log`);
    await writeFile(log, '');
    const r = await runCli(args, { cwd: root, env: { [URL_ENV]: UNREACHABLE, NODE_OPTIONS: nodeOptions, MODULE_LOG: log } });
    return { r, pg: (await readFile(log, 'utf8')).split('\n').filter((u) => /\/node_modules\/pg\//.test(u)) };
  };

  it('--version, show, list, validate: pg never resolved', async () => {
    for (const [i, args] of [['--version'], ['show', '+14155550101'], ['list'], ['validate']].entries()) {
      const { r, pg } = await pgModules(args, `read-${i}`);
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(pg, args.join(' ')).toEqual([]);
    }
  });

  it('pool store status loads it, and an unreachable server is exit 5 naming the variable, not the URL', async () => {
    const { r, pg } = await pgModules(['pool', 'store', 'status', '--debug'], 'status');
    expect(pg.length).toBeGreaterThan(0);
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toContain(URL_ENV);
    for (const out of [r.stdout, r.stderr]) {
      expect(out).not.toContain('S3cret-Passw0rd');
      expect(out).not.toContain(UNREACHABLE);
    }
  });

  it('pools.json choosing postgres without the variable: exit 2 naming it', async () => {
    const pools = path.join(root, 'phone-numbers', 'pools.json');
    const before = await readFile(pools, 'utf8');
    await writeFile(pools, JSON.stringify({ ...JSON.parse(before), store: { kind: 'postgres', url_env: 'TEAM_POOL_DB' } }));
    try {
      const r = await runCli(['pool', 'lease', '--pool', 'sales-pool', '--for', 'x'], { cwd: root });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/TEAM_POOL_DB \(its database URL\) is not set/);
      await writeFile(pools, JSON.stringify({ ...JSON.parse(before), store: { kind: 'mysql' } }));
      const bad = await runCli(['pool', 'lease', '--pool', 'sales-pool', '--for', 'x'], { cwd: root });
      expect(bad.exitCode).toBe(2);
      expect(bad.stderr).toMatch(/pools\.json/);
    } finally {
      await writeFile(pools, before);
    }
  });
});
