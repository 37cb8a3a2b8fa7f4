import { describe, expect, it } from 'vitest';
import { ImagenestError } from './errors.ts';
import { mergeDraft, validateCreatePackage, type VersionRecord } from './package.ts';

const draft: VersionRecord = {
  id: 'ver-1',
  packageId: 'pkg-1',
  number: null,
  name: 'v1_0',
  description: null,
  content: { imageType: 'custom', sourceRegion: 'cn-hangzhou', imageId: 'm-abc', regions: ['cn-beijing'] },
  state: 'Draft',
  createdAt: new Date(0),
  updatedAt: new Date(0),
  publishedAt: null,
  deleteRequestedAt: null,
};

function violationsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    const details = (err as ImagenestError).details as { violations: { field: string; rule: string }[] };
    return details.violations.map((v) => `${v.field}:${v.rule}`);
  }
  throw new Error('expected a validation error');
}

describe('mergeDraft', () => {
  it('keeps fields the changes leave out', () => {
    expect(mergeDraft(draft, { content: { regions: ['cn-shanghai'] } })).toEqual({
      name: 'v1_0',
      description: null,
      content: { ...draft.content, regions: ['cn-shanghai'] },
    });
  });

  it('switches image type, dropping the other type’s fields', () => {
    const m = mergeDraft(draft, { content: { imageType: 'marketplace', productCode: 'cmjj01', productVersion: 'V1' } });
    expect(m.content).toEqual({ imageType: 'marketplace', sourceRegion: 'cn-hangzhou', productCode: 'cmjj01', productVersion: 'V1', regions: ['cn-beijing'] });
  });

  it('needs a whole draft when there is none', () => {
    expect(violationsOf(() => mergeDraft(undefined, { content: { regions: [] } }))).toEqual([
      'version.name:required',
      'version.content.sourceRegion:required',
      'version.content.regions:minItems',
      'version.content.imageId:required',
    ]);
  });

  it('refuses any change to a published version with VERSION_LOCKED', () => {
    for (const state of ['Delivering', 'Available', 'PartiallyAvailable', 'Failed', 'Cancelled'] as const) {
      expect(() => mergeDraft({ ...draft, number: 1, state }, { description: 'a change of text' })).toThrow(
        expect.objectContaining({ code: 'VERSION_LOCKED' }),
      );
    }
  });
});

describe('validateCreatePackage', () => {
  it('reports fields of the package and of its draft together', () => {
    expect(
      violationsOf(() =>
        validateCreatePackage({
          name: 'x',
          description: 'short',
          tags: Array.from({ length: 21 }, (_, i) => ({ key: `k${i}`, value: '' })),
          version: { name: 'ok_name', content: { imageType: 'marketplace', sourceRegion: 'cn-hangzhou', imageId: 'm-1', regions: ['cn-beijing'] } },
        }),
      ),
    ).toEqual([
      'name:length',
      'description:length',
      'tags:maxItems',
      'version.content.productCode:required',
      'version.content.productVersion:required',
      'version.content.imageId:notAllowed',
    ]);
  });
});
