import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors.ts';
import { DeliveryState } from '../version-state.ts';
import {
  imageNotAvailableError,
  resolveImages,
  usableRegions,
  versionImage,
  type RegionFact,
  type VersionFacts,
} from './image-resolution.ts';

const SRC = 'cn-hangzhou';

const published = (over: Partial<VersionFacts> = {}): VersionFacts => ({
  packageId: 'pkg-web',
  packageName: 'web_app',
  version: 2,
  sourceRegion: SRC,
  sourceImageId: 'm-supplier',
  deleting: false,
  deliveries: [
    { region: 'cn-beijing', state: 'Available', imageId: 'm-beijing' },
    { region: 'ap-southeast-1', state: 'Available', imageId: 'm-singapore' },
    { region: 'us-east-1', state: 'Copying' },
    { region: 'eu-central-1', state: 'Failed' },
    { region: 'me-east-1', state: 'Pending' },
    { region: 'us-west-1', state: 'Cancelled' },
  ],
  ingest: { state: 'Available', imageId: 'm-ingest', released: false },
  ...over,
});

const draft = (over: Partial<VersionFacts> = {}): VersionFacts => ({ ...published(), version: 'draft', deliveries: [], ingest: null, ...over });

describe('image of one version in a region', () => {
  it.each([
    ['cn-beijing', { ok: true, imageId: 'm-beijing', origin: 'copy' }],
    ['ap-southeast-1', { ok: true, imageId: 'm-singapore', origin: 'copy' }],
    [SRC, { ok: true, imageId: 'm-ingest', origin: 'ingest' }],
  ])('a published version is usable in %s', (region, expected) => {
    expect(versionImage(published(), region)).toEqual(expected);
  });

  it.each([
    ['us-east-1', 'Copying'],
    ['eu-central-1', 'Failed'],
    ['me-east-1', 'Pending'],
    ['us-west-1', 'Cancelled'],
    ['cn-shanghai', 'NotDistributed'],
  ])('a published version is refused in %s, found %s', (region, state) => {
    expect(versionImage(published(), region)).toEqual({
      ok: false,
      refusal: { packageId: 'pkg-web', packageName: 'web_app', version: 2, region, state },
    });
  });

  it('serves the source region through its copy when the source region is also a distribution region', () => {
    const facts = published({ deliveries: [{ region: SRC, state: 'Available', imageId: 'm-ingest' }] });
    expect(versionImage(facts, SRC)).toEqual({ ok: true, imageId: 'm-ingest', origin: 'copy' });
  });

  it("reports the ingest's state in the source region until it is done, and a released ingest", () => {
    expect(versionImage(published({ ingest: { state: 'Copying' } }), SRC)).toMatchObject({ ok: false, refusal: { state: 'Copying' } });
    expect(versionImage(published({ ingest: null }), SRC)).toMatchObject({ ok: false, refusal: { state: 'NotDistributed' } });
    expect(versionImage(published({ ingest: { state: 'Available', imageId: 'm-ingest', released: true } }), SRC)).toMatchObject({
      ok: false,
      refusal: { state: 'Released' },
    });
  });

  it('a draft is usable in its source region only, with the source image', () => {
    expect(versionImage(draft(), SRC)).toEqual({ ok: true, imageId: 'm-supplier', origin: 'sourceImage' });
    expect(versionImage(draft(), 'cn-beijing')).toMatchObject({ ok: false, refusal: { version: 'draft', state: 'DraftOnlyInSourceRegion' } });
    expect(versionImage(draft({ sourceImageId: null }), SRC)).toMatchObject({ ok: false, refusal: { state: 'NoSourceImage' } });
  });

  it('a version being deleted serves nobody anywhere', () => {
    for (const facts of [published({ deleting: true }), draft({ deleting: true })]) {
      for (const region of [SRC, 'cn-beijing']) expect(versionImage(facts, region)).toMatchObject({ ok: false, refusal: { state: 'Deleting' } });
    }
  });

  it('lists the usable regions', () => {
    expect(usableRegions(published())).toEqual(['ap-southeast-1', 'cn-beijing', SRC]);
    expect(usableRegions(draft())).toEqual([SRC]);
    expect(usableRegions(published({ deleting: true }))).toEqual([]);
  });

  it('hands out an image only where the cloud confirmed an Available copy (property)', () => {
    const regions = ['cn-beijing', 'cn-shanghai', 'us-east-1', SRC];
    const fact: fc.Arbitrary<RegionFact> = fc
      .tuple(fc.constantFrom(...regions), fc.constantFrom(...Object.values(DeliveryState)))
      .map(([region, state]) => (state === 'Available' ? { region, state, imageId: `m-${region}` } : { region, state }));
    fc.assert(
      fc.property(fc.uniqueArray(fact, { selector: (f) => f.region }), fc.constantFrom(...regions), fc.boolean(), (deliveries, region, ingestDone) => {
        const facts = published({ deliveries, ingest: ingestDone ? { state: 'Available', imageId: 'm-ingest', released: false } : { state: 'Copying' } });
        const r = versionImage(facts, region);
        const copy = deliveries.find((d) => d.region === region);
        if (r.ok) {
          const fromCopy = copy?.state === 'Available' && r.imageId === copy.imageId;
          const fromIngest = region === SRC && ingestDone && r.imageId === 'm-ingest';
          expect(fromCopy || fromIngest).toBe(true);
        } else {
          expect(copy?.state === 'Available').toBe(false);
        }
      }),
    );
  });
});

