/**
 * `import computenest` planned from real service directories: both corpus configs with their
 * templates (the directory layout rebuilt in a temp dir, as a vendor's checkout has it) and our
 * own fixtures, checked field by field. Reasons are prose; items and codes are the contract.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planComputenestImport } from '../src/app/import/computenest.ts';
import type { ImportItem, ImportPlan } from '../src/app/import/plan.ts';
import { openServiceDir } from '../src/app/import/service-dir.ts';

// Local check until test/support has a shared corpus-optional helper (h-tests is writing one).
const CORPUS_DIR = path.resolve(import.meta.dirname, '../../shared/corpus');
const corpusPresent = existsSync(CORPUS_DIR);
const inCI = process.env['CI'] === 'true';
if (!corpusPresent && !inCI) {
  console.warn(`import-computenest: corpus tests skipped: ${CORPUS_DIR} is absent (shared/ beside the checkout)`);
}

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/computenest');

function planDir(dir: string, options?: { serviceName?: string }): ImportPlan {
  const sd = openServiceDir(dir);
  expect(sd.configText).toBeDefined();
  return planComputenestImport({ configText: sd.configText!, files: sd.files, ...(options ? { options } : {}) });
}

const codes = (items: ImportItem[]) => items.map(({ item, code }) => ({ item, code }));

/** Everything a plan holds, with items and codes standing for the prose reasons. */
interface Expected {
  packages: ImportPlan['packages'];
  service: ReturnType<typeof serviceShape>;
  associations: ImportPlan['associations'];
  unassociated: ImportPlan['unassociated'];
  skipped: Omit<ImportItem, 'reason'>[];
  notes: Omit<ImportItem, 'reason'>[];
}

/** Field by field, so a failure names the part of the plan that differs. */
function expectPlan(plan: ImportPlan, expected: Expected): void {
  expect(plan.diagnostics).toEqual([]);
  expect(plan.packages).toEqual(expected.packages);
  expect(serviceShape(plan)).toEqual(expected.service);
  expect(plan.associations).toEqual(expected.associations);
  expect(plan.unassociated).toEqual(expected.unassociated);
  expect(codes(plan.skipped)).toEqual(expected.skipped);
  expect(codes(plan.notes)).toEqual(expected.notes);
}

/** The service without template texts (compared against the files themselves). */
function serviceShape(plan: ImportPlan) {
  const s = plan.service!;
  return { ...s, template: s.template && { ...s.template, files: s.template.files.map((f) => ({ file: f.file, diagnostics: f.diagnostics.map((d) => d.code) })) } };
}

