/**
 * The relay bound: a lower bound on the makespan of ANY routing and ANY schedule of a workload,
 * in simulated seconds from the publish instant, built from the simulated cloud's true physics
 * (sim-truth.ts) and nothing the engine decides.
 *
 * Notation, per version v (size S, source region s, destinations D): H = D ∪ {s} the regions that
 * may ever hold v; L the least start latency; f(a, b) the shortest a copy of v from a into b can
 * take; d(a, b) = L + f(a, b).
 *
 * 1. Chain. v's ingest (a copy within s) is requested at or after the publish instant, so it ends
 *    at ρ ≥ L + f(s, s). A copy into b is requested only once its source a holds v Available, so
 *    it ends at ≥ arrival(a) + d(a, b). Hence every region b receives v no earlier than the
 *    shortest path from s (starting at ρ) over H with edge weights d: C ≥ max_b arrival(b).
 * 2. Work of one area A, pooled over its slots. Every destination b of v in A (other than s,
 *    which the ingest serves) needs one successful copy of v, taking ≥ w(b) = min_{a∈H, a≠b} f(a, b).
 *    If s ∉ A, the copy into A that starts first has a source outside A (no region of A holds v
 *    before a copy into A has finished), so one copy takes ≥ min_{b, a∉A} f(a, b): the area's work
 *    gains e(A) = min_b (min_{a∈H\A} f(a, b) − w(b)) ≥ 0. The ingest counts as work in s (it holds
 *    one of s's slots). A copy into b cannot start before r(b) = min_{a∈H, a≠b} arrival(a) + L
 *    (the ingest: before L). At most 5 copies run into a region at once, so the copies into A lie
 *    on m = 5·|regions of A receiving any| slot timelines. If k of them carry a copy, each such
 *    timeline i starts at s_i ≥ the release of its first copy (distinct copies) and is busy for
 *    its copies' work w_i before C: k·C ≥ Σ s_i + Σ w_i ≥ R_k + W, with R_k the sum of the k
 *    smallest releases and W the area's work. k is unknown, so C ≥ min_{1≤k≤min(m, n)} (W + R_k)/k.
 *    Failed, cancelled or repeated copies only add work and do not weaken this.
 * 3. The same for each region alone (m = 5, no entry term), which can be tighter for a hot region.
 *
 * The bound is the largest of all these. It holds for any routing because each term counts only
 * what every routing must do, each at the fastest the cloud can ever do it.
 */
import { findRegion } from '../../src/domain/regions.ts';
import type { CopyTruth } from './sim-truth.ts';
import type { VersionSpec } from './workload.ts';

export interface RelayBound {
  bound_s: number;
  /** Which term gave it: `chain:<version>`, `area:<area>` or `region:<region>`. */
  binding: string;
}

interface Job {
  region: string;
  workS: number;
  releaseS: number;
}

function areaOf(region: string): string {
  const r = findRegion(region);
  if (!r) throw new Error(`unknown region ${region}`);
  return r.area;
}

/** Earliest arrival of v in each holder region (Dijkstra over at most a few dozen regions). */
function arrivals(v: VersionSpec, holders: readonly string[], truth: CopyTruth): Map<string, number> {
  const hop = (a: string, b: string) => truth.minLatencyS + truth.fastestCopyS(v.sizeGiB, a, b);
  const best = new Map<string, number>([[v.sourceRegion, hop(v.sourceRegion, v.sourceRegion)]]);
  const done = new Set<string>();
  for (;;) {
    let next: string | undefined;
    for (const [r, t] of best) if (!done.has(r) && (next === undefined || t < best.get(next)!)) next = r;
    if (next === undefined) return best;
    done.add(next);
    for (const b of holders) {
      if (done.has(b) || b === next) continue;
      const t = best.get(next)! + hop(next, b);
      if (t < (best.get(b) ?? Infinity)) best.set(b, t);
    }
  }
}

/** min over k ≤ min(slots, jobs) of (work + k smallest releases) / k. */
export function pooledBound(jobs: readonly { workS: number; releaseS: number }[], extraWorkS: number, slots: number): number {
  if (jobs.length === 0) return 0;
  const work = jobs.reduce((s, j) => s + j.workS, 0) + extraWorkS;
  const releases = jobs.map((j) => j.releaseS).sort((a, b) => a - b);
  let best = Infinity;
  let sum = 0;
  for (let k = 1; k <= Math.min(slots, jobs.length); k++) {
    sum += releases[k - 1]!;
    best = Math.min(best, (work + sum) / k);
  }
  return best;
}

/** The relay bound of a workload under the cloud's true physics (see the header for the proof). */
export function relayBound(workload: readonly VersionSpec[], truth: CopyTruth): RelayBound {
  let bound: RelayBound = { bound_s: 0, binding: 'none' };
  const consider = (value: number, binding: string) => {
    if (value > bound.bound_s) bound = { bound_s: value, binding };
  };
  const jobsByArea = new Map<string, Job[]>();
  const entryByArea = new Map<string, number>();
  const push = (job: Job) => {
    const area = areaOf(job.region);
    jobsByArea.set(area, [...(jobsByArea.get(area) ?? []), job]);
  };
  for (const v of workload) {
    const holders = [...new Set([v.sourceRegion, ...v.regions])];
    const arrival = arrivals(v, holders, truth);
    consider(Math.max(...arrival.values()), `chain:${v.name}`);
    push({ region: v.sourceRegion, workS: truth.fastestCopyS(v.sizeGiB, v.sourceRegion, v.sourceRegion), releaseS: truth.minLatencyS });
    const targets = holders.filter((b) => b !== v.sourceRegion);
    const fastestInto = (b: string, from: readonly string[]) => Math.min(...from.filter((a) => a !== b).map((a) => truth.fastestCopyS(v.sizeGiB, a, b)));
    for (const b of targets) {
      const releaseS = Math.min(...holders.filter((a) => a !== b).map((a) => arrival.get(a)!)) + truth.minLatencyS;
      push({ region: b, workS: fastestInto(b, holders), releaseS });
    }
    for (const area of new Set(targets.map(areaOf))) {
      if (area === areaOf(v.sourceRegion)) continue;
      const outside = holders.filter((a) => areaOf(a) !== area);
      const entry = Math.min(...targets.filter((b) => areaOf(b) === area).map((b) => fastestInto(b, outside) - fastestInto(b, holders)));
      entryByArea.set(area, (entryByArea.get(area) ?? 0) + entry);
    }
  }
  for (const [area, jobs] of jobsByArea) {
    const regions = [...new Set(jobs.map((j) => j.region))];
    consider(pooledBound(jobs, entryByArea.get(area) ?? 0, truth.slotsPerRegion * regions.length), `area:${area}`);
    for (const region of regions) consider(pooledBound(jobs.filter((j) => j.region === region), 0, truth.slotsPerRegion), `region:${region}`);
  }
  return bound;
}
