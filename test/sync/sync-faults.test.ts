import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import path from 'node:path';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';
import { readJson, snapshotTree, removeProject } from '../helpers/fixture.js';
import { sandboxProject, type SandboxProject } from '../helpers/sandbox-project.js';

let sandbox: SandboxHandle;
let project: SandboxProject;
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: project.dir, env: { ...project.env, ...env } });
const pn = (...p: string[]) => path.join(project.dir, 'phone-numbers', ...p);
const committed = async () => new Map([...(await snapshotTree(pn()))].filter(([f]) => !f.startsWith('twilio') && !f.startsWith('.')));

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  project = await sandboxProject(sandbox, { git: false });
  expect((await cli(['init'])).exitCode).toBe(0);
  expect((await cli(['sync', '--all'])).exitCode).toBe(0);
});

beforeEach(() => {
  sandbox.faults.clear();
});

afterAll(async () => {
  await sandbox.close();
  await removeProject(project.dir);
});

function driftStaging(nickname: string): void {
  const staging = sandbox.state.retell.get('staging')!;
  const n = staging.numbers.get('+14155550101')!;
  staging.numbers.set('+14155550101', { ...n, nickname });
}

const nicknameOf = async (ws: string) =>
  (await readJson(pn(ws, 'numbers.json'))).numbers.find((n: { phone_number: string }) => n.phone_number === '+14155550101').nickname;

describe('sync survives transient provider failures', () => {
  it('honours Retry-After on a 429', async () => {
    driftStaging('after 429');
    sandbox.faults.add({ match: 'GET /twilio/2010-04-01/Accounts/*/IncomingPhoneNumbers.json', status: 429, retry_after: 1, times: 1 });
    const r = await cli(['sync', '--all', '--json']);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.duration_ms).toBeGreaterThanOrEqual(950);
    expect(await nicknameOf('staging')).toBe('after 429');
  });

  it('retries 5xx answers and dropped connections on both providers', async () => {
    driftStaging('after 5xx and drops');
    sandbox.faults.add({ service: 'retell', match: '/retell/v2/list-phone-numbers', status: 503, times: 2 });
    sandbox.faults.add({ match: 'GET /twilio/v1/Trunks', drop: true, times: 1 });
    sandbox.faults.add({ match: 'POST /retell/v2/list-agents', drop: true, times: 1 });
    const r = await cli(['sync', '--all']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(await nicknameOf('staging')).toBe('after 5xx and drops');
    expect(sandbox.faults.list()).toEqual([]);
  });
});

describe('sync refuses to lose data', () => {
  it('persistent failures exit 5 and change no file', async () => {
    driftStaging('never applied');
    const before = await snapshotTree(pn());
    sandbox.faults.add({ match: 'GET /twilio/**', status: 500 });
    const r = await cli(['sync', '--all'], { PHONE_DIR_MAX_ATTEMPTS: '2' });
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toMatch(/twilio: .*500/);
    expect(await snapshotTree(pn())).toEqual(before);
  });

  it('a wrong Twilio token exits 5, names the variable and changes nothing', async () => {
    const before = await snapshotTree(pn());
    const r = await cli(['sync', '--all', '--debug'], { TWILIO_AUTH_TOKEN: 'wrong-token-value-123' });
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toMatch(/401/);
    expect(r.stderr).toMatch(/TWILIO_AUTH_TOKEN/);
    expect(r.stdout).toMatch(/^sync: failed, nothing changed; 1 failed \(twilio\)/);
    expect(r.stderr + r.stdout).not.toContain('wrong-token-value-123');
    expect(await snapshotTree(pn())).toEqual(before);
  });

  it('with --all, a workspace with a wrong key does not stop the others', async () => {
    const production = sandbox.state.retell.get('production')!;
    const n = production.numbers.get('+14155550101')!;
    production.numbers.set('+14155550101', { ...n, nickname: 'production moved on' });
    driftStaging('staging moved on');
    const r = await cli(['sync', '--all'], { RETELL_STAGING_API_KEY: 'key_wrong_staging' });
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toMatch(/staging/);
    expect(r.stdout).toMatch(/1 failed \(staging\)/);
    expect(await nicknameOf('production')).toBe('production moved on');
    expect(await nicknameOf('staging')).not.toBe('staging moved on');
    expect((await cli(['sync', '--all'])).exitCode).toBe(0);
    expect(await nicknameOf('staging')).toBe('staging moved on');
  });

  it('refuses (exit 7) a workspace that would lose more than 30% of its numbers, unless --force', async () => {
    const staging = sandbox.state.retell.get('staging')!;
    const saved = new Map(staging.numbers);
    const total = staging.numbers.size;
    const drop = [...staging.numbers.keys()].slice(0, Math.ceil(total * 0.35));
    for (const k of drop) staging.numbers.delete(k);
    try {
      const before = await committed();
      const r = await cli(['sync', '--all']);
      expect(r.exitCode).toBe(7);
      expect(r.stderr).toMatch(new RegExp(`workspace staging would lose ${drop.length} of ${total} numbers`));
      expect(await committed()).toEqual(before);
      const forced = await cli(['sync', '--all', '--force']);
      expect(forced.exitCode).toBe(0);
      const numbers = (await readJson(pn('staging', 'numbers.json'))).numbers;
      expect(numbers).toHaveLength(total - drop.length);
    } finally {
      for (const [k, v] of saved) staging.numbers.set(k, v);
      expect((await cli(['sync', '--all'])).exitCode).toBe(0);
    }
  });

  it('refuses a provider that lists no numbers where the directory has some', async () => {
    const production = sandbox.state.retell.get('production')!;
    const saved = new Map(production.numbers);
    production.numbers.clear();
    try {
      const before = await committed();
      const r = await cli(['sync', '--all', '--json']);
      expect(r.exitCode).toBe(7);
      expect(JSON.parse(r.stdout).refusals).toEqual([expect.objectContaining({ source: 'production' })]);
      expect(await committed()).toEqual(before);
    } finally {
      for (const [k, v] of saved) production.numbers.set(k, v);
    }
  });
});

describe('secrets', () => {
  it('never reach a file or the output, --debug included', async () => {
    const secrets = [sandbox.credentials.twilio.authToken, ...Object.values(sandbox.credentials.retell)];
    const outputs = [
      await cli(['sync', '--all', '--debug']),
      await cli(['sync', '--all', '--debug', '--json']),
      await cli(['sync', '--all', '--debug'], { RETELL_PRODUCTION_API_KEY: `${secrets[1]}x` }),
    ];
    sandbox.faults.add({ match: '/retell/**', status: 500 });
    outputs.push(await cli(['sync', '--all', '--debug'], { PHONE_DIR_MAX_ATTEMPTS: '1' }));
    const files = [...(await snapshotTree(project.dir)).values()].join('\n');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(6);
      expect(files).not.toContain(secret);
      for (const o of outputs) expect(o.stdout + o.stderr).not.toContain(secret);
    }
  });
});
