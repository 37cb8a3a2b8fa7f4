/** Random IDs and tokens from the operating system's CSPRNG. */
import { createHash, randomBytes } from 'node:crypto';
import type { IdSource } from './deps.ts';

export const randomIds: IdSource = {
  id: (prefix) => `${prefix}-${randomBytes(10).toString('hex')}`,
  // 32 bytes = 256 bits; the prefix lets secret scanners recognise a leaked token.
  token: () => `inest_${randomBytes(32).toString('base64url')}`,
};

/** Tokens are stored only as this hash; a high-entropy secret needs no slow KDF. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
