/**
 * validate on files it cannot take at face value: JSON syntax errors (exit 2, at line and column),
 * keys an object repeats, and workspaces.json. Through the built CLI, each on a fresh copy of the sample.
 */
import { describe, it, expect } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { sampleProject, removeProject, editJson, snapshotTree } from '../helpers/fixture.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

async function withProject(fn: (root: string) => Promise<void>, opts: { withConfig?: boolean } = {}): Promise<void> {
  const root = await sampleProject(opts);
  try {
    await fn(root);
  } finally {
    await removeProject(root);
  }
}

const directoryFile = (root: string) => path.join(root, 'phone-numbers', 'directory.json');
const validateJson = async (root: string, ...args: string[]) => {
  const r = await runCli(['validate', '--json', ...args], { cwd: root });
  return { exitCode: r.exitCode, stderr: r.stderr, result: JSON.parse(r.stdout) as { ok: boolean; errors: any[]; warnings: any[] } };
};

/** Drops the comma that ends line `line` (1-based) of a file, as a hand edit that breaks the JSON would. */
async function dropTrailingComma(file: string, line: number): Promise<void> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  expect(lines[line - 1]).toMatch(/,$/);
  lines[line - 1] = lines[line - 1]!.slice(0, -1);
  await writeFile(file, lines.join('\n'));
}

describe('a JSON syntax error', () => {
  it('in directory.json: exit 2, the line and column in every format, nothing changed', async () => {
    await withProject(async (root) => {
      await dropTrailingComma(directoryFile(root), 7); // "phone_number": "+12125550106" — the error is where line 8 starts
      const before = await snapshotTree(root);
      const json = await validateJson(root);
      expect(json.exitCode).toBe(2);
      expect(json.result.errors).toEqual([{
        rule: 'schema', file: 'phone-numbers/directory.json', line: 8, column: 7,
        message: "phone-numbers/directory.json:8:7: invalid JSON: unexpected '\"': expected ',' or '}' after a property value",
      }]);
      const github = await runCli(['validate', '--format', 'github'], { cwd: root });
      expect(github.exitCode).toBe(2);
      expect(github.stdout).toContain('::error file=phone-numbers/directory.json,line=8,col=7,title=phone-dir schema::');
      const text = await runCli(['validate'], { cwd: root });
      expect(text.exitCode).toBe(2);
      expect(text.stdout).toContain('phone-numbers/directory.json:8:7: invalid JSON');
      expect(await snapshotTree(root)).toEqual(before);
    });
  });

  it('is reported at file:line:col by reading commands too (the parse helper is shared)', async () => {
    await withProject(async (root) => {
      await dropTrailingComma(directoryFile(root), 7);
      const list = await runCli(['list'], { cwd: root });
      expect(list.exitCode).toBe(2);
      expect(list.stderr).toContain('phone-numbers/directory.json:8:7: invalid JSON');
    });
  });

  it('quotes none of the file: a literal API key next to the error stays out of the message', async () => {
    await withProject(async (root) => {
      await writeFile(path.join(root, 'workspaces.json'), '{\n  "staging": { "api_key": "sk-live-SECRET" x }\n}\n');
      const json = await validateJson(root);
      expect(json.exitCode).toBe(2);
      expect(json.result.errors).toEqual([expect.objectContaining({ rule: 'config', file: 'workspaces.json', line: 2, column: 44 })]);
      const sync = await runCli(['sync', '--dry-run'], { cwd: root });
      expect(sync.exitCode).toBe(2);
      expect(sync.stderr).toContain('workspaces.json:2:44: invalid JSON');
      for (const out of [JSON.stringify(json.result), sync.stdout, sync.stderr]) expect(out).not.toContain('SECRET');
    });
  });
});

