/** The import planner on small made-up configs: every refusal and adjustment by its code. */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { filesFromRecord, planComputenestImport } from './computenest.ts';
import { planHasErrors, type ImportOptions, type ImportPlan } from './plan.ts';
import { describeImportPlan } from './report.ts';

const ROS = `ROSTemplateFormatVersion: '2015-09-01'
Resources:
  Web:
    Type: ALIYUN::ECS::Instance
    Properties:
      ImageId: web_image
`;
const TF = `resource "alicloud_instance" "web" {
  image_id = "web_image"
}
`;

type Config = Record<string, unknown>;

/** A minimal valid service: one artifact bound to the template's only placeholder. */
function base(): Config {
  return {
    Service: {
      DeployType: 'ros',
      ServiceType: 'private',
      ShareType: 'Public',
      ServiceInfo: { Locale: 'en-US', Name: 'web_service', ShortDescription: 'A web service for tests' },
      DeployMetadata: {
        SupplierDeployMetadata: {
          ArtifactRelation: { web_image: { ArtifactId: '${Artifact.A.ArtifactId}', ArtifactVersion: '${Artifact.A.ArtifactVersion}' } },
        },
        TemplateConfigs: [{ Name: 'Main', Url: 'ros/web.yaml', AllowedRegions: ['cn-hangzhou'] }],
      },
    },
    Artifact: {
      A: { ArtifactType: 'EcsImage', ArtifactName: 'web_image_pkg', Description: 'The web image', ArtifactProperty: { RegionId: 'cn-hangzhou', ImageId: 'm-bp1web' } },
    },
  };
}

function plan(config: Config | string, files: Record<string, string> = { 'ros/web.yaml': ROS }, options?: ImportOptions): ImportPlan {
  const configText = typeof config === 'string' ? config : stringify(config);
  return planComputenestImport({ configText, files, ...(options ? { options } : {}) });
}

const service = (c: Config) => c['Service'] as Config;
const meta = (c: Config) => service(c)['DeployMetadata'] as Config;
const artifact = (c: Config, key = 'A') => (c['Artifact'] as Config)[key] as Config;
const skippedCodes = (p: ImportPlan) => p.skipped.map((s) => s.code);
const noteCodes = (p: ImportPlan) => p.notes.map((s) => s.code);
const diagnosticCodes = (p: ImportPlan) => p.diagnostics.map((d) => d.code);