describe('resolving every association of a deployment', () => {
  const db = published({ packageId: 'pkg-db', packageName: 'db_app', version: 1, deliveries: [{ region: 'cn-beijing', state: 'Available', imageId: 'm-db-beijing' }] });

  it('maps every placeholder to its image in the region', () => {
    const r = resolveImages([{ placeholder: 'm-web', facts: published() }, { placeholder: 'm-db', facts: db }], 'cn-beijing');
    expect(r).toEqual({
      ok: true,
      mapping: { 'm-web': 'm-beijing', 'm-db': 'm-db-beijing' },
      images: [
        { placeholder: 'm-web', packageId: 'pkg-web', version: 2, imageId: 'm-beijing', origin: 'copy' },
        { placeholder: 'm-db', packageId: 'pkg-db', version: 1, imageId: 'm-db-beijing', origin: 'copy' },
      ],
    });
  });

  it('refuses with every refusal and no mapping when any placeholder has no image there', () => {
    const r = resolveImages([{ placeholder: 'm-web', facts: published() }, { placeholder: 'm-db', facts: db }], 'ap-southeast-1');
    expect(r).toEqual({
      ok: false,
      refusals: [{ placeholder: 'm-db', packageId: 'pkg-db', packageName: 'db_app', version: 1, region: 'ap-southeast-1', state: 'NotDistributed' }],
    });
    const both = resolveImages([{ placeholder: 'm-web', facts: published() }, { placeholder: 'm-db', facts: db }], 'us-east-1');
    expect(both.ok ? [] : both.refusals.map((x) => [x.placeholder, x.state])).toEqual([
      ['m-web', 'Copying'],
      ['m-db', 'NotDistributed'],
    ]);
  });

  it('refuses as IMAGE_NOT_AVAILABLE_IN_REGION naming package, version and region', () => {
    const r = resolveImages([{ placeholder: 'm-web', facts: published() }], 'us-east-1');
    if (r.ok) throw new Error('expected a refusal');
    const err = imageNotAvailableError(r.refusals);
    expect(err.code).toBe(ErrorCode.IMAGE_NOT_AVAILABLE_IN_REGION);
    expect(err.context).toEqual({ packageId: 'pkg-web', version: '2', region: 'us-east-1' });
    expect(err.details).toEqual({ refusals: r.refusals });
  });
});
