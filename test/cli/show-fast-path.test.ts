import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import { writeFile, readFile } from 'node:fs/promises';
import { runCli } from '../helpers/cli.js';
import { sampleProject, removeProject, readJson } from '../helpers/fixture.js';
import { scanRecord } from '../../src/store/record-scan.js';

let dir: string;
beforeAll(async () => { dir = await sampleProject(); });
afterAll(async () => { await removeProject(dir); });

describe('show reads one number without parsing every view', () => {
  it('gives exactly the directory entry the full parse gives, for every number', async () => {
    const list = JSON.parse((await runCli(['list', '--json'], { cwd: dir })).stdout) as { phone_number: string }[];
    expect(list.length).toBeGreaterThan(10);
    const shown = await Promise.all(list.map(async (e) => JSON.parse((await runCli(['show', e.phone_number, '--json'], { cwd: dir })).stdout)));
    expect(shown).toEqual(list);
  });

  it('falls back to a full parse for hand-formatted files and still finds the number', async () => {
    const file = path.join(dir, 'phone-numbers', 'staging', 'numbers.json');
    const json = await readJson(file);
    const original = await readFile(file, 'utf8');
    // Keys in another order and on one line: not the layout phone-dir writes.
    json.numbers = json.numbers.map((n: Record<string, unknown>) => Object.fromEntries(Object.entries(n).reverse()));
    await writeFile(file, JSON.stringify(json));
    try {
      const r = await runCli(['show', '+14155550101', '--json'], { cwd: dir });
      expect(r.exitCode).toBe(0);
      expect(JSON.parse(r.stdout).workspaces.staging.agent_path).toBe('agents/customer-service');
    } finally {
      await writeFile(file, original);
    }
  });

  it('scanRecord tells a record from a mention in a list, and gives up on unknown layouts', () => {
    const text = JSON.stringify({ assignments: [{ phone_number: '+14155550101', agent_path: 'a' }], unassigned: ['+14155550102'] }, null, 2);
    expect(scanRecord(text, '+14155550101')).toEqual({ phone_number: '+14155550101', agent_path: 'a' });
    expect(scanRecord(text, '+14155550102')).toBeNull();
    expect(scanRecord(text, '+14155550199')).toBeNull();
    expect(scanRecord('{"numbers":[{"agent_path":"a","phone_number":"+14155550101"}]}', '+14155550101')).toBeUndefined();
    expect(scanRecord('[{"phone_number": "+14155550101", "nickname": "a } \\" {"}]', '+14155550101')).toEqual({ phone_number: '+14155550101', nickname: 'a } " {' });
  });
});
