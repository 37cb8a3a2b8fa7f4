/** Use cases for deployment packages and versions (SPEC §3–§4), one function per user action. */
import type { Caller } from '../domain/account.ts';
import { ErrorCode, ImagenestError, notFound, validationError } from '../domain/errors.ts';
import {
  mergeDraft,
  validateCreatePackage,
  versionLabel,
  validatePackageChanges,
  type CreatePackageInput,
  type DraftInput,
  type PackageChanges,
  type PackageRecord,
  type ValidDraft,
  type VersionRecord,
} from '../domain/package.ts';
import type { Tag } from '../domain/package-rules.ts';
import { transition } from '../domain/version-state.ts';
import type { Package, PackageList, PublishResult, Version } from '../contract/schemas.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';
import { requestCancel } from './cancellation.ts';
import { changingImages } from './image-map.ts';
import {
  deletePackage as deletePackageRow,
  deleteVersion as deleteVersionRow,
  findDraft,
  findOwnedPackage,
  findVersionById,
  findVersionByNumber,
  insertPackage,
  insertVersion,
  listOwnedPackages,
  listVersions as listVersionRows,
  markPublished,
  nextVersionNumber,
  setVersionState,
  updateDraft,
  updatePackage as updatePackageRow,
} from '../store/packages-repo.ts';
import type { Db } from '../store/database.ts';
import { appendEvent, findLiveCopies, insertDeliveries, listDeliveries } from '../store/deliveries-repo.ts';
import { insertMarketplaceDeliveries } from '../store/marketplace-deliveries.ts';
import { UniqueViolation } from '../store/unique-violation.ts';
import { requirePackageOwnerRole } from './accounts.ts';
import { decodeToken, encodeToken, pageLimit } from './paging.ts';
import { assertSoldWhereAsked, marketplaceImages } from './marketplace.ts';
import type { MarketplaceListing } from './ports.ts';
import type { AppDeps } from './deps.ts';
import { assertNotInUse } from './version-use.ts';
import { runIdempotent } from './idempotency.ts';
import { packageSummary, packageView, versionView } from './views.ts';
import { assertCheckedSource, inspectSourceImage, sourceImageWarnings } from './source-image.ts';
import { translateUniqueViolation } from './unique-names.ts';

/**
 * The caller's package. Locked (`forUpdate`) means about to change: a package being deleted
 * refuses every change but its deletion.
 */
export async function requirePackage(db: Db, caller: Caller, ref: string, forUpdate = false, opts: { deleting?: 'allowed' } = {}): Promise<PackageRecord> {
  const p = await findOwnedPackage(db, caller.accountId, ref, { forUpdate });
  if (!p) throw notFound('package', ref);
  if (forUpdate && p.deleteRequestedAt && opts.deleting !== 'allowed') {
    throw new ImagenestError(ErrorCode.CONFLICT, `package ${p.name} is being deleted: its regional copies are being removed, after which it is gone`, {
      context: { packageId: p.id },
    });
  }
  return p;
}

async function loadPackageView(db: Db, p: PackageRecord): Promise<Package> {
  const versions = await listVersionRows(db, [p.id]);
  const deliveries = await listDeliveries(db, versions.map((v) => v.id));
  return packageView(p, versions, deliveries);
}

export async function createPackage(
  deps: AppDeps,
  caller: Caller,
  input: CreatePackageInput,
  idempotencyKey?: string,
): Promise<Package> {
  requirePackageOwnerRole(caller);
  const { draft } = validateCreatePackage(input);
  await assertSoldWhereAsked(deps.marketplace, draft.content);
  const warnings = await sourceImageWarnings(deps, caller.accountId, draft.content);
  return runIdempotent(deps, caller, idempotencyKey, 'createPackage', input, async (trx) => {
    const now = deps.clock.now();
    const pkg: PackageRecord = {
      id: deps.ids.id('pkg'),
      ownerId: caller.accountId,
      name: input.name,
      description: input.description,
      resourceGroup: input.resourceGroup ?? null,
      tags: input.tags ?? [],
      type: input.type ?? 'EcsImage',
      createdAt: now,
      updatedAt: now,
      deleteRequestedAt: null,
    };
    const version = newDraft(deps.ids.id('ver'), pkg.id, draft, now);
    try {
      await insertPackage(trx, pkg);
      await insertVersion(trx, version);
    } catch (err) {
      translateUniqueViolation(err, { packageName: input.name, versionName: draft.name });
    }
    const view = packageView(pkg, [version], []);
    return { ...view, versions: view.versions.map((v) => ({ ...v, warnings })) };
  });
}

