/** Accounts and API tokens (stored only as SHA-256 hashes). */
import type { Kysely, Transaction } from 'kysely';
import type { AccountRecord, Role } from '../domain/account.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

function toAccount(row: { id: string; name: string; role: string; created_at: Date }): AccountRecord {
  return { id: row.id, name: row.name, role: row.role as Role, createdAt: row.created_at };
}

/** Inserts an account with its token; call inside a transaction. */
export async function insertAccount(trx: Db, account: AccountRecord, tokenHash: string): Promise<void> {
  {
    await trx
      .insertInto('accounts')
      .values({ id: account.id, name: account.name, role: account.role, created_at: account.createdAt })
      .execute();
    await trx
      .insertInto('api_tokens')
      .values({ token_hash: tokenHash, account_id: account.id, created_at: account.createdAt })
      .execute();
  }
}

export async function findAccountByTokenHash(db: Db, tokenHash: string): Promise<AccountRecord | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('accounts', 'accounts.id', 'api_tokens.account_id')
    .select(['accounts.id', 'accounts.name', 'accounts.role', 'accounts.created_at'])
    .where('api_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row ? toAccount(row) : undefined;
}

export async function findAccount(db: Db, id: string): Promise<AccountRecord | undefined> {
  const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAccount(row) : undefined;
}

export async function listAccounts(db: Db): Promise<AccountRecord[]> {
  const rows = await db.selectFrom('accounts').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toAccount);
}

export async function countAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('role', '=', 'admin')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The oldest admin account: the one the first start created. */
export async function firstAdmin(db: Db): Promise<AccountRecord | undefined> {
  const row = await db.selectFrom('accounts').selectAll().where('role', '=', 'admin').orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  return row ? toAccount(row) : undefined;
}

/** Makes `tokenHash` the account's only token; call inside a transaction. */
export async function replaceTokens(trx: Db, accountId: string, tokenHash: string, createdAt: Date): Promise<void> {
  await trx.deleteFrom('api_tokens').where('account_id', '=', accountId).execute();
  await trx.insertInto('api_tokens').values({ token_hash: tokenHash, account_id: accountId, created_at: createdAt }).execute();
}
