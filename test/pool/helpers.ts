/**
 * Pool tests run the built CLI (`npx tsc -p tsconfig.build.json` first) against the sandbox over HTTP, in a
 * temporary project: workspaces.json and the environment point at the sandbox, agents/ is the sample.
 *
 * The pool store under test: PHONE_DIR_TEST_POOL_STORE=files (default) or postgres (vitest.config.ts runs
 * test/pool both ways). With postgres every project gets its own schema on PHONE_DIR_TEST_DATABASE_URL
 * (pools.json `store` entry, the URL in PHONE_DIR_POOL_DATABASE_URL), dropped at close().
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { expect } from 'vitest';
import { BIN, cliEnv, runCli, type CliResult } from '../helpers/cli.js';
import { startSandbox, type SandboxHandle, type Scenario } from '../../src/sandbox/index.js';
import { sandboxProject } from '../helpers/sandbox-project.js';
import { openProjectDatabase, type ProjectDatabase } from '../helpers/postgres.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export const TRUNK_MAIN = 'TKd1768b4cb2f6e444ca957955971bb774'; // acme-main.pstn.twilio.com in the default scenario
/** The trunk's credential list user, and the variable (set in every test project's environment) holding its password. */
export const SIP_PASSWORD_ENV = 'POOL_SIP_PASSWORD';
export const MAIN_CREDENTIALS = { auth_username: 'retell_user', auth_password_env: SIP_PASSWORD_ENV };
export const STAGING_SALES = 'agent_stg_sales_7c3e1a';
export const STAGING_SUPPORT = 'agent_stg_support1_91ab04';

export type PoolStoreKind = 'files' | 'postgres';
export const POOL_STORE_ENV = 'PHONE_DIR_TEST_POOL_STORE';

/** The store this run tests (PHONE_DIR_TEST_POOL_STORE); anything else than files or postgres is a mistake. */
export function testPoolStore(): PoolStoreKind {
  const kind = process.env[POOL_STORE_ENV] ?? 'files';
  if (kind !== 'files' && kind !== 'postgres') throw new Error(`${POOL_STORE_ENV}: "${kind}" is not a pool store (files or postgres)`);
  return kind;
}

export interface Project {
  dir: string;
  sb: SandboxHandle;
  env: Record<string, string>;
  store: PoolStoreKind;
  /** With postgres: the project's schema and a connection to it (null with files). */
  db: ProjectDatabase | null;
  /** `process: true` runs it as its own phone-dir process (test/helpers/cli.ts says when that happens anyway). */
  run(args: string[], opts?: { env?: Record<string, string>; input?: string; process?: boolean }): Promise<CliResult>;
  /** Starts the CLI without waiting (for concurrency and kill -9). */
  spawn(args: string[]): ResultPromise;
  json(args: string[]): Promise<any>;
  file(rel: string): string;
  readJson(rel: string): Promise<any>;
  /** Another project directory (another "machine"): a copy of this one's files, same sandbox, same store. */
  clone(): Promise<Project>;
  close(): Promise<void>;
}

export async function startProject(opts: { scenario?: Scenario; pools?: Record<string, unknown>; sync?: boolean; store?: PoolStoreKind } = {}): Promise<Project> {
  const store = opts.store ?? testPoolStore();
  const db = store === 'postgres' ? await openProjectDatabase() : null;
  const sb = await startSandbox(opts.scenario ? { scenario: opts.scenario } : {});
  const base = await sandboxProject(sb, { git: false });
  const env = { ...base.env, PHONE_DIR_HTTP_TIMEOUT_MS: '10000', [SIP_PASSWORD_ENV]: 'Sandbox-Main-Passw0rd', ...db?.env };
  const clones: string[] = [];
  const close = async () => {
    await sb.close();
    await db?.drop();
    await Promise.all(clones.map((clone) => rm(clone, { recursive: true, force: true })));
  };
  const project = projectIn(base.dir, { sb, env, store, db, clones, close });
  if (opts.sync !== false) {
    await ok(project.run(['init']));
    // With postgres, sync already goes through the store: pools.json names its schema first.
    if (db) {
      await writePools(project, opts.pools ?? {});
      await ok(project.run(['pool', 'store', 'init']));
    }
    await ok(project.run(['sync', '--all']));
  }
  if (opts.pools || db) await writePools(project, opts.pools ?? {});
  // A project with no directory yet still names its store, and the store needs its schema.
  if (db && opts.sync === false) await ok(project.run(['pool', 'store', 'init']));
  return project;
}

interface Shared {
  sb: SandboxHandle;
  env: Record<string, string>;
  store: PoolStoreKind;
  db: ProjectDatabase | null;
  clones: string[];
  close(): Promise<void>;
}