describe('planComputenestImport', () => {
  it('plans the minimal service with nothing skipped', () => {
    const p = plan(base());
    expect(p.diagnostics).toEqual([]);
    expect(p.packages.map((x) => [x.key, x.name, x.content.regions])).toEqual([['A', 'web_image_pkg', ['cn-hangzhou']]]);
    expect(p.associations).toEqual([{ placeholder: 'web_image', packageKey: 'A', version: 'draft' }]);
    expect(p.skipped).toEqual([]);
    expect(noteCodes(p)).toEqual(['VERSION_NAME_DEFAULTED']);
    expect(planHasErrors(p)).toBe(false);
  });

  it('reports a YAML syntax error with its position instead of throwing', () => {
    const p = plan('Service:\n  DeployType: ros\n  ServiceInfo: [unclosed\n');
    expect(diagnosticCodes(p)).toContain('CONFIG_UNREADABLE');
    expect(p.diagnostics[0]!.line).toBeGreaterThanOrEqual(3);
    expect(p.service).toBeNull();
    expect(planHasErrors(p)).toBe(true);
  });

  it.each([['empty', ''], ['a list', '- a\n- b\n'], ['no Service', 'Artifact: {}\n']])('refuses a config that is %s', (_, text) => {
    const p = plan(text);
    expect(diagnosticCodes(p)).toEqual(['NO_SERVICE']);
    expect(p.service).toBeNull();
  });

  it('refuses a deploy type other than ros or terraform, and one that contradicts the template', () => {
    const spi = base();
    service(spi)['DeployType'] = 'spi';
    expect(diagnosticCodes(plan(spi))).toEqual(['UNSUPPORTED_DEPLOY_TYPE']);
    const tf = base();
    service(tf)['DeployType'] = 'terraform';
    expect(diagnosticCodes(plan(tf))).toEqual(['UNSUPPORTED_DEPLOY_TYPE']);
  });

  it('infers the deploy type from the template when the config has none', () => {
    const c = base();
    delete service(c)['DeployType'];
    (meta(c)['TemplateConfigs'] as Config[])[0]!['Url'] = 'tf/main.tf';
    const p = plan(c, { 'tf/main.tf': TF });
    expect(p.diagnostics).toEqual([]);
    expect(p.service!.deployType).toBe('terraform');
    expect(p.notes.find((n) => n.item === 'Service.DeployType')?.code).toBe('DEFAULTED');
  });

  it('refuses a managed service type and an invalid service name option', () => {
    const c = base();
    service(c)['ServiceType'] = 'managed';
    expect(diagnosticCodes(plan(c))).toEqual(['UNSUPPORTED_SERVICE_TYPE']);
    expect(diagnosticCodes(plan(base(), undefined, { serviceName: 'no spaces allowed' }))).toEqual(['INVALID_SERVICE_NAME']);
  });

  it('with no readable template: an error, and every relation skipped for want of one', () => {
    const p = plan(base(), {});
    expect(diagnosticCodes(p)).toEqual(['NO_TEMPLATE']);
    expect(skippedCodes(p)).toEqual(['TEMPLATE_MISSING', 'NO_TEMPLATE']);
    expect(p.service!.template).toBeNull();
    expect(p.packages).toHaveLength(1);
  });

  it('takes the template from SupplierTemplateConfigs when there are no TemplateConfigs', () => {
    const c = base();
    const configs = meta(c)['TemplateConfigs'];
    delete meta(c)['TemplateConfigs'];
    (meta(c)['SupplierDeployMetadata'] as Config)['SupplierTemplateConfigs'] = configs;
    const p = plan(c);
    expect(p.service!.template!.url).toBe('ros/web.yaml');
    expect(p.associations).toHaveLength(1);
    expect(p.notes.map((n) => [n.item, n.code])).toContainEqual(['Service.DeployMetadata.SupplierDeployMetadata.SupplierTemplateConfigs', 'DEFAULTED']);
  });

  it.each([
    ['a non-image artifact type', (a: Config) => (a['ArtifactType'] = 'File'), 'ARTIFACT_NOT_IMPORTED'],
    ['an unresolved ImageBuilder reference', (a: Config) => ((a['ArtifactProperty'] as Config)['ImageId'] = '${ImageBuilder.Nope.SourceImageId}'), 'UNRESOLVED_REFERENCE'],
    ['a public image name for ImageId', (a: Config) => ((a['ArtifactProperty'] as Config)['ImageId'] = 'centos_7_9_x64_20G_alibase_20220727.vhd'), 'ARTIFACT_NOT_IMPORTED'],
    ['an unknown source region', (a: Config) => ((a['ArtifactProperty'] as Config)['RegionId'] = 'mars-north-1'), 'UNKNOWN_REGION'],
    ['no ArtifactProperty', (a: Config) => delete a['ArtifactProperty'], 'ARTIFACT_NOT_IMPORTED'],
  ])('skips an artifact with %s, and the relation that needs it', (_, breakIt, code) => {
    const c = base();
    breakIt(artifact(c));
    const p = plan(c);
    expect(p.packages).toEqual([]);
    expect(p.skipped.map((s) => [s.item, s.code])).toEqual([
      ['Artifact.A', code],
      ['Service.DeployMetadata.SupplierDeployMetadata.ArtifactRelation["web_image"]', 'ARTIFACT_NOT_IMPORTED'],
    ]);
    expect(p.unassociated.map((u) => u.placeholder)).toEqual(['web_image']);
  });

  it.each([
    ['not a map', 'artifact-1'],
    ['without an ArtifactId', { ArtifactVersion: 'draft' }],
    ['whose version is another artifact', { ArtifactId: '${Artifact.A.ArtifactId}', ArtifactVersion: '${Artifact.B.ArtifactVersion}' }],
  ])('skips a relation %s', (_, relation) => {
    const c = base();
    (meta(c)['SupplierDeployMetadata'] as Config)['ArtifactRelation'] = { web_image: relation };
    const p = plan(c);
    expect(p.associations).toEqual([]);
    expect(skippedCodes(p)).toContain('INVALID_RELATION');
  });

  it('gives two artifacts of the same name distinct package names', () => {
    const c = base();
    (c['Artifact'] as Config)['B'] = structuredClone(artifact(c));
    (meta(c)['SupplierDeployMetadata'] as Config)['ArtifactRelation'] = {
      web_image: { ArtifactId: '${Artifact.A.ArtifactId}', ArtifactVersion: 'draft' },
      other_image: { ArtifactId: '${Artifact.B.ArtifactId}', ArtifactVersion: 'draft' },
    };
    const p = plan(c);
    expect(p.packages.map((x) => x.name)).toEqual(['web_image_pkg', 'web_image_pkg_2']);
    expect(p.notes.map((n) => [n.item, n.code])).toContainEqual(['Artifact.B.ArtifactName', 'NAME_SANITISED']);
    expect(p.skipped.map((s) => s.code)).toEqual(['PLACEHOLDER_ABSENT']);
  });

  it('clips a long description to 500 characters and completes an absent one', () => {
    const c = base();
    artifact(c)['Description'] = 'é'.repeat(600);
    delete (service(c)['ServiceInfo'] as Config)['ShortDescription'];
    const p = plan(c);
    expect([...p.packages[0]!.description]).toHaveLength(500);
    expect(p.service!.description.length).toBeGreaterThanOrEqual(10);
    expect(p.notes.filter((n) => n.code === 'DESCRIPTION_ADJUSTED').map((n) => n.item)).toEqual([
      'Service.ServiceInfo[en-US].ShortDescription',
      'Artifact.A.Description',
    ]);
  });

  it('falls back to generic names when nothing of the given ones survives', () => {
    const c = base();
    (service(c)['ServiceInfo'] as Config)['Name'] = '账本';
    delete artifact(c)['ArtifactName'];
    const p = plan(c);
    expect(p.service!.name).toBe('imported_service');
    // The artifact key 'A' is too short to be a package name.
    expect(p.packages.map((x) => x.name)).toEqual(['imported_image']);
  });

  it('reports nothing about the regions of an artifact it skips for its image', () => {
    const c = base();
    (artifact(c)['ArtifactProperty'] as Config)['ImageId'] = 'not-an-image';
    artifact(c)['SupportRegionIds'] = ['nowhere-1'];
    expect(plan(c).skipped.map((s) => [s.item, s.code])).toEqual([
      ['Artifact.A', 'ARTIFACT_NOT_IMPORTED'],
      ['Service.DeployMetadata.SupplierDeployMetadata.ArtifactRelation["web_image"]', 'ARTIFACT_NOT_IMPORTED'],
    ]);
  });

  it('accepts a plain ServiceFiles reader and a folder of Terraform files', () => {
    const c = base();
    service(c)['DeployType'] = 'terraform';
    (meta(c)['TemplateConfigs'] as Config[])[0]!['Url'] = './tf/';
    const files = filesFromRecord({ 'tf/main.tf': TF, 'tf/README.md': '# not a template', 'tf/sub/other.tf': TF });
    const p = planComputenestImport({ configText: stringify(c), files });
    expect(p.diagnostics).toEqual([]);
    expect(p.service!.template!.files.map((f) => f.file)).toEqual(['tf/main.tf']);
    expect(p.associations).toHaveLength(1);
  });

  it('describes every planned object and every skipped or adjusted item for people', () => {
    const c = base();
    service(c)['ApprovalType'] = 'Manual';
    const p = plan(c, { 'ros/web.yaml': ROS.replace('web_image', 'web_image\n  Db:\n    Type: ALIYUN::ECS::Instance\n    Properties:\n      ImageId: db_image') });
    const lines = describeImportPlan(p);
    // The package, then the association that uses it.
    expect(lines.filter((l) => l.includes('web_image_pkg')).map((l) => l.includes('m-bp1web'))).toEqual([true, false]);
    expect(lines.some((l) => l.includes('web_service') && l.includes('ros/web.yaml'))).toBe(true);
    expect(lines.some((l) => l.includes('db_image') && l.includes('Db'))).toBe(true);
    for (const i of [...p.skipped, ...p.notes]) expect(lines.some((l) => l.includes(i.item) && l.includes(i.code))).toBe(true);
    expect(p.skipped.length + p.notes.length).toBe(2);
    expect(describeImportPlan(plan('')).some((l) => l.includes('NO_SERVICE'))).toBe(true);
  });
});
