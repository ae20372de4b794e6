/**
 * The files store splices a view file only while it is still as the store wrote it (view-stamps.json);
 * after a hand edit, or without usable stamps, it parses and writes the file whole, as before. Either way
 * the bytes are those of a whole-file write.
 */
import { describe, it, expect, afterEach, vi } from 'vitest';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sampleProject, removeProject } from '../helpers/fixture.js';
import { projectPaths } from '../../src/store/paths.js';
import { FilesPoolStore } from '../../src/store/files/pool-store.js';
import { readViewStamps, viewStampsPath } from '../../src/store/files/view-stamps.js';
import { ViewText } from '../../src/store/files/view-text.js';
import { serialize } from '../../src/core/views.js';

const PHONE = '+14155550101';
const notices = { info: () => undefined, warn: () => undefined, progress: () => undefined };
const projects: string[] = [];

function storeOf(root: string): FilesPoolStore {
  return new FilesPoolStore({ paths: projectPaths(root), command: 'test', lockTimeoutMs: 5000, now: () => new Date('2030-01-02T03:04:05Z'), notices });
}

async function setNotes(root: string, notes: string): Promise<void> {
  await storeOf(root).unit('notes', async (tx) => {
    const dir = await tx.subset([PHONE]);
    dir.numbers.get(PHONE)!.notes = notes;
  });
}

/** The same project, without stamps: its next write parses and writes every file whole. */
async function wholeFileTwin(root: string): Promise<string> {
  const twin = await sampleProject();
  projects.push(twin);
  await rm(path.join(twin, 'phone-numbers'), { recursive: true, force: true });
  await cp(path.join(root, 'phone-numbers'), path.join(twin, 'phone-numbers'), { recursive: true });
  await rm(viewStampsPath(projectPaths(twin)), { force: true });
  return twin;
}

async function views(root: string): Promise<Record<string, string>> {
  const p = projectPaths(root);
  const files = [p.directory, p.workspaceNumbers('staging'), p.workspaceAssignments('staging'), p.workspaceNumbers('production'), p.workspaceAssignments('production')];
  return Object.fromEntries(await Promise.all(files.map(async (f) => [p.rel(f), await readFile(f, 'utf8')] as const)));
}

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(projects.splice(0).map(removeProject));
});

describe('view stamps', () => {
  it('a file the store wrote is stamped, and the next change splices it: the bytes of a whole-file write', async () => {
    const root = await sampleProject();
    projects.push(root);
    await setNotes(root, 'first');
    const stamps = await readViewStamps(projectPaths(root));
    expect(stamps.has('phone-numbers/directory.json')).toBe(true);

    const twin = await wholeFileTwin(root);
    const render = vi.spyOn(ViewText.prototype, 'render');
    await setNotes(root, 'second');
    expect(render).toHaveBeenCalled();
    render.mockClear();
    await setNotes(twin, 'second');
    expect(render).not.toHaveBeenCalled();
    expect(await views(root)).toEqual(await views(twin));
    expect(JSON.parse((await views(root))['phone-numbers/directory.json']!).numbers[PHONE].notes).toBe('second');
  });

  it('a hand edit (here: another indentation) is not trusted: the file is parsed and written whole', async () => {
    const root = await sampleProject();
    projects.push(root);
    await setNotes(root, 'first');
    const file = projectPaths(root).directory;
    const edited = JSON.parse(await readFile(file, 'utf8'));
    edited.numbers[PHONE].tags = ['edited-by-hand'];
    await writeFile(file, `${JSON.stringify(edited, null, 4)}\n`);

    const twin = await wholeFileTwin(root);
    const render = vi.spyOn(ViewText.prototype, 'render');
    await setNotes(root, 'second');
    await setNotes(twin, 'second');
    const after = await readFile(file, 'utf8');
    expect(after).toBe(serialize(JSON.parse(after)));
    expect(JSON.parse(after).numbers[PHONE]).toMatchObject({ notes: 'second', tags: ['edited-by-hand'] });
    expect(await views(root)).toEqual(await views(twin));
    // The directory was parsed whole (only files still stamped may be spliced).
    expect(render.mock.contexts.every((view) => (view as ViewText).text !== `${JSON.stringify(edited, null, 4)}\n`)).toBe(true);
  });

  it('a damaged stamps file trusts nothing, and the command still succeeds', async () => {
    const root = await sampleProject();
    projects.push(root);
    await setNotes(root, 'first');
    await writeFile(viewStampsPath(projectPaths(root)), '{"version": 1, "files": {"phone-numbers/directory.json": ');
    const twin = await wholeFileTwin(root);
    const render = vi.spyOn(ViewText.prototype, 'render');
    await setNotes(root, 'second');
    expect(render).not.toHaveBeenCalled();
    await setNotes(twin, 'second');
    expect(await views(root)).toEqual(await views(twin));
    expect((await readViewStamps(projectPaths(root))).has('phone-numbers/directory.json')).toBe(true);
  });
});
