/**
 * The relay plan's reads and writes for a pass: plan the versions whose ingest is done, route
 * each ready copy of the region (relay-plan.ts decides), and tell which regions wait on a
 * verdict. Nothing here calls the cloud.
 */
import { priorCopyMs, START_LATENCY_MS, START_OVERHEAD_MS } from '../domain/delivery/copy-estimate.ts';
import type { RouteSpeeds } from '../domain/delivery/learned-speeds.ts';
import { deliveryEstimate, sizeOf, sourceRegionOf } from '../store/delivery-progress.ts';
import { copiesOfVersions, copiesRunningOut, dependentRegions, planVersion, queuedRoutes, relayRoles, type CopySource, type RunningOut } from '../store/delivery-sources.ts';
import type { PassRow } from '../store/delivery-reads.ts';
import type { DeliveryRow } from '../store/schema.ts';
import type { EngineContext } from './engine-options.ts';
import { COPIES_PER_REGION } from './pass-plan.ts';
import { holdsSourceFor, loadByRegion, planRelays, routeCopy, routingOrder, sourceWithinCap, type Holder, type Route } from './relay-plan.ts';

/** A pass's routing: how each ready copy of the region starts, and which of them others wait for. */
export interface Routing {
  routes: Map<string, Route>;
  /** Copies some other copy of their version is planned to come from: ranked like ingests. */
  entries: Set<string>;
  /** Ready copies this pass did not route (a long backlog, routed as far as needed): they wait for a later pass. */
  deferred: Set<string>;
}

/**
 * Ready copies routed per batch. A pass routes its region's ready copies in `routingOrder` a
 * batch at a time until it has this many able to start now: enough for the slot planner (which
 * weighs at most 60 candidates, then keeps to its base rule) whatever the backlog, so a pass's
 * reads do not grow with it. A region with fewer ready copies routes all of them.
 */
export const ROUTING_BATCH = 60;

const usable = (c: DeliveryRow) => c.state === 'Available' && c.image_id !== null && !c.image_released && !c.cancel_requested;

/** Plans (once) the versions of these copies whose ingest is Available, then routes the region's ready copies. */
export async function routeRegion(
  o: EngineContext,
  region: string,
  active: readonly PassRow[],
  ingestOf: ReadonlyMap<string, DeliveryRow>,
  nowMs: number,
  speeds: RouteSpeeds,
): Promise<Routing> {
  const copyMs = (sizeGiB: number, from: string, to: string) => priorCopyMs(sizeGiB, from, to, speeds);
  const routing: Routing = { routes: new Map(), entries: new Set(), deferred: new Set() };
  const ready = active.filter((d) => d.kind === 'copy' && d.state === 'Pending' && ingestOf.get(d.version_id)?.state === 'Available' && ingestOf.get(d.version_id)!.image_id);
  if (ready.length === 0) return routing;
  for (const vid of new Set(ready.filter((d) => d.relay_from === null).map((d) => d.version_id))) await planOne(o, vid, ingestOf.get(vid)!, copyMs);
  const roles = await relayRoles(o.db, region, ready.map((d) => d.version_id));
  const order = routingOrder(
    ready.map((d) => {
      const role = roles.get(d.version_id);
      const from = role?.plannedFrom ?? ingestOf.get(d.version_id)!.region;
      return { id: d.id, row: d, plannedFrom: role?.plannedFrom ?? null, sizeGiB: sizeOf(d), expectedMs: copyMs(sizeOf(d), from, region), entry: role?.entry ?? false };
    }),
  );
  const backlogAllMs = active.reduce((sum, d) => sum + copyMs(sizeOf(d), sourceRegionOf(d), region), 0);
  let startable = 0;
  for (let i = 0; i < order.length; i += ROUTING_BATCH) {
    if (startable >= ROUTING_BATCH) {
      for (const c of order.slice(i)) routing.deferred.add(c.id);
      break;
    }
    const batch = order.slice(i, i + ROUTING_BATCH);
    // A copy planned direct starts from the ingest: only a relayed one needs its version's other copies.
    const relayed = (c: (typeof batch)[number]) => c.plannedFrom !== null && c.plannedFrom !== ingestOf.get(c.row.version_id)!.region;
    const copies = await copiesOfVersions(o.db, batch.filter(relayed).map((c) => c.row.version_id));
    for (const c of batch) {
      const d = c.row;
      const ingest = ingestOf.get(d.version_id)!;
      const route: Route = relayed(c) ? routeOne(region, d, ingest, copies, nowMs, speeds, copyMs, backlogAllMs) : { type: 'copy', from: { region: ingest.region, imageId: ingest.image_id! } };
      routing.routes.set(d.id, route);
      if (c.entry) routing.entries.add(d.id);
      if (route.type === 'copy' && (d.next_attempt_at_ms ?? 0) <= nowMs) startable++;
    }
  }
  return routing;
}

