/**
 * The unit tests that guard the mutated files (stryker.config.json), and nothing slower:
 * no process, database or end-to-end suites, so each mutant is judged quickly.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/domain/**/*.test.ts',
      'src/templates/**/*.test.ts',
      'src/distribution/{slot-plan,poll-plan,retry-policy,pass-plan}*.test.ts',
    ],
    // The corpus property test takes seconds; a mutant run must not fail on the default 5 s.
    testTimeout: 60_000,
    pool: 'forks',
  },
});
