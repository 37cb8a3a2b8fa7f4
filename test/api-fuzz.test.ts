/**
 * The API fuzzed from its own OpenAPI document (issue 11's acceptance): every operation, as
 * every role and without a token, with requests generated from the declared schemas and broken
 * on purpose (test/support/openapi-arbitraries.ts). No answer may be a 5xx. In memory
 * (app.request) over the full API — simulator, deployer, a supplier's package and Online service —
 * so it runs in every `npm test`. The seed is fixed and printed; FUZZ_SEED replays another.
 */
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApi } from '../src/api/app.ts';
import type { Store } from '../src/store/database.ts';
import { draftServiceFixture } from './support/deploy-fixture.ts';
import { makeAccount } from './support/fixtures.ts';
import { fuzzOperations, type FuzzRequest, type OpenApiDocument } from './support/openapi-arbitraries.ts';
import { pgliteBackend } from './support/stores.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_102);
const RUNS_PER_OPERATION = 50;
const MIN_REQUESTS = 2_000;

let store: Store;
let api: ReturnType<typeof createApi>;
const tokens: Record<string, string | null> = { none: null, bogus: 'inest_not-a-token' };
let known: string[] = [];
/** Ends the event streams the fuzz opens (GET /v1/events/stream keeps looking until told), before the store closes. */
const shutdown = new AbortController();

beforeAll(async () => {
  store = await pgliteBackend.open();
  const f = await draftServiceFixture(store);
  tokens.supplier = f.supplier.token;
  for (const role of ['admin', 'consumer'] as const) tokens[role] = (await makeAccount(f.deps, role)).token;
  api = createApi(f.deps, { logger: pino({ level: 'silent' }), simulator: f.sim, deployer: f.deployer, liveEvents: { shutdown: shutdown.signal } });
  // Values that lead past the first lookup: the fixture's names and IDs, versions, regions.
  known = ['agent', 'agent_svc', f.serviceId, f.imageId, f.supplier.accountId, 'draft', '1', '2', 'cn-hangzhou', 'cn-shanghai', 'ap-southeast-1', 'agent_image', 'v1_0', 'Online', 'terraform', 'ros', 'whitelist', 'public', 'private', 'EcsImage', 'custom'];
});
afterAll(async () => {
  shutdown.abort();
  await store?.close();
});

async function send(req: FuzzRequest, role: string): Promise<number> {
  const headers = { ...req.headers };
  const token = tokens[role];
  if (token) headers.authorization = `Bearer ${token}`;
  return (await api.request(req.path, { method: req.method, headers, body: req.body })).status;
}

it(`answers no request with a 5xx: every operation × every role, ${RUNS_PER_OPERATION} requests each (seed ${SEED})`, async () => {
  console.log(`api-fuzz seed ${SEED} (FUZZ_SEED=${SEED} replays it)`);
  const doc = (await (await api.request('/v1/openapi.json')).json()) as OpenApiDocument;
  // Deletions last, so that the rest meets the fixture's package and service still there.
  const operations = fuzzOperations(doc, known).sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
  expect(operations.length).toBeGreaterThan(30);
  const roles = fc.constantFrom(...Object.keys(tokens));
  let sent = 0;
  for (const [i, op] of operations.entries()) {
    await fc.assert(
      fc.asyncProperty(op.request, roles, async (req, role) => {
        sent++;
        const status = await send(req, role);
        if (status >= 500) throw new Error(`${status} from ${req.method} ${req.path.slice(0, 200)} as ${role}; body ${String(req.body).slice(0, 300)}`);
      }),
      { seed: SEED + i, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
    );
  }
  expect(sent).toBeGreaterThanOrEqual(MIN_REQUESTS);
}, 600_000);
