/** Building a version's content and draft from request input, and the rules on package changes. */
import { describe, expect, it } from 'vitest';
import type { ImagenestError } from './errors.ts';
import { buildContent, createPackageViolations, draftChangeViolations, flattenContent, mergeDraft, validateCreatePackage, validatePackageChanges, versionLabel, type PackageRecord, type VersionRecord } from './package.ts';

function violationsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect((err as ImagenestError).code).toBe('VALIDATION_FAILED');
    return ((err as ImagenestError).details as { violations: { field: string; rule: string }[] }).violations.map((v) => `${v.field}:${v.rule}`);
  }
  throw new Error('expected a validation error');
}

const fields = (r: { violations: { field: string; rule: string }[] }) => r.violations.map((v) => `${v.field}:${v.rule}`);
const custom = { imageType: 'custom' as const, sourceRegion: 'cn-hangzhou', imageId: 'm-abc', regions: ['cn-beijing'] };
const market = { imageType: 'marketplace' as const, sourceRegion: 'cn-hangzhou', productCode: 'cmjj01', productVersion: 'V1', regions: ['cn-beijing'] };

describe('buildContent', () => {
  it('builds a custom content, the default image type', () => {
    const { imageType: _, ...rest } = custom;
    expect(buildContent({ ...rest, regions: ['cn-beijing'] })).toEqual({ content: custom, violations: [] });
    expect(buildContent({ ...custom, regions: ['cn-beijing'] })).toEqual({ content: custom, violations: [] });
  });

  it('builds a marketplace content', () => {
    expect(buildContent({ ...market, regions: ['cn-beijing'] })).toEqual({ content: market, violations: [] });
  });

  it('reports every missing field under the field path it was given', () => {
    expect(fields(buildContent({}, 'c'))).toEqual(['c.sourceRegion:required', 'c.regions:required', 'c.imageId:required']);
    expect(fields(buildContent({ imageType: 'marketplace' }, 'c'))).toEqual(['c.sourceRegion:required', 'c.regions:required', 'c.productCode:required', 'c.productVersion:required']);
    expect(buildContent({}).violations[0]!.field).toBe('version.content.sourceRegion');
  });

  it('checks the regions and image it is given, and returns no content when any is wrong', () => {
    expect(buildContent({ ...custom, sourceRegion: 'mars', regions: ['cn-beijing'] })).toEqual({ violations: [expect.objectContaining({ field: 'version.content.sourceRegion', rule: 'knownRegion' })] });
    expect(buildContent({ ...custom, regions: [] })).toEqual({ violations: [expect.objectContaining({ field: 'version.content.regions', rule: 'minItems' })] });
    expect(buildContent({ ...custom, imageId: 'ubuntu', regions: ['cn-beijing'] })).toEqual({ violations: [expect.objectContaining({ field: 'version.content.imageId', rule: 'format' })] });
  });

  it('refuses the other image type’s fields', () => {
    expect(fields(buildContent({ ...custom, productCode: 'x', productVersion: 'y', regions: ['cn-beijing'] }))).toEqual([
      'version.content.productCode:notAllowed',
      'version.content.productVersion:notAllowed',
    ]);
    expect(fields(buildContent({ ...market, imageId: 'm-1', regions: ['cn-beijing'] }))).toEqual(['version.content.imageId:notAllowed']);
  });

  it('names the field each violation is about', () => {
    const [region, image, other] = buildContent({ imageType: 'custom', productCode: 'x' }, 'c').violations.slice(1);
    expect(region!.message.length).toBeGreaterThan(0);
    expect(image!.message).toContain('imageId');
    expect(other!.message).toContain('productCode');
    expect(buildContent({ sourceRegion: 'mars' }).violations[0]!.field).toBe('version.content.sourceRegion');
  });

  it('needs every field of the type, not just one', () => {
    expect(fields(buildContent({ ...market, productVersion: undefined, regions: ['cn-beijing'] }))).toEqual(['version.content.productVersion:required']);
  });
});