describe('a key an object repeats', () => {
  /** directory.json with +14155550102's record written twice, the first copy edited by hand. */
  async function duplicateRecord(root: string): Promise<number> {
    const text = await readFile(directoryFile(root), 'utf8');
    const json = JSON.parse(text);
    const record = JSON.stringify(json.numbers['+14155550102'], null, 2).replace(/\n/g, '\n    ');
    const edited = record.replace('"pool": null', '"pool": "hand-edited"').replace('"notes": null', '"notes": "first copy"');
    const anchor = '    "+14155550102": {';
    expect(text).toContain(anchor);
    await writeFile(directoryFile(root), text.replace(anchor, `    "+14155550102": ${edited},\n${anchor}`));
    // The repeated key is the second one: its line in the new text.
    const lines = (await readFile(directoryFile(root), 'utf8')).split('\n');
    return lines.findIndex((l, i) => l === anchor && lines.slice(0, i).includes(anchor)) + 1;
  }

  it('is an error naming the key, file and line (JSON readers keep only the last copy)', async () => {
    await withProject(async (root) => {
      const line = await duplicateRecord(root);
      const json = await validateJson(root);
      expect(json.exitCode).toBe(1);
      expect(json.result.errors).toEqual([expect.objectContaining({
        rule: 'duplicate-key', file: 'phone-numbers/directory.json', line, column: 5,
        message: expect.stringMatching(new RegExp(`^phone-numbers/directory\\.json:${line}:5: numbers\\.\\+14155550102: duplicate key "\\+14155550102" \\(first at line \\d+\\)`)),
      })]);
    });
  });

  it('is found inside a record too, and in pools.json', async () => {
    await withProject(async (root) => {
      const text = await readFile(directoryFile(root), 'utf8');
      await writeFile(directoryFile(root), text.replace('"notes": null,', '"notes": null,\n      "notes": "again",'));
      const poolsFile = path.join(root, 'phone-numbers', 'pools.json');
      await writeFile(poolsFile, (await readFile(poolsFile, 'utf8')).replace('"version": "1.0.0",', '"version": "1.0.0",\n  "version": "1.0.0",'));
      const json = await validateJson(root);
      expect(json.exitCode).toBe(1);
      expect(json.result.errors.map((f) => [f.rule, f.file, f.message.split(': ')[1]])).toEqual([
        ['duplicate-key', 'phone-numbers/directory.json', 'numbers.+12125550106.notes'],
        ['duplicate-key', 'phone-numbers/pools.json', 'version'],
      ]);
    });
  });

  it('show reads the same copy as list (its fast path falls back to the full parse)', async () => {
    await withProject(async (root) => {
      await duplicateRecord(root);
      const show = await runCli(['show', '+14155550102', '--json'], { cwd: root });
      const list = await runCli(['list', '--json'], { cwd: root });
      expect(show.exitCode).toBe(0);
      const listed = (JSON.parse(list.stdout) as any[]).find((e) => e.phone_number === '+14155550102');
      expect(JSON.parse(show.stdout)).toEqual(listed);
      expect(listed.notes).toBeNull();
    });
  });
});

describe('workspaces.json', () => {
  it('the example passes', async () => {
    await withProject(async (root) => {
      const json = await validateJson(root);
      expect(json).toMatchObject({ exitCode: 0, result: { ok: true, errors: [], warnings: [] } });
    }, { withConfig: true });
  });

  it('an unknown key in an entry or a section is an error with a suggestion', async () => {
    await withProject(async (root) => {
      await editJson(path.join(root, 'workspaces.json'), (j) => {
        j.staging.nmae = j.staging.name;
        delete j.staging.name;
        j.twilio.auth_tokn_env = j.twilio.auth_token_env;
        delete j.twilio.auth_token_env;
      });
      const json = await validateJson(root);
      expect(json.exitCode).toBe(1);
      expect(json.result.errors).toEqual([
        { rule: 'config', file: 'workspaces.json', message: 'workspaces.json: staging.nmae: unknown key (did you mean "name"?)' },
        { rule: 'config', file: 'workspaces.json', message: 'workspaces.json: twilio.auth_tokn_env: unknown key (did you mean "auth_token_env"?)' },
      ]);
    }, { withConfig: true });
  });

  it("accepts platform, signalwire, mode and the multi-production array; reports the reader's own rules", async () => {
    await withProject(async (root) => {
      await editJson(path.join(root, 'workspaces.json'), (j) => {
        j['vapi-support'] = { platform: 'vapi', api_key_env: 'VAPI_SUPPORT_API_KEY' };
        j.signalwire = { space_url: 'example.signalwire.com', project_id_env: 'SIGNALWIRE_PROJECT_ID', api_token_env: 'SIGNALWIRE_API_TOKEN' };
        j.mode = 'multi-production';
        j.production = [{ id: 'production', api_key_env: 'RETELL_PRODUCTION_API_KEY' }];
      });
      expect((await validateJson(root)).result).toEqual({ ok: true, errors: [], warnings: [] });
      await editJson(path.join(root, 'workspaces.json'), (j) => { delete j.staging.api_key_env; });
      const json = await validateJson(root);
      expect(json.exitCode).toBe(1);
      expect(json.result.errors).toEqual([expect.objectContaining({ rule: 'config', message: expect.stringContaining('staging.api_key_env: missing') })]);
    }, { withConfig: true });
  });

  it('a misspelt section is named as the workspace it is read as', async () => {
    await withProject(async (root) => {
      await editJson(path.join(root, 'workspaces.json'), (j) => { j.twillio = j.twilio; delete j.twilio; });
      const json = await validateJson(root);
      expect(json.exitCode).toBe(1);
      expect(json.result.errors[0]).toMatchObject({ rule: 'config', message: 'workspaces.json: twillio: read as a workspace (did you mean "twilio"?)' });
    }, { withConfig: true });
  });
});
