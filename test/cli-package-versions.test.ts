/**
 * `imagenest package …` naming versions (`--version N|latest|draft`, `save --from`), the
 * `Cancelled` version state in every view, and following a distribution (`status --watch`),
 * as processes against the real server; exact exit statuses and error codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServerProcess, type ServerProcess } from './support/server-process.ts';

let server: ServerProcess;
let token: string;
let image: string;

// Fast simulated time: copies of a few GiB within China end in a fraction of a second.
beforeAll(async () => {
  server = await startServerProcess(['--sim-speed', '600']);
  token = (await runCli(['--url', server.url, '--token', server.adminToken, 'account', 'create', '--name', 'acme', '--role', 'supplier', '--json'])).json.token;
  image = (await cli(['sim', 'image', 'create', '--region', 'cn-hangzhou', '--size-gib', '20', '--json'])).json.imageId;
});
afterAll(async () => server?.stop());

const cli = (args: string[]) => runCli(['--url', server.url, '--token', token, ...args]);
const errorCode = (r: { json: { error?: { code?: string } } }) => r.json?.error?.code;

async function untilState(pkg: string, version: string, states: string[]) {
  for (;;) {
    const s = await cli(['package', 'status', pkg, '--version', version, '--json']);
    expect(s.code).toBe(0);
    if (states.includes(s.json.state)) return s.json;
    await new Promise((r) => setTimeout(r, 300));
  }
}

// Each CLI call is a process; a loaded machine makes a dozen of them slow.
describe('naming a version', { timeout: 240_000 }, () => {
  it('defaults to the latest published version in status and image-id alike, refusing a package with none', async () => {
    const created = await cli(['package', 'create', '--name', 'app', '--version-name', 'v1_0', '--description', 'an application image', '--source-region', 'cn-hangzhou', '--image-id', image, '--regions', 'cn-shanghai', '--json']);
    expect(created.code).toBe(0);
    for (const cmd of [['status', 'app'], ['image-id', 'app', '--region', 'cn-hangzhou'], ['status', 'app', '--version', 'latest']]) {
      const r = await cli(['package', ...cmd, '--json']);
      expect([r.code, errorCode(r)]).toEqual([1, 'NO_PUBLISHED_VERSION']);
    }
    const draft = await cli(['package', 'image-id', 'app', '--version', 'draft', '--region', 'cn-hangzhou', '--json']);
    expect([draft.code, draft.json.imageId]).toEqual([0, image]);
  });

  it('refuses a --version that is no version with exit 2 (USAGE), before asking the server', async () => {
    const cases = [
      ['status', 'app', '--version=0'],
      ['status', 'app', '--version=bogus'],
      ['image-id', 'app', '--region', 'cn-shanghai', '--version=-1'],
    ];
    for (const r of await Promise.all(cases.map((c) => cli(['package', ...c, '--json'])))) expect([r.code, errorCode(r)]).toEqual([2, 'USAGE']);
  });

  it('follows a distribution with status --watch: lines on a pipe, the ingest first; then every way of naming the version agrees', async () => {
    expect((await cli(['package', 'publish', 'app', '--json'])).code).toBe(0);
    const watched = await cli(['package', 'status', 'app', '--watch']);
    expect(watched.code).toBe(0);
    expect(watched.stderr).toMatch(/^ingest cn-hangzhou: /m);
    expect(watched.stderr).toMatch(/^cn-shanghai: Available$/m);
    expect(watched.stderr).not.toContain('\x1b[');
    expect(watched.stdout).toMatch(/app version 1: Available/);
    const json = await cli(['package', 'status', 'app', '--watch', '--json']);
    expect(json.code).toBe(0);
    expect(json.json).toMatchObject({ version: 1, state: 'Available', ingest: { region: 'cn-hangzhou', state: 'Available' } });

    const ids = await Promise.all([[], ['--version', 'latest'], ['--version', '1']].map((v) => cli(['package', 'image-id', 'app', '--region', 'cn-shanghai', ...v, '--json'])));
    expect(ids.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(new Set(ids.map((r) => r.json.imageId)).size).toBe(1);
  });

  it('serves a published version in its source region though not a target, and refuses a region it was not sent to', async () => {
    const source = await cli(['package', 'image-id', 'app', '--region', 'cn-hangzhou', '--json']);
    expect(source.code).toBe(0);
    expect(source.json).toMatchObject({ region: 'cn-hangzhou', version: 1, imageId: expect.stringMatching(/^m-/) });
    expect(source.json.imageId).not.toBe(image);
    const elsewhere = await cli(['package', 'image-id', 'app', '--region', 'eu-central-1', '--json']);
    expect([elsewhere.code, errorCode(elsewhere)]).toEqual([1, 'REGION_NOT_AVAILABLE']);
  });
});

describe('package save --from', { timeout: 240_000 }, () => {
  it("starts the draft from a published version's content; only the flags given change it", async () => {
    const saved = await cli(['package', 'save', 'app', '--from', '1', '--version-name', 'v2_0', '--regions', 'cn-beijing', '--json']);
    expect(saved.code).toBe(0);
    expect(saved.json.content).toEqual({ imageType: 'custom', sourceRegion: 'cn-hangzhou', imageId: image, regions: ['cn-beijing'] });
    expect((await cli(['package', 'publish', 'app', '--json'])).code).toBe(0);
    await untilState('app', '2', ['Available']);
    const again = await cli(['package', 'save', 'app', '--from', 'latest', '--version-name', 'v3_0', '--json']);
    expect(again.code).toBe(0);
    expect(again.json.content).toEqual({ imageType: 'custom', sourceRegion: 'cn-hangzhou', imageId: image, regions: ['cn-beijing'] });
  });

  it('refuses a version that does not exist (exit 1, NOT_FOUND) and one that is not published (exit 2, USAGE)', async () => {
    const missing = await cli(['package', 'save', 'app', '--from', '9', '--json']);
    expect([missing.code, errorCode(missing)]).toEqual([1, 'NOT_FOUND']);
    const draft = await cli(['package', 'save', 'app', '--from', 'draft', '--json']);
    expect([draft.code, errorCode(draft)]).toEqual([2, 'USAGE']);
  });

  it("names the version's description --version-description; --description still works with a warning, and both at once is wrong usage", async () => {
    const named = await cli(['package', 'save', 'app', '--version-description', 'the third version of it', '--json']);
    expect([named.code, named.json.description, named.stderr]).toEqual([0, 'the third version of it', '']);
    const old = await cli(['package', 'save', 'app', '--description', 'still the third version', '--json']);
    expect([old.code, old.json.description]).toEqual([0, 'still the third version']);
    expect(old.stderr).toMatch(/^warning: .*--version-description/);
    const both = await cli(['package', 'save', 'app', '--description', 'one description', '--version-description', 'another description', '--json']);
    expect([both.code, errorCode(both)]).toEqual([2, 'USAGE']);
    // The package's own description is untouched by any of them.
    expect((await cli(['package', 'show', 'app', '--json'])).json.description).toBe('an application image');
  });
});

describe('a cancelled version', { timeout: 240_000 }, () => {
  it('is Cancelled, never Failed, in status, show and list', async () => {
    await cli(['package', 'save', 'app', '--regions', 'eu-central-1,us-east-1']);
    expect((await cli(['package', 'publish', 'app', '--json'])).code).toBe(0);
    const cancelled = await cli(['package', 'cancel', 'app', '--version', '3', '--json']);
    expect(cancelled.code).toBe(0);
    const s = await untilState('app', '3', ['Cancelled', 'Failed']);
    expect(s.state).toBe('Cancelled');
    expect(s.regions.map((r: { state: string }) => r.state)).toEqual(['Cancelled', 'Cancelled']);
    const shown = await cli(['package', 'show', 'app', '--json']);
    expect(shown.json.versions.map((v: { version: unknown; state: string }) => [v.version, v.state])).toContainEqual([3, 'Cancelled']);
    expect(shown.json.status).toBe('Cancelled');
    const listed = await cli(['package', 'list', '--json']);
    expect(listed.json.items.find((p: { name: string }) => p.name === 'app').status).toBe('Cancelled');
    const human = await cli(['package', 'status', 'app']);
    expect(human.stdout).toMatch(/^app version 3: Cancelled$/m);
    expect((await cli(['package', 'list'])).stdout).toMatch(/^app\s+\S+\s+Cancelled\s+3\s/m);
  });
});

describe('saving a draft whose source image is not there', { timeout: 240_000 }, () => {
  it('create and save succeed (exit 0) and print the warning on stderr; publish then refuses with exit 1', async () => {
    const created = await cli(['package', 'create', '--name', 'later', '--version-name', 'v1_0', '--description', 'an image still being built', '--source-region', 'cn-hangzhou', '--image-id', 'm-notbuiltyet', '--regions', 'cn-shanghai', '--json']);
    expect(created.code).toBe(0);
    expect(created.json.versions[0].warnings).toEqual([expect.objectContaining({ code: 'SOURCE_IMAGE_NOT_FOUND', field: 'version.content.imageId' })]);
    expect(created.stderr).toMatch(/^warning SOURCE_IMAGE_NOT_FOUND \(version\.content\.imageId\): source image m-notbuiltyet does not exist in cn-hangzhou/m);
    const saved = await cli(['package', 'save', 'later', '--image-id', 'm-stillnotbuilt']);
    expect(saved.code).toBe(0);
    expect(saved.stderr).toMatch(/^warning SOURCE_IMAGE_NOT_FOUND .*m-stillnotbuilt/m);
    const refused = await cli(['package', 'publish', 'later', '--json']);
    expect([refused.code, errorCode(refused)]).toEqual([1, 'SOURCE_IMAGE_NOT_FOUND']);
    const fixed = await cli(['package', 'save', 'later', '--image-id', image]);
    expect([fixed.code, fixed.stderr]).toEqual([0, '']);
  });
});
