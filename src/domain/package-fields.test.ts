/** Field rules at their edges: default field paths, anchored patterns, limits, and what each violation names. */
import { describe, expect, it } from 'vitest';
import {
  checkDescription,
  checkImage,
  checkPackageName,
  checkRegions,
  checkResourceGroup,
  checkSourceRegion,
  checkTags,
  checkVersionName,
} from './package-rules.ts';

const pairs = (vs: { field: string; rule: string }[]) => vs.map((v) => `${v.field}:${v.rule}`);

describe('default field paths', () => {
  it('names each field as a request carries it', () => {
    expect(pairs(checkPackageName('x'))).toEqual(['name:length']);
    expect(pairs(checkVersionName('x'))).toEqual(['version.name:length']);
    expect(pairs(checkDescription('x'))).toEqual(['description:length']);
    expect(pairs(checkResourceGroup(''))).toEqual(['resourceGroup:length']);
    expect(pairs(checkTags([{ key: '', value: 'x'.repeat(129) }]))).toEqual(['tags[0].key:length', 'tags[0].value:length']);
    expect(pairs(checkRegions([]))).toEqual(['regions:minItems']);
    expect(pairs(checkSourceRegion('mars'))).toEqual(['version.content.sourceRegion:knownRegion']);
    expect(pairs(checkImage({ imageType: 'custom', sourceRegion: 'cn-hangzhou', imageId: 'x', regions: [] }))).toEqual(['version.content.imageId:format']);
  });
});

describe('names', () => {
  it('an empty name breaks the length rule only', () => {
    expect(pairs(checkPackageName(''))).toEqual(['name:length']);
    expect(pairs(checkVersionName(''))).toEqual(['version.name:length']);
  });

  it('names the first character outside the charset, and the limits and the count', () => {
    const [length, charset] = checkPackageName('a-');
    expect(charset!.message).toContain('"-"');
    expect(length!.message).toMatch(/\b3\b.*\b128\b.*\b2\b/);
    expect(checkVersionName('v1.0-b')[0]!.message).toContain('"."');
  });
});

describe('resource group (1–64; letters, digits, _ . -, starting with a letter or digit)', () => {
  it.each([
    ['a', []],
    ['rg-1_a.b', []],
    ['9'.repeat(64), []],
    ['9'.repeat(65), ['length']],
    ['', ['length']],
    ['-rg', ['charset']],
    ['_rg', ['charset']],
    ['rg!', ['charset']],
    ['r g', ['charset']],
  ])('%j → %j', (value, rules) => {
    const v = checkResourceGroup(value, 'rg');
    expect(v.map((x) => x.rule)).toEqual(rules);
    for (const x of v) expect(x.message.length).toBeGreaterThan(0);
  });
});

describe('tags', () => {
  it('says how many tags were given and which key is repeated or reserved', () => {
    expect(checkTags(Array.from({ length: 23 }, (_, i) => ({ key: `k${i}`, value: '' })))[0]!.message).toMatch(/\b20\b.*\b23\b/);
    const v = checkTags([{ key: 'env', value: '' }, { key: 'aliyunx', value: '' }, { key: 'HTTP://a', value: '' }, { key: 'env', value: '' }], 't');
    expect(pairs(v)).toEqual(['t[1].key:reservedPrefix', 't[2].key:reservedPrefix', 't[3].key:unique']);
    expect(v[0]!.message).toContain("'aliyun'");
    expect(v[1]!.message).toContain("'http://'");
    expect(v[2]!.message).toContain("'env'");
  });

  it('counts a value in characters and says how many it got', () => {
    expect(checkTags([{ key: 'k', value: '😀'.repeat(128) }])).toEqual([]);
    expect(checkTags([{ key: 'k', value: '😀'.repeat(129) }])[0]!.message).toMatch(/\b129\b/);
  });

  it('keys are unique as written: case differs, key differs', () => {
    expect(checkTags([{ key: 'Env', value: '' }, { key: 'env', value: '' }])).toEqual([]);
  });
});

describe('regions', () => {
  it('suggests the canonical ID for a miscased or padded one, and the catalogue otherwise', () => {
    const [padded, unknown] = checkRegions([' CN-Hangzhou ', 'mars-1']);
    expect(padded!.message).toContain("'cn-hangzhou'");
    expect(padded!.message).toContain("' CN-Hangzhou '");
    expect(unknown!.message).toContain("'mars-1'");
    expect(unknown!.message).toContain('/v1/regions');
    expect(unknown!.message).not.toContain('canonical');
  });

  it('names the repeated region', () => {
    expect(checkRegions(['cn-beijing', 'cn-beijing'])[0]!.message).toContain("'cn-beijing'");
    expect(checkRegions([])[0]!.message.length).toBeGreaterThan(0);
  });
});

describe('image references', () => {
  const custom = (imageId: string) => checkImage({ imageType: 'custom', sourceRegion: 'cn-hangzhou', imageId, regions: [] }, 'c').map((v) => v.field);
  const market = (productCode: string, productVersion = 'V1') =>
    checkImage({ imageType: 'marketplace', sourceRegion: 'cn-hangzhou', productCode, productVersion, regions: [] }, 'c').map((v) => (v.rule === 'format' ? v.field : v.rule));

  it.each([
    ['m-abc123', []],
    ['m-' + 'a'.repeat(126), []],
    ['m-' + 'a'.repeat(127), ['c.imageId']],
    ['xm-abc', ['c.imageId']],
    ['m-abc!', ['c.imageId']],
    ['m-ABC', ['c.imageId']],
    ['m-', ['c.imageId']],
  ])('custom image %j → %j', (id, fields) => {
    expect(custom(id)).toEqual(fields);
  });

  it('names the image ID it refused', () => {
    expect(checkImage({ imageType: 'custom', sourceRegion: 'x', imageId: 'ubuntu', regions: [] })[0]!.message).toContain('"ubuntu"');
  });

  it.each([
    ['a', []],
    ['cmjj_01.b-2', []],
    ['a'.repeat(64), []],
    ['a'.repeat(65), ['c.productCode']],
    ['-a', ['c.productCode']],
    ['a!', ['c.productCode']],
    ['', ['c.productCode']],
  ])('product code %j → %j', (code, fields) => {
    expect(market(code)).toEqual(fields);
  });

  it('checks the product version the same way, naming what it refused', () => {
    expect(market('a', 'v'.repeat(65))).toEqual(['c.productVersion']);
    expect(market('-a', '.v')).toEqual(['c.productCode', 'c.productVersion']);
    const [v] = checkImage({ imageType: 'marketplace', sourceRegion: 'x', productCode: 'ok', productVersion: 'bad version', regions: [] });
    expect(v!.message).toContain('"bad version"');
  });
});