describe('corpus configs', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'imagenest-import-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** Rebuilds `<repo>/.computenest/{config.yaml,<url>}` from the corpus's flattened names. */
  function serviceDir(repo: string, templates: Record<string, string>, into = repo): string {
    const root = path.join(tmp, into, '.computenest');
    mkdirSync(root, { recursive: true });
    writeFileSync(path.join(root, 'config.yaml'), readFileSync(path.join(CORPUS_DIR, 'computenest', `aliyun-computenest__${repo}__.computenest__config.yaml`)));
    for (const [url, flat] of Object.entries(templates)) {
      mkdirSync(path.dirname(path.join(root, url)), { recursive: true });
      writeFileSync(path.join(root, url), readFileSync(path.join(CORPUS_DIR, 'ros', flat)));
    }
    return path.join(tmp, into);
  }

  it.runIf(!corpusPresent && inCI)('the corpus is present in CI', () => {
    expect.fail(`the corpus is missing: expected ${CORPUS_DIR}`);
  });

  describe.runIf(corpusPresent)('with the corpus', () => {
    it('quickstart-palo-world: two ImageBuilder artifacts become two draft packages bound to linux and windows', () => {
      const template = 'aliyun-computenest__quickstart-palo-world__.computenest__ros_templates__template1.yaml';
      const plan = planDir(serviceDir('quickstart-palo-world', { 'ros_templates/template1.yaml': template }));
      expect(plan.service!.template!.files[0]!.text).toBe(readFileSync(path.join(CORPUS_DIR, 'ros', template), 'utf8'));
      const meta = 'Service.DeployMetadata';
      expectPlan(plan, {
        packages: [
          {
            key: 'Artifact_1',
            name: 'palwin0125',
            versionName: 'imported',
            description: 'Palword_Linux_240320_40GB',
            content: { imageType: 'custom', sourceRegion: 'ap-southeast-1', imageId: 'm-t4ne8j0bphwa2yxkg441', regions: ['ap-southeast-1'] },
          },
          {
            key: 'Artifact_2',
            name: 'palwinwin0125',
            versionName: 'imported',
            description: 'Palword_Windows_240320_40GB',
            content: { imageType: 'custom', sourceRegion: 'cn-hangzhou', imageId: 'm-bp1gfrkhnal54vvy4aau', regions: ['cn-hangzhou'] },
          },
        ],
        service: {
          name: 'PalWorld_Rapid_Deployment',
          description:
            'Phantom Beast Palu is an open world survival production game developed by Pocketpair. The game will be released on January 18, 2024. In the game, players can collect magical creatures "Palu" in the vast world and send them to fight, build, do farm work, industrial production, etc.',
          serviceType: 'private',
          visibility: 'public',
          deployType: 'ros',
          template: {
            configName: '新建ECS实例',
            url: 'ros_templates/template1.yaml',
            files: [{ file: 'ros_templates/template1.yaml', diagnostics: [] }],
            placeholders: ['linux', 'windows'],
          },
        },
        associations: [
          { placeholder: 'linux', packageKey: 'Artifact_1', version: 'draft' },
          { placeholder: 'windows', packageKey: 'Artifact_2', version: 'draft' },
        ],
        unassociated: [],
        skipped: [
          { item: 'Service.ApprovalType', code: 'NOT_MODELLED' },
          { item: `${meta}.NetworkMetadata`, code: 'NOT_MODELLED' },
          { item: `${meta}.ServiceInstanceNameRule`, code: 'NOT_MODELLED' },
          { item: `${meta}.ModifyParametersConfig`, code: 'NOT_MODELLED' },
          { item: `${meta}.PrometheusConfigMap`, code: 'NOT_MODELLED' },
          { item: `${meta}.SupportBackup`, code: 'NOT_MODELLED' },
          { item: `${meta}.SupplierDeployMetadata.DeployTimeout`, code: 'NOT_MODELLED' },
          { item: `${meta}.TemplateConfigs[0].PredefinedParameters`, code: 'NOT_MODELLED' },
          { item: `${meta}.TemplateConfigs[0].DeployScene`, code: 'NOT_MODELLED' },
          { item: `${meta}.TemplateConfigs[0].OutputConfigs`, code: 'NOT_MODELLED' },
          { item: `${meta}.TemplateConfigs[1]`, code: 'TEMPLATE_MISSING' },
          { item: `${meta}.SupplierDeployMetadata.SupplierTemplateConfigs[0]`, code: 'SUPPLIER_TEMPLATE' },
          { item: `${meta}.SupplierDeployMetadata.SupplierTemplateConfigs[1]`, code: 'SUPPLIER_TEMPLATE' },
          { item: 'Service.ServiceInfo[zh-CN]', code: 'OTHER_LOCALE' },
          { item: 'Service.ServiceInfo[en-US].Agreements', code: 'NOT_MODELLED' },
          { item: 'Service.ServiceInfo[en-US].Image', code: 'NOT_MODELLED' },
          { item: 'ImageBuilder.EcsImage_1', code: 'IMAGE_NOT_BUILT' },
          { item: 'ImageBuilder.EcsImage_2', code: 'IMAGE_NOT_BUILT' },
        ],
        notes: [
          { item: 'Service.ServiceInfo[en-US].Name', code: 'NAME_SANITISED' },
          { item: 'Artifact.Artifact_1', code: 'REGIONS_DEFAULTED' },
          { item: 'Artifact.Artifact_1', code: 'VERSION_NAME_DEFAULTED' },
          { item: 'Artifact.Artifact_2', code: 'REGIONS_DEFAULTED' },
          { item: 'Artifact.Artifact_2', code: 'VERSION_NAME_DEFAULTED' },
        ],
      });
    });

    it('quickstart-ecs-image: a relation to an artifact kept in Compute Nest is skipped and its placeholder left unassociated', () => {
      const template = 'aliyun-computenest__quickstart-ecs-image__.computenest__ros_templates__template.yaml';
      const plan = planDir(serviceDir('quickstart-ecs-image', { 'ros_templates/template.yaml': template }));
      expectPlan(plan, {
        packages: [],
        service: {
          name: 'ECS',
          description: 'ecs image deploy',
          serviceType: 'private',
          visibility: 'public',
          deployType: 'ros',
          template: {
            configName: 'ECS单机版',
            url: 'ros_templates/template.yaml',
            // The corpus template has an output with an empty name: a warning, not a refusal.
            files: [{ file: 'ros_templates/template.yaml', diagnostics: ['EMPTY_KEY'] }],
            placeholders: ['centos_7_8_x64_20G_alibase_20211130.vhd'],
          },
        },
        associations: [],
        unassociated: [
          {
            placeholder: 'centos_7_8_x64_20G_alibase_20211130.vhd',
            sites: [{ file: 'ros_templates/template.yaml', resource: 'InstanceGroup', line: 157, column: 16 }],
          },
        ],
        skipped: [
          { item: 'Service.RegionId', code: 'NOT_MODELLED' },
          { item: 'Service.ApprovalType', code: 'NOT_MODELLED' },
          { item: 'Service.ServiceInfo[zh-CN].Image', code: 'NOT_MODELLED' },
          { item: 'Service.DeployMetadata.SupplierDeployMetadata.ArtifactRelation["centos_7_8_x64_20G_alibase_20211130.vhd"]', code: 'UNDEFINED_ARTIFACT' },
        ],
        notes: [{ item: 'Service.ServiceInfo[zh-CN].Name', code: 'NAME_SANITISED' }],
      });
    });

    it('the service name can be given instead of the sanitised ServiceInfo name', () => {
      const template = 'aliyun-computenest__quickstart-ecs-image__.computenest__ros_templates__template.yaml';
      const plan = planDir(serviceDir('quickstart-ecs-image', { 'ros_templates/template.yaml': template }, 'named'), { serviceName: 'ecs_image_single' });
      expect(plan.diagnostics).toEqual([]);
      expect(plan.service!.name).toBe('ecs_image_single');
      expect(codes(plan.notes)).toEqual([]);
    });
  });
});

