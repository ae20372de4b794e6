/**
 * Pool tests run the built CLI (`npx tsc -p tsconfig.build.json` first) against the sandbox over HTTP, in a
 * temporary project: workspaces.json and the environment point at the sandbox, agents/ is the sample.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { expect } from 'vitest';
import { BIN, runCli, type CliResult } from '../helpers/cli.js';
import { startSandbox, type SandboxHandle, type Scenario } from '../../src/sandbox/index.js';
import { sandboxProject } from '../helpers/sandbox-project.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export const TRUNK_MAIN = 'TKd1768b4cb2f6e444ca957955971bb774'; // acme-main.pstn.twilio.com in the default scenario
/** The trunk's credential list user, and the variable (set in every test project's environment) holding its password. */
export const SIP_PASSWORD_ENV = 'POOL_SIP_PASSWORD';
export const MAIN_CREDENTIALS = { auth_username: 'retell_user', auth_password_env: SIP_PASSWORD_ENV };
export const STAGING_SALES = 'agent_stg_sales_7c3e1a';
export const STAGING_SUPPORT = 'agent_stg_support1_91ab04';

export interface Project {
  dir: string;
  sb: SandboxHandle;
  env: Record<string, string>;
  run(args: string[], opts?: { env?: Record<string, string>; input?: string }): Promise<CliResult>;
  /** Starts the CLI without waiting (for concurrency and kill -9). */
  spawn(args: string[]): ResultPromise;
  json(args: string[]): Promise<any>;
  file(rel: string): string;
  readJson(rel: string): Promise<any>;
  close(): Promise<void>;
}

export async function startProject(opts: { scenario?: Scenario; pools?: Record<string, unknown>; sync?: boolean } = {}): Promise<Project> {
  const sb = await startSandbox(opts.scenario ? { scenario: opts.scenario } : {});
  const base = await sandboxProject(sb, { git: false });
  const dir = base.dir;
  const env = { ...base.env, PHONE_DIR_HTTP_TIMEOUT_MS: '10000', [SIP_PASSWORD_ENV]: 'Sandbox-Main-Passw0rd' };
  const run = (args: string[], o: { env?: Record<string, string>; input?: string } = {}) =>
    runCli(args, { cwd: dir, env: { ...env, ...o.env }, ...(o.input !== undefined ? { input: o.input } : {}) });
  const project: Project = {
    dir, sb, env, run,
    spawn: (args) => execa('node', [BIN, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', CI: 'true', ...env }, extendEnv: false, reject: false }),
    async json(args) {
      const r = await run([...args, '--json']);
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return JSON.parse(r.stdout);
    },
    file: (rel) => path.join(dir, rel),
    readJson: async (rel) => JSON.parse(await readFile(path.join(dir, rel), 'utf8')),
    close: () => sb.close(),
  };
  if (opts.sync !== false) {
    await ok(run(['init']));
    await ok(run(['sync', '--all']));
  }
  if (opts.pools) await writeFile(path.join(dir, 'phone-numbers', 'pools.json'), `${JSON.stringify({ version: '1.0.0', pools: opts.pools }, null, 2)}\n`);
  return project;
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

export async function runtimeState(p: Project): Promise<{ reservations: any[]; intents: any[] } | null> {
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