describe('validateCreatePackage', () => {
  const input = { name: 'web_app', description: 'a web application', version: { name: 'v1_0', content: { ...custom, regions: ['cn-beijing'] } } };

  it('returns the draft of a valid package', () => {
    expect(validateCreatePackage(input)).toEqual({ draft: { name: 'v1_0', description: null, content: custom } });
    expect(validateCreatePackage({ ...input, version: { ...input.version, description: 'the first version' } }).draft.description).toBe('the first version');
  });

  it('checks the resource group and tags only when given', () => {
    expect(validateCreatePackage({ ...input, resourceGroup: 'rg-1', tags: [{ key: 'env', value: 'prod' }] }).draft.name).toBe('v1_0');
    expect(violationsOf(() => validateCreatePackage({ ...input, resourceGroup: '-rg' }))).toEqual(['resourceGroup:charset']);
    expect(violationsOf(() => validateCreatePackage({ ...input, tags: [{ key: 'aliyun:x', value: '' }] }))).toEqual(['tags[0].key:reservedPrefix']);
  });

  it('checks the draft’s name and description', () => {
    expect(violationsOf(() => validateCreatePackage({ ...input, version: { ...input.version, name: 'v' } }))).toEqual(['version.name:length']);
    expect(violationsOf(() => validateCreatePackage({ ...input, version: { ...input.version, description: 'short' } }))).toEqual(['version.description:length']);
    expect(violationsOf(() => validateCreatePackage({ ...input, version: { content: input.version.content } }))).toEqual(['version.name:required']);
    expect(violationsOf(() => validateCreatePackage({ ...input, version: { name: 'v1_0' } }))).toEqual([
      'version.content.sourceRegion:required',
      'version.content.regions:required',
      'version.content.imageId:required',
    ]);
  });
});

describe('validatePackageChanges', () => {
  const current: PackageRecord = {
    id: 'pkg-1',
    ownerId: 'acc-1',
    name: 'web_app',
    description: 'a web application',
    resourceGroup: null,
    tags: [],
    type: 'EcsImage',
    createdAt: new Date(0),
    updatedAt: new Date(0),
    deleteRequestedAt: null,
  };

  it('accepts the same name, a new description, resource group and tags, and clearing the group', () => {
    expect(() => validatePackageChanges(current, { name: 'web_app', description: 'another description', resourceGroup: 'rg', tags: [{ key: 'a', value: 'b' }] })).not.toThrow();
    expect(() => validatePackageChanges(current, { resourceGroup: null })).not.toThrow();
    expect(() => validatePackageChanges(current, {})).not.toThrow();
  });

  it('says why a name cannot change', () => {
    try {
      validatePackageChanges(current, { name: 'other_name' });
      expect.unreachable();
    } catch (err) {
      expect(((err as ImagenestError).details as { violations: { message: string }[] }).violations[0]!.message.length).toBeGreaterThan(0);
    }
  });

  it('refuses a new name and checks every other field, all at once', () => {
    expect(violationsOf(() => validatePackageChanges(current, { name: 'other_name', description: 'short', resourceGroup: '', tags: [{ key: '', value: '' }] }))).toEqual([
      'name:immutable',
      'description:length',
      'resourceGroup:length',
      'tags[0].key:length',
    ]);
  });
});

