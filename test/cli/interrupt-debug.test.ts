/** Ctrl-C (SIGINT) and --debug: the same for every command. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execa } from 'execa';
import { BIN, cliEnv } from '../helpers/cli.js';
import { startProject, type Project } from '../pool/helpers.js';

describe('SIGINT and --debug', () => {
  let p: Project;
  beforeAll(async () => { p = await startProject(); });
  afterAll(async () => { await p?.close(); });

  it('SIGINT prints one line "interrupted", exits 130, and the next command finds a usable directory', async () => {
    // Retell answers after a minute; Twilio at once, so its requests in the log prove the CLI is running.
    const slow = p.sb.faults.add({ service: 'retell', latency_ms: 60_000 });
    p.sb.clearRequests();
    const child = execa('node', [BIN, 'sync', '--all'], { cwd: p.dir, env: cliEnv(p.env), extendEnv: false, reject: false });
    try {
      while (!p.sb.requests().some((r) => r.path.startsWith('/twilio/'))) await new Promise((resolve) => setTimeout(resolve, 20));
      child.kill('SIGINT');
      const r = await child;
      expect(r.exitCode, r.stderr).toBe(130);
      expect(r.stderr.trim()).toBe('interrupted');
    } finally {
      p.sb.faults.remove(slow.id);
    }
    const next = await p.run(['sync', '--all', '--lock-timeout', '2s']);
    expect(next.exitCode, next.stderr).toBe(0);
    expect((await p.run(['validate'])).exitCode).toBe(0);
  });

  it('--debug prints the stack of a sync failure like any other error; without it, no stack', async () => {
    const env = { RETELL_STAGING_API_KEY: '' };
    const plain = await p.run(['sync', '-w', 'staging'], { env });
    expect(plain.exitCode).toBe(2);
    expect(plain.stderr).toMatch(/^error: environment variable RETELL_STAGING_API_KEY .* is not set$/m);
    expect(plain.stderr).not.toMatch(/^\s+at /m);
    const debug = await p.run(['sync', '-w', 'staging', '--debug'], { env });
    expect(debug.exitCode).toBe(2);
    expect(debug.stderr).toMatch(/^error: environment variable RETELL_STAGING_API_KEY/m);
    expect(debug.stderr).toMatch(/^\s+at /m);
    // A number command's failure goes through the same printer.
    const pool = await p.run(['number', 'update', '+14155550101', '-w', 'staging', '--nickname', 'x', '--debug'], { env });
    expect(pool.exitCode).toBe(2);
    expect(pool.stderr).toMatch(/^\s+at /m);
  });
});
