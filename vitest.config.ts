import { defineConfig } from 'vitest/config';

/**
 * The pool tests that run a second time on the PostgreSQL store (PHONE_DIR_TEST_POOL_STORE=postgres, see
 * test/pool/helpers.ts): those about what a store keeps (assign, release, holds, leases, crashes, load).
 * Left out: tests of the CLI's surface that never reach the store differently (number input, prompts,
 * patches, Vapi, the pure core) and audit.test.ts, which reads the files store's pool-audit.jsonl itself.
 */
export const POSTGRES_POOL_TESTS = ['stores-concurrency', 'concurrency', 'crash', 'lease', 'pool', 'guards', 'number-pools', 'number-sequences']
  .map((name) => `test/pool/${name}.test.ts`);

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two files at once: most tests wait on the CLI processes and the sandbox they start, so on CI's two
    // cores one worker (vitest's default there) left a core idle and the suite took twice as long.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'files', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'pool-postgres', include: POSTGRES_POOL_TESTS, env: { PHONE_DIR_TEST_POOL_STORE: 'postgres' } } },
    ],
  },
});
