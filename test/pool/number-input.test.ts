/**
 * Every command that takes a number rejects an invalid one, or one with an extension, with exit 2 naming
 * the input, before any provider call and without touching the directory.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { startProject, ok, expectValid, directoryEntries, type Project } from './helpers.js';

const DATA_FILES = ['phone-numbers/directory.json', 'phone-numbers/staging/numbers.json', 'phone-numbers/staging/assignments.json'];

async function snapshotFiles(p: Project): Promise<string[]> {
  return Promise.all(DATA_FILES.map((f) => readFile(p.file(f), 'utf8')));
}

describe('number arguments', () => {
  let p: Project;
  beforeAll(async () => { p = await startProject(); }, 60_000);
  afterAll(async () => { await p?.close(); });

  it('number import of a number with 9 national digits: exit 2 naming it, no provider request, nothing written', async () => {
    const before = await snapshotFiles(p);
    const requests = p.sb.requests().length;
    const r = await p.run(['number', 'import', '+1415555010', 'acme-main.pstn.twilio.com', '--workspace', 'staging']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('invalid phone number: "+1415555010" (too few digits)');
    expect(r.stdout).toBe('');
    expect(p.sb.requests().slice(requests)).toEqual([]);
    expect(p.sb.state.retell.get('staging')!.numbers.has('+1415555010')).toBe(false);
    expect(await snapshotFiles(p)).toEqual(before);
  });

  const EXT = '4155550101x12';
  const LONG_EXT = '+1 (415) 555-0101 ext. 9';
  it.each([
    ['show', ['show', EXT]],
    ['show (written out)', ['show', LONG_EXT]],
    ['number import', ['number', 'import', EXT, 'acme-main.pstn.twilio.com', '-w', 'staging']],
    ['number update', ['number', 'update', LONG_EXT, '-w', 'staging', '--nickname', 'x']],
    ['number delete', ['number', 'delete', EXT, '-w', 'staging', '--yes']],
    ['pool assign --number', ['pool', 'assign', '-w', 'staging', '-a', 'sales-agent', '--number', EXT]],
    ['pool release', ['pool', 'release', LONG_EXT, '-w', 'staging']],
    ['pool hold', ['pool', 'hold', EXT, '-w', 'staging', '--until', '2h']],
  ])('%s rejects a number with an extension (exit 2, naming it), before any provider call', async (_name, args) => {
    const before = await snapshotFiles(p);
    const requests = p.sb.requests().length;
    const r = await p.run(args);
    const input = args.includes(EXT) ? EXT : LONG_EXT;
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`"${input}" has an extension; phone-dir keeps numbers without extensions`);
    expect(r.stdout).toBe('');
    expect(p.sb.requests().slice(requests)).toEqual([]);
    expect(await snapshotFiles(p)).toEqual(before);
  });

  it('number delete of an invalid number the directory does not have: exit 2, like every command', async () => {
    const requests = p.sb.requests().length;
    const r = await p.run(['number', 'delete', '+1415555010', '-w', 'staging', '--yes']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('invalid phone number: "+1415555010"');
    expect(p.sb.requests().slice(requests)).toEqual([]);
  });

  it('number delete still removes an invalid number recorded before numbers were checked', async () => {
    // What an older phone-dir left: +1415555010 imported into Retell and recorded in every view.
    const junk = '+1415555010';
    const retell = p.sb.state.retell.get('staging')!.numbers;
    retell.set(junk, { ...retell.get('+14155550105')!, phoneNumber: junk });
    for (const rel of DATA_FILES) {
      const text = await readFile(p.file(rel), 'utf8');
      await writeFile(p.file(rel), text.replaceAll('+14155550105', junk));
    }
    retell.delete('+14155550105');
    const directory = await p.readJson('phone-numbers/directory.json');
    Object.assign(directory.numbers[junk], { provider: 'custom', twilio: null }); // Twilio never had it
    directory.metadata.by_provider.twilio -= 1;
    directory.metadata.by_provider.custom = (directory.metadata.by_provider.custom ?? 0) + 1;
    await writeFile(p.file('phone-numbers/directory.json'), `${JSON.stringify(directory, null, 2)}\n`);

    const r = await ok(p.run(['number', 'delete', junk, '-w', 'staging', '--yes']));
    expect(r.stdout).toContain(`deleted ${junk} from staging`);
    expect(retell.has(junk)).toBe(false);
    expect((await directoryEntries(p))[junk]).toBeUndefined();
    await expectValid(p);
  });
});
