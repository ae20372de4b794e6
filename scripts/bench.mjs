#!/usr/bin/env node
// npm run bench: whole-process timings of phone-dir's commands beside `node -e 0`, written as a table to
// stdout and bench-results/latest.md. Goals are checked and reported, never asserted in unit tests.
import { mkdtemp, rm, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDirectory, benchNumber } from './bench/generate-directory.mjs';
import { measure } from './bench/measure.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BIN = path.join(root, 'bin', 'phone-dir.js');
const rows = [];
const row = (scenario, command, r, baseline, goal) => {
  const ratio = baseline && Number.isFinite(r.median) ? r.median / baseline : null;
  rows.push({ scenario, command, ms: r.median, ratio, rss: r.rssMb, goal, status: r.status });
  console.error(`${scenario.padEnd(16)} ${command.padEnd(34)} ${Number.isFinite(r.median) ? `${r.median.toFixed(1).padStart(8)} ms` : '       —   '} ${ratio ? `${ratio.toFixed(2)}×` : ''} ${goal}`);
};

const only = process.argv.slice(2);
const sizes = only.length ? only.map(Number) : [3000, 100000];
const baseline = measure(['node', '-e', '0'], { cwd: root, runs: 11 });
row('-', 'node -e 0', baseline, null, '');
row('-', 'phone-dir --version', measure(['node', BIN, '--version'], { cwd: root, runs: 11 }), baseline.median, '< 1.5×');
// What each vendor client costs the command that loads it (the adapters import nothing else of weight).
for (const sdk of ['twilio', 'retell-sdk', '@vapi-ai/server-sdk/phoneNumbers', '@vapi-ai/server-sdk']) {
  const goal = sdk === '@vapi-ai/server-sdk' ? 'never loaded (the root)' : '';
  row('-', `import('${sdk}')`, measure(['node', '--input-type=module', '-e', `await import('${sdk}')`], { cwd: root, runs: 7 }), baseline.median, goal);
}

for (const n of sizes) {
  const dir = await mkdtemp(path.join(tmpdir(), `phone-dir-bench-${n}-`));
  await generateDirectory(dir, n);
  const runs = n > 10000 ? 3 : 7;
  const label = `${n.toLocaleString('en-US')} numbers`;
  row(label, 'validate', measure(['node', BIN, 'validate'], { cwd: dir, runs }), baseline.median, n === 3000 ? '< 5× (aim 3×)' : '< 3 s, < 1 GB');
  row(label, 'list --json', measure(['node', BIN, 'list', '--json'], { cwd: dir, runs }), baseline.median, '');
  row(label, `show ${benchNumber(Math.floor(n / 2))}`, measure(['node', BIN, 'show', benchNumber(Math.floor(n / 2))], { cwd: dir, runs }), baseline.median, n === 3000 ? '< 3× (aim 2×)' : '');
  await rm(dir, { recursive: true, force: true });
}

{
  // history over 5,000 sync commits (git fast-import builds the repository in seconds).
  const { generateHistoryRepo } = await import('./bench/history-repo.mjs');
  const dir = await mkdtemp(path.join(tmpdir(), 'phone-dir-bench-history-'));
  const { phone } = await generateHistoryRepo(dir, { commits: 5000, numbers: 30 });
  row('5,000 commits', `history ${phone}`, measure(['node', BIN, 'history', phone], { cwd: dir, runs: 5 }), baseline.median, '< 3 s');
  await rm(dir, { recursive: true, force: true });
}

const extra = await import('./bench/providers.mjs').then((m) => m.benchProviders({ root, BIN, measure, row, baseline })).catch((err) => {
  if (err.code === 'ERR_MODULE_NOT_FOUND') return null;
  throw err;
});
void extra;
// The pool on the files store and on PostgreSQL, side by side (PostgreSQL rows need a database URL: see the module).
await import('./bench/stores.mjs').then((m) => m.benchStores({ root, BIN, row, baseline }));
// Pushes landed per minute through --push: 1 clone, then 4 clones of one local bare remote at once.
await import('./bench/pushes.mjs').then((m) => m.benchPushes({ root, BIN, row }));

const table = [
  '| scenario | command | median wall time | × `node -e 0` | peak RSS | goal |',
  '| --- | --- | ---: | ---: | ---: | --- |',
  ...rows.map((r) => `| ${r.scenario} | \`${r.command}\` | ${Number.isFinite(r.ms) ? `${r.ms.toFixed(1)} ms` : '—'} | ${r.ratio ? `${r.ratio.toFixed(2)}×` : '—'} | ${r.rss ? `${r.rss.toFixed(0)} MB` : '—'} | ${r.goal} |`),
].join('\n');
console.log(table);
await mkdir(path.join(root, 'bench-results'), { recursive: true });
await writeFile(path.join(root, 'bench-results', 'latest.md'), `${table}\n`);
