/**
 * Where the shared corpus of real templates lives: `shared/corpus` beside the repository (as in
 * CI). It is other people's templates, so it is never copied here: without it the corpus suites
 * are skipped (failing in CI) and the fixtures under test/fixtures/templates stand in.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { skipReasonUnlessCi } from './outside-input.ts';

export const CORPUS_DIR = path.resolve(import.meta.dirname, '../../../shared/corpus');

/** Why the corpus suites are skipped here, or null when the corpus is present. */
export const CORPUS_SKIP = skipReasonUnlessCi(
  existsSync(CORPUS_DIR),
  'template corpus suite',
  `the corpus is not at ${CORPUS_DIR} (shared/ beside the repository checkout)`,
);
