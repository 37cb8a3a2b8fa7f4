/**
 * Stamps of what one account owns: strings that change whenever its packages, versions, regional
 * copies (state, progress), delivery events or instances change. Read by the console's event
 * stream to tell it what to reload; every part is filtered by owner, so no other account's
 * activity moves them.
 */
import { sql } from 'kysely';
import type { Db } from './database.ts';

export interface OwnerStamps {
  packages: string;
  instances: string;
}

export async function ownerStamps(db: Db, ownerId: string): Promise<OwnerStamps> {
  const { rows } = await sql<{ packages: string; instances: string }>`
    with own_versions as (
      select v.id, v.updated_at from versions v join packages p on p.id = v.package_id where p.owner_id = ${ownerId}
    )
    select
      concat_ws('|',
        (select count(*) || ':' || coalesce(max(updated_at)::text, '') from packages where owner_id = ${ownerId}),
        (select count(*) || ':' || coalesce(max(updated_at)::text, '') from own_versions),
        (select count(*) || ':' || coalesce(sum(progress), 0) || ':' || count(*) filter (where state = 'Available') || ':' || coalesce(max(updated_at)::text, '')
           from deliveries where version_id in (select id from own_versions)),
        (select coalesce(max(id), 0)::text from delivery_events where version_id in (select id from own_versions))
      ) as packages,
      (select count(*) || ':' || coalesce(max(updated_at)::text, '') from instances where owner_id = ${ownerId}) as instances
  `.execute(db);
  return rows[0]!;
}
