/** /metrics is served from memory (no query per scrape, none waiting on the database) and, with a token, only to scrapers that send it. */
import type { KyselyPlugin } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DistributionMetrics } from '../distribution/metrics.ts';
import type { Store } from '../store/database.ts';
import { depsFor, makeAccount } from '../../test/support/fixtures.ts';
import { pgliteBackend } from '../../test/support/stores.ts';
import { createApi } from './app.ts';

/** Counts every query sent through the Kysely it is plugged into. */
function queryCounter(): KyselyPlugin & { count: number } {
  return {
    count: 0,
    transformQuery(args) {
      this.count++;
      return args.node;
    },
    async transformResult(args) {
      return args.result;
    },
  };
}

describe('/metrics', () => {
  let store: Store;
  beforeAll(async () => {
    store = await pgliteBackend.open();
  });
  afterAll(async () => {
    await store.close();
  });

  const api = (metrics: DistributionMetrics, metricsToken?: string) =>
    createApi(depsFor(store), { logger: pino({ level: 'silent' }), metrics: metrics.registry, metricsToken });

  it('answers 50 concurrent scrapes without a database query, even while the database is held', async () => {
    const counter = queryCounter();
    const metrics = new DistributionMetrics(store.db.withPlugin(counter));
    await metrics.refresh();
    expect(counter.count).toBe(1);
    const app = api(metrics);

    // PGlite is one session: while this turn is held, any query waits. A scrape that queried
    // would wait with it, and Promise.all below would never settle.
    const release = await store.pglite!.mutex.acquire();
    try {
      const scrapes = await Promise.all(Array.from({ length: 50 }, () => app.request('/metrics')));
      expect(scrapes.map((r) => r.status)).toEqual(Array(50).fill(200));
      expect(await scrapes[0]!.text()).toContain('imagenest_copies_running');
    } finally {
      release();
    }
    expect(counter.count).toBe(1);
  });

  it('with a token, answers 401 UNAUTHENTICATED to a scrape without it, a wrong one, or an API token', async () => {
    const app = api(new DistributionMetrics(store.db), 's3cret-metrics');
    const admin = await makeAccount(depsFor(store), 'admin');
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${admin.token}` }] as Record<string, string>[]) {
      const r = await app.request('/metrics', { headers });
      expect(r.status).toBe(401);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    }
    const ok = await app.request('/metrics', { headers: { authorization: 'Bearer s3cret-metrics' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('imagenest_cloud_api_calls_total');
  });

  it('without a token, answers any scraper', async () => {
    expect((await api(new DistributionMetrics(store.db)).request('/metrics')).status).toBe(200);
  });
});
