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
    expect(codeOf(() => assertCheckedSource(content, usable, 'publish'))).toBe('none');
  });

  it('answers CONFLICT (retryable) when the draft changed image or region after the check, or was never checked', () => {
    for (const c of [{ ...content, imageId: 'm-two' }, { ...content, sourceRegion: 'cn-beijing' }]) {
      expect(codeOf(() => assertCheckedSource(c, usable, 'publish'))).toBe('CONFLICT');
    }
    expect(codeOf(() => assertCheckedSource(content, undefined, 'save'))).toBe('CONFLICT');
  });

  it('asks nothing of a marketplace image', () => {
    const market: VersionContent = { imageType: 'marketplace', sourceRegion: 'cn-hangzhou', productCode: 'p', productVersion: '1', regions: ['cn-shanghai'] };
    expect(codeOf(() => assertCheckedSource(market, undefined, 'publish'))).toBe('none');
  });

  it('refuses an unknown verdict only at publish', () => {
    const unknown: SourceCheck = { ...usable, verdict: { state: 'unknown', cloud: { code: 'Throttling.User', message: 'x' } } };
    expect(codeOf(() => assertCheckedSource(content, unknown, 'save'))).toBe('none');
    expect(codeOf(() => assertCheckedSource(content, unknown, 'publish'))).toBe('CLOUD_UNAVAILABLE');
  });
});
