/** Where the shared corpus of real templates lives: `shared/corpus` beside the repository (as in CI). */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const CORPUS_DIR = path.resolve(import.meta.dirname, '../../../shared/corpus');

if (!existsSync(CORPUS_DIR)) {
  throw new Error(`the template corpus is missing: expected ${CORPUS_DIR} (shared/ beside the repository checkout)`);
}
