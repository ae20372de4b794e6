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
  // A checkout after `npm install` has no dist/ (packed tarballs ship it; a prepare script would warn on every
  // tarball install): it is built once, here, when the checkout has its sources and TypeScript.
  if (!existsSync(entry) && !(await buildCheckout(existsSync))) {
    process.stderr.write('error: phone-dir is not built (dist/ is missing)\nhint: run npm run build in the phone-dir checkout\n');
    process.exit(2);
  }
  const { main } = await import(entry.href);
  process.exitCode = await main(args, { io: { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }, env: process.env, cwd: process.cwd() });
}

/** Builds dist/ with the checkout's own TypeScript (`npm run build`); false when this is no buildable checkout. */
async function buildCheckout(existsSync) {
  const root = new URL('../', import.meta.url);
  const tsc = new URL('node_modules/typescript/bin/tsc', root);
  if (![tsc, new URL('tsconfig.build.json', root), new URL('src/cli/main.ts', root)].every((file) => existsSync(file))) return false;
  process.stderr.write('phone-dir: first run in this checkout: building dist/ (npm run build)…\n');
  const { spawnSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const build = spawnSync(process.execPath, [fileURLToPath(tsc), '-p', 'tsconfig.build.json'], { cwd: fileURLToPath(root), stdio: ['ignore', 2, 2] });
  return build.status === 0 && existsSync(new URL('dist/cli/main.js', root));
}
