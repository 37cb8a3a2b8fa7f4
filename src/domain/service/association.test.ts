import { describe, expect, it } from 'vitest';
import { analyze } from '../../templates/engine.ts';
import { ErrorCode } from '../errors.ts';
import {
  checkAssociation,
  checkAssociations,
  notReadyError,
  placeholdersOf,
  requirePlaceholder,
  submitReadiness,
  type AnalysedFile,
  type Association,
} from './association.ts';

const ros = (images: string[]) =>
  [
    'ROSTemplateFormatVersion: "2015-09-01"',
    'Resources:',
    ...images.flatMap((img, i) => [`  Vm${i}:`, '    Type: ALIYUN::ECS::Instance', '    Properties:', `      ImageId: ${img}`]),
    '',
  ].join('\n');

const web = 'm-webimage';
const db = 'm-dbimage';
const template = analyze('template.yaml', ros([web, db, web]));
const assoc = (placeholder: string, packageId = 'pkg-1', version: number | 'draft' = 1): Association => ({ placeholder, packageId, version });

describe('placeholders', () => {
  it("groups the engine's sites by value, with file, line, column and resource", () => {
    expect(placeholdersOf([template])).toEqual([
      {
        value: web,
        sites: [
          { file: 'template.yaml', line: 6, column: 16, resource: 'Vm0', resourceType: 'ALIYUN::ECS::Instance', property: 'ImageId' },
          { file: 'template.yaml', line: 14, column: 16, resource: 'Vm2', resourceType: 'ALIYUN::ECS::Instance', property: 'ImageId' },
        ],
      },
      { value: db, sites: [expect.objectContaining({ file: 'template.yaml', line: 10, resource: 'Vm1' })] },
    ]);
  });

  it('merges the same value across the files of a bundle', () => {
    const a: AnalysedFile = { file: 'a.tf', diagnostics: [], sites: [{ value: web, resource: 'a', resourceType: 'alicloud_instance', property: 'image_id', line: 1, column: 1 }] };
    const b: AnalysedFile = { ...a, file: 'b.tf' };
    expect(placeholdersOf([a, b]).map((p) => [p.value, p.sites.map((s) => s.file)])).toEqual([[web, ['a.tf', 'b.tf']]]);
  });
});

describe('association checks', () => {
  const placeholders = placeholdersOf([template]);

  it('lists unassociated placeholders, stale and duplicated associations', () => {
    const r = checkAssociations(placeholders, [assoc(web), assoc('m-gone'), assoc(web, 'pkg-2')]);
    expect(r.unassociated.map((p) => p.value)).toEqual([db]);
    expect(r.stale).toEqual([assoc('m-gone')]);
    expect(r.duplicates).toEqual([assoc(web, 'pkg-2')]);
  });

  it('reports the associations a template change orphaned', () => {
    const changed = placeholdersOf([analyze('template.yaml', ros([web, 'm-newdb']))]);
    const r = checkAssociations(changed, [assoc(web), assoc(db, 'pkg-2')]);
    expect(r.stale).toEqual([assoc(db, 'pkg-2')]);
    expect(r.unassociated.map((p) => p.value)).toEqual(['m-newdb']);
  });

  it('refuses an association for a value that is not a placeholder', () => {
    expect(requirePlaceholder(placeholders, db).value).toBe(db);
    expect(() => requirePlaceholder(placeholders, 'm-other')).toThrow(expect.objectContaining({ code: ErrorCode.PLACEHOLDER_NOT_FOUND }));
  });

  it.each([
    [{ placeholder: web, packageId: 'pkg-1', version: 2 }, []],
    [{ placeholder: web, packageId: 'pkg-1', version: 'draft' }, []],
    [{ placeholder: '', packageId: '', version: 0 }, ['a.placeholder:required', 'a.packageId:required', 'a.version:format']],
    [{ placeholder: web, packageId: 'pkg-1', version: 1.5 }, ['a.version:format']],
    [{ placeholder: web, packageId: 'pkg-1', version: '1' }, ['a.version:format']],
  ])('checks the fields of %j', (a, expected) => {
    expect(checkAssociation(a, 'a').map((v) => `${v.field}:${v.rule}`)).toEqual(expected);
  });
});

describe('submit readiness', () => {
  const existing = [
    { packageId: 'pkg-1', version: 1 },
    { packageId: 'pkg-2', version: 'draft' as const },
  ];

  it('is ready when the template has no error and every placeholder is associated with an existing version', () => {
    expect(submitReadiness({ files: [template], associations: [assoc(web), assoc(db, 'pkg-2', 'draft')], existingVersions: existing })).toEqual([]);
  });

  it('lists every problem at once', () => {
    const problems = submitReadiness({ files: [template], associations: [assoc(web, 'pkg-1', 2), assoc('m-gone'), assoc(web)], existingVersions: existing });
    expect(problems.map((p) => p.kind)).toEqual(['unassociated', 'stale', 'duplicate', 'versionNotFound']);
    expect(problems[3]).toEqual({ kind: 'versionNotFound', association: assoc(web, 'pkg-1', 2) });
  });

  it('refuses a template with an error diagnostic, with its position', () => {
    const bad = analyze('bad.yaml', ros(['!Ref ImageId']));
    expect(submitReadiness({ files: [bad], associations: [], existingVersions: [] })).toEqual([
      expect.objectContaining({ kind: 'templateError', file: 'bad.yaml', code: 'IMAGE_ID_NOT_LITERAL', line: 6 }),
    ]);
  });

  it('lets unassociated placeholders through only when asked to (SPEC §5 public image names)', () => {
    const input = { files: [template], associations: [assoc(web)], existingVersions: existing };
    expect(submitReadiness(input).map((p) => p.kind)).toEqual(['unassociated']);
    expect(submitReadiness({ ...input, allowUnassociated: true })).toEqual([]);
  });

  it('refuses with SERVICE_NOT_READY carrying the problems', () => {
    const problems = submitReadiness({ files: [template], associations: [], existingVersions: [] });
    const err = notReadyError(problems);
    expect(err.code).toBe(ErrorCode.SERVICE_NOT_READY);
    expect(err.details).toEqual({ problems });
  });
});