/** Routes one ready copy of `region` planned to relay, knowing every copy of its version. */
function routeOne(
  region: string,
  d: PassRow,
  ingest: DeliveryRow,
  copies: readonly DeliveryRow[],
  nowMs: number,
  speeds: RouteSpeeds,
  copyMs: (sizeGiB: number, from: string, to: string) => number,
  backlogAllMs: number,
): Route {
  const mine = copies.filter((c) => c.version_id === d.version_id);
  const self = mine.find((c) => c.id === d.id) ?? d;
  const expectedAtMs = new Map(
    mine.filter((c) => c.state === 'Pending' || c.state === 'Copying').map((c) => [c.region, deliveryEstimate(c, nowMs, START_LATENCY_MS, Math.max(nowMs, c.next_attempt_at_ms ?? 0), speeds).endMs]),
  );
  return routeCopy({
    region,
    sizeGiB: sizeOf(d),
    nowMs,
    ingest: { region: ingest.region, imageId: ingest.image_id! },
    plannedFrom: self.relay_from,
    holders: mine.filter(usable).map((c) => ({ region: c.region, imageId: c.image_id! })),
    expectedAtMs,
    backlogMs: (backlogAllMs - copyMs(sizeOf(d), sourceRegionOf(self), region)) / COPIES_PER_REGION,
    overheadMs: START_OVERHEAD_MS,
    copyMs,
  });
}

/** Chooses the entry regions of one version, weighing what every unfinished copy already puts on each region. */
async function planOne(o: EngineContext, versionId: string, ingest: DeliveryRow, copyMs: (sizeGiB: number, from: string, to: string) => number): Promise<void> {
  await planVersion(o.db, versionId, async (copies, trx) => {
    const load = loadByRegion(await queuedRoutes(trx, versionId), copyMs);
    return planRelays({ sizeGiB: sizeOf(ingest), ingestRegion: ingest.region, regions: copies.map((c) => c.region) }, load, copyMs);
  });
}

/** The regions to wake when a copy of a version in `region` finished (Available or not): those planned to copy from it. */
export function regionsWaitingOn(o: EngineContext, d: DeliveryRow): Promise<string[]> {
  return o.relay && d.kind === 'copy' ? dependentRegions(o.db, d.version_id, d.region) : Promise.resolve([]);
}

/**
 * The region's deliveries whose cancellation must wait: their image is the source of a copy of
 * the same version still running elsewhere (it is stopped first).
 */
export async function cancelsToHold(o: EngineContext, region: string, toCancel: readonly DeliveryRow[]): Promise<Set<string>> {
  const candidates = toCancel.filter((d) => d.kind === 'copy' && d.region !== d.source_region);
  if (candidates.length === 0) return new Set();
  const copies = await copiesOfVersions(o.db, candidates.map((d) => d.version_id));
  return new Set(
    candidates
      .filter((d) => holdsSourceFor(copies.filter((c) => c.version_id === d.version_id && c.state !== 'Cancelled').map((c) => ({ id: c.id, region: c.region, state: c.state, copySourceRegion: c.copy_source_region }))).has(region))
      .map((d) => d.id),
  );
}