export interface ListPackagesQuery {
  limit?: number | undefined;
  nextToken?: string | undefined;
  nameContains?: string | undefined;
  resourceGroup?: string | undefined;
  /** `key=value` pairs; a package must carry all of them. */
  tags?: string[] | undefined;
}

function parseTagFilter(tags: string[]): Tag[] {
  return tags.map((t, i) => {
    const eq = t.indexOf('=');
    if (eq <= 0) {
      throw validationError([{ field: `tag[${i}]`, rule: 'format', message: `a tag filter is KEY=VALUE; got ${JSON.stringify(t)}` }]);
    }
    return { key: t.slice(0, eq), value: t.slice(eq + 1) };
  });
}


export async function listPackages(deps: AppDeps, caller: Caller, query: ListPackagesQuery): Promise<PackageList> {
  const limit = pageLimit(query.limit);
  const after = query.nextToken ? decodeToken(query.nextToken) : undefined;
  const tags = parseTagFilter(query.tags ?? []);
  const rows = await listOwnedPackages(
    deps.db,
    caller.accountId,
    { nameContains: query.nameContains, resourceGroup: query.resourceGroup, tags },
    { limit: limit + 1, after },
  );
  const page = rows.slice(0, limit);
  const versions = await listVersionRows(deps.db, page.map((p) => p.id));
  return {
    items: page.map((p) => packageSummary(p, versions)),
    nextToken: rows.length > limit ? encodeToken(page[page.length - 1]!) : null,
  };
}

export async function getPackage(deps: AppDeps, caller: Caller, ref: string): Promise<Package> {
  return loadPackageView(deps.db, await requirePackage(deps.db, caller, ref));
}

export async function updatePackage(deps: AppDeps, caller: Caller, ref: string, changes: PackageChanges): Promise<Package> {
  return deps.db.transaction().execute(async (trx) => {
    const current = await requirePackage(trx, caller, ref, true);
    validatePackageChanges(current, changes);
    const next: PackageRecord = {
      ...current,
      description: changes.description ?? current.description,
      resourceGroup: changes.resourceGroup === undefined ? current.resourceGroup : changes.resourceGroup,
      tags: changes.tags ?? current.tags,
      updatedAt: deps.clock.now(),
    };
    await updatePackageRow(trx, next);
    return loadPackageView(trx, next);
  });
}

/** What a delete did: the thing is gone, or its regional copies are being removed first. */
export type DeleteOutcome = { state: 'Deleted' } | { state: 'Deleting'; regions: string[] };

/**
 * Deleting removes regional copies (SPEC §4) and never orphans one: versions whose copies are
 * gone are deleted at once; the others have their distribution cancelled (running copies
 * cancelled, finished ones deleted) and are marked, and the engine deletes them — and the
 * package, when it was deleted too — once their last copy is removed.
 */
async function deleteVersions(trx: Transaction<Database>, deps: AppDeps, versions: VersionRecord[], what: string): Promise<DeleteOutcome> {
  const regions = new Set<string>();
  const now = deps.clock.now();
  for (const v of versions) {
    let live = await findLiveCopies(trx, [v.id]);
    if (live.length > 0 && !v.deleteRequestedAt) {
      await requestCancel(trx, deps, v.id);
      // Deliveries with nothing in the cloud were cancelled on the spot; what remains is live.
      live = await findLiveCopies(trx, [v.id]);
    }
    if (live.length === 0) {
      await deleteVersionRow(trx, v.id);
      continue;
    }
    for (const l of live) regions.add(l.region);
    if (!v.deleteRequestedAt) {
      await trx.updateTable('versions').set({ delete_requested_at: now, updated_at: now }).where('id', '=', v.id).execute();
      await appendEvent(trx, { versionId: v.id, region: null, atMs: deps.clock.now().getTime(), type: 'DeleteRequested', message: `${what} deleted: its regional copies are being removed` });
    }
  }
  return regions.size === 0 ? { state: 'Deleted' } : { state: 'Deleting', regions: [...regions].sort() };
}

export async function deletePackage(deps: AppDeps, caller: Caller, ref: string): Promise<DeleteOutcome> {
  return changingImages(deps.lookups?.images, () => deps.db.transaction().execute(async (trx) => {
    const p = await requirePackage(trx, caller, ref, true, { deleting: 'allowed' });
    await assertNotInUse(trx, { packageId: p.id });
    const versions = await listVersionRows(trx, [p.id]);
    const outcome = await deleteVersions(trx, deps, versions, `package ${p.name}`);
    if (outcome.state === 'Deleted') await deletePackageRow(trx, p.id);
    else if (!p.deleteRequestedAt) await trx.updateTable('packages').set({ delete_requested_at: deps.clock.now() }).where('id', '=', p.id).execute();
    return outcome;
  }));
}