describe('fixture service directories (no corpus needed)', () => {
  it('ledger-ros: ImageBuilder and literal artifacts, draft and undefined relations, one template of two', () => {
    const plan = planDir(path.join(FIXTURES, 'ledger-ros'));
    expect(plan.service!.template!.files[0]!.text).toBe(readFileSync(path.join(FIXTURES, 'ledger-ros/.computenest/ros_templates/ledger.yaml'), 'utf8'));
    const meta = 'Service.DeployMetadata';
    const relation = (p: string) => `${meta}.SupplierDeployMetadata.ArtifactRelation["${p}"]`;
    expectPlan(plan, {
      packages: [
        {
          key: 'Artifact_App',
          name: 'ledger_app_v2',
          versionName: 'imported',
          description: 'Ledger (imported from Compute Nest artifact Artifact_App)',
          // Through ${ImageBuilder.AppBuild.*}; regions from the template config's AllowedRegions.
          content: { imageType: 'custom', sourceRegion: 'cn-shanghai', imageId: 'm-uf6ledgerbase0001', regions: ['cn-shanghai', 'cn-hangzhou'] },
        },
        {
          key: 'Artifact_Db',
          name: 'ledger_db',
          versionName: 'v2_1',
          description: 'PostgreSQL 15 tuned for the ledger',
          // Literal RegionId/ImageId; its own SupportRegionIds win over AllowedRegions, deduplicated.
          content: { imageType: 'custom', sourceRegion: 'cn-beijing', imageId: 'm-2zeledgerdb0002', regions: ['cn-beijing', 'cn-hangzhou'] },
        },
      ],
      service: {
        name: 'Ledger_Service_standard',
        description: 'Ledger (imported from Compute Nest service Ledger_Service_standard)',
        serviceType: 'private',
        visibility: 'private',
        deployType: 'ros',
        template: {
          configName: 'Standard',
          url: 'ros_templates/ledger.yaml',
          files: [{ file: 'ros_templates/ledger.yaml', diagnostics: [] }],
          placeholders: ['ledger_app_image', 'ledger_db_image', 'centos_7_9_x64_20G_alibase_20220727.vhd'],
        },
      },
      associations: [
        { placeholder: 'ledger_app_image', packageKey: 'Artifact_App', version: 'draft' },
        { placeholder: 'ledger_db_image', packageKey: 'Artifact_Db', version: 'draft' },
      ],
      unassociated: [
        {
          placeholder: 'centos_7_9_x64_20G_alibase_20220727.vhd',
          sites: [{ file: 'ros_templates/ledger.yaml', resource: 'Bastion', line: 24, column: 16 }],
        },
      ],
      skipped: [
        { item: 'Service.RegionId', code: 'NOT_MODELLED' },
        { item: 'Service.ApprovalType', code: 'NOT_MODELLED' },
        { item: `${meta}.ServiceInstanceNameRule`, code: 'NOT_MODELLED' },
        { item: `${meta}.TemplateConfigs[0].OutputConfigs`, code: 'NOT_MODELLED' },
        { item: `${meta}.TemplateConfigs[0].AllowedRegions[2]`, code: 'UNKNOWN_REGION' },
        { item: `${meta}.TemplateConfigs[1]`, code: 'EXTRA_TEMPLATE' },
        { item: 'Service.ServiceInfo[zh-CN].Image', code: 'NOT_MODELLED' },
        { item: 'Artifact.Artifact_Unused', code: 'UNREFERENCED_ARTIFACT' },
        { item: 'ImageBuilder.AppBuild', code: 'IMAGE_NOT_BUILT' },
        { item: relation('ledger_cache_image'), code: 'UNDEFINED_ARTIFACT' },
        { item: relation('ledger_queue_image'), code: 'UNDEFINED_ARTIFACT' },
        { item: relation('ledger_report_image'), code: 'PLACEHOLDER_ABSENT' },
      ],
      notes: [
        { item: `${meta}.TemplateConfigs[0].AllowedRegions[1]`, code: 'REGION_NORMALISED' },
        { item: 'Service.ServiceInfo[zh-CN].Name', code: 'NAME_SANITISED' },
        { item: 'Service.ServiceInfo[zh-CN].ShortDescription', code: 'DESCRIPTION_ADJUSTED' },
        { item: 'Service.ShareType', code: 'VISIBILITY_MAPPED' },
        { item: 'Artifact.Artifact_App.ArtifactName', code: 'NAME_SANITISED' },
        { item: 'Artifact.Artifact_App', code: 'VERSION_NAME_DEFAULTED' },
        { item: 'Artifact.Artifact_App.Description', code: 'DESCRIPTION_ADJUSTED' },
        { item: 'Artifact.Artifact_Db.VersionName', code: 'NAME_SANITISED' },
      ],
    });
  });

  it('ledger-tf: a Terraform folder template, a custom and a marketplace artifact, the en-US ServiceInfo', () => {
    const plan = planDir(path.join(FIXTURES, 'ledger-tf'));
    expectPlan(plan, {
      packages: [
        {
          key: 'Artifact_App',
          name: 'ledger_tf_app',
          versionName: 'imported',
          description: 'Ledger application server image',
          content: { imageType: 'custom', sourceRegion: 'cn-hangzhou', imageId: 'm-bp1ledgertfapp01', regions: ['cn-hangzhou', 'ap-southeast-1'] },
        },
        {
          key: 'Artifact_Market',
          name: 'ledger_market',
          versionName: 'imported',
          description: 'Ledger from the marketplace',
          content: { imageType: 'marketplace', sourceRegion: 'cn-hangzhou', productCode: 'cmjj00ledger01', productVersion: 'V2.0', regions: ['cn-hangzhou', 'ap-southeast-1'] },
        },
      ],
      service: {
        name: 'Ledger_on_Terraform',
        description: 'The ledger service, deployed with Terraform into your own account.',
        serviceType: 'private',
        visibility: 'public',
        deployType: 'terraform',
        template: {
          configName: 'Terraform',
          url: 'templates/infrastructure',
          files: [
            { file: 'templates/infrastructure/main.tf', diagnostics: [] },
            { file: 'templates/infrastructure/variables.tf', diagnostics: [] },
          ],
          placeholders: ['ledger_tf_app', 'ledger_tf_market'],
        },
      },
      associations: [
        { placeholder: 'ledger_tf_app', packageKey: 'Artifact_App', version: 'draft' },
        { placeholder: 'ledger_tf_market', packageKey: 'Artifact_Market', version: 'draft' },
      ],
      unassociated: [],
      skipped: [{ item: 'Service.ServiceInfo[zh-CN]', code: 'OTHER_LOCALE' }],
      notes: [
        { item: 'Service.ServiceInfo[en-US].Name', code: 'NAME_SANITISED' },
        { item: 'Artifact.Artifact_App', code: 'VERSION_NAME_DEFAULTED' },
        { item: 'Artifact.Artifact_Market', code: 'VERSION_NAME_DEFAULTED' },
        // ArtifactVersion 2 names a Compute Nest version; the import has only drafts.
        { item: 'Service.DeployMetadata.SupplierDeployMetadata.ArtifactRelation["ledger_tf_app"].ArtifactVersion', code: 'VERSION_AS_DRAFT' },
      ],
    });
  });

  it('a template Url may not reach outside the service directory', () => {
    const sd = openServiceDir(path.join(FIXTURES, 'ledger-ros'));
    expect(sd.files.read('ros_templates/ledger.yaml')).toBeDefined();
    expect(sd.files.read('../../ledger-tf/.computenest/config.yaml')).toBeUndefined();
    expect(sd.files.list!('..')).toEqual([]);
  });

  it('reads a template Url through the bounded reader: a FIFO, a device or a 60 MiB file is not there, and nothing hangs', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'imagenest-import-fifo-'));
    try {
      execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
      symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
      writeFileSync(path.join(dir, 'big.yaml'), '');
      truncateSync(path.join(dir, 'big.yaml'), 60 * 1024 * 1024);
      const sd = openServiceDir(dir);
      expect(sd.files.read('big.yaml')).toBeUndefined();
      expect(sd.files.read('pipe.yaml')).toBeUndefined();
      expect(sd.files.read('zero.yaml')).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
