import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two files at once: most tests wait on the CLI processes and the sandbox they start, so on CI's two
    // cores one worker (vitest's default there) left a core idle and the suite took twice as long.
    maxWorkers: 2,
  },
});
