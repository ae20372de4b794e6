#!/usr/bin/env node
// npm run soak -- --seconds 60: a randomized, time-bounded soak of concurrent sync, pool assign / release /
// provision / ensure, number delete --release and kill -9, against an in-process sandbox on 127.0.0.1 with
// API latency and slow list calls. Prints a Markdown table (trials, numbers bought, lost, double bindings,
// validate failures) and exits 1 if a number was lost, bound twice, or validate failed.
//
// Options: --seconds N (default 60), --max-trials N (default 500), --seed N, --latency MS (default 20),
// --slow-list MS (the most a list call is slowed by: each trial draws its own; default 1500),
// --slow-purchase MS (the same for purchases; default 2500), --json (the figures as one JSON document),
// --keep (keep the project folder).
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BIN = path.join(root, 'bin', 'phone-dir.js');
const { startSandbox, workspacesSnippet, envSnippet } = await import(path.join(root, 'dist', 'sandbox', 'index.js'));

const { values: options } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    'max-trials': { type: 'string', default: '500' },
    seed: { type: 'string' },
    latency: { type: 'string', default: '20' },
    'slow-list': { type: 'string', default: '1500' },
    'slow-purchase': { type: 'string', default: '2500' },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const positiveInt = (name) => {
  const value = Number(options[name]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`soak: --${name} must be a non-negative integer, got ${JSON.stringify(options[name])}`);
    process.exit(2);
  }
  return value;
};
const SECONDS = positiveInt('seconds');
const MAX_TRIALS = positiveInt('max-trials');
const SEED = options.seed === undefined ? Math.floor(Math.random() * 2 ** 32) : positiveInt('seed');
const COMMAND_TIMEOUT_MS = 90_000;
const WORKSPACE = 'staging';
const POOL = 'sales';
const TRUNK_MAIN = 'TKd1768b4cb2f6e444ca957955971bb774'; // acme-main.pstn.twilio.com in the default scenario
const PURCHASE_PATH = /\/IncomingPhoneNumbers(\/(Local|TollFree|Mobile))?\.json$/;

/** mulberry32: the same seed replays the same choices (timing still varies from run to run). */
function random(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
  return { next, int: (min, max) => min + Math.floor(next() * (max - min + 1)), pick: (items) => items[Math.floor(next() * items.length)] };
}

const log = (line) => { if (!options.json) console.error(line); };

// --- the sandbox and the project --------------------------------------------------------------------

const sandbox = await startSandbox({ host: '127.0.0.1', latencyMs: positiveInt('latency') });
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(sandbox.url)) throw new Error(`soak: the sandbox must listen on 127.0.0.1, not ${sandbox.url}`);
const SLOW = {
  // A sync reads Twilio's numbers, then trunks, then each workspace's numbers, then its agents: slowing the later
  // lists makes the earlier answers old by the time the sync applies them.
  list: {
    max: positiveInt('slow-list'),
    matches: ['GET /twilio/2010-04-01/Accounts/*/IncomingPhoneNumbers.json', 'GET /twilio/v1/Trunks', 'GET /retell/v2/list-phone-numbers', 'POST /retell/v2/list-agents'],
    faults: [],
  },
  purchase: { max: positiveInt('slow-purchase'), matches: ['IncomingPhoneNumbers.json', 'IncomingPhoneNumbers/*.json'].map((p) => `POST /twilio/2010-04-01/Accounts/*/${p}`), faults: [] },
};
/**
 * Each trial draws its own list and purchase latencies: a sync's snapshot is sometimes older than the
 * commands around it, and a kill -9 sometimes lands while a purchase is in flight.
 */
function slowDown(kind, latencyMs) {
  const slow = SLOW[kind];
  for (const fault of slow.faults) sandbox.faults.remove(fault.id);
  slow.faults = latencyMs === 0 ? [] : slow.matches.map((match) => sandbox.faults.add({ match, latency_ms: latencyMs }));
}

const dir = await mkdtemp(path.join(tmpdir(), 'phone-dir-soak-'));
await writeFile(path.join(dir, 'workspaces.json'), `${JSON.stringify(workspacesSnippet(sandbox), null, 2)}\n`);
await cp(path.join(root, 'agents'), path.join(dir, 'agents'), { recursive: true });
// The sandbox trunk authenticates with a credential list: its password, read from this variable by provisioning.
const SIP_PASSWORD_ENV = 'POOL_SIP_PASSWORD';
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', CI: 'true', ...envSnippet(sandbox), [SIP_PASSWORD_ENV]: 'Sandbox-Main-Passw0rd' };
const agents = ['agents/sales-agent', 'agents/customer-service', 'agents/support-tier1', 'agents/appointment-setter', 'agents/after-hours'];

