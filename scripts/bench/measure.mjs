// Whole-process timing: median wall time of repeated runs (after a warm-up) and the peak RSS.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAXRSS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'maxrss.mjs');

export function measure(argv, { cwd, runs = 7, env = {} } = {}) {
  const rssFile = path.join(tmpdir(), `phone-dir-bench-rss-${process.pid}`);
  const times = [];
  let rss = 0;
  let status = 0;
  for (let i = 0; i <= runs; i++) {
    const [cmd, ...args] = argv;
    const withRss = cmd === 'node' ? ['--import', MAXRSS, ...args] : args;
    const started = process.hrtime.bigint();
    const r = spawnSync(cmd, withRss, { cwd, env: { ...process.env, NO_COLOR: '1', CI: 'true', BENCH_RSS_FILE: rssFile, ...env }, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    status = r.status ?? -1;
    if (i > 0) times.push(ms);
    try { rss = Math.max(rss, Number(readFileSync(rssFile, 'utf8'))); rmSync(rssFile); } catch { /* not a node process */ }
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], rssMb: rss / 1024, status };
}
