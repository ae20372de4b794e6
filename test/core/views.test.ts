/**
 * Deterministic bytes (spec/files.md): the views are rendered from one model with fixed key order, sorted
 * records, 2-space indent and one trailing newline, and a write restamps only the files whose content changed.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sampleProject, removeProject, editJson, readJson } from '../helpers/fixture.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { readDirectory, planViewWrites } from '../../src/store/directory.js';
import { projectPaths } from '../../src/store/paths.js';
import { renderViews, serialize } from '../../src/core/views.js';
import { sortedWorkspaces, type Directory } from '../../src/core/model.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const VIEW_FILES = ['directory.json', 'staging/numbers.json', 'staging/assignments.json', 'production/numbers.json', 'production/assignments.json'];
const NOW = new Date('2026-01-02T03:04:05.678Z');
const NOW_ISO = '2026-01-02T03:04:05Z';

/** The bytes every view of the model serializes to, keyed like VIEW_FILES. */
function render(dir: Directory): Map<string, string> {
  const views = renderViews(dir);
  const out = new Map<string, string>([['directory.json', serialize(views.directory)]]);
  for (const ws of sortedWorkspaces(dir)) {
    out.set(`${ws}/numbers.json`, serialize(views.workspaces[ws]!.numbers));
    out.set(`${ws}/assignments.json`, serialize(views.workspaces[ws]!.assignments));
  }
  return out;
}

async function sampleBytes(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of VIEW_FILES) out.set(f, await readFile(path.join(REPO_ROOT, 'phone-numbers', f), 'utf8'));
  return out;
}

async function writeAll(root: string, texts: Map<string, string>): Promise<void> {
  for (const [f, text] of texts) await writeFile(path.join(root, 'phone-numbers', f), text);
}

