/**
 * API lookup benchmark (`npm run bench:api -- --json [--duration S] [--connections N]`): a real
 * `imagenest server` process (PGlite, or PostgreSQL when DATABASE_URL is set) with one published
 * version (embedded simulator, fast) and an Online service over it, driven by autocannon on
 * loopback for a bounded time per route: image-id (JSON and text), the resolved template and
 * `GET /v1/packages`, each right after `GET /healthz` — the server's cheapest route (no token,
 * no database) — so that both see nearly the same background load. Reports requests/s, p50/p99
 * latency and server CPU per request per route, and requests/s ÷ the constant route's.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { ImagenestClient } from '../src/cli/client.ts';
import { createDatabase } from '../test/support/pg-database.ts';
import { startServerProcess } from '../test/support/server-process.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
const JSON_OUT = args.includes('--json');
const DURATION_S = option('--duration', 5);
const CONNECTIONS = option('--connections', 32);
const SOURCE = 'cn-hangzhou';
const REGION = 'cn-shanghai';
const TARGETS = [REGION, 'ap-southeast-1', 'eu-central-1'];
/** The server's cheapest route: no token, no database. */
const CONSTANT = '/healthz';
const PLACEHOLDER = 'm-benchplaceholder';
const TEMPLATE = ['ROSTemplateFormatVersion: "2015-09-01"', 'Resources:', '  Web:', '    Type: ALIYUN::ECS::Instance', '    Properties:', `      ImageId: ${PLACEHOLDER}`, ''].join('\n');

// The server runs the compiled CLI, as users run it.
execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });

const database = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL) : undefined;
const server = await startServerProcess(['--sim-speed', '1000', ...(database ? ['--database-url', database.url] : [])]);

async function until<T>(what: string, read: () => Promise<T>, ok: (t: T) => boolean): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const t = await read();
    if (ok(t)) return t;
    if (Date.now() > deadline) throw new Error(`${what} did not happen in 120 s: ${JSON.stringify(t)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A supplier with one published version (Available in every target) and a consumer's Online service over it. */
async function setUp() {
  const admin = new ImagenestClient({ url: server.url, token: server.adminToken });
  const supplier = await admin.createAccount({ name: 'bench_supplier', role: 'supplier' });
  const consumer = await admin.createAccount({ name: 'bench_consumer', role: 'consumer' });
  const s = new ImagenestClient({ url: server.url, token: supplier.token });
  const image = await s.request<{ imageId: string }>('POST', '/v1/sim/images', { body: { region: SOURCE, sizeGiB: 20 } });
  await s.createPackage({
    name: 'bench_image',
    description: 'an image for the API benchmark',
    version: { name: 'v1_0', content: { sourceRegion: SOURCE, imageId: image.imageId, regions: TARGETS } },
  });
  await s.request('POST', '/v1/packages/bench_image/publish');
  await until('distribution', () => s.request<{ state: string }>('GET', '/v1/packages/bench_image/versions/1'), (v) => v.state === 'Available');
  const service = await s.request<{ id: string }>('POST', '/v1/services', {
    body: { name: 'bench_shop', description: 'a service for the API benchmark', deployType: 'ros', visibility: 'whitelist', accounts: [consumer.id], template: TEMPLATE },
  });
  await s.request('PUT', `/v1/services/${service.id}/associations`, { body: { placeholder: PLACEHOLDER, package: 'bench_image', version: 1 } });
  await s.request('POST', `/v1/services/${service.id}/submit`);
  await admin.request('POST', `/v1/services/${service.id}/approve`);
  await s.request('POST', `/v1/services/${service.id}/publish`);
  return { supplier: supplier.token, consumer: consumer.token, serviceId: service.id };
}

interface Sample {
  requests: number;
  seconds: number;
  latenciesMs: number[];
  non2xx: number;
  errors: number;
  serverCpuMs: number;
}

/** The server process's CPU time so far (user + system), from /proc. */
async function serverCpuMs(): Promise<number> {
  const fields = (await readFile(`/proc/${server.child.pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Load on one route for `seconds`: every response's latency, and the server's CPU time spent. */
async function run(route: string, headers: Record<string, string>, seconds: number): Promise<Sample> {
  const into: Sample = { requests: 0, seconds: 0, latenciesMs: [], non2xx: 0, errors: 0, serverCpuMs: 0 };
  const cpu0 = await serverCpuMs();
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: server.url + route, connections: CONNECTIONS, duration: seconds, headers }, (err, result) => (err ? reject(err) : resolve(result)));
    instance.on('response', (_client, status, _bytes, ms) => {
      into.latenciesMs.push(ms);
      if (status < 200 || status > 299) into.non2xx += 1;
    });
  });
  into.serverCpuMs = (await serverCpuMs()) - cpu0;
  into.requests = r.requests.total;
  into.seconds = r.duration;
  into.errors = r.errors + r.timeouts;
  return into;
}