/** Runs the CLI without blocking the event loop (the sandbox answers from this process). */
function start(args) {
  const child = spawn('node', [BIN, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  let hung = false;
  const timer = setTimeout(() => { hung = true; child.kill('SIGKILL'); }, COMMAND_TIMEOUT_MS);
  const startedAt = performance.now();
  const done = new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ args, code, signal, hung, stdout, stderr, startedAt, finishedAt: performance.now() });
    });
  });
  return { child, done };
}
const run = (args) => start(args).done;

const figures = { seed: SEED, seconds: SECONDS, trials: 0, commands: 0, kills: 0, bought: 0, lost: 0, double_bindings: 0, validate_failures: 0, left_pool: 0, internal_errors: 0 };
const details = { lost: [], double_bindings: [], validate_failures: [], left_pool: [], internal_errors: [] };

async function mustSucceed(args) {
  const result = await run(args);
  if (result.code === 0) return;
  console.error(`soak: the setup failed: phone-dir ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
  process.exit(2);
}

await mustSucceed(['init']);
await mustSucceed(['sync', '--all']);
await writeFile(path.join(dir, 'phone-numbers', 'pools.json'), `${JSON.stringify({
  version: '1.0.0',
  pools: { [POOL]: { workspace: WORKSPACE, min_available: 2, provision: { country: 'US', type: 'local', area_codes: ['415'], trunk_sid: TRUNK_MAIN, auth_username: 'retell_user', auth_password_env: SIP_PASSWORD_ENV } } },
}, null, 2)}\n`);
await mustSucceed(['pool', 'provision', '-w', WORKSPACE, '--pool', POOL, '--count', '3', '--yes']);

// --- checks ---------------------------------------------------------------------------------------

const readDirectory = async () => JSON.parse(await readFile(path.join(dir, 'phone-numbers', 'directory.json'), 'utf8')).numbers;

async function validate(when) {
  const result = await run(['validate', '--json']);
  let errors = [];
  try { errors = JSON.parse(result.stdout).errors; } catch { errors = [{ rule: 'output', message: result.stderr.trim() }]; }
  if (result.code !== 0 || errors.length > 0) {
    figures.validate_failures++;
    details.validate_failures.push(`${when}: exit ${result.code}: ${errors.map((e) => `${e.rule}: ${e.message}`).join('; ')}`);
  }
}

/** Every hand-out of a number by a `pool assign` that printed it, until a release or delete of it. */
const handOuts = [];
const endings = []; // { phone, startedAt, finishedAt } of releases and deletes that may have freed it

function recordOutcome(result, trial) {
  figures.commands++;
  const bug = (what) => {
    figures.internal_errors++;
    details.internal_errors.push(`trial ${trial}: phone-dir ${result.args.join(' ')}: ${what}`);
  };
  if (result.code === 70) bug(result.stderr.trim().split('\n')[0]);
  if (result.hung) bug(`did not finish in ${COMMAND_TIMEOUT_MS / 1000} s`);
  const [group, verb, target] = result.args;
  const endsNumber = (group === 'pool' && verb === 'release') || (group === 'number' && verb === 'delete');
  if (endsNumber && (result.code === 0 || result.signal === 'SIGKILL')) endings.push({ phone: target, startedAt: result.startedAt, finishedAt: result.finishedAt });
  if (group === 'pool' && verb === 'assign' && result.code === 0) {
    let out;
    try { out = JSON.parse(result.stdout); } catch { return bug(`printed no JSON: ${result.stdout.slice(0, 200)}`); }
    handOuts.push({ phone: out.phone_number, agent: out.agent_path, trial, startedAt: result.startedAt, finishedAt: result.finishedAt });
  }
}

/** Two `pool assign` outputs handing one number to two agents, with no release or delete of it between. */
function countDoubleHandOuts() {
  const byPhone = new Map();
  for (const handOut of [...handOuts].sort((a, b) => a.finishedAt - b.finishedAt)) {
    const previous = byPhone.get(handOut.phone);
    // Generous to phone-dir: any release or delete of the number that could have run between the two frees it.
    const freed = previous && endings.some((e) => e.phone === handOut.phone && e.finishedAt > previous.startedAt && e.startedAt < handOut.finishedAt);
    if (previous && !freed) {
      figures.double_bindings++;
      details.double_bindings.push(`${handOut.phone}: handed to ${previous.agent} (trial ${previous.trial}) and to ${handOut.agent} (trial ${handOut.trial}) with no release between`);
    }
    byPhone.set(handOut.phone, handOut);
  }
}

/**
 * Retell's own order of events (the sandbox's request log): binding a number that is still bound, with no
 * unbind or delete between, hands it to a second agent while the first still has it.
 */
function countRetellRebinds() {
  const boundTo = new Map();
  const agentsOf = (list) => (Array.isArray(list) ? list.map((a) => a.agent_id) : []);
  for (const request of sandbox.requests()) {
    if (request.workspace !== WORKSPACE || request.status < 200 || request.status >= 300) continue;
    const match = /\/retell\/(update|delete)-phone-number\/([^/]+)$/.exec(request.path);
    if (!match) continue;
    const phone = decodeURIComponent(match[2]);
    if (match[1] === 'delete') { boundTo.delete(phone); continue; }
    const body = request.body ?? {};
    if (!('inbound_agents' in body) && !('outbound_agents' in body)) continue;
    const agentIds = [...new Set([...agentsOf(body.inbound_agents), ...agentsOf(body.outbound_agents)])];
    const previous = boundTo.get(phone);
    // The same binding sent again (a retry) hands the number to nobody new.
    if (previous && agentIds.length > 0 && agentIds.join() !== previous.join()) {
      figures.double_bindings++;
      details.double_bindings.push(`${phone}: Retell bound it to ${agentIds.join('+')} at ${request.at} while it was still bound to ${previous.join('+')}`);
    }
    if (agentIds.length > 0) boundTo.set(phone, agentIds); else boundTo.delete(phone);
  }
}

/** After the settle: numbers Retell binds to an agent the directory does not name, and bought numbers nobody can use. */
async function finalChecks() {
  const entries = await readDirectory();
  const assignments = JSON.parse(await readFile(path.join(dir, 'phone-numbers', WORKSPACE, 'assignments.json'), 'utf8')).assignments;
  const recordedOf = new Map(assignments.map((a) => [a.phone_number, { inbound: a.inbound_agent_id, outbound: a.outbound_agent_id }]));
  for (const [phone, number] of sandbox.state.retell.get(WORKSPACE).numbers) {
    const bound = { inbound: (number.inboundAgents ?? []).map((a) => a.agent_id), outbound: (number.outboundAgents ?? []).map((a) => a.agent_id) };
    const recorded = recordedOf.get(phone) ?? { inbound: null, outbound: null };
    // Weighted (several agents on one side) numbers come from the scenario; the soak's own bindings are single.
    if (bound.inbound.length > 1 || bound.outbound.length > 1) continue;
    for (const side of ['inbound', 'outbound']) {
      if (bound[side].length === 1 && bound[side][0] !== recorded[side]) {
        figures.double_bindings++;
        details.double_bindings.push(`${phone}: Retell binds ${side} to ${bound[side][0]}, the directory says ${recorded[side] ?? 'unassigned'}`);
      }
    }
  }
  // A number released by a delete --release is for sale again and may be bought again: count purchases.
  const purchases = sandbox.requests().filter((r) => r.method === 'POST' && PURCHASE_PATH.test(r.path) && r.status >= 200 && r.status < 300);
  figures.bought = purchases.length;
  const bought = new Set(purchases.map((r) => r.body?.PhoneNumber));
  const lastBought = (phone) => `last bought in ${trialAt(purchases.filter((r) => r.body?.PhoneNumber === phone).at(-1).at)}`;
  for (const phone of bought) {
    if (!sandbox.state.twilio.findByPhone(phone)) continue; // released by a delete --release: not billed any more
    const entry = entries[phone];
    const inSomeWorkspace = entry && Object.values(entry.workspaces ?? {}).some((w) => w.imported !== false);
    const inRetell = [...sandbox.state.retell.values()].some((w) => w.numbers.has(phone));
    const where = `directory: ${entry ? `workspaces [${Object.keys(entry.workspaces ?? {}).join(', ')}], pool ${entry.pool ?? 'none'}` : 'absent'}; in Retell: ${inRetell ? 'yes' : 'no'}`;
    if (!entry || (!inSomeWorkspace && !entry.pool) || !inRetell) {
      figures.lost++;
      details.lost.push(`${phone}: ${lastBought(phone)}, still at Twilio; ${where}`);
    } else if (entry.pool !== POOL) {
      // Every purchase here is for the pool, and nothing here takes a number out of it: still billed, no longer handed out.
      figures.left_pool++;
      details.left_pool.push(`${phone}: ${lastBought(phone)} for pool ${POOL}; ${where}`);
    }
  }
}

// --- the trials -----------------------------------------------------------------------------------

const rng = random(SEED);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function chooseOperations() {
  const entries = await readDirectory();
  const pooled = Object.entries(entries).filter(([, e]) => e.pool === POOL && e.workspaces?.[WORKSPACE]).map(([phone]) => phone).sort();
  const assigned = pooled.filter((phone) => entries[phone].workspaces[WORKSPACE].assignment_type !== 'unassigned');
  const menu = [
    () => ['sync', '--all', '--force'],
    () => ['pool', 'assign', '-w', WORKSPACE, '--pool', POOL, '--agent', rng.pick(agents), '--json', ...(rng.next() < 0.3 ? ['--provision'] : [])],
    // A chosen number, assigned or not (an assigned one must be refused): the release/assign race of issue 10.
    () => (pooled.length ? ['pool', 'assign', '-w', WORKSPACE, '--pool', POOL, '--agent', rng.pick(agents), '--number', rng.pick(pooled), '--json'] : ['pool', 'release', '--expired']),
    () => (assigned.length ? ['pool', 'release', rng.pick(assigned), '-w', WORKSPACE] : ['pool', 'release', '--expired']),
    () => ['pool', 'provision', '-w', WORKSPACE, '--pool', POOL, '--count', '1', '--yes'],
    () => ['pool', 'ensure', '-w', WORKSPACE, '--pool', POOL, '--min', String(rng.int(1, 3))],
    () => (pooled.length ? ['number', 'delete', rng.pick(pooled), '-w', WORKSPACE, '--release', '--yes'] : ['sync', '--all', '--force']),
  ];
  return Array.from({ length: rng.int(2, 5) }, () => rng.pick(menu)());
}

/** kill -9 after `delayMs` unless it has ended, then start a command at once; resolves to that command's result. */
async function killLater(process_, delayMs) {
  await sleep(delayMs);
  if (process_.child.exitCode !== null || process_.child.signalCode !== null) return [];
  figures.kills++;
  process_.child.kill('SIGKILL');
  // "Then any command at once": recovery runs while the dead command's request may still be in flight.
  return [await run(['pool', 'release', '--expired'])];
}

const trialStarts = []; // [trial, epoch ms]
/** The trial (or the setup) a request-log time falls in. */
const trialAt = (iso) => {
  const started = trialStarts.filter(([, at]) => at <= Date.parse(iso)).at(-1);
  return started ? `trial ${started[0]}` : 'the setup';
};

const deadline = performance.now() + SECONDS * 1000;
while (figures.trials < MAX_TRIALS && performance.now() < deadline) {
  const trial = ++figures.trials;
  trialStarts.push([trial, Date.now()]);
  const operations = await chooseOperations();
  slowDown('list', rng.int(0, SLOW.list.max));
  slowDown('purchase', rng.int(0, SLOW.purchase.max));
  const victim = rng.next() < 0.5 ? rng.int(0, operations.length - 1) : -1;
  const killAfterMs = rng.int(50, 2500);
  const started = [];
  let followUp = Promise.resolve([]);
  for (const [index, args] of operations.entries()) {
    await sleep(rng.int(0, 600));
    const process_ = start(args);
    started.push(process_.done);
    if (index === victim) followUp = killLater(process_, killAfterMs);
  }
  const results = [...await Promise.all(started), ...await followUp];
  for (const result of results) recordOutcome(result, trial);
  const summary = results.map((r) => `${r.args.filter((arg) => arg !== '-w' && arg !== WORKSPACE && arg !== '--pool' && arg !== POOL).join(' ')} → ${r.signal === 'SIGKILL' ? 'killed' : r.code}`).join('; ');
  log(`trial ${trial}: ${summary}`);
  await validate(`after trial ${trial} (${summary})`);
}

// --- settle, check, report ------------------------------------------------------------------------

slowDown('list', 0);
slowDown('purchase', 0);
sandbox.faults.clear();
const settle = [['sync', '--all', '--force'], ['pool', 'release', '--expired']];
for (const args of settle) recordOutcome(await run(args), 'settle');
await validate('after the final settle');
countDoubleHandOuts();
countRetellRebinds();
await finalChecks();
await sandbox.close();
if (options.keep) log(`project kept in ${dir}`); else await rm(dir, { recursive: true, force: true });

const failed = figures.lost > 0 || figures.double_bindings > 0 || figures.validate_failures > 0;
if (options.json) {
  console.log(JSON.stringify({ ...figures, details, ok: !failed }, null, 2));
} else {
  const rows = [
    ['seed', SEED], ['trials', figures.trials], ['commands', figures.commands], ['kill -9', figures.kills],
    ['numbers bought', figures.bought], ['numbers lost', figures.lost], ['double bindings', figures.double_bindings],
    ['validate failures', figures.validate_failures],
    ['bought numbers no longer in their pool (not counted as lost)', figures.left_pool], ['exit 70 or hung (bugs)', figures.internal_errors],
  ];
  console.log(['| figure | value |', '| --- | ---: |', ...rows.map(([name, value]) => `| ${name} | ${value} |`)].join('\n'));
  for (const [name, lines] of Object.entries(details)) {
    if (lines.length) console.log(`\n${name.replace(/_/g, ' ')}:\n${lines.map((line) => `- ${line}`).join('\n')}`);
  }
}
process.exit(failed ? 1 : 0);