/** Reverses the key order of every object (recursively): same data, different bytes. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
}

describe('deterministic views', () => {
  let root: string;
  let sample: Map<string, string>;
  beforeAll(async () => {
    root = await sampleProject();
    sample = await sampleBytes();
  });
  afterAll(async () => { await removeProject(root); });

  it('reading the sample and rendering its model gives the files back byte for byte', async () => {
    const loaded = await readDirectory(REPO_ROOT);
    expect(loaded.issues).toEqual([]);
    const rendered = render(loaded.dir);
    expect([...rendered.keys()].sort()).toEqual([...VIEW_FILES].sort());
    for (const f of VIEW_FILES) expect(rendered.get(f), f).toBe(sample.get(f));
  });

  it('every file: 2-space indent, one trailing newline, "version" and "$schema"', () => {
    for (const [f, text] of sample) {
      expect(text.endsWith('}\n') && !text.endsWith('\n\n'), f).toBe(true);
      expect(text.split('\n')[1], f).toMatch(/^ {2}"\$schema": "/);
      expect(JSON.parse(text).version, f).toBe('1.0.0');
      expect(text, f).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    }
  });

  it('write, read, write gives identical bytes', async () => {
    const first = render((await readDirectory(REPO_ROOT)).dir);
    await writeAll(root, first);
    const second = render((await readDirectory(root)).dir);
    expect(second).toEqual(first);
  });

  it('records come out sorted and keys in a fixed order, whatever order the input had', async () => {
    const base = path.join(root, 'phone-numbers');
    await writeAll(root, sample);
    await editJson(path.join(base, 'directory.json'), (j) => {
      const reversed = reverseKeys(j) as object; // numbers in reverse order, every entry's keys reversed
      for (const k of Object.keys(j)) delete j[k];
      Object.assign(j, reversed);
    });
    expect(Object.keys((await readJson(path.join(base, 'directory.json'))).numbers)[0]).toBe('+18885550107');
    for (const ws of ['staging', 'production']) {
      await editJson(path.join(base, ws, 'numbers.json'), (j) => { j.numbers.reverse(); j.numbers = j.numbers.map(reverseKeys); });
      await editJson(path.join(base, ws, 'assignments.json'), (j) => { j.assignments.reverse(); j.assignments = j.assignments.map(reverseKeys); });
    }
    // The shuffled files really are different bytes...
    expect(await readFile(path.join(base, 'staging', 'numbers.json'), 'utf8')).not.toBe(sample.get('staging/numbers.json'));
    // ...but the same model, hence the same rendering.
    const rendered = render((await readDirectory(root)).dir);
    for (const f of VIEW_FILES) expect(rendered.get(f), f).toBe(sample.get(f));
    const dir = JSON.parse(rendered.get('directory.json')!);
    const keys = Object.keys(dir.numbers);
    expect(keys).toEqual([...keys].sort());
    const assignments = JSON.parse(rendered.get('staging/assignments.json')!);
    const nums = assignments.assignments.map((a: any) => a.phone_number);
    expect(nums).toEqual([...nums].sort());
    expect(Object.keys(assignments.by_agent)).toEqual([...Object.keys(assignments.by_agent)].sort());
    expect(Object.keys(dir.numbers['+14155550101'])).toEqual([
      'phone_number', 'phone_number_pretty', 'phone_number_type', 'provider', 'area_code', 'country_code', 'capabilities',
      'twilio', 'workspaces', 'sip_config', 'notes', 'tags', 'pool', 'status', 'last_assigned', 'last_released',
    ]);
    expect(Object.keys(dir)).toEqual(['$schema', 'version', 'last_updated', 'numbers', 'metadata']);
    await writeAll(root, sample);
  });

  it('derived fields are computed, not copied: a stale summary is rewritten', async () => {
    await writeAll(root, sample);
    await editJson(path.join(root, 'phone-numbers', 'staging', 'numbers.json'), (j) => { j.summary.total = 99; j.numbers[0].phone_number_pretty = 'nonsense'; });
    const rendered = render((await readDirectory(root)).dir);
    expect(rendered.get('staging/numbers.json')).toBe(sample.get('staging/numbers.json'));
    await writeAll(root, sample);
  });
});

describe('planViewWrites restamps only the files whose content changed', () => {
  let root: string;
  let sample: Map<string, string>;
  beforeAll(async () => {
    root = await sampleProject();
    sample = await sampleBytes();
  });
  afterAll(async () => { await removeProject(root); });

  async function plan(mutate: (dir: Directory) => void): Promise<Map<string, string>> {
    const loaded = await readDirectory(root);
    mutate(loaded.dir);
    const writes = planViewWrites(projectPaths(root), loaded.dir, loaded.texts, NOW);
    return new Map(writes.map((w) => [path.relative(path.join(root, 'phone-numbers'), w.path).split(path.sep).join('/'), w.content!]));
  }

  it('no change: every file keeps its bytes, timestamps included', async () => {
    const writes = await plan(() => {});
    expect([...writes.keys()].sort()).toEqual([...VIEW_FILES].sort());
    for (const f of VIEW_FILES) expect(writes.get(f), f).toBe(sample.get(f));
  });

  it('a nickname change in staging restamps staging/numbers.json only', async () => {
    const writes = await plan((dir) => { dir.numbers.get('+14155550103')!.workspaces.staging!.nickname = 'Sales Line (new)'; });
    const changed = VIEW_FILES.filter((f) => writes.get(f) !== sample.get(f));
    expect(changed).toEqual(['staging/numbers.json']);
    const numbers = JSON.parse(writes.get('staging/numbers.json')!);
    expect(numbers.last_sync).toBe(NOW_ISO);
    expect(numbers.numbers.find((n: any) => n.phone_number === '+14155550103').nickname).toBe('Sales Line (new)');
  });

  it('a reassignment in production restamps directory.json and production/assignments.json, and nothing of staging', async () => {
    const writes = await plan((dir) => {
      const a = dir.numbers.get('+18885550107')!.workspaces.production!.assignment!;
      Object.assign(a, { agent_path: 'agents/customer-service', agent_name: 'Customer Service Agent', agent_id: 'agent_prd_custsvc_8b1d3e', inbound_agent_id: 'agent_prd_custsvc_8b1d3e' });
    });
    const changed = VIEW_FILES.filter((f) => writes.get(f) !== sample.get(f)).sort();
    expect(changed).toEqual(['directory.json', 'production/assignments.json']);
    expect(JSON.parse(writes.get('directory.json')!).last_updated).toBe(NOW_ISO);
    const assignments = JSON.parse(writes.get('production/assignments.json')!);
    expect(assignments.last_updated).toBe(NOW_ISO);
    expect(assignments.by_agent['agents/customer-service']).toContain('+18885550107');
    // Only the timestamp and the changed parts differ: the unchanged numbers keep their bytes.
    const before = await readJson(path.join(root, 'phone-numbers', 'production', 'assignments.json'));
    expect(assignments.assignments.filter((x: any) => x.phone_number !== '+18885550107')).toEqual(before.assignments.filter((x: any) => x.phone_number !== '+18885550107'));
  });

  it('unassigning a number restamps all three views of its workspace and directory.json', async () => {
    const writes = await plan((dir) => { dir.numbers.get('+14155550102')!.workspaces.staging!.assignment = null; });
    const changed = VIEW_FILES.filter((f) => writes.get(f) !== sample.get(f)).sort();
    expect(changed).toEqual(['directory.json', 'staging/assignments.json', 'staging/numbers.json']);
    for (const f of changed) {
      const j = JSON.parse(writes.get(f)!);
      expect(j.last_updated ?? j.last_sync, f).toBe(NOW_ISO);
    }
    expect(JSON.parse(writes.get('staging/assignments.json')!).unassigned).toContain('+14155550102');
    expect(JSON.parse(writes.get('staging/numbers.json')!).summary).toMatchObject({ assigned: 8, unassigned: 4 });
  });
});
