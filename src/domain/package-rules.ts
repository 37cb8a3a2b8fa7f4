/**
 * Field rules of SPEC §3 for deployment packages and versions, as pure checks that
 * return every violation at once (never the first only).
 */
import { assertNever } from './assert-never.ts';
import type { Violation } from './errors.ts';
import { findRegion, unknownRegion } from './regions.ts';

export const PackageType = { EcsImage: 'EcsImage' } as const;
export type PackageType = (typeof PackageType)[keyof typeof PackageType];

export const ImageType = { custom: 'custom', marketplace: 'marketplace' } as const;
export type ImageType = (typeof ImageType)[keyof typeof ImageType];

export interface Tag {
  key: string;
  value: string;
}

/** What a version distributes: one source image and the regions it goes to. */
export type VersionContent =
  | {
      imageType: 'custom';
      sourceRegion: string;
      imageId: string;
      regions: string[];
    }
  | {
      imageType: 'marketplace';
      sourceRegion: string;
      productCode: string;
      productVersion: string;
      regions: string[];
    };

export const LIMITS = {
  packageName: { min: 3, max: 128 },
  versionName: { min: 3, max: 50 },
  description: { min: 10, max: 500 },
  tags: { max: 20, keyMin: 1, keyMax: 128, valueMax: 128 },
  resourceGroup: { max: 64 },
  imageId: { max: 128 },
  productCode: { max: 64 },
} as const;

const NAME_CHARSET = /^[A-Za-z0-9_]+$/;
const RESOURCE_GROUP = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const CUSTOM_IMAGE_ID = /^m-[a-z0-9]+$/;
const PRODUCT_TOKEN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const RESERVED_TAG_PREFIXES = ['aliyun', 'acs:'] as const;
const FORBIDDEN_TAG_KEY_PREFIXES = ['http://', 'https://'] as const;

/** Length in characters as people count them (code points, not UTF-16 units). */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function lengthRule(field: string, value: string, min: number, max: number, what: string): Violation[] {
  const n = charLength(value);
  if (n >= min && n <= max) return [];
  return [
    {
      field,
      rule: 'length',
      message: `${what} must be ${min}–${max} characters; got ${n}`,
    },
  ];
}

function nameRules(field: string, value: string, min: number, max: number, what: string): Violation[] {
  const out = lengthRule(field, value, min, max, what);
  if (value.length > 0 && !NAME_CHARSET.test(value)) {
    const bad = [...value].find((ch) => !NAME_CHARSET.test(ch)) ?? '';
    out.push({
      field,
      rule: 'charset',
      message: `${what} may contain only letters A–Z and a–z, digits and '_'; found ${JSON.stringify(bad)}`,
    });
  }
  return out;
}

export function checkPackageName(value: string, field = 'name'): Violation[] {
  const { min, max } = LIMITS.packageName;
  return nameRules(field, value, min, max, 'package name');
}

export function checkVersionName(value: string, field = 'version.name'): Violation[] {
  const { min, max } = LIMITS.versionName;
  return nameRules(field, value, min, max, 'version name');
}

export function checkDescription(value: string, field = 'description'): Violation[] {
  const { min, max } = LIMITS.description;
  return lengthRule(field, value, min, max, 'description');
}

export function checkResourceGroup(value: string, field = 'resourceGroup'): Violation[] {
  const out = lengthRule(field, value, 1, LIMITS.resourceGroup.max, 'resource group');
  if (value.length > 0 && !RESOURCE_GROUP.test(value)) {
    out.push({
      field,
      rule: 'charset',
      message: "resource group may contain letters, digits, '_', '.', '-' and must start with a letter or digit",
    });
  }
  return out;
}

