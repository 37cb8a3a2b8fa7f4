/** Runs a keyed request once: a repeat with the same key returns the first result. */
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Caller } from '../domain/account.ts';
import { ErrorCode, ImagenestError, validationError } from '../domain/errors.ts';
import { claimKey, storeResponse } from '../store/idempotency-repo.ts';
import type { Database } from '../store/schema.ts';
import type { AppDeps } from './deps.ts';

const KEY = /^[\x21-\x7e]{1,255}$/;

/** Runs `fn` in a transaction; with a key, records its result and replays it for repeats. */
export async function runIdempotent<T>(
  deps: AppDeps,
  caller: Caller,
  idempotencyKey: string | undefined,
  operation: string,
  request: unknown,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (idempotencyKey === undefined) return deps.db.transaction().execute(fn);
  if (!KEY.test(idempotencyKey)) {
    throw validationError([
      { field: 'Idempotency-Key', rule: 'format', message: 'must be 1–255 printable ASCII characters without spaces' },
    ]);
  }
  const fingerprint = createHash('sha256').update(`${operation}\n${JSON.stringify(request)}`).digest('hex');
  return deps.db.transaction().execute(async (trx) => {
    const prior = await claimKey(trx, caller.accountId, idempotencyKey, operation, fingerprint);
    if (prior) {
      if (prior.operation !== operation || prior.fingerprint !== fingerprint) {
        throw new ImagenestError(
          ErrorCode.IDEMPOTENCY_KEY_REUSED,
          'this Idempotency-Key was already used for a different request; use a new key for a new request',
        );
      }
      return prior.response as T;
    }
    const result = await fn(trx);
    await storeResponse(trx, caller.accountId, idempotencyKey, result);
    return result;
  });
}
