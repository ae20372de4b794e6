#!/usr/bin/env node
// Answers --version without loading the CLI, so scripts that probe it pay only Node's start-up.
const args = process.argv.slice(2);
// `phone-dir list | head` closes the pipe early; that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => { if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw err; });
}
// Ctrl-C: one line and exit 130 (the spec's table). Exiting runs the lock's exit hook, and a write cut short
// is finished from its journal by the next command. A command with its own handler (the sandbox, which
// stops its server) handles the signal instead.
process.on('SIGINT', () => {
  if (process.listenerCount('SIGINT') > 1) return;
  process.stderr.write('interrupted\n');
  process.exit(130);
});
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  // Parsing a large directory allocates many short-lived objects; a roomier young generation halves GC time.
  const v8 = await import('node:v8');
  v8.setFlagsFromString('--max-semi-space-size=32');
  const entry = new URL('../dist/cli/main.js', import.meta.url);
  const { existsSync } = await import('node:fs');
  if (!existsSync(entry)) {
    // A checkout after `npm install`: dist/ is built by `npm run build` (packed tarballs ship it).
    process.stderr.write('error: phone-dir is not built (dist/ is missing)\nhint: run npm run build in the phone-dir checkout\n');
    process.exit(2);
  }
  const { main } = await import(entry.href);
  process.exitCode = await main(args, { io: { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }, env: process.env, cwd: process.cwd() });
}
