/**
 * End to end: `imagenest import computenest DIR` against the real server — our fixture service
 * directory always, the corpus's Palworld directory where the corpus is (required in CI) —
 * checked through `service show` and `package show`, field by field; and the corpus's ECS-image directory, whose
 * only relation names an artifact kept in Compute Nest: the service alone, with what was skipped.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_DIR, CORPUS_SKIP } from './support/corpus.ts';
import { runCli, startServerProcess, type ServerProcess } from './support/server-process.ts';

let server: ServerProcess;
let token: string;
const tmp = mkdtempSync(path.join(tmpdir(), 'imagenest-import-e2e-'));

beforeAll(async () => {
  server = await startServerProcess(['--sim-speed', '1']);
  const r = await runCli(['--url', server.url, '--token', server.adminToken, 'account', 'create', '--name', 'ledger_vendor', '--role', 'supplier', '--json']);
  token = r.json.token;
}, 180_000);
afterAll(async () => {
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(['--url', server.url, '--token', token, ...args]);

/** The corpus keeps a repository's files under flattened names: rebuild its `.computenest` layout (config and one template). */
function corpusServiceDir(repo: string, template: string): string {
  const dir = path.join(tmp, repo);
  const flat = `aliyun-computenest__${repo}__.computenest__`;
  mkdirSync(path.join(dir, '.computenest', path.dirname(template)), { recursive: true });
  cpSync(path.join(CORPUS_DIR, 'computenest', `${flat}config.yaml`), path.join(dir, '.computenest/config.yaml'));
  cpSync(path.join(CORPUS_DIR, 'ros', `${flat}${template.replaceAll('/', '__')}`), path.join(dir, '.computenest', template));
  return dir;
}

interface ShownPlaceholder {
  value: string;
  association: { packageName: string; version: number | 'draft' } | null;
}

describe('imagenest import computenest', () => {
  it('imports our fixture directory: draft packages, the service, every mapped placeholder associated', async () => {
    const dir = path.resolve(import.meta.dirname, 'fixtures/computenest/ledger-ros');
    const dry = await cli(['import', 'computenest', dir, '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect(dry.json.dryRun).toBe(true);
    expect(dry.json.packages).toEqual([]);
    const plan = dry.json.plan;

    const r = await cli(['import', 'computenest', dir, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.packages.map((p: { key: string; name: string }) => [p.key, p.name])).toEqual(plan.packages.map((p: { key: string; name: string }) => [p.key, p.name]));
    expect(r.json.service).toMatchObject({ name: plan.service.name, state: 'Draft' });
    expect(r.json.associations.length).toBe(plan.associations.length);
    expect(plan.associations.length).toBeGreaterThan(0);

    for (const p of plan.packages) {
      const shown = await cli(['package', 'show', p.name, '--json']);
      expect(shown.code).toBe(0);
      expect(shown.json).toMatchObject({ name: p.name, description: p.description, versions: [{ version: 'draft', state: 'Draft', name: p.versionName, content: p.content }] });
    }
    const service = await cli(['service', 'show', plan.service.name, '--json']);
    expect(service.code).toBe(0);
    expect(service.json).toMatchObject({ name: plan.service.name, deployType: plan.service.deployType, visibility: plan.service.visibility, description: plan.service.description });
    const placeholders: ShownPlaceholder[] = service.json.revisions.draft.placeholders;
    for (const a of plan.associations) {
      const pkg = plan.packages.find((p: { key: string }) => p.key === a.packageKey);
      expect(placeholders.find((p) => p.value === a.placeholder)?.association).toMatchObject({ packageName: pkg.name, version: 'draft' });
    }
    for (const u of plan.unassociated) expect(placeholders.find((p) => p.value === u.placeholder)?.association).toBeNull();
  });

  it('refuses a directory without config.yaml, creating nothing', async () => {
    const empty = path.join(tmp, 'empty');
    mkdirSync(empty);
    const r = await cli(['import', 'computenest', empty, '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('NOT_FOUND');
  });

  if (CORPUS_SKIP) {
    it.skip(CORPUS_SKIP, () => {});
    return;
  }
  it('imports the Palworld service of the corpus: two draft packages bound to linux and windows', async () => {
    const repo = corpusServiceDir('quickstart-palo-world', 'ros_templates/template1.yaml');
    const r = await cli(['import', 'computenest', repo, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.packages.map((p: { name: string }) => p.name)).toEqual(['palwin0125', 'palwinwin0125']);
    expect(r.json.service).toMatchObject({ name: 'PalWorld_Rapid_Deployment' });
    expect(r.json.associations).toEqual([
      { placeholder: 'linux', package: 'palwin0125', version: 'draft' },
      { placeholder: 'windows', package: 'palwinwin0125', version: 'draft' },
    ]);
    expect(r.json.plan.skipped.filter((x: { code: string }) => x.code === 'IMAGE_NOT_BUILT').map((x: { item: string }) => x.item)).toEqual([
      'ImageBuilder.EcsImage_1',
      'ImageBuilder.EcsImage_2',
    ]);
    const linux = await cli(['package', 'show', 'palwin0125', '--json']);
    expect(linux.json.versions[0].content).toMatchObject({ imageType: 'custom', sourceRegion: 'ap-southeast-1', imageId: 'm-t4ne8j0bphwa2yxkg441' });
  });

  it('imports the ECS-image service of the corpus: the service alone, its placeholder unassociated, the Compute Nest artifact reported as skipped', async () => {
    const repo = corpusServiceDir('quickstart-ecs-image', 'ros_templates/template.yaml');
    const r = await cli(['import', 'computenest', repo, '--json']);
    expect(r.code).toBe(0);
    expect([r.json.packages, r.json.associations]).toEqual([[], []]);
    expect(r.json.service).toMatchObject({ name: 'ECS', state: 'Draft' });
    expect(r.json.plan.skipped.map((x: { item: string; code: string }) => [x.item, x.code])).toContainEqual([
      'Service.DeployMetadata.SupplierDeployMetadata.ArtifactRelation["centos_7_8_x64_20G_alibase_20211130.vhd"]',
      'UNDEFINED_ARTIFACT',
    ]);
    const shown = await cli(['service', 'show', 'ECS', '--json']);
    expect(shown.json).toMatchObject({ name: 'ECS', description: 'ecs image deploy', deployType: 'ros', visibility: 'public' });
    expect(shown.json.revisions.draft.placeholders.map((p: ShownPlaceholder) => [p.value, p.association])).toEqual([['centos_7_8_x64_20G_alibase_20211130.vhd', null]]);
  });
});
