import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * `npm test` runs the pool tests where the two stores differ most a second time on the PostgreSQL store
 * (PHONE_DIR_TEST_POOL_STORE=postgres, see test/pool/helpers.ts): load, kill -9, concurrency and the settling
 * of interrupted deletes. `npm run test:postgres` runs every file of test/pool on it (but audit.test.ts, which
 * reads the files store's pool-audit.jsonl itself): in npm test that made vitest take 409 s instead of 374 s
 * on two cores, where the whole suite must stay well under 10 minutes.
 */
export const POSTGRES_POOL_TESTS = ['stores-concurrency', 'crash', 'concurrency', 'number-pools'].map((name) => `test/pool/${name}.test.ts`);

/**
 * The longest files, started first on both workers whatever their project. Vitest's own order runs one
 * project after the other and, on a fresh clone (no timings cached), larger files first: the PostgreSQL
 * load test then started last and ran alone for its last 40 s.
 */
const LONGEST_FIRST = ['test/pool/stores-concurrency.test.ts', 'test/property/soak.test.ts', 'test/cli/push.test.ts', 'test/pool/lease.test.ts',
  'test/pool/crash.test.ts', 'test/install/install.test.ts', 'test/cli/completion.test.ts', 'test/store/transaction-crash.test.ts', 'test/cli/reading.test.ts'];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = LONGEST_FIRST.findIndex((name) => file.moduleId.endsWith(name));
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    return (await super.sort(files)).map((file, order) => ({ file, order })).sort((a, b) => rank(a.file) - rank(b.file) || a.order - b.order).map(({ file }) => file);
  }
}

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two files at once: most tests wait on the CLI processes and the sandbox they start, so on CI's two
    // cores one worker (vitest's default there) left a core idle and the suite took twice as long.
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'pool-postgres', include: POSTGRES_POOL_TESTS, env: { PHONE_DIR_TEST_POOL_STORE: 'postgres' } } },
    ],
  },
});