export function checkTags(tags: readonly Tag[], field = 'tags'): Violation[] {
  const out: Violation[] = [];
  const { max, keyMin, keyMax, valueMax } = LIMITS.tags;
  if (tags.length > max) {
    out.push({ field, rule: 'maxItems', message: `at most ${max} tags per package; got ${tags.length}` });
  }
  const seen = new Set<string>();
  tags.forEach((tag, i) => {
    const at = `${field}[${i}]`;
    out.push(...lengthRule(`${at}.key`, tag.key, keyMin, keyMax, 'tag key'));
    if (charLength(tag.value) > valueMax) {
      out.push({
        field: `${at}.value`,
        rule: 'length',
        message: `tag value must be 0–${valueMax} characters; got ${charLength(tag.value)}`,
      });
    }
    const lower = tag.key.toLowerCase();
    const reserved = RESERVED_TAG_PREFIXES.find((p) => lower.startsWith(p));
    if (reserved) {
      out.push({
        field: `${at}.key`,
        rule: 'reservedPrefix',
        message: `tag key may not start with '${reserved}' (reserved by the cloud)`,
      });
    }
    const forbidden = FORBIDDEN_TAG_KEY_PREFIXES.find((p) => lower.startsWith(p));
    if (forbidden) {
      out.push({ field: `${at}.key`, rule: 'reservedPrefix', message: `tag key may not start with '${forbidden}'` });
    }
    if (seen.has(tag.key)) {
      out.push({ field: `${at}.key`, rule: 'unique', message: `tag key '${tag.key}' appears more than once` });
    }
    seen.add(tag.key);
  });
  return out;
}

function checkRegionId(field: string, id: string, what: string): Violation[] {
  return findRegion(id) ? [] : [unknownRegion(field, id, what)];
}

export function checkRegions(regions: readonly string[], field = 'regions'): Violation[] {
  if (regions.length === 0) {
    return [{ field, rule: 'minItems', message: 'select at least one distribution region' }];
  }
  const out: Violation[] = [];
  const seen = new Set<string>();
  regions.forEach((r, i) => {
    out.push(...checkRegionId(`${field}[${i}]`, r, 'region'));
    if (seen.has(r)) {
      out.push({ field: `${field}[${i}]`, rule: 'unique', message: `region '${r}' is selected more than once` });
    }
    seen.add(r);
  });
  return out;
}

export function checkSourceRegion(id: string, field = 'version.content.sourceRegion'): Violation[] {
  return checkRegionId(field, id, 'source region');
}

/** The image reference of a content: a custom image ID or a marketplace product. */
export function checkImage(content: VersionContent, field = 'version.content'): Violation[] {
  const out: Violation[] = [];
  switch (content.imageType) {
    case 'custom':
      if (!CUSTOM_IMAGE_ID.test(content.imageId) || content.imageId.length > LIMITS.imageId.max) {
        out.push({
          field: `${field}.imageId`,
          rule: 'format',
          message: `a custom image ID looks like 'm-' followed by lowercase letters and digits (at most ${LIMITS.imageId.max} characters); got ${JSON.stringify(content.imageId)}`,
        });
      }
      break;
    case 'marketplace':
      for (const key of ['productCode', 'productVersion'] as const) out.push(...checkProductToken(content[key], key, field));
      break;
    default:
      assertNever(content);
  }
  return out;
}

/** A marketplace product code or version (`key`) of a content at `field`. */
export function checkProductToken(value: string, key: 'productCode' | 'productVersion', field = 'version.content'): Violation[] {
  if (PRODUCT_TOKEN.test(value) && value.length <= LIMITS.productCode.max) return [];
  return [
    {
      field: `${field}.${key}`,
      rule: 'format',
      message: `${key} must be 1–${LIMITS.productCode.max} characters of letters, digits, '_', '.', '-'; got ${JSON.stringify(value)}`,
    },
  ];
}

/** Every rule on a whole content: source region, image reference, distribution regions. */
export function checkContent(content: VersionContent, field = 'version.content'): Violation[] {
  return [
    ...checkSourceRegion(content.sourceRegion, `${field}.sourceRegion`),
    ...checkImage(content, field),
    ...checkRegions(content.regions, `${field}.regions`),
  ];
}
