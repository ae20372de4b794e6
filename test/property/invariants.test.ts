/**
 * Property (issue 9, item 1): random sequences of sync / pool assign, release, hold, ensure, provision /
 * number import, update, delete, and changes made behind phone-dir's back at Twilio and Retell (then
 * `sync --all --force`), against the sandbox through the built binary. After every step `validate`
 * exits 0, and each step ends with the exit code it must; after the last, `sync --all --check` finds no drift.
 *
 * PHONE_DIR_PROPERTY_SEED replays a run (the seed is printed, and named in every failure);
 * PHONE_DIR_PROPERTY_SEQUENCES and PHONE_DIR_PROPERTY_STEPS change the size; PHONE_DIR_PROPERTY_KINDS
 * (comma-separated, from STEP_KINDS in steps.ts) draws from fewer kinds of step, to focus on one area.
 */
import { describe, it, afterEach } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { startProject, TRUNK_MAIN, MAIN_CREDENTIALS, type Project } from '../pool/helpers.js';
import { Random, seedFrom } from './random.js';
import { chooseStep, STEP_KINDS, type EntryView, type PoolSetting, type Step, type World } from './steps.js';

const SEED = seedFrom('PHONE_DIR_PROPERTY_SEED', 20261201);
const SEQUENCES = Number(process.env.PHONE_DIR_PROPERTY_SEQUENCES ?? 2);
const STEPS = Number(process.env.PHONE_DIR_PROPERTY_STEPS ?? 8);
const KINDS = process.env.PHONE_DIR_PROPERTY_KINDS?.split(',').map((kind) => kind.trim()) ?? STEP_KINDS;
const unknownKinds = KINDS.filter((kind) => !STEP_KINDS.includes(kind));
if (unknownKinds.length > 0) throw new Error(`PHONE_DIR_PROPERTY_KINDS: unknown ${unknownKinds.join(', ')}; known: ${STEP_KINDS.join(', ')}`);

const POOL_SETTINGS: PoolSetting[] = [{ name: 'sales', workspace: 'staging' }, { name: 'support', workspace: 'production' }];
const POOLS = {
  sales: { workspace: 'staging', min_available: 1, provision: { country: 'US', type: 'local', area_codes: ['415'], trunk_sid: TRUNK_MAIN, ...MAIN_CREDENTIALS } },
  support: { workspace: 'production', min_available: 1, provision: { country: 'US', type: 'local', area_codes: ['650'], trunk_sid: TRUNK_MAIN, ...MAIN_CREDENTIALS } },
};

/** The exit-code table of the spec (cli.md), without 70: that one is for bugs. */
const DOCUMENTED_EXITS = [0, 1, 2, 3, 4, 5, 6, 7];

interface ValidateFinding { rule: string; message: string }

/** workspace → agent path → agent id, from the project's agents/ folders. */
async function readAgents(dir: string): Promise<World['agents']> {
  const out: World['agents'] = {};
  for (const name of (await readdir(path.join(dir, 'agents'))).sort()) {
    for (const file of await readdir(path.join(dir, 'agents', name))) {
      if (file === 'agent.json') continue;
      const workspace = file.replace(/\.json$/, '');
      const { agent_id: agentId } = JSON.parse(await readFile(path.join(dir, 'agents', name, file), 'utf8')) as { agent_id: string };
      (out[workspace] ??= {})[`agents/${name}`] = agentId;
    }
  }
  return out;
}

const firstLine = (text: string) => text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';

/** Runs one step; returns null when it held, else what went wrong (one line per problem). */
async function runStep(project: Project, step: Step): Promise<string | null> {
  await step.providerChange?.();
  const result = await project.run(step.args);
  const problems: string[] = [];
  const exitOk = step.expectedExit === 'documented' ? DOCUMENTED_EXITS.includes(result.exitCode) : result.exitCode === step.expectedExit;
  if (!exitOk) problems.push(`exit ${result.exitCode}, expected ${step.expectedExit}: ${firstLine(result.stderr) || firstLine(result.stdout)}`);
  const validate = await project.run(['validate', '--json']);
  let errors: ValidateFinding[] = [];
  try {
    errors = (JSON.parse(validate.stdout) as { errors: ValidateFinding[] }).errors;
  } catch {
    problems.push(`validate printed no JSON: ${firstLine(validate.stderr)}`);
  }
  if (validate.exitCode !== 0 || errors.length > 0) {
    problems.push(`validate exit ${validate.exitCode}${errors.map((e) => `\n       ${e.rule}: ${e.message}`).join('')}`);
  }
  return problems.length === 0 ? null : problems.join('\n     ');
}

describe(`property: validate accepts the directory after every step (seed ${SEED}, ${SEQUENCES}×${STEPS}${KINDS === STEP_KINDS ? '' : `, kinds ${KINDS.join(',')}`})`, () => {
  let project: Project | undefined;
  afterEach(async () => {
    await project?.close();
    project = undefined;
  });

  for (let sequence = 0; sequence < SEQUENCES; sequence++) {
    it(`sequence ${sequence + 1}`, async () => {
      const random = new Random(SEED + sequence);
      project = await startProject({ pools: POOLS });
      const agents = await readAgents(project.dir);
      const done: string[] = [];
      for (let index = 1; index <= STEPS; index++) {
        const entries = (await project.readJson('phone-numbers/directory.json')).numbers as Record<string, EntryView>;
        const step = chooseStep({ sb: project.sb, entries, pools: POOL_SETTINGS, agents }, random, KINDS);
        const problem = await runStep(project, step);
        done.push(`  ${index}. ${step.label} → ${problem === null ? 'ok' : `FAILED\n     ${problem}`}`);
        if (problem !== null) {
          throw new Error(`sequence ${sequence + 1} of seed ${SEED} failed at step ${index} (replay: PHONE_DIR_PROPERTY_SEED=${SEED}):\n${done.join('\n')}`);
        }
      }
      // Every step either changed the providers and the directory together or was settled by a sync: no drift.
      const check = await project.run(['sync', '--all', '--check']);
      if (check.exitCode !== 0) {
        throw new Error(`sequence ${sequence + 1} of seed ${SEED}: sync --all --check exited ${check.exitCode} after the last step (replay: PHONE_DIR_PROPERTY_SEED=${SEED}):\n${done.join('\n')}\n  drift:\n${check.stdout}${check.stderr}`);
      }
    }, 40_000 + STEPS * 15_000);
  }
});
