/**
 * Suites that need something from outside the repository (the shared template corpus, a
 * PostgreSQL server): on a user's clone they are skipped with a written reason; in CI
 * (`CI=true`) a missing input fails the test file instead, so it cannot be skipped unnoticed.
 */

/** Null when `available`; otherwise the reason `suite` is skipped (printed), or a thrown error in CI. */
export function skipReasonUnlessCi(available: boolean, suite: string, why: string): string | null {
  if (available) return null;
  if (process.env.CI === 'true') throw new Error(`${suite} may not be skipped in CI: ${why} (see .ci/run)`);
  const reason = `${suite} skipped: ${why}`;
  console.warn(`[skipped] ${reason}`);
  return reason;
}