/** After a slot out of a source is seen to free, the copies waiting for it look again this much later (the freeing pass goes first). */
export const SOURCE_RECHECK_DELAY_MS = 5_000;
/** When no copy out of a full source is due for a look, its blocked copies look again this much later. */
export const SOURCE_RECHECK_FLOOR_MS = 30_000;

/**
 * A pass's view of the copies running out of each source region, when the engine keeps to a cap
 * on that side (`copiesOutPerRegion`): which source each copy about to start may use, counting
 * the copies the pass starts. Several workers passing at once may each take the last slot out
 * of a source: the cloud then queues the extra copy, which costs time, not correctness.
 */
export class SourceSlots {
  readonly #o: EngineContext;
  readonly #cap: number;
  /** Copies running out of each region, counting those this pass started. */
  readonly #count: Map<string, number>;
  /** The soonest any copy out of each region is looked at (when a slot out may free). */
  readonly #nextLookAtMs: Map<string, number | null>;
  readonly #holders = new Map<string, Holder[]>();
  /** When the copies this pass left waiting for a slot out should look again. */
  readonly recheckAtMs: number[] = [];

  private constructor(o: EngineContext, cap: number, out: Map<string, RunningOut>) {
    this.#o = o;
    this.#cap = cap;
    this.#count = new Map([...out].map(([r, v]) => [r, v.count]));
    this.#nextLookAtMs = new Map([...out].map(([r, v]) => [r, v.nextLookAtMs]));
  }

  /** The pass's view, or null when the engine keeps to no cap on the source side. */
  static async read(o: EngineContext): Promise<SourceSlots | null> {
    return o.copiesOutPerRegion === null ? null : new SourceSlots(o, o.copiesOutPerRegion, await copiesRunningOut(o.db));
  }

  /** Where `d` may start from now (`planned`, or another holder of its version), or null: it waits for a slot out. */
  async choose(d: PassRow, planned: CopySource, ingest: DeliveryRow | undefined, nowMs: number, speeds: RouteSpeeds): Promise<CopySource | null> {
    const full = (this.#count.get(planned.region) ?? 0) >= this.#cap;
    // With relay off every copy comes from the ingest: it waits for a slot out of the ingest's region.
    const holders = full && d.kind === 'copy' && this.#o.relay ? await this.#holdersOf(d.version_id, ingest) : [];
    const chosen = sourceWithinCap({ region: d.region, sizeGiB: sizeOf(d), planned, holders, runningOut: this.#count, cap: this.#cap, copyMs: (size, from, to) => priorCopyMs(size, from, to, speeds) });
    if (chosen === null) {
      // A copy out of the source that is overdue for its look (its poll failed) is looked at by its
      // own region's retry; meanwhile a blocked copy looks again no sooner than this.
      const next = this.#nextLookAtMs.get(planned.region) ?? null;
      this.recheckAtMs.push(next !== null && next > nowMs ? next + SOURCE_RECHECK_DELAY_MS : nowMs + SOURCE_RECHECK_FLOOR_MS);
    }
    return chosen;
  }

  /** Counts a copy the pass started out of `source`. */
  started(source: CopySource): void {
    this.#count.set(source.region, (this.#count.get(source.region) ?? 0) + 1);
  }

  async #holdersOf(versionId: string, ingest: DeliveryRow | undefined): Promise<Holder[]> {
    let holders = this.#holders.get(versionId);
    if (!holders) {
      const copies = (await copiesOfVersions(this.#o.db, [versionId])).filter(usable).map((c) => ({ region: c.region, imageId: c.image_id! }));
      holders = ingest?.state === 'Available' && ingest.image_id && !ingest.image_released ? [{ region: ingest.region, imageId: ingest.image_id }, ...copies] : copies;
      this.#holders.set(versionId, holders);
    }
    return holders;
  }
}
