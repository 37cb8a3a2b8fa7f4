import { describe, expect, it } from 'vitest';
import type { VersionContent } from '../domain/package-rules.ts';
import { assertCheckedSource, type SourceCheck } from './source-image.ts';

const content: VersionContent = { imageType: 'custom', sourceRegion: 'cn-hangzhou', imageId: 'm-one', regions: ['cn-shanghai'] };
const usable: SourceCheck = { sourceRegion: 'cn-hangzhou', imageId: 'm-one', verdict: { state: 'usable', sizeGiB: 20 } };
const codeOf = (fn: () => void) => {
  try {
    fn();
    return 'none';
  } catch (err) {
    return (err as { code: string }).code;
  }
};

describe('assertCheckedSource', () => {
  it('passes the image the cloud was asked about', () => {
    expect(codeOf(() => assertCheckedSource(content, usable))).toBe('none');
  });

  it('answers CONFLICT (retryable) when the draft changed image or region after the check, or was never checked', () => {
    for (const c of [{ ...content, imageId: 'm-two' }, { ...content, sourceRegion: 'cn-beijing' }]) {
      expect(codeOf(() => assertCheckedSource(c, usable))).toBe('CONFLICT');
    }
    expect(codeOf(() => assertCheckedSource(content, undefined))).toBe('CONFLICT');
  });

  it('asks nothing of a marketplace image', () => {
    const market: VersionContent = { imageType: 'marketplace', sourceRegion: 'cn-hangzhou', productCode: 'p', productVersion: '1', regions: ['cn-shanghai'] };
    expect(codeOf(() => assertCheckedSource(market, undefined))).toBe('none');
  });

  it('refuses each unusable verdict with its own code', () => {
    const cases: [SourceCheck['verdict'], string][] = [
      [{ state: 'notFound' }, 'SOURCE_IMAGE_NOT_FOUND'],
      [{ state: 'notAvailable', status: 'Creating' }, 'SOURCE_IMAGE_NOT_AVAILABLE'],
      [{ state: 'unknown', cloud: { code: 'Throttling.User', message: 'x' } }, 'CLOUD_UNAVAILABLE'],
    ];
    for (const [verdict, code] of cases) expect(codeOf(() => assertCheckedSource(content, { ...usable, verdict }))).toBe(code);
  });
});
