/**
 * The installation paths the README gives, as a new user takes them: a packed tarball installed globally
 * into a prefix and as a devDependency, and a checkout through `npm link` and `npx <checkout>`. Each ends
 * with `--version`, `init`, `validate` and every written `$schema` resolving to a file on disk.
 * The tarball is packed once (`npm run build` first); its dependencies come from the npm cache
 * (--prefer-offline), or the registry for what the cache lacks.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT } from '../helpers/cli.js';
import { unresolvedSchemaRefs } from '../helpers/schema-refs.js';

const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=warn'];
const VERSION = (JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** The environment of a user's shell: none of the npm_* variables `npx vitest` passes down. */
const userEnv = (extra: Record<string, string> = {}): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k)) env[k] = v;
  return { ...env, NO_COLOR: '1', CI: 'true', npm_config_update_notifier: 'false', ...extra };
};

let tmp: string;
let tarball: string;
let packedFiles: string[];
let globalPrefix: string;
let globalInstall: { exitCode: number; stderr: string };
let devDependencyProject: string;
let devDependencyInstall: { exitCode: number; stderr: string };
const started = Date.now();

async function npm(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = await execa('npm', args, { cwd, env: userEnv(env), extendEnv: false, reject: false, timeout: 120_000 });
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A warning a user would see about the package's own lifecycle scripts (npm 11 lists them under install-scripts). */
const scriptWarnings = (stderr: string) => stderr.split('\n').filter((l) => /install-scripts|lifecycle|prepare|postinstall|phone-dir/i.test(l));

/** `--version`, `init` and `validate` with `bin`, in a new project whose workspaces.json is the shipped example. */
async function tryProject(run: (args: string[], cwd: string) => Promise<{ exitCode: number; stdout: string; stderr: string }>, example: string): Promise<string> {
  const project = await mkdtemp(path.join(tmp, 'project-'));
  const version = await run(['--version'], project);
  expect(version.stdout.trim(), version.stderr).toBe(VERSION);
  await cp(example, path.join(project, 'workspaces.json'));
  const init = await run(['init'], project);
  expect(init.exitCode, init.stderr).toBe(0);
  const validate = await run(['validate', '--json'], project);
  expect(validate.exitCode, validate.stderr).toBe(0);
  expect(JSON.parse(validate.stdout)).toMatchObject({ ok: true, errors: [] });
  expect(await unresolvedSchemaRefs(project)).toEqual([]);
  return project;
}

const runBin = (bin: string) => async (args: string[], cwd: string) => {
  const r = await execa(bin, args, { cwd, env: userEnv(), extendEnv: false, reject: false, timeout: 60_000 });
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
};

beforeAll(async () => {
  if (!existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'main.js'))) throw new Error('run npm run build first: the tarball ships dist/');
  tmp = await mkdtemp(path.join(tmpdir(), 'phone-dir-install-'));
  // --ignore-scripts: prepack would rebuild dist/, which the test run has just built.
  const pack = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], REPO_ROOT);
  expect(pack.exitCode, pack.stderr).toBe(0);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(tmp, info!.filename);
  packedFiles = info!.files.map((f) => f.path).sort();
  globalPrefix = path.join(tmp, 'global');
  // The two installs of the tarball are independent: they run at once (npm waits on the cache and the registry).
  devDependencyProject = await mkdtemp(path.join(tmp, 'devdep-'));
  await writeFile(path.join(devDependencyProject, 'package.json'), `${JSON.stringify({ name: 'my-agents', version: '1.0.0', private: true }, null, 2)}\n`);
  [globalInstall, devDependencyInstall] = await Promise.all([
    npm(['install', '-g', '--prefix', globalPrefix, tarball, ...NPM_FLAGS], tmp),
    npm(['install', '--save-dev', tarball, ...NPM_FLAGS], devDependencyProject),
  ]);
}, 180_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
  console.log(`install paths: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

/** Local files a Markdown file links to, relative to the package root. */
function linkedFiles(markdown: string, from: string): string[] {
  const out: string[] = [];
  for (const m of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1]!.split('#')[0]!;
    if (target === '' || /^[a-z]+:/i.test(target)) continue;
    out.push(path.posix.normalize(path.posix.join(path.posix.dirname(from), target)));
  }
  return out;
}

describe('the packed tarball', { timeout: 120_000 }, () => {
  it('ships dist/, bin, the schemas, the docs and every file the README and docs link to; no test or fixture', async () => {
    expect(packedFiles).toEqual(expect.arrayContaining(['bin/phone-dir.js', 'dist/cli/main.js', 'package.json', 'README.md', 'workspaces.example.json',
      'schemas/directory.schema.json', 'schemas/pools.schema.json', 'schemas/workspaces.schema.json', 'schemas/validators.mjs',
      'docs/ci.md', 'docs/cron.md', 'docs/concepts.md', 'docs/scaling.md']));
    const markdown = packedFiles.filter((f) => f.endsWith('.md'));
    for (const md of markdown) {
      for (const target of linkedFiles(await readFile(path.join(REPO_ROOT, md), 'utf8'), md)) {
        expect(packedFiles, `${md} links to ${target}`).toContain(target);
      }
    }
    const unwanted = packedFiles.filter((f) => /^(test|coverage|bench-results|scripts|phone-numbers)\//.test(f) || /fixture|\.test\.|\.tgz$|\.map$/.test(f)
      || (f.startsWith('src/') && f !== 'src/sandbox/README.md'));
    expect(unwanted).toEqual([]);
  });

  it('has no install-time lifecycle scripts (it ships dist/ built): installing it runs nothing and warns of nothing', async () => {
    const manifest = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts[s], s).toBeUndefined();
    expect(globalInstall.exitCode, globalInstall.stderr).toBe(0);
    expect(scriptWarnings(globalInstall.stderr)).toEqual([]);
  });

  it('npm install -g --prefix <dir> ./phone-dir-*.tgz: --version, init, validate, $schema resolves', async () => {
    expect(globalInstall.exitCode, globalInstall.stderr).toBe(0);
    const pkg = path.join(globalPrefix, 'lib', 'node_modules', 'phone-dir');
    await tryProject(runBin(path.join(globalPrefix, 'bin', 'phone-dir')), path.join(pkg, 'workspaces.example.json'));
  });

  it('npm install --save-dev ./phone-dir-*.tgz in a project, then npx phone-dir: --version, init, validate, $schema resolves', async () => {
    const project = devDependencyProject;
    expect(devDependencyInstall.exitCode, devDependencyInstall.stderr).toBe(0);
    expect(scriptWarnings(devDependencyInstall.stderr)).toEqual([]);
    const npx = (args: string[], cwd: string) => npm(['exec', '--no', '--', 'phone-dir', ...args], cwd);
    // The project itself is where phone-dir runs: its phone-numbers/ sits beside node_modules/.
    const version = await npx(['--version'], project);
    expect(version.stdout.trim(), version.stderr).toBe(VERSION);
    await cp(path.join(project, 'node_modules', 'phone-dir', 'workspaces.example.json'), path.join(project, 'workspaces.json'));
    expect((await npx(['init'], project)).exitCode).toBe(0);
    const validate = await npx(['validate'], project);
    expect(validate.exitCode, validate.stderr).toBe(0);
    expect(await unresolvedSchemaRefs(project)).toEqual([]);
  });
});

describe('a checkout', { timeout: 120_000 }, () => {
  let checkout: string;
  beforeAll(async () => {
    // The working tree as Git sees it (tracked and new files), built, with the packages `npm install` gives it.
    checkout = path.join(tmp, 'checkout');
    const listed = (await execa('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: REPO_ROOT })).stdout.split('\0').filter(Boolean);
    for (const f of listed.filter((f) => existsSync(path.join(REPO_ROOT, f)))) {
      await mkdir(path.dirname(path.join(checkout, f)), { recursive: true });
      await cp(path.join(REPO_ROOT, f), path.join(checkout, f));
    }
    await cp(path.join(REPO_ROOT, 'dist'), path.join(checkout, 'dist'), { recursive: true });
    // The runtime dependencies the global install fetched; never the lead's node_modules, which npm link could change.
    await symlink(path.join(globalPrefix, 'lib', 'node_modules', 'phone-dir', 'node_modules'), path.join(checkout, 'node_modules'));
  }, 60_000);

  it('npm link (into a prefix): --version, init, validate, $schema resolves', async () => {
    const prefix = path.join(tmp, 'linked');
    const link = await npm(['link', ...NPM_FLAGS], checkout, { npm_config_prefix: prefix });
    expect(link.exitCode, link.stderr).toBe(0);
    expect(scriptWarnings(link.stderr)).toEqual([]);
    await tryProject(runBin(path.join(prefix, 'bin', 'phone-dir')), path.join(checkout, 'workspaces.example.json'));
  });

  it('npx <checkout path>: --version, init, validate, $schema resolves', async () => {
    // A cache of its own: npx records each folder it ran under the cache's _npx/.
    const env = { npm_config_cache: path.join(tmp, 'npx-cache'), npm_config_yes: 'true' };
    await tryProject((args, cwd) => npm(['exec', '--', checkout, ...args], cwd, env), path.join(checkout, 'workspaces.example.json'));
  });

  it('npm install && npx phone-dir in a checkout without dist/: the first run builds it, saying so on stderr', async () => {
    const fresh = path.join(tmp, 'fresh-checkout');
    const skipped = [path.join(checkout, 'dist'), path.join(checkout, 'node_modules')];
    await cp(checkout, fresh, { recursive: true, filter: (from) => !skipped.some((dir) => from === dir || from.startsWith(`${dir}${path.sep}`)) });
    // `npm install` in a checkout gives it its devDependencies too, TypeScript among them.
    await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(fresh, 'node_modules'));
    const project = await mkdtemp(path.join(tmp, 'first-run-'));
    const bin = path.join(fresh, 'bin', 'phone-dir.js');
    const first = await execa('node', [bin, 'init'], { cwd: project, env: userEnv(), extendEnv: false, reject: false, timeout: 120_000 });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stderr.split('\n')[0]).toBe('phone-dir: first run in this checkout: building dist/ (npm run build)…');
    expect(existsSync(path.join(fresh, 'dist', 'cli', 'main.js'))).toBe(true);
    const second = await execa('node', [bin, 'validate'], { cwd: project, env: userEnv(), extendEnv: false, reject: false });
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).not.toContain('building dist/');
  });

  it('without dist/ and nothing to build it with (no sources or TypeScript): one line saying what to run, exit 2', async () => {
    const unbuilt = path.join(tmp, 'unbuilt');
    await mkdir(path.join(unbuilt, 'bin'), { recursive: true });
    await cp(path.join(checkout, 'bin', 'phone-dir.js'), path.join(unbuilt, 'bin', 'phone-dir.js'));
    await cp(path.join(checkout, 'package.json'), path.join(unbuilt, 'package.json'));
    const r = await execa('node', [path.join(unbuilt, 'bin', 'phone-dir.js'), 'list'], { cwd: tmp, reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('error: phone-dir is not built (dist/ is missing)\nhint: run npm run build in the phone-dir checkout');
    expect((await execa('node', [path.join(unbuilt, 'bin', 'phone-dir.js'), '--version'], { reject: false })).stdout).toBe(VERSION);
  });
});