function projectIn(dir: string, shared: Shared): Project {
  const { sb, env } = shared;
  const run = (args: string[], o: { env?: Record<string, string>; input?: string; process?: boolean } = {}) =>
    runCli(args, { cwd: dir, env: { ...env, ...o.env }, ...(o.input !== undefined ? { input: o.input } : {}), ...(o.process ? { process: true } : {}) });
  return {
    dir, sb, env, run, store: shared.store, db: shared.db,
    spawn: (args) => execa('node', [BIN, ...args], { cwd: dir, env: cliEnv(env), extendEnv: false, reject: false }),
    async json(args) {
      const r = await run([...args, '--json']);
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return JSON.parse(r.stdout);
    },
    file: (rel) => path.join(dir, rel),
    readJson: async (rel) => JSON.parse(await readFile(path.join(dir, rel), 'utf8')),
    async clone() {
      const copy = await mkdtemp(path.join(tmpdir(), 'phone-dir-clone-'));
      // Not the lock nor the files store's runtime state: another machine has its own.
      await cp(dir, copy, { recursive: true, filter: (from) => !/pool-state\.json$|\.lock$/.test(from) });
      shared.clones.push(copy);
      return projectIn(copy, shared);
    },
    close: shared.close,
  };
}

/** Writes pools.json (keeping the store entry a postgres run needs: tests that rewrite pools.json use this). */
export async function writePools(p: Project, pools: Record<string, unknown>): Promise<void> {
  const document = { version: '1.0.0', ...(p.db ? { store: p.db.storeEntry } : {}), pools };
  await mkdir(path.join(p.dir, 'phone-numbers'), { recursive: true });
  await writeFile(path.join(p.dir, 'phone-numbers', 'pools.json'), `${JSON.stringify(document, null, 2)}\n`);
}

export async function ok(p: Promise<CliResult>): Promise<CliResult> {
  const r = await p;
  expect(r.exitCode, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(0);
  return r;
}

/** validate exits 0 (warnings about the scenario's data are fine; errors are not). */
export async function expectValid(p: Project): Promise<void> {
  const r = await p.run(['validate', '--json']);
  const out = JSON.parse(r.stdout);
  expect(out.errors, JSON.stringify(out.errors, null, 2)).toEqual([]);
  expect(r.exitCode).toBe(0);
}

/** The directory agrees with the providers: a sync would change nothing (also proves zero churn). */
export async function expectInSync(p: Project): Promise<void> {
  const r = await p.run(['sync', '--all', '--check', '--json']);
  expect(r.exitCode, `sync --check found drift: ${r.stdout}`).toBe(0);
}

export const runtimeFile = (p: Project) => p.file('phone-numbers/twilio/pool-state.json');

/** The pool's runtime state as pool-state.json has it (null: none), from the database with postgres. */
export async function runtimeState(p: Project): Promise<{ reservations: any[]; intents: any[]; leases?: any[]; lease_ends?: Record<string, string> } | null> {
  if (p.db) return p.db.runtimeState();
  if (!existsSync(runtimeFile(p))) return null;
  try {
    return JSON.parse(await readFile(runtimeFile(p), 'utf8'));
  } catch {
    return null; // being replaced: read again
  }
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Twilio purchases the sandbox received (each POST to IncomingPhoneNumbers.json), by number. */
export function purchases(sb: SandboxHandle): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of sb.requests()) {
    if (r.method !== 'POST' || !/\/IncomingPhoneNumbers(\/(Local|TollFree|Mobile))?\.json$/.test(r.path)) continue;
    const phone = (r.body as Record<string, string> | undefined)?.PhoneNumber ?? '?';
    out.set(phone, (out.get(phone) ?? 0) + 1);
  }
  return out;
}

/** Retell's view of a number in a workspace: agent ids per side, or null when the workspace lacks it. */
export function retellAgents(sb: SandboxHandle, ws: string, phone: string): { inbound: string[]; outbound: string[] } | null {
  const n = sb.state.retell.get(ws)?.numbers.get(phone);
  if (!n) return null;
  return { inbound: (n.inboundAgents ?? []).map((a) => a.agent_id), outbound: (n.outboundAgents ?? []).map((a) => a.agent_id) };
}

export function twilioHas(sb: SandboxHandle, phone: string): boolean {
  return sb.state.twilio.findByPhone(phone) !== undefined;
}

/** Entries of the directory by number (directory.json). */
export async function directoryEntries(p: Project): Promise<Record<string, any>> {
  return (await p.readJson('phone-numbers/directory.json')).numbers;
}

/** Writes the runtime state back as a test edited it (postgres: only the intents' `created`, what tests age). */
export async function writeRuntimeState(p: Project, state: { intents: Array<{ phone_number: string; created: string }> }): Promise<void> {
  if (!p.db) {
    await writeFile(runtimeFile(p), JSON.stringify(state));
    return;
  }
  for (const intent of state.intents) await p.db.setIntentCreated(intent.phone_number, intent.created);
}

/** Pool counts as `pool health --json` gives them, for one pool. */
export async function poolCounts(p: Project, pool: string): Promise<{ available: number; assigned: number; leased: number; total: number }> {
  const health = await p.json(['pool', 'health']);
  const found = health.pools.find((row: any) => row.pool === pool);
  expect(found, `pool health lists ${pool}`).toBeTruthy();
  return found;
}
