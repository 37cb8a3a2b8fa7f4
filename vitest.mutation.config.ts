/**
 * The unit tests that guard the mutated files (stryker.config.mjs), and nothing slower:
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
    // slot-plan.test.ts simulates whole regions under fast-check (makespan against
    // longest-first, averages over ±20 % durations): minutes under Stryker's instrumentation,
    // for every slot-plan mutant. Its rules are checked case by case in slot-plan-choices.test.ts.
    exclude: ['src/distribution/slot-plan.test.ts'],
    // The corpus property test in engine.test.ts takes seconds, more when instrumented.
    testTimeout: 300_000,
    pool: 'forks',
  },
});
