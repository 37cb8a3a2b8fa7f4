/**
 * A client generated from the served OpenAPI document (openapi-typescript) type-checks against
 * the CLI's calls: for each call the CLI makes, the response the document promises is assignable
 * to the type the CLI reads it as, and the body the CLI sends is assignable to the request body
 * the document accepts. Checked by the TypeScript compiler on a generated file, so the contract
 * the document states and the one the CLI relies on cannot drift apart unnoticed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../src/api/app.ts';
import type { Store } from '../src/store/database.ts';
import { draftServiceFixture } from './support/deploy-fixture.ts';
import { pgliteBackend } from './support/stores.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

let store: Store;
let dir: string;
let doc: object;

beforeAll(async () => {
  store = await pgliteBackend.open();
  const f = await draftServiceFixture(store);
  const api = createApi(f.deps, { logger: pino({ level: 'silent' }), simulator: f.sim, deployer: f.deployer });
  doc = (await (await api.request('/v1/openapi.json')).json()) as object;
  dir = await mkdtemp(path.join(tmpdir(), 'imagenest-openapi-'));
});
afterAll(async () => {
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const src = (p: string) => JSON.stringify(path.join(ROOT, 'src', p));

/**
 * The CLI's calls: [response the document promises, what the CLI reads it as] and
 * [what the CLI sends, the body the document accepts].
 */
const CHECKS = `
import type { paths } from './openapi.ts';
import type { ImagenestClient } from ${src('cli/client.ts')};
import type { servicesClient } from ${src('cli/services-client.ts')};
import type { Instance } from ${src('contract/instances.ts')};

type Ok<P extends keyof paths, M extends keyof paths[P], S extends number = 200> =
  paths[P][M] extends { responses: { [K in S]: { content: { 'application/json': infer T } } } } ? T : never;
type Body<P extends keyof paths, M extends keyof paths[P]> =
  paths[P][M] extends { requestBody?: { content: { 'application/json': infer T } } } ? T : never;
type Reads<M extends keyof ImagenestClient> = ImagenestClient[M] extends (...a: any[]) => Promise<infer T> ? Exclude<T, undefined> : never;
type Svc = ReturnType<typeof servicesClient>;
type SvcReads<M extends keyof Svc> = Svc[M] extends (...a: any[]) => Promise<infer T> ? T : never;
type SvcSends<M extends keyof Svc, I extends number> = Svc[M] extends (...a: infer A) => any ? A[I] : never;
/** Fails to compile unless A is assignable to B. */
function assignable<A, B>(_: [A] extends [B] ? true : { error: 'not assignable'; from: A; to: B }) {}

assignable<Ok<'/v1/accounts', 'post', 201>, Reads<'createAccount'>>(true);
assignable<Parameters<ImagenestClient['createAccount']>[0], Body<'/v1/accounts', 'post'>>(true);
assignable<Ok<'/v1/packages', 'post', 201>, Reads<'createPackage'>>(true);
assignable<Ok<'/v1/packages', 'get'>, Reads<'listPackages'>>(true);
assignable<Ok<'/v1/packages/{package}', 'get'>, Reads<'getPackage'>>(true);
assignable<Ok<'/v1/packages/{package}', 'delete', 202>, Reads<'deletePackage'>>(true);
assignable<Ok<'/v1/packages/{package}/versions/{version}', 'patch'>, Reads<'saveDraft'>>(true);
assignable<Ok<'/v1/packages/{package}/publish', 'post', 201>, Reads<'publish'>>(true);
assignable<Ok<'/v1/packages/{package}/versions/{version}', 'get'>, Reads<'getVersion'>>(true);
assignable<Ok<'/v1/packages/{package}/versions/{version}', 'delete', 202>, Reads<'deleteVersion'>>(true);
assignable<Ok<'/v1/packages/{package}/versions/{version}/status', 'get'>, Reads<'status'>>(true);
assignable<Ok<'/v1/packages/{package}/versions/{version}/retry', 'post'>, Reads<'retry'>>(true);
assignable<Ok<'/v1/packages/{package}/versions/{version}/cancel', 'post'>, Reads<'cancel'>>(true);
assignable<Ok<'/v1/packages/{package}/versions/{version}/regions/{region}/image-id', 'get'>, Reads<'imageId'>>(true);
assignable<Ok<'/v1/sim/images', 'post', 201>, Reads<'createSimImage'>>(true);
assignable<Parameters<ImagenestClient['createSimImage']>[0], Body<'/v1/sim/images', 'post'>>(true);

assignable<Ok<'/v1/services', 'post', 201>, SvcReads<'create'>>(true);
assignable<Ok<'/v1/services', 'get'>, SvcReads<'list'>>(true);
assignable<Ok<'/v1/services/{service}', 'get'>, SvcReads<'get'>>(true);
assignable<Ok<'/v1/services/{service}/template', 'put'>, SvcReads<'updateTemplate'>>(true);
assignable<{ template: SvcSends<'updateTemplate', 1> }, Body<'/v1/services/{service}/template', 'put'>>(true);
assignable<Ok<'/v1/services/{service}/visibility', 'put'>, SvcReads<'setVisibility'>>(true);
assignable<Ok<'/v1/services/{service}/associations', 'put'>, SvcReads<'associate'>>(true);
assignable<SvcSends<'associate', 1>, Body<'/v1/services/{service}/associations', 'put'>>(true);
assignable<Ok<'/v1/services/{service}/submit', 'post'>, SvcReads<'review'>>(true);
assignable<Ok<'/v1/services/{service}/reject', 'post'>, SvcReads<'reject'>>(true);
assignable<{ reason: SvcSends<'reject', 1> }, Body<'/v1/services/{service}/reject', 'post'>>(true);
assignable<Ok<'/v1/services/{service}/events', 'get'>, SvcReads<'events'>>(true);

assignable<Ok<'/v1/instances', 'post', 201>, Instance>(true);
assignable<Ok<'/v1/instances/{id}', 'get'>, Instance>(true);
assignable<{ service: string; region: string; parameters: Record<string, string> }, Body<'/v1/instances', 'post'>>(true);
`;

function tsc(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TSC, ...args], { cwd: dir, timeout: 300_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

describe('a client generated from the OpenAPI document', () => {
  it('type-checks against every call the CLI makes', { timeout: 300_000 }, async () => {
    await writeFile(path.join(dir, 'openapi.ts'), astToString(await openapiTS(doc as Parameters<typeof openapiTS>[0])));
    await writeFile(path.join(dir, 'checks.ts'), CHECKS);
    const r = await tsc(['--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--allowImportingTsExtensions', '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules/@types'), 'checks.ts']);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });
});
