/**
 * Crash and concurrency tests for the transaction layer. The child processes (fixtures/txn-writer.mjs) are
 * plain JS importing the store modules transpiled by helpers.buildStoreForChildren().
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMIT_MARKER_NAME, JOURNAL_NAME, commitFiles, readSnapshot, recoverTransaction } from '../../src/store/transaction.js';
import {
  GEN_FILES,
  ODD_FILE,
  buildStoreForChildren,
  checkOneGeneration,
  genWrites,
  killHard,
  listFiles,
  makeTempDir,
  sleep,
  spawnFixture,
} from './helpers.js';

let modDir: string;
let cleanupBuild: () => void;
let root: string;

beforeAll(async () => {
  const built = buildStoreForChildren();
  modDir = built.dir;
  cleanupBuild = built.cleanup;
  root = await makeTempDir('txn-crash');
});
afterAll(async () => {
  cleanupBuild?.();
  await fsp.rm(root, { recursive: true, force: true });
});

const ALL = [...GEN_FILES, ODD_FILE];

async function readGenFiles(dir: string): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for (const name of ALL) {
    out.set(name, await fsp.readFile(path.join(dir, name), 'utf8').catch(() => null));
  }
  return out;
}

async function writeGeneration0(dir: string, size: number): Promise<void> {
  await commitFiles(dir, genWrites(dir, 0, size));
}

describe('commitFiles survives kill -9 at any point', () => {
  it('after every kill and recovery, all files belong to one generation and nothing is left over', async () => {
    const dir = path.join(root, 'crash', 'phone-numbers');
    const size = 100_000;
    await writeGeneration0(dir, size);
    const KILLS = 36;
    const outcomes: Record<string, number> = { none: 0, 'rolled-forward': 0, 'rolled-back': 0 };
    let gen = 0;
    let commitsSeen = 0;
    for (let i = 0; i < KILLS; i++) {
      const child = spawnFixture('txn-writer.mjs', [modDir, dir, String(size), 'crash']);
      await child.waitForLine(/^ready/);
      await sleep(Math.random() * 60);
      await killHard(child);
      const outcome = await recoverTransaction(dir);
      outcomes[outcome]!++;
      const values = await readGenFiles(dir);
      let now: number;
      try {
        now = checkOneGeneration(values, size);
      } catch (err) {
        throw new Error(`kill #${i + 1} (recovery: ${outcome}): ${(err as Error).message}`);
      }
      expect(now).toBeGreaterThanOrEqual(gen); // never goes backwards
      commitsSeen += now - gen;
      gen = now;
      // also the project root: ../.gitignore is staged beside it
      const leftovers = (await listFiles(path.dirname(dir))).filter((f) => f.endsWith(`/${JOURNAL_NAME}`) || (f.endsWith('.tmp') && !f.endsWith(`/${COMMIT_MARKER_NAME}`)));
      expect(leftovers, `kill #${i + 1}`).toEqual([]);
    }
    console.log(`crash test: ${KILLS} kills, ${commitsSeen} commits completed, recoveries: ${JSON.stringify(outcomes)}`);
    expect(commitsSeen).toBeGreaterThan(0);
    expect(outcomes['rolled-forward']! + outcomes['rolled-back']!).toBeGreaterThan(0);
  }, 60_000);
});

describe('readSnapshot under concurrent commits', () => {
  it('never returns a mix of generations while another process commits in a loop', async () => {
    const dir = path.join(root, 'reader', 'phone-numbers');
    const size = 300_000;
    await writeGeneration0(dir, size);
    const writer = spawnFixture('txn-writer.mjs', [modDir, dir, String(size), 'loop', '2500']);
    await writer.waitForLine(/^ready/);
    const paths = ALL.map((n) => path.join(dir, n));
    let snapshots = 0;
    const gens = new Set<number>();
    let done = false;
    void writer.exited.then(() => {
      done = true;
    });
    while (!done) {
      const snap = await readSnapshot(dir, paths);
      const byName = new Map<string, string | null>();
      ALL.forEach((n, i) => byName.set(n, snap.get(paths[i]!) ?? null));
      try {
        gens.add(checkOneGeneration(byName, size));
      } catch (err) {
        await killHard(writer);
        throw new Error(`snapshot #${snapshots + 1}: ${(err as Error).message}`);
      }
      snapshots++;
    }
    const last = await writer.waitForLine(/^commits/).catch(() => writer.stdout());
    expect(writer.stderr()).toBe('');
    console.log(`reader test: ${snapshots} consistent snapshots over ${gens.size} generations; writer: ${last}`);
    expect(snapshots).toBeGreaterThan(20);
    expect(gens.size).toBeGreaterThan(5);
  }, 30_000);
});
