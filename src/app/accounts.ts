/** Use cases for accounts: create (admin only), authenticate a token, bootstrap the first admin and reset its token. */
import { sql } from 'kysely';
import { canOwnPackages, checkAccountName, type AccountRecord, type Caller, type Role } from '../domain/account.ts';
import { ErrorCode, ImagenestError, validationError } from '../domain/errors.ts';
import type { Account, AccountWithToken } from '../contract/schemas.ts';
import { countAdmins, findAccount, findAccountByTokenHash, firstAdmin, insertAccount, listAccounts as listAccountRows, replaceTokens } from '../store/accounts-repo.ts';
import type { Db } from '../store/database.ts';
import type { AppDeps } from './deps.ts';
import { hashToken } from './ids.ts';

export function accountView(a: AccountRecord): Account {
  return { id: a.id, name: a.name, role: a.role, createdAt: a.createdAt.toISOString() };
}

function requireAdmin(caller: Caller): void {
  if (caller.role !== 'admin') {
    throw new ImagenestError(ErrorCode.FORBIDDEN, 'only an admin account may manage accounts');
  }
}

async function createWithToken(db: Db, deps: AppDeps, name: string, role: Role): Promise<AccountWithToken> {
  const violations = checkAccountName(name);
  if (violations.length > 0) throw validationError(violations);
  const account: AccountRecord = { id: deps.ids.id('acc'), name, role, createdAt: deps.clock.now() };
  const token = deps.ids.token();
  await insertAccount(db, account, hashToken(token));
  return { ...accountView(account), token };
}

export async function createAccount(deps: AppDeps, caller: Caller, input: { name: string; role: Role }): Promise<AccountWithToken> {
  requireAdmin(caller);
  return deps.db.transaction().execute((trx) => createWithToken(trx, deps, input.name, input.role));
}

export async function listAccounts(deps: AppDeps, caller: Caller): Promise<Account[]> {
  requireAdmin(caller);
  return (await listAccountRows(deps.db)).map(accountView);
}

/**
 * The caller behind a bearer token, or undefined for an unknown token. A token found valid is
 * remembered for TOKEN_CACHE_TTL_MS (lookup-caches.ts); an unknown one is asked for every time,
 * so a new token works at once and guessing fills no memory.
 */
export async function authenticate(deps: AppDeps, token: string): Promise<AccountRecord | undefined> {
  const hash = hashToken(token);
  const known = deps.lookups?.tokens.get(hash);
  if (known) return known;
  const account = await findAccountByTokenHash(deps.db, hash);
  if (account) deps.lookups?.tokens.set(hash, account);
  return account;
}

/**
 * Creates the first admin account when there is none, and hands its token to `keep` (which
 * writes it where the operator finds it) before committing: when `keep` fails, no admin is
 * left behind whose token nobody has. Returns the account and token that one time.
 */
export async function bootstrapAdmin(deps: AppDeps, keep: (token: string) => Promise<unknown> = async () => {}): Promise<AccountWithToken | null> {
  return deps.db.transaction().execute(async (trx) => {
    // Several servers starting at once on one PostgreSQL must create one admin, not several.
    await sql`select pg_advisory_xact_lock(hashtext('imagenest.bootstrap-admin'))`.execute(trx);
    if ((await countAdmins(trx)) > 0) return null;
    const admin = await createWithToken(trx, deps, 'admin', 'admin');
    await keep(admin.token);
    return admin;
  });
}

/**
 * Gives the first admin account a new token in place of all its others (a lost token file
 * otherwise locks the operator out for good). `keep` stores the token before the commit: when
 * it fails, the old tokens still work. Undefined when there is no admin account.
 */
export async function resetAdminToken<T>(deps: Pick<AppDeps, 'db' | 'clock' | 'ids'>, keep: (token: string) => Promise<T>): Promise<{ account: Account; kept: T } | undefined> {
  return deps.db.transaction().execute(async (trx) => {
    const admin = await firstAdmin(trx);
    if (!admin) return undefined;
    const token = deps.ids.token();
    await replaceTokens(trx, admin.id, hashToken(token), deps.clock.now());
    return { account: accountView(admin), kept: await keep(token) };
  });
}

export function requirePackageOwnerRole(caller: Caller): void {
  if (!canOwnPackages(caller.role)) {
    throw new ImagenestError(ErrorCode.FORBIDDEN, `a ${caller.role} account cannot create deployment packages; use a supplier account`);
  }
}

export async function whoami(deps: AppDeps, caller: Caller): Promise<Account> {
  const me = await findAccount(deps.db, caller.accountId);
  if (!me) throw new ImagenestError(ErrorCode.UNAUTHENTICATED, 'the account behind this token no longer exists');
  return accountView(me);
}
