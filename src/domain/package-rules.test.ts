import { describe, expect, it } from 'vitest';
import {
  checkContent,
  checkDescription,
  checkPackageName,
  checkRegions,
  checkTags,
  checkVersionName,
  type Tag,
} from './package-rules.ts';
import { REGIONS } from './regions.ts';

const rules = (vs: { rule: string }[]) => vs.map((v) => v.rule);
const str = (n: number, ch = 'a') => ch.repeat(n);

describe('package name (3–128; letters, digits, _)', () => {
  it.each([
    [2, ['length']],
    [3, []],
    [128, []],
    [129, ['length']],
  ])('%i characters → %j', (n, expected) => {
    expect(rules(checkPackageName(str(n)))).toEqual(expected);
  });

  it('accepts letters, digits and underscores', () => {
    expect(checkPackageName('Web_App_2024')).toEqual([]);
  });

  it.each(['web-app', 'web app', 'web.app', 'wébapp', 'アプリ名', 'app😀x'])('rejects %j by charset', (name) => {
    expect(rules(checkPackageName(name))).toContain('charset');
  });

  it('counts characters, not UTF-16 units, and names the field', () => {
    // Two emoji are four UTF-16 units: only a count of characters finds them too short.
    const v = checkPackageName('😀😀');
    expect(v.map((x) => [x.field, x.rule])).toEqual([
      ['name', 'length'],
      ['name', 'charset'],
    ]);
    expect(rules(checkPackageName('😀😀😀'))).toEqual(['charset']);
  });
});

describe('version name (3–50; letters, digits, _)', () => {
  it.each([
    [2, ['length']],
    [3, []],
    [50, []],
    [51, ['length']],
  ])('%i characters → %j', (n, expected) => {
    expect(rules(checkVersionName(str(n, 'v')))).toEqual(expected);
  });

  it.each(['v1-0', 'v1.0', 'versión'])('rejects %j by charset', (name) => {
    expect(rules(checkVersionName(name))).toEqual(['charset']);
  });
});

describe('description (10–500 characters)', () => {
  it.each([
    [9, ['length']],
    [10, []],
    [500, []],
    [501, ['length']],
  ])('%i characters → %j', (n, expected) => {
    expect(rules(checkDescription(str(n, 'd')))).toEqual(expected);
  });

  it('counts non-ASCII characters as one each', () => {
    expect(checkDescription('説明'.repeat(5))).toEqual([]);
    expect(rules(checkDescription('説明説明説明説明説'))).toEqual(['length']);
  });
});

describe('tags (at most 20; key 1–128, value 0–128, reserved prefixes, unique keys)', () => {
  const tags = (n: number): Tag[] => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));

  it('accepts 20 and rejects 21', () => {
    expect(checkTags(tags(20))).toEqual([]);
    expect(rules(checkTags(tags(21)))).toEqual(['maxItems']);
  });

  it.each([
    [{ key: '', value: 'x' }, ['length']],
    [{ key: str(1), value: '' }, []],
    [{ key: str(128), value: str(128) }, []],
    [{ key: str(129), value: 'x' }, ['length']],
    [{ key: 'k', value: str(129) }, ['length']],
    [{ key: 'aliyun_env', value: 'x' }, ['reservedPrefix']],
    [{ key: 'ALIYUN', value: 'x' }, ['reservedPrefix']],
    [{ key: 'acs:owner', value: 'x' }, ['reservedPrefix']],
    [{ key: 'https://x', value: 'x' }, ['reservedPrefix']],
    [{ key: 'acsx', value: 'x' }, []],
  ])('%j → %j', (tag, expected) => {
    expect(rules(checkTags([tag]))).toEqual(expected);
  });

  it('rejects a duplicated key at the second occurrence', () => {
    const v = checkTags([
      { key: 'env', value: 'a' },
      { key: 'env', value: 'b' },
    ]);
    expect(v).toEqual([expect.objectContaining({ field: 'tags[1].key', rule: 'unique' })]);
  });
});

describe('distribution regions', () => {
  it('requires at least one', () => {
    expect(rules(checkRegions([]))).toEqual(['minItems']);
  });

  it('accepts known canonical IDs', () => {
    expect(checkRegions(['cn-hangzhou', 'ap-southeast-1', 'us-east-1'])).toEqual([]);
  });

  it('rejects an unknown region and suggests the canonical form of a miscased one', () => {
    const v = checkRegions(['cn-atlantis', 'CN-Hangzhou']);
    expect(v.map((x) => [x.field, x.rule])).toEqual([
      ['regions[0]', 'knownRegion'],
      ['regions[1]', 'knownRegion'],
    ]);
    expect(v[1]!.message).toContain("'cn-hangzhou'");
  });

  it('rejects a duplicated region', () => {
    expect(checkRegions(['cn-beijing', 'cn-shanghai', 'cn-beijing'])).toEqual([
      expect.objectContaining({ field: 'regions[2]', rule: 'unique' }),
    ]);
  });

  it('the catalogue has at least 25 real regions with unique lowercase IDs', () => {
    expect(REGIONS.length).toBeGreaterThanOrEqual(25);
    expect(new Set(REGIONS.map((r) => r.id)).size).toBe(REGIONS.length);
    for (const r of REGIONS) expect(r.id).toMatch(/^[a-z]{2}-[a-z0-9-]+$/);
    for (const id of ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'cn-shenzhen', 'cn-hongkong', 'ap-southeast-1', 'ap-northeast-1', 'us-west-1', 'us-east-1', 'eu-central-1', 'eu-west-1', 'me-east-1']) {
      expect(REGIONS.map((r) => r.id)).toContain(id);
    }
  });
});

describe('content', () => {
  it('accepts a custom image and a marketplace image', () => {
    expect(checkContent({ imageType: 'custom', sourceRegion: 'cn-hangzhou', imageId: 'm-bp1abc', regions: ['cn-beijing'] })).toEqual([]);
    expect(
      checkContent({ imageType: 'marketplace', sourceRegion: 'cn-hangzhou', productCode: 'cmjj0001', productVersion: 'V1.2', regions: ['cn-beijing'] }),
    ).toEqual([]);
  });

  it('reports the source region, the image ID and the regions together', () => {
    const v = checkContent({ imageType: 'custom', sourceRegion: 'mars-1', imageId: 'centos.vhd', regions: [] });
    expect(v.map((x) => [x.field, x.rule])).toEqual([
      ['version.content.sourceRegion', 'knownRegion'],
      ['version.content.imageId', 'format'],
      ['version.content.regions', 'minItems'],
    ]);
  });
});