/**
 * Saves changes to a version. `draft` updates the draft or creates it when the package has
 * none; a published version (by number or ID) is locked and refuses any change.
 */
export async function saveVersion(
  deps: AppDeps,
  caller: Caller,
  ref: string,
  label: string,
  changes: DraftInput,
): Promise<{ version: Version; created: boolean }> {
  // The catalogue is asked outside the transaction (no cloud call holds a row lock); publish
  // asks again before it locks the content, so a save racing this check cannot publish unsold.
  // A save the transaction will refuse anyway (no such package, one being deleted, a locked
  // version, invalid fields) is left to it, so that its refusal is the same with or without this look.
  const preview = await findVersionForSave(deps.db, caller, ref, label)
    .then((current) => mergeDraft(current, changes))
    .catch(() => undefined);
  if (preview) await assertSoldWhereAsked(deps.marketplace, preview.content);
  const warnings = preview ? await sourceImageWarnings(deps, caller.accountId, preview.content) : [];
  return deps.db.transaction().execute(async (trx) => {
    // The package row lock serialises saves and publishes of one package.
    const p = await requirePackage(trx, caller, ref, true);
    const current = await findTarget(trx, p, label);
    const draft = mergeDraft(current, changes);
    const now = deps.clock.now();
    const version: VersionRecord = current ? { ...current, ...draft, updatedAt: now } : newDraft(deps.ids.id('ver'), p.id, draft, now);
    try {
      if (!current) await insertVersion(trx, version);
      else if (!(await updateDraft(trx, version))) {
        throw new ImagenestError(ErrorCode.VERSION_LOCKED, 'this version was published meanwhile; its content is locked', {
          context: { packageId: p.id },
        });
      }
    } catch (err) {
      translateUniqueViolation(err, { versionName: draft.name });
    }
    return { version: { ...versionView(version, []), warnings }, created: !current };
  });
}

/** A package's new draft version, not yet numbered. */
function newDraft(id: string, packageId: string, draft: ValidDraft, now: Date): VersionRecord {
  return { id, packageId, number: null, ...draft, state: 'Draft', createdAt: now, updatedAt: now, publishedAt: null, deleteRequestedAt: null };
}

/** The version a save changes, read without a lock (undefined: a draft to be created). */
async function findVersionForSave(db: Db, caller: Caller, ref: string, label: string): Promise<VersionRecord | undefined> {
  const p = await requirePackage(db, caller, ref);
  if (p.deleteRequestedAt) throw new Error('being deleted: the transaction refuses the save');
  return findTarget(db, p, label);
}

/** What a save of `label` changes: the draft (undefined when there is none yet), or a numbered version (which refuses). */
async function findTarget(db: Db, p: PackageRecord, label: string): Promise<VersionRecord | undefined> {
  return label === 'draft' ? findDraft(db, p.id) : requireVersion(db, p, label);
}

/** Creates or updates the package's draft. */
export function saveDraft(deps: AppDeps, caller: Caller, ref: string, changes: DraftInput) {
  return saveVersion(deps, caller, ref, 'draft', changes);
}

/** Publishes the draft as the next numbered version, locks it and hands it to distribution. */
export async function publish(deps: AppDeps, caller: Caller, ref: string, idempotencyKey?: string): Promise<PublishResult> {
  // Checked before the transaction (no lock held across a cloud call), enforced inside it: a
  // refused publish rolls back before a number is taken, so the next one gets the same number.
  // The same look reads a marketplace draft's image in each region.
  const seen = await findDraft(deps.db, (await requirePackage(deps.db, caller, ref)).id);
  const source = seen ? await inspectSourceImage(deps, caller.accountId, seen.content) : undefined;
  const planned = seen ? await plannedMarketplaceImages(deps, seen) : undefined;
  return runIdempotent(deps, caller, idempotencyKey, 'publish', { ref }, async (trx) => {
    const p = await requirePackage(trx, caller, ref, true);
    const draft = await findDraft(trx, p.id);
    if (!draft) {
      throw new ImagenestError(ErrorCode.NO_DRAFT, `package '${p.name}' has no draft to publish; save a draft first (imagenest package save)`, {
        context: { packageId: p.id },
      });
    }
    if (draft.content.imageType === 'marketplace' && (!planned || planned.draftId !== draft.id || planned.updatedAt !== draft.updatedAt.getTime())) {
      throw new ImagenestError(ErrorCode.CONFLICT, 'the draft changed while publishing; try again', { retryable: true });
    }
    const next = transition(draft.state, { type: 'publish' });
    if (!next.ok) throw new ImagenestError(ErrorCode.INVALID_STATE_TRANSITION, next.reason);
    assertCheckedSource(draft.content, source);
    const number = await nextVersionNumber(trx, p.id);
    const now = deps.clock.now();
    if (!(await markPublished(trx, draft.id, number, next.state, now))) {
      throw new ImagenestError(ErrorCode.CONFLICT, 'the draft changed while publishing; try again', { retryable: true });
    }
    if (planned) return publishMarketplace(trx, deps, p, draft.id, number, planned.images);
    const c = draft.content;
    const sourceImageId = c.imageType === 'custom' ? c.imageId : `${c.productCode}:${c.productVersion}`;
    const common = { versionId: draft.id, sourceRegion: c.sourceRegion, sourceImageId, at: now };
    await insertDeliveries(trx, [
      { ...common, id: deps.ids.id('dlv'), kind: 'ingest', region: c.sourceRegion },
      ...c.regions.map((region) => ({ ...common, id: deps.ids.id('dlv'), kind: 'copy' as const, region })),
    ]);
    await appendEvent(trx, { versionId: draft.id, region: null, atMs: deps.clock.now().getTime(), type: 'Published', message: `version ${number} published to ${c.regions.length} region(s)` });
    await deps.wakeups.wake(trx, c.sourceRegion, deps.clock.now().getTime());
    return { package: p.name, packageId: p.id, version: number, versionId: draft.id, state: next.state };
  });
}

