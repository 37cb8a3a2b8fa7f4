/**
 * How close to the lower bound can a scheduler get on the distribution benchmark's
 * bottleneck regions, and how much of the gap comes from not knowing a copy's speed before it runs?
 *
 *   npm run bench:distribution -- --json --trace /tmp/trace.jsonl
 *   npm run bench:information -- --trace /tmp/trace.jsonl [--draws 20] [--json]
 *
 * From the trace it takes the versions' sizes and the moments their ingests were seen Available
 * (no copy can start before), and the regions with the most copy work. It then replays only the
 * slot scheduling of those regions, many times, each time with fresh per-copy speeds drawn as
 * the simulator draws them (expected ± 20 %, uniform), under these rules:
 *
 *   - `longest_first`: start the longest ready copy (the base rule the engine's slot planner
 *     rolls out);
 *   - `replanning_expected`: whenever a slot is free, plan every remaining copy of the region by
 *     local search over start orders, on expected durations (and running copies' known ends once
 *     they have run 10 % of their time, as progress polls tell), and start the plan's first copy
 *     or keep the slot free when the plan waits for a later ingest;
 *   - `replanning_sampled`: the same search, an order costing its mean makespan over 16 sampled
 *     draws of the unknown speeds (a hedge against the ±20 %);
 *   - `replanning_hedged`: the same search on expected durations, each slot's end padded by 20 %
 *     of its last copy (so plans prefer short copies last, whose speed matters least);
 *   - `replanning_perfect_information`: the same planner given every copy's true duration in
 *     advance — information no scheduler has, since a copy's speed shows only once it runs.
 *
 * Every start costs 60 s of slot time (start latency plus detection). A draw's ratio is, as in
 * bench:distribution, the latest finish over these regions divided by the largest region bound
 * (sum of true copy durations into the region / 5). This is a model of the bottleneck, not the
 * engine: it shows what the information available to any scheduler allows.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { THROUGHPUT_GIB_PER_MIN, COPY_SLOTS_PER_REGION } from '../src/cloud/simulator/model.ts';
import { distanceTier, findRegion } from '../src/domain/regions.ts';

const START_COST_S = 60;
const BOTTLENECK_REGIONS = 3;
const SEARCH_STEPS = 2000;

interface TraceLine {
  version: string;
  region: string;
  sizeGiB: number;
  finishedAt: number;
  detectedAt: number;
  kind: 'ingest' | 'copy';
  /** The cloud draw (0: the headline run); absent in traces written before draws were traced. */
  draw?: number;
}

interface Job {
  id: string;
  releaseS: number;
  expectedS: number;
}

/** mulberry32: a small seeded generator for draws and search moves. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * Makespan of starting `order` in turn on the earliest free slot, each not before its release;
 * with `hedge` > 0, each slot's end is padded by that share of its last copy's duration (the
 * part of the end not yet known when it is planned).
 */
function listMakespan(freeAt: readonly number[], order: readonly Job[], dur: (j: Job) => number, hedge = 0): number {
  const slots = [...freeAt];
  const last = freeAt.map(() => 0);
  for (const j of order) {
    let k = 0;
    for (let i = 1; i < slots.length; i++) if (slots[i]! < slots[k]!) k = i;
    slots[k] = Math.max(slots[k]!, j.releaseS) + START_COST_S + dur(j);
    last[k] = dur(j);
  }
  return Math.max(...slots.map((s, i) => s + hedge * last[i]!));
}

/** Local search (swap / move) over start orders, from longest-first. */
function planOrder(
  freeAt: readonly number[],
  jobs: readonly Job[],
  dur: (j: Job) => number,
  cost: (freeAt: readonly number[], order: readonly Job[]) => number,
  random: () => number,
): Job[] {
  let order = [...jobs].sort((a, b) => dur(b) - dur(a));
  let best = cost(freeAt, order);
  const n = order.length;
  if (n < 2) return order;
  for (let step = 0; step < SEARCH_STEPS; step++) {
    const i = Math.floor(random() * n);
    const j = Math.floor(random() * n);
    if (i === j) continue;
    const next = [...order];
    if (random() < 0.5) [next[i], next[j]] = [next[j]!, next[i]!];
    else next.splice(j, 0, next.splice(i, 1)[0]!);
    const m = cost(freeAt, next);
    if (m <= best) [best, order] = [m, next];
  }
  return order;
}

type Rule = 'longest_first' | 'replanning_expected' | 'replanning_sampled' | 'replanning_hedged' | 'replanning_perfect_information';

const SAMPLES = 16;
/** How much of a slot's last copy counts against the plan: the share of its duration still unknown. */
const HEDGE = 0.2;

