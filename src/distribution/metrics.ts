/** Prometheus metrics of distribution: cloud calls and throttles, copies per region, durations, failures. */
import type { Kysely } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CloudError, type CloudProvider } from '../cloud/provider.ts';
import type { Database } from '../store/schema.ts';
import type { EngineObserver } from './engine.ts';
import { runEvery, type Periodic } from './periodic.ts';

export class DistributionMetrics {
  readonly registry = new Registry();
  readonly apiCalls = new Counter({ name: 'imagenest_cloud_api_calls_total', help: 'Cloud API calls by action and outcome (ok or the cloud error code)', labelNames: ['action', 'outcome'], registers: [this.registry] });
  readonly throttled = new Counter({ name: 'imagenest_cloud_throttled_total', help: 'Cloud API calls answered with throttling', labelNames: ['action'], registers: [this.registry] });
  readonly durations = new Histogram({
    name: 'imagenest_delivery_duration_seconds',
    help: 'From copy request to detected completion, in simulated or cloud seconds',
    labelNames: ['state'],
    buckets: [60, 300, 900, 1800, 3600, 7200, 14400, 28800],
    registers: [this.registry],
  });
  readonly failures = new Counter({ name: 'imagenest_delivery_failures_total', help: 'Regions that ended Failed, by cloud error code', labelNames: ['code'], registers: [this.registry] });

  readonly #running = new Gauge({ name: 'imagenest_copies_running', help: 'Copies running into each region', labelNames: ['region'], registers: [this.registry] });
  readonly #queued = new Gauge({ name: 'imagenest_copies_queued', help: 'Deliveries waiting to start in each region', labelNames: ['region'], registers: [this.registry] });

  constructor(private readonly db: Kysely<Database>) {
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Reads the per-region gauges from the database into memory. A scrape only reads memory: a
   * query per scrape would put every scraper in line for the database (PGlite's one session)
   * with the API's own requests.
   */
  async refresh(): Promise<void> {
    const rows = await this.db
      .selectFrom('deliveries')
      .select(['region', 'state', (eb) => eb.fn.countAll<string>().as('n')])
      .where('state', 'in', ['Copying', 'Pending'])
      .groupBy(['region', 'state'])
      .execute();
    this.#running.reset();
    this.#queued.reset();
    for (const r of rows) (r.state === 'Copying' ? this.#running : this.#queued).set({ region: r.region }, Number(r.n));
  }

  /** Refreshes the gauges now and then every `everyMs` in the background; returns the stop. */
  /** Refreshes now and every `everyMs`; the returned stop() waits for a refresh in flight. */
  refreshEvery(everyMs: number, onError: (err: unknown) => void): Periodic {
    const first = this.refresh().catch(onError);
    const later = runEvery(everyMs, () => this.refresh(), onError);
    return {
      async stop() {
        await later.stop();
        await first;
      },
    };
  }

  observer(): EngineObserver {
    return {
      deliveryFinished: (d) => {
        if (d.durationMs !== null) this.durations.observe({ state: d.state }, d.durationMs / 1000);
        if (d.state === 'Failed') this.failures.inc({ code: d.errorCode ?? 'unknown' });
      },
    };
  }

  /** Wraps a provider so every call is counted. */
  instrument(cloud: CloudProvider): CloudProvider {
    const count = async <T>(action: string, fn: () => Promise<T>): Promise<T> => {
      try {
        const r = await fn();
        this.apiCalls.inc({ action, outcome: 'ok' });
        return r;
      } catch (err) {
        const code = err instanceof CloudError ? err.code : 'Error';
        this.apiCalls.inc({ action, outcome: code });
        if (err instanceof CloudError && err.kind === 'throttled') this.throttled.inc({ action });
        throw err;
      }
    };
    return {
      describeRegions: (r) => count('DescribeRegions', () => cloud.describeRegions(r)),
      describeImages: (r) => count('DescribeImages', () => cloud.describeImages(r)),
      copyImage: (r) => count('CopyImage', () => cloud.copyImage(r)),
      cancelCopyImage: (r) => count('CancelCopyImage', () => cloud.cancelCopyImage(r)),
      deleteImage: (r) => count('DeleteImage', () => cloud.deleteImage(r)),
      modifyImageSharePermission: (r) => count('ModifyImageSharePermission', () => cloud.modifyImageSharePermission(r)),
      describeImageSharePermission: (r) => count('DescribeImageSharePermission', () => cloud.describeImageSharePermission(r)),
    };
  }
}
