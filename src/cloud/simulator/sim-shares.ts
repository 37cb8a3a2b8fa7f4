/**
 * The simulator's share permissions (ModifyImageSharePermission, DescribeImageSharePermission):
 * who besides the owner may use an image, by account or, when public, everyone.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import { shareRequestError, type ImageSharePermission, type SharePermissionRequest } from '../provider.ts';
import type { SimDatabase, SimImageRow, SimTrx } from './sim-schema.ts';

/** Rows `account` may use: its own, shared with it, or public. */
export function usableBy(account: string) {
  return (eb: ExpressionBuilder<SimDatabase, 'images'>) =>
    eb.or([eb('account', '=', account), eb('is_public', '=', true), eb(sql<boolean>`shared_with @> ${JSON.stringify([account])}::jsonb`, '=', true)]);
}

/** Whether `account` may use the image in `row` (the row-level twin of usableBy). */
export function mayUseImage(row: SimImageRow, account: string): boolean {
  return row.account === account || row.is_public || row.shared_with.includes(account);
}

/** Applies one ModifyImageSharePermission to the owner's row, with ECS's 1–10 accounts a call. */
export async function modifyShares(trx: SimTrx, row: SimImageRow, req: SharePermissionRequest): Promise<void> {
  const refused = shareRequestError(req);
  if (refused) throw refused;
  const shared = new Set(row.shared_with);
  for (const a of req.addAccounts) shared.add(a);
  for (const a of req.removeAccounts) shared.delete(a);
  await trx
    .updateTable('images')
    .set({ shared_with: JSON.stringify([...shared].sort()), ...(req.isPublic === undefined ? {} : { is_public: req.isPublic }) })
    .where('image_id', '=', row.image_id)
    .execute();
}

export function sharePermission(row: SimImageRow): ImageSharePermission {
  return { accounts: [...row.shared_with].sort(), isPublic: row.is_public };
}
