/**
 * The create form's state as the request it sends, and the rules it breaks: the API's own
 * checks (contract schema + domain field rules, contract/field-check.ts), run as the user types.
 */
import { CreatePackageRequest } from '../../../../src/contract/schemas.ts';
import { bodyViolations } from '../../../../src/contract/field-check.ts';
import { createPackageViolations } from '../../../../src/domain/package.ts';
import type { Violation } from '../../../../src/domain/errors.ts';

export interface PackageFormState {
  name: string;
  description: string;
  resourceGroup: string;
  /** One KEY=VALUE a line. */
  tags: string;
  versionName: string;
  versionDescription: string;
  sourceRegion: string;
  imageId: string;
  regions: string[];
}

export const EMPTY_FORM: PackageFormState = {
  name: '',
  description: '',
  resourceGroup: '',
  tags: '',
  versionName: '',
  versionDescription: '',
  sourceRegion: '',
  imageId: '',
  regions: [],
};

/** Which form control a violation's field belongs to. */
export const FIELD_OF: Record<string, keyof PackageFormState> = {
  name: 'name',
  description: 'description',
  resourceGroup: 'resourceGroup',
  tags: 'tags',
  'version.name': 'versionName',
  'version.description': 'versionDescription',
  'version.content.sourceRegion': 'sourceRegion',
  'version.content.imageId': 'imageId',
  'version.content.regions': 'regions',
};

export function requestOf(f: PackageFormState) {
  const tags = f.tags
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const at = l.indexOf('=');
      return at < 0 ? { key: l.trim(), value: '' } : { key: l.slice(0, at).trim(), value: l.slice(at + 1).trim() };
    });
  return {
    name: f.name,
    description: f.description,
    ...(f.resourceGroup.trim() ? { resourceGroup: f.resourceGroup.trim() } : {}),
    ...(tags.length ? { tags } : {}),
    version: {
      name: f.versionName,
      ...(f.versionDescription ? { description: f.versionDescription } : {}),
      content: { imageType: 'custom' as const, sourceRegion: f.sourceRegion, imageId: f.imageId, regions: f.regions },
    },
  };
}

/** The control a violation's field belongs to (`tags[0].key` → tags, `version.content.regions[1]` → regions). */
export function controlOf(field: string): keyof PackageFormState | undefined {
  const base = field.replace(/\[\d+\].*$/, '');
  return FIELD_OF[base] ?? FIELD_OF[base.split('.').slice(0, -1).join('.')];
}

/** The rules each control breaks now, by control. */
export function violationsByControl(violations: readonly Violation[]): Partial<Record<keyof PackageFormState, string[]>> {
  const out: Partial<Record<keyof PackageFormState, string[]>> = {};
  for (const v of violations) {
    const control = controlOf(v.field) ?? 'name';
    (out[control] ??= []).push(v.message);
  }
  return out;
}

export function formViolations(f: PackageFormState): Violation[] {
  return bodyViolations(requestOf(f), CreatePackageRequest, (b) => createPackageViolations(b).violations);
}