describe('mergeDraft', () => {
  const draft: VersionRecord = {
    id: 'ver-1',
    packageId: 'pkg-1',
    number: null,
    name: 'v1_0',
    description: 'the first version',
    content: custom,
    state: 'Draft',
    createdAt: new Date(0),
    updatedAt: new Date(0),
    publishedAt: null,
    deleteRequestedAt: null,
  };

  it('keeps the name and description the changes leave out, and takes those they give', () => {
    expect(mergeDraft(draft, {})).toEqual({ name: 'v1_0', description: 'the first version', content: custom });
    expect(mergeDraft(draft, { name: 'v2_0', description: 'the second version' })).toEqual({ name: 'v2_0', description: 'the second version', content: custom });
    expect(mergeDraft({ ...draft, description: null }, {}).description).toBeNull();
  });

  it('keeps the image fields when the image type is restated', () => {
    expect(mergeDraft(draft, { content: { imageType: 'custom' } }).content).toEqual(custom);
    expect(mergeDraft(draft, { content: { imageId: undefined, imageType: undefined } }).content).toEqual(custom);
  });

  it('switches to custom from marketplace, dropping the product', () => {
    expect(mergeDraft({ ...draft, content: market }, { content: { imageType: 'custom', imageId: 'm-new' } }).content).toEqual({ ...custom, imageId: 'm-new' });
  });

  it('builds a whole new draft when there is none', () => {
    expect(mergeDraft(undefined, { name: 'v1_0', content: { ...custom, regions: ['cn-beijing'] } })).toEqual({ name: 'v1_0', description: null, content: custom });
  });

  it('refuses a draft whose own fields break a rule even when its content is whole', () => {
    expect(violationsOf(() => mergeDraft(draft, { name: 'v' }))).toEqual(['version.name:length']);
    expect(violationsOf(() => mergeDraft(draft, { description: 'short' }))).toEqual(['version.description:length']);
  });

  it('says which version is locked', () => {
    try {
      mergeDraft({ ...draft, number: 3, state: 'Available' }, {});
      expect.unreachable();
    } catch (err) {
      expect((err as ImagenestError).code).toBe('VERSION_LOCKED');
      expect((err as ImagenestError).context).toEqual({ packageId: 'pkg-1', version: '3' });
      expect((err as ImagenestError).message).toContain('3');
    }
  });
});

describe('flattenContent and versionLabel', () => {
  it('flattens a content into input without sharing its regions', () => {
    const flat = flattenContent(custom as never);
    expect(flat).toEqual(custom);
    expect(flat.regions).not.toBe(custom.regions);
  });

  it('labels a draft and a published version', () => {
    expect(versionLabel({ number: null })).toBe('draft');
    expect(versionLabel({ number: 0 })).toBe('0');
    expect(versionLabel({ number: 12 })).toBe('12');
  });
});

describe('draftChangeViolations: each member present is checked at its own field, absent ones not at all', () => {
  it('finds nothing in an empty change or in valid members', () => {
    expect(draftChangeViolations({})).toEqual([]);
    expect(
      draftChangeViolations({ name: 'v2_0', description: 'a good description', content: { sourceRegion: 'cn-hangzhou', regions: ['cn-shanghai'], imageId: 'm-abc123', productCode: 'cmjj000101', productVersion: 'V1' } }),
    ).toEqual([]);
  });

  it('reports every broken member at its field, under the given prefix', () => {
    const fields = draftChangeViolations(
      { name: 'x', description: 'short', content: { sourceRegion: 'mars-1', regions: ['nowhere-1'], imageId: 'not-an-image', productCode: '', productVersion: '' } },
      'body',
    ).map((v) => v.field);
    expect(fields).toEqual([
      'body.name',
      'body.description',
      'body.content.sourceRegion',
      'body.content.regions[0]',
      'body.content.imageId',
      'body.content.productCode',
      'body.content.productVersion',
    ]);
  });
});

describe('buildContent for a marketplace image', () => {
  it('builds the marketplace content from its product code and version', () => {
    expect(buildContent({ imageType: 'marketplace', sourceRegion: 'cn-hangzhou', productCode: 'cmjj000101', productVersion: 'V1', regions: ['cn-shanghai'] })).toEqual({
      content: { imageType: 'marketplace', sourceRegion: 'cn-hangzhou', productCode: 'cmjj000101', productVersion: 'V1', regions: ['cn-shanghai'] },
      violations: [],
    });
  });
});

describe('createPackageViolations', () => {
  it('checks the resource group and the tags when given', () => {
    const version = { name: 'v1_0', content: { sourceRegion: 'cn-hangzhou', imageId: 'm-abc123', regions: ['cn-shanghai'] } };
    const ok = createPackageViolations({ name: 'web_app', description: 'a web application image', resourceGroup: 'rg-abc', tags: [{ key: 'team', value: 'web' }], version });
    expect(ok.violations).toEqual([]);
    expect(ok.draft?.name).toBe('v1_0');
    const bad = createPackageViolations({ name: 'web_app', description: 'a web application image', resourceGroup: '', tags: [{ key: '', value: 'web' }], version });
    expect(bad.draft).toBeUndefined();
    expect(bad.violations.map((v) => v.field)).toEqual(['resourceGroup', 'tags[0].key']);
  });
});
