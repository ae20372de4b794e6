import { defineConfig } from 'vitest/config';

/**
 * The pool tests `npm test` runs a second time on the PostgreSQL store (PHONE_DIR_TEST_POOL_STORE=postgres,
 * see test/pool/helpers.ts): the load and kill -9 tests (assign and lease) and the crashes, where the two stores differ most.
 * All of test/pool on PostgreSQL would add about 6 minutes on two cores (the suite must stay well under 10):
 * `npm run test:postgres` runs the rest (pool, lease, guards, concurrency, number-pools, number-sequences). audit.test.ts
 * reads the files store's pool-audit.jsonl itself: files only.
 */
export const POSTGRES_POOL_TESTS = ['stores-concurrency', 'crash'].map((name) => `test/pool/${name}.test.ts`);

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two files at once: most tests wait on the CLI processes and the sandbox they start, so on CI's two
    // cores one worker (vitest's default there) left a core idle and the suite took twice as long.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'pool-postgres', include: POSTGRES_POOL_TESTS, env: { PHONE_DIR_TEST_POOL_STORE: 'postgres' } } },
    ],
  },
});
