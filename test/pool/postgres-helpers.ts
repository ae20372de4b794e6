/**
 * Pool tests on the PostgreSQL store: a sandbox project whose pools.json chooses the store (a schema of the
 * test's own, dropped afterwards) and "other machines": clones of the project directory sharing the database
 * and the sandbox.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { BIN, cliEnv, runCli, type CliResult } from '../helpers/cli.js';
import type { TestDatabase } from '../helpers/postgres.js';
import type { Project } from './helpers.js';

export const URL_ENV = 'PHONE_DIR_POOL_DATABASE_URL';

export interface Machine {
  dir: string;
  run(args: string[], env?: Record<string, string>): Promise<CliResult>;
  spawn(args: string[]): ResultPromise;
  readJson(rel: string): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function machineAt(dir: string, env: Record<string, string>): Machine {
  return {
    dir,
    run: (args, extra = {}) => runCli(args, { cwd: dir, env: { ...env, ...extra } }),
    spawn: (args) => execa('node', [BIN, ...args], { cwd: dir, env: cliEnv(env), extendEnv: false, reject: false }),
    readJson: async (rel) => JSON.parse(await readFile(path.join(dir, rel), 'utf8')),
  };
}

/** Points the project at the database (pools.json `store`, the URL in the environment) and returns it as a machine. */
export async function usePostgresStore(p: Project, db: TestDatabase, schema: string): Promise<Machine> {
  const file = p.file('phone-numbers/pools.json');
  const pools = JSON.parse(await readFile(file, 'utf8'));
  await writeFile(file, `${JSON.stringify({ ...pools, store: { kind: 'postgres', url_env: URL_ENV, schema } }, null, 2)}\n`);
  p.env[URL_ENV] = db.url;
  return machineAt(p.dir, p.env);
}

/** Another machine: a copy of the project directory as it is now, on the same database and sandbox. */
export async function cloneMachine(p: Project): Promise<Machine> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'phone-dir-machine-'));
  await cp(p.dir, dir, { recursive: true, filter: (src) => !src.endsWith(`${path.sep}.lock`) });
  return machineAt(dir, p.env);
}
