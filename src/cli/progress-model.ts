/**
 * What the distribution display shows at a real instant, from the latest status the server
 * answered: the ingest phase, then one row per region, each with its progress moved on from
 * the server's estimate to the instant shown, its elapsed time and ETA, and an overall line.
 * Pure: the real instant comes in. Times are on the server's clock (simulated time on the
 * simulator), so they match the status's timestamps and events.
 */
import type { RegionStatus, VersionStatus } from '../contract/schemas.ts';
import { progressAtPct } from '../domain/delivery/copy-estimate.ts';
import { isFinalDelivery } from '../domain/version-state.ts';

/** One row of the display: the ingest phase or a region. */
export interface PhaseView {
  /** `ingest REGION` or the region. */
  label: string;
  state: RegionStatus['state'];
  /** Percent, 0–100: the cloud's reading moved on along the engine's estimate. */
  pct: number;
  /** True when pct is more than the cloud has said. */
  estimated: boolean;
  elapsedMs: number | null;
  /** Time left until the engine expects it Available; null when final or unknown. */
  etaMs: number | null;
  /** `CODE: message` of a failed phase. */
  error: string | null;
  errorCode: string | null;
}

export interface DistributionView {
  phases: PhaseView[];
  overall: { pct: number; finalRegions: number; regions: number; elapsedMs: number | null; etaMs: number | null };
}

/**
 * The server's clock as seen from here: each status says what its clock read (asOf) when it
 * answered; between answers it runs at the rate measured over the answers seen so far (the
 * simulator's runs many times faster than real time), 1 until two answers are apart.
 */
export class ServerClock {
  #first: { serverMs: number; realMs: number } | undefined;
  #last: { serverMs: number; realMs: number } | undefined;

  observe(asOf: string, realMs: number): void {
    const seen = { serverMs: Date.parse(asOf), realMs };
    this.#first ??= seen;
    this.#last = seen;
  }

  /** Server milliseconds per real millisecond. */
  get rate(): number {
    const a = this.#first;
    const b = this.#last;
    if (!a || !b || b.realMs - a.realMs < 200 || b.serverMs < a.serverMs) return 1;
    return (b.serverMs - a.serverMs) / (b.realMs - a.realMs);
  }

  /** The server's clock at a real instant. */
  nowMs(realMs: number): number {
    if (!this.#last) return realMs;
    return this.#last.serverMs + (realMs - this.#last.realMs) * this.rate;
  }
}

const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));

function phaseView(label: string, r: RegionStatus, asOfMs: number, nowMs: number): PhaseView {
  const endMs = ms(r.expectedFinishAt);
  const startedMs = ms(r.startedAt);
  const final = isFinalDelivery(r.state);
  // The server's estimate at asOf, carried on along its own line to the expected end.
  const pct = r.state === 'Available' ? 100 : endMs === null ? r.estimatedProgress : progressAtPct({ requestedAtMs: asOfMs, sizeGiB: 0, last: { atMs: asOfMs, pct: r.estimatedProgress } }, endMs, nowMs);
  return {
    label,
    state: r.state,
    pct,
    estimated: !final && pct > r.progress,
    elapsedMs: startedMs === null ? null : (final ? (ms(r.finishedAt) ?? nowMs) : nowMs) - startedMs,
    etaMs: final || endMs === null ? null : Math.max(0, endMs - nowMs),
    error: r.error ? `${r.error.code}: ${r.error.message}` : null,
    errorCode: r.error?.code ?? null,
  };
}

/** The display at server instant `nowMs` (the status's own asOf for a one-shot view). */
export function distributionView(s: VersionStatus, nowMs: number = Date.parse(s.asOf)): DistributionView {
  const asOfMs = Date.parse(s.asOf);
  const phases = [
    ...(s.ingest ? [phaseView(`ingest ${s.ingest.region}`, s.ingest, asOfMs, nowMs)] : []),
    ...s.regions.map((r) => phaseView(r.region, r, asOfMs, nowMs)),
  ];
  const regions = phases.slice(s.ingest ? 1 : 0);
  const open = s.regions.filter((r) => !isFinalDelivery(r.state));
  const starts = [s.ingest, ...s.regions].flatMap((r) => (r?.startedAt ? [Date.parse(r.startedAt)] : []));
  const ends = [s.ingest, ...s.regions].flatMap((r) => (r?.finishedAt ? [Date.parse(r.finishedAt)] : []));
  const startMs = starts.length ? Math.min(...starts) : null;
  const endMs = open.length === 0 && ends.length ? Math.max(...ends) : nowMs;
  // Overall ETA only when every open region has an estimate: the last of them.
  const etas = regions.filter((p) => !isFinalDelivery(p.state)).map((p) => p.etaMs);
  return {
    phases,
    overall: {
      pct: regions.length ? regions.reduce((a, p) => a + p.pct, 0) / regions.length : 100,
      finalRegions: s.regions.length - open.length,
      regions: s.regions.length,
      elapsedMs: startMs === null ? null : endMs - startMs,
      etaMs: etas.length === 0 || etas.some((e) => e === null) ? null : Math.max(...(etas as number[])),
    },
  };
}

/** `45s`, `12m05s`, `3h04m`. */
export function formatDuration(durationMs: number): string {
  const s = Math.max(0, Math.round(durationMs / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** `elapsed 3m12s  ETA 5m00s`, `took 8m` once final, or what of it is known. */
export function timesText(p: { elapsedMs: number | null; etaMs: number | null }, final: boolean): string {
  if (final) return p.elapsedMs === null ? '' : `took ${formatDuration(p.elapsedMs)}`;
  return [p.elapsedMs === null ? null : `elapsed ${formatDuration(p.elapsedMs)}`, p.etaMs === null ? null : `ETA ${formatDuration(p.etaMs)}`].filter(Boolean).join('  ');
}
