/**
 * A short run of the soak (scripts/soak.mjs, issue 10): concurrent sync, pool assign / release / provision /
 * ensure, number delete --release and kill -9 against the sandbox with latency and slow lists. No number
 * is lost, none is bound twice, and validate accepts the directory after every trial.
 * PHONE_DIR_SOAK_SEED replays the choices; PHONE_DIR_SOAK_SECONDS changes the length.
 */
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT } from '../helpers/cli.js';
import { seedFrom } from './random.js';

const SEED = seedFrom('PHONE_DIR_SOAK_SEED', 20261202);
const SECONDS = Number(process.env.PHONE_DIR_SOAK_SECONDS ?? 15);

interface SoakReport {
  ok: boolean;
  trials: number;
  commands: number;
  lost: number;
  double_bindings: number;
  validate_failures: number;
  details: Record<string, string[]>;
}

describe(`soak (seed ${SEED}, ${SECONDS} s)`, () => {
  it('loses no number, binds none twice, and leaves a directory validate accepts', async () => {
    const run = await execa('node', [path.join(REPO_ROOT, 'scripts', 'soak.mjs'), '--seconds', String(SECONDS), '--seed', String(SEED), '--json'], {
      cwd: REPO_ROOT, reject: false, timeout: (SECONDS + 120) * 1000,
    });
    expect(run.stdout, `the soak printed no report: ${run.stderr}`).toMatch(/^\{/);
    const report = JSON.parse(run.stdout) as SoakReport;
    const replay = `replay: PHONE_DIR_SOAK_SEED=${SEED}; ${JSON.stringify(report.details, null, 2)}`;
    expect(report.trials).toBeGreaterThan(0);
    expect(report.lost, replay).toBe(0);
    expect(report.double_bindings, replay).toBe(0);
    expect(report.validate_failures, replay).toBe(0);
    expect(run.exitCode, replay).toBe(0);
  }, (SECONDS + 150) * 1000);
});