/** Replays one region's slots under a rule; returns when its last copy finishes. */
function replay(jobs: readonly Job[], trueS: ReadonlyMap<string, number>, rule: Rule, random: () => number): number {
  const running: { job: Job; startS: number; endS: number }[] = [];
  const pending = new Set(jobs);
  const free = Array.from({ length: COPY_SLOTS_PER_REGION }, () => 0);
  let t = 0;
  while (pending.size > 0) {
    for (let s = 0; s < free.length && pending.size > 0; s++) {
      if (free[s]! > t) continue;
      const ready = [...pending].filter((j) => j.releaseS <= t);
      let pick: Job | undefined;
      if (rule === 'longest_first') {
        pick = ready.sort((a, b) => b.expectedS - a.expectedS)[0];
      } else if (ready.length > 0) {
        const perfect = rule === 'replanning_perfect_information';
        const dur = (j: Job) => (perfect ? trueS.get(j.id)! : j.expectedS);
        // Sampled: scenarios of the unknown speeds; an order's cost is its mean makespan over them.
        const scenarios =
          rule === 'replanning_sampled' ? Array.from({ length: SAMPLES }, () => new Map(jobs.map((j) => [j.id, j.expectedS * (0.8 + 0.4 * random())]))) : [];
        // What the other slots are known to hold: a running copy's end is known once it has
        // run a tenth of its expected time (progress polls), otherwise expected.
        const others = free.flatMap((f, i) => {
          if (i === s) return [];
          const r = running.find((x) => x.endS === f);
          if (!r || perfect || t - r.startS >= 0.1 * r.job.expectedS) return [Math.max(f, t)];
          return [Math.max(t + 1, r.startS + r.job.expectedS)];
        });
        const cost =
          rule === 'replanning_hedged'
            ? (freeAt: readonly number[], order: readonly Job[]) => listMakespan(freeAt, order, dur, HEDGE)
            : scenarios.length > 0
            ? (freeAt: readonly number[], order: readonly Job[]) => scenarios.reduce((a, sc) => a + listMakespan(freeAt, order, (j) => sc.get(j.id)!), 0) / scenarios.length
            : (freeAt: readonly number[], order: readonly Job[]) => listMakespan(freeAt, order, dur);
        const first = planOrder([t, ...others], [...pending], dur, cost, random)[0]!;
        if (first.releaseS <= t) pick = first;
      }
      if (!pick) continue;
      pending.delete(pick);
      const startS = t + START_COST_S;
      const endS = startS + trueS.get(pick.id)!;
      running.push({ job: pick, startS, endS });
      free[s] = endS;
    }
    const next = [...free.filter((f) => f > t), ...[...pending].map((j) => j.releaseS).filter((r) => r > t)];
    if (next.length === 0) break;
    t = Math.min(...next);
  }
  return Math.max(...free);
}

async function main(): Promise<void> {
  const usage = 'usage: bench:information --trace FILE [--draws N] [--json]\n';
  let values;
  try {
    ({ values } = parseArgs({ options: { trace: { type: 'string' }, draws: { type: 'string' }, json: { type: 'boolean' } } }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${usage}`);
    process.exit(2);
  }
  const draws = Number(values.draws ?? 20);
  if (!values.trace || !Number.isInteger(draws) || draws < 1) {
    process.stderr.write(usage);
    process.exit(2);
  }
  const lines = (await readFile(values.trace, 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as TraceLine)
    // The headline run only: the trace also holds the extra cloud draws.
    .filter((l) => (l.draw ?? 0) === 0);
  const ingests = new Map(lines.filter((l) => l.kind === 'ingest').map((l) => [l.version, l]));
  const jobsByRegion = new Map<string, Job[]>();
  for (const c of lines.filter((l) => l.kind === 'copy')) {
    const ingest = ingests.get(c.version);
    if (!ingest) throw new Error(`the trace has no ingest line for ${c.version}`);
    if (c.region === ingest.region) continue; // served by the ingest itself
    const from = findRegion(ingest.region);
    const to = findRegion(c.region);
    if (!from || !to) throw new Error(`unknown region in the trace: ${ingest.region} or ${c.region}`);
    const expectedS = (c.sizeGiB / THROUGHPUT_GIB_PER_MIN[distanceTier(from, to)]) * 60;
    const list = jobsByRegion.get(c.region) ?? [];
    list.push({ id: c.version, releaseS: ingest.detectedAt, expectedS });
    jobsByRegion.set(c.region, list);
  }
  const work = (jobs: Job[]) => jobs.reduce((a, j) => a + j.expectedS, 0);
  const regions = [...jobsByRegion].sort(([, a], [, b]) => work(b) - work(a)).slice(0, BOTTLENECK_REGIONS);

  const rules: Rule[] = ['longest_first', 'replanning_expected', 'replanning_sampled', 'replanning_hedged', 'replanning_perfect_information'];
  const ratios = Object.fromEntries(rules.map((r) => [r, [] as number[]])) as Record<Rule, number[]>;
  const speeds = prng(20261127);
  const started = performance.now();
  for (let d = 0; d < draws; d++) {
    // One draw of every copy's true duration, shared by all rules.
    const trueByRegion = regions.map(([, jobs]) => new Map(jobs.map((j) => [j.id, j.expectedS * (0.8 + 0.4 * speeds())])));
    const bound = Math.max(...trueByRegion.map((m) => [...m.values()].reduce((a, b) => a + b, 0) / COPY_SLOTS_PER_REGION));
    for (const rule of rules) {
      const search = prng(1000 + d);
      const makespan = Math.max(...regions.map(([, jobs], i) => replay(jobs, trueByRegion[i]!, rule, search)));
      ratios[rule].push(makespan / bound);
    }
  }
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  const summary = Object.fromEntries(
    rules.map((rule) => {
      const xs = ratios[rule];
      return [
        rule,
        {
          makespan_ratio_mean: r3(xs.reduce((a, b) => a + b, 0) / xs.length),
          makespan_ratio_min: r3(Math.min(...xs)),
          makespan_ratio_max: r3(Math.max(...xs)),
          share_within_1_05: r3(xs.filter((x) => x <= 1.05).length / xs.length),
        },
      ];
    }),
  );
  const result = {
    benchmark: 'distribution-information',
    regions: regions.map(([r]) => r),
    draws,
    start_cost_s: START_COST_S,
    search_steps: SEARCH_STEPS,
    ...summary,
    wall_time_s: Math.round((performance.now() - started) / 100) / 10,
  };
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${JSON.stringify(result)}\n`);
}

await main();