/** A marketplace draft's image per region, with the draft it was read for; undefined for anything else. */
async function plannedMarketplaceImages(deps: AppDeps, draft: VersionRecord) {
  if (draft.content.imageType !== 'marketplace') return undefined;
  return { draftId: draft.id, updatedAt: draft.updatedAt.getTime(), images: await marketplaceImages(deps.marketplace, draft.content) };
}

/**
 * A marketplace version needs no distribution: each region's image is the product's own image
 * there. Its regions are Available at once and the version with them; the images are not ours, so
 * nothing is ever copied, shared or deleted (image_released marks them so for the engine).
 */
async function publishMarketplace(trx: Transaction<Database>, deps: AppDeps, p: PackageRecord, versionId: string, number: number, images: MarketplaceListing[]): Promise<PublishResult> {
  const now = deps.clock.now();
  await insertMarketplaceDeliveries(trx, images.map((i) => ({ id: deps.ids.id('dlv'), versionId, region: i.region, imageId: i.imageId, at: now })));
  const settled = transition('Delivering', { type: 'settle', outcome: 'Available' });
  if (!settled.ok) throw new ImagenestError(ErrorCode.INTERNAL, settled.reason);
  await setVersionState(trx, versionId, settled.state, now);
  await appendEvent(trx, { versionId, region: null, atMs: now.getTime(), type: 'Published', message: `version ${number} published from the marketplace to ${images.length} region(s), no copy needed` });
  await appendEvent(trx, { versionId, region: null, atMs: now.getTime(), type: `Version${settled.state}`, message: `version ${number} is ${settled.state} in every region` });
  return { package: p.name, packageId: p.id, version: number, versionId, state: settled.state };
}

export async function requireVersion(db: Db, p: PackageRecord, label: string): Promise<VersionRecord> {
  let v: VersionRecord | undefined;
  if (label === 'draft') v = await findDraft(db, p.id);
  else if (/^[1-9][0-9]{0,8}$/.test(label)) v = await findVersionByNumber(db, p.id, Number(label));
  else if (label.includes('-')) v = await findVersionById(db, p.id, label);
  if (!v) throw notFound('version', `${p.name}/${label}`);
  return v;
}

export async function listVersions(deps: AppDeps, caller: Caller, ref: string): Promise<Version[]> {
  const p = await requirePackage(deps.db, caller, ref);
  const versions = await listVersionRows(deps.db, [p.id]);
  const deliveries = await listDeliveries(deps.db, versions.map((v) => v.id));
  return versions.map((v) => versionView(v, deliveries));
}

export async function getVersion(deps: AppDeps, caller: Caller, ref: string, label: string): Promise<Version> {
  const p = await requirePackage(deps.db, caller, ref);
  const v = await requireVersion(deps.db, p, label);
  return versionView(v, await listDeliveries(deps.db, [v.id]));
}

export async function deleteVersion(deps: AppDeps, caller: Caller, ref: string, label: string): Promise<DeleteOutcome> {
  return changingImages(deps.lookups?.images, () => deps.db.transaction().execute(async (trx) => {
    const p = await requirePackage(trx, caller, ref, true, { deleting: 'allowed' });
    const v = await requireVersion(trx, p, label);
    await assertNotInUse(trx, { packageId: p.id, version: v.number ?? 'draft' });
    return deleteVersions(trx, deps, [v], `version ${versionLabel(v)} of ${p.name}`);
  }));
}
