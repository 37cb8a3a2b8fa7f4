/**
 * `Cancelled` became a version state of its own: versions settled before as `Failed` although
 * every region of theirs was cancelled take the state they have now.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update versions v set state = 'Cancelled'
    where v.state = 'Failed' and v.number is not null
      and exists (select 1 from deliveries d where d.version_id = v.id and d.kind = 'copy')
      and not exists (select 1 from deliveries d where d.version_id = v.id and d.kind = 'copy' and d.state <> 'Cancelled')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update versions set state = 'Failed' where state = 'Cancelled'`.execute(db);
}
