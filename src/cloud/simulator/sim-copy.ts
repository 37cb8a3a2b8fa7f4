/**
 * Where a new copy goes in the simulated cloud's queues, and how the queue moves up after a
 * cancellation: the five-per-destination rule (FIFO) and, with a source cap, at most N copies
 * running out of a source region (model.ts). Run inside the CopyImage or CancelCopyImage
 * transaction; advisory locks serialise the copies that compete for the same slots.
 */
import { sql } from 'kysely';
import { findRegion, type Region } from '../../domain/regions.ts';
import { copyTiming, COPY_SLOTS_PER_REGION, queuedStartWithin, type CopyQueue, type ScheduledCopy, type SimOptions } from './model.ts';
import type { SimImageRow, SimTrx } from './sim-schema.ts';

const scheduled = (r: Pick<SimImageRow, 'requested_at_ms' | 'start_at_ms' | 'end_at_ms'>): ScheduledCopy => ({ requestedAtMs: r.requested_at_ms, startAtMs: r.start_at_ms, endAtMs: r.end_at_ms });

/** Copies not yet over (queued or running), into a region or out of one. */
async function liveCopies(trx: SimTrx, side: 'region' | 'source_region', region: string, nowMs: number, except?: string): Promise<SimImageRow[]> {
  let q = trx
    .selectFrom('images')
    .selectAll()
    .where(side, '=', region)
    .where('source_image_id', 'is not', null)
    .where('end_at_ms', '>', nowMs)
    .where('cancelled', '=', false)
    .where('deleted', '=', false);
  if (except) q = q.where('image_id', '<>', except);
  return q.orderBy('requested_at_ms').execute();
}

/** The source side's queue under a source cap, or null without one. */
async function sourceQueue(trx: SimTrx, options: SimOptions, from: string, nowMs: number, except?: string): Promise<CopyQueue | null> {
  if (!options.sourceCap) return null;
  return { earlier: (await liveCopies(trx, 'source_region', from, nowMs, except)).map(scheduled), slots: options.sourceCap };
}

export interface PlacedCopy {
  startAtMs: number;
  durationMs: number;
}

/** Places a copy requested at `nowMs`: when it starts (behind the queues) and how long it runs. */
export async function placeCopy(
  trx: SimTrx,
  seed: number | string,
  options: SimOptions,
  c: { imageId: string; sizeGiB: number; from: Region; to: Region; nowMs: number },
): Promise<PlacedCopy> {
  // Always in this order ('…sim-out:' sorts before '…sim:'), so two copies never wait on each other's lock.
  if (options.sourceCap) await sql`select pg_advisory_xact_lock(hashtext(${`imagenest.sim-out:${c.from.id}`}))`.execute(trx);
  await sql`select pg_advisory_xact_lock(hashtext(${`imagenest.sim:${c.to.id}`}))`.execute(trx);
  const timing = copyTiming(seed, c.imageId, c.sizeGiB, c.from, c.to, options.speedSkew ?? null);
  const dest = { earlier: (await liveCopies(trx, 'region', c.to.id, c.nowMs)).map(scheduled), slots: COPY_SLOTS_PER_REGION };
  const source = await sourceQueue(trx, options, c.from.id, c.nowMs);
  return { startAtMs: queuedStartWithin(dest, source, c.nowMs + timing.latencyMs, timing.durationMs), durationMs: timing.durationMs };
}

/**
 * After a cancellation in `region`, copies still queued there move up in request order (never
 * later than they were placed). Copies queued elsewhere behind a source cap keep their places.
 */
export async function replanQueue(trx: SimTrx, seed: number | string, options: SimOptions, region: string, nowMs: number): Promise<void> {
  const rows = await liveCopies(trx, 'region', region, nowMs);
  const placed = rows.filter((r) => r.start_at_ms <= nowMs).map(scheduled);
  for (const r of rows.filter((x) => x.start_at_ms > nowMs)) {
    const from = findRegion(r.source_region!)!;
    const timing = copyTiming(seed, r.image_id, r.size_gib, from, findRegion(region)!, options.speedSkew ?? null);
    const runMs = r.finish_at_ms - r.start_at_ms;
    const source = await sourceQueue(trx, options, from.id, nowMs, r.image_id);
    const start = Math.min(r.start_at_ms, queuedStartWithin({ earlier: placed, slots: COPY_SLOTS_PER_REGION }, source, Math.max(nowMs, r.requested_at_ms + timing.latencyMs), runMs));
    const shift = start - r.start_at_ms;
    const next = {
      start_at_ms: start,
      finish_at_ms: r.finish_at_ms + shift,
      fail_at_ms: r.fail_at_ms === null ? null : r.fail_at_ms + shift,
      end_at_ms: r.end_at_ms + shift,
    };
    await trx.updateTable('images').set(next).where('image_id', '=', r.image_id).execute();
    placed.push({ requestedAtMs: r.requested_at_ms, startAtMs: next.start_at_ms, endAtMs: next.end_at_ms });
  }
}
