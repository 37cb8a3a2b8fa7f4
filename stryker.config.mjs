// Mutation testing of the pure core (issue 9, scope 2): `npm run mutation`, not part of `npm test`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // Only the unit tests beside the mutated files: no process, database or end-to-end suites.
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [
    'src/domain/**/*.ts',
    'src/templates/**/*.ts',
    // pass-plan.ts (the engine's pure pass plan) is picked up once it exists.
    'src/distribution/{slot-plan,poll-plan,retry-policy,pass-plan}.ts',
    '!src/**/*.test.ts',
    // Type-only files and the one-line exhaustiveness guard: nothing to mutate.
    '!src/domain/clock.ts',
    '!src/domain/assert-never.ts',
    '!src/templates/model.ts',
    // File-system access (stat, open, bounded reads of devices, FIFOs and symlinks), not a pure
    // part: its behaviour is tested through the real CLI process in test/cli-template-input.test.ts.
    '!src/templates/io/**',
  ],
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants) re-run every test, fast-check properties and the
  // corpus fuzz included, and took most of the run on a shared 2-core machine: Stryker reports
  // them as ignored instead. The constants they would change are asserted by ordinary tests.
  ignoreStatic: true,
  concurrency: 2,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: 85 },
};