const percentile = (sorted: number[], p: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN) * 100) / 100;

function summary(route: string, s: Sample) {
  const sorted = [...s.latenciesMs].sort((a, b) => a - b);
  return {
    path: route,
    requestsPerSec: Math.round(s.requests / s.seconds),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    requests: s.requests,
    non2xx: s.non2xx,
    errors: s.errors,
    serverCpuMsPerRequest: Number((s.serverCpuMs / s.requests).toFixed(3)),
  };
}

/**
 * The constant route, then the route, DURATION_S each: the ratio compares them under nearly the
 * same background load, which drifts on a shared machine. `cpuRatio` is the ratio the server
 * would reach where it alone bounds the rate: the constant route's CPU per request ÷ the route's
 * (on PostgreSQL the database's own CPU is not in it).
 */
async function drive(route: string, headers: Record<string, string>) {
  const c = summary(CONSTANT, await run(CONSTANT, {}, DURATION_S));
  const r = summary(route, await run(route, headers, DURATION_S));
  return {
    ...r,
    constant: { requestsPerSec: c.requestsPerSec, p50Ms: c.p50Ms, p99Ms: c.p99Ms, serverCpuMsPerRequest: c.serverCpuMsPerRequest },
    ratio: Number((r.requestsPerSec / c.requestsPerSec).toFixed(3)),
    cpuRatio: Number((c.serverCpuMsPerRequest / r.serverCpuMsPerRequest).toFixed(3)),
  };
}

try {
  const who = await setUp();
  const bearer = (token: string, accept = 'application/json') => ({ authorization: `Bearer ${token}`, accept });
  const imageIdPath = `/v1/packages/bench_image/versions/1/regions/${REGION}/image-id`;
  // Warm-up: the first requests of each route fill the caches and compile the code paths.
  for (const [route, headers] of [[imageIdPath, bearer(who.supplier)], [`/v1/services/${who.serviceId}/template?region=${REGION}`, bearer(who.consumer)]] as const) {
    await run(route, headers, 1);
  }
  const routes = {
    imageIdJson: await drive(imageIdPath, bearer(who.supplier)),
    imageIdText: await drive(imageIdPath, bearer(who.supplier, 'text/plain')),
    resolvedTemplate: await drive(`/v1/services/${who.serviceId}/template?region=${REGION}`, bearer(who.consumer)),
    packages: await drive('/v1/packages', bearer(who.supplier)),
  };
  const out = {
    database: database ? 'postgresql' : 'pglite',
    durationS: DURATION_S,
    connections: CONNECTIONS,
    node: process.version,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    constantRoute: CONSTANT,
    routes,
  };
  if (JSON_OUT) process.stdout.write(`${JSON.stringify(out)}\n`);
  else console.log(JSON.stringify(out, null, 2));
} finally {
  await server.stop();
  await database?.drop();
}
