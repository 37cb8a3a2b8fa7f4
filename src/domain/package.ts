/** Deployment packages and their versions: records and the pure rules that change them. */
import { ErrorCode, ImagenestError, validationError, type Violation } from './errors.ts';
import {
  checkDescription,
  checkImage,
  checkRegions,
  checkSourceRegion,
  checkPackageName,
  checkProductToken,
  checkResourceGroup,
  checkTags,
  checkVersionName,
  type PackageType,
  type Tag,
  type VersionContent,
} from './package-rules.ts';
import { isLocked, type VersionState } from './version-state.ts';

export interface PackageRecord {
  id: string;
  ownerId: string;
  name: string;
  description: string;
  resourceGroup: string | null;
  tags: Tag[];
  type: PackageType;
  createdAt: Date;
  updatedAt: Date;
  /** Deletion asked while some version's regional copies existed: they are being removed. */
  deleteRequestedAt: Date | null;
}

export interface VersionRecord {
  id: string;
  packageId: string;
  /** null while the version is the draft; 1, 2, 3… once published. */
  number: number | null;
  name: string;
  description: string | null;
  content: VersionContent;
  state: VersionState;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  /** Deletion asked while regional copies existed: they are being removed, then the version goes. */
  deleteRequestedAt: Date | null;
}

/** Content as a request carries it: flat, every field optional until checked. */
export interface ContentInput {
  imageType?: 'custom' | 'marketplace' | undefined;
  sourceRegion?: string | undefined;
  imageId?: string | undefined;
  productCode?: string | undefined;
  productVersion?: string | undefined;
  regions?: string[] | undefined;
}

export interface DraftInput {
  name?: string | undefined;
  description?: string | undefined;
  content?: ContentInput | undefined;
}

export interface CreatePackageInput {
  name: string;
  description: string;
  resourceGroup?: string | undefined;
  tags?: Tag[] | undefined;
  type?: PackageType | undefined;
  version: DraftInput;
}

export interface PackageChanges {
  name?: string | undefined;
  description?: string | undefined;
  resourceGroup?: string | null | undefined;
  tags?: Tag[] | undefined;
}

function required(field: string, what: string): Violation {
  return { field, rule: 'required', message: `${what} is required` };
}

/** Builds the closed content union from flat input, reporting every missing or broken field. */
export function buildContent(input: ContentInput, field = 'version.content'): { content?: VersionContent; violations: Violation[] } {
  const violations: Violation[] = [];
  const imageType = input.imageType ?? 'custom';
  if (input.sourceRegion === undefined) violations.push(required(`${field}.sourceRegion`, 'source region'));
  else violations.push(...checkSourceRegion(input.sourceRegion, `${field}.sourceRegion`));
  if (input.regions === undefined) violations.push(required(`${field}.regions`, 'distribution regions'));
  else violations.push(...checkRegions(input.regions, `${field}.regions`));
  const own = imageType === 'custom' ? (['imageId'] as const) : (['productCode', 'productVersion'] as const);
  const other = imageType === 'custom' ? (['productCode', 'productVersion'] as const) : (['imageId'] as const);
  for (const key of own) {
    if (input[key] === undefined) violations.push(required(`${field}.${key}`, `${key} of a ${imageType} image`));
  }
  for (const key of other) {
    if (input[key] !== undefined) {
      violations.push({ field: `${field}.${key}`, rule: 'notAllowed', message: `${key} does not belong to imageType '${imageType}'` });
    }
  }
  if (own.some((k) => input[k] === undefined)) return { violations };
  const content: VersionContent =
    imageType === 'custom'
      ? { imageType, sourceRegion: input.sourceRegion ?? '', imageId: input.imageId!, regions: input.regions ?? [] }
      : {
          imageType,
          sourceRegion: input.sourceRegion ?? '',
          productCode: input.productCode!,
          productVersion: input.productVersion!,
          regions: input.regions ?? [],
        };
  violations.push(...checkImage(content, field));
  return violations.length === 0 ? { content, violations } : { violations };
}

export interface ValidDraft {
  name: string;
  description: string | null;
  content: VersionContent;
}

function checkDraft(input: DraftInput, field: string): { draft?: ValidDraft; violations: Violation[] } {
  const violations: Violation[] = [];
  if (input.name === undefined) violations.push(required(`${field}.name`, 'version name'));
  else violations.push(...checkVersionName(input.name, `${field}.name`));
  if (input.description !== undefined) violations.push(...checkDescription(input.description, `${field}.description`));
  const built = buildContent(input.content ?? {}, `${field}.content`);
  violations.push(...built.violations);
  if (violations.length > 0 || !built.content) return { violations };
  return {
    draft: { name: input.name!, description: input.description ?? null, content: built.content },
    violations,
  };
}

/** A create request as far as it is well-typed: any member may be missing. */
export type CreatePackageFields = Partial<Omit<CreatePackageInput, 'version'>> & { version?: DraftInput | undefined };

/** Every violation of a new package with its first draft, missing required members included. */
export function createPackageViolations(input: CreatePackageFields): { draft?: ValidDraft; violations: Violation[] } {
  const violations: Violation[] = [
    ...(input.name === undefined ? [required('name', 'package name')] : checkPackageName(input.name)),
    ...(input.description === undefined ? [required('description', 'package description')] : checkDescription(input.description)),
    ...(input.resourceGroup === undefined ? [] : checkResourceGroup(input.resourceGroup)),
    ...checkTags(input.tags ?? []),
  ];
  const { draft, violations: draftViolations } = checkDraft(input.version ?? {}, 'version');
  violations.push(...draftViolations);
  return violations.length === 0 && draft ? { draft, violations } : { violations };
}

/** Checks a new package with its first draft; throws VALIDATION_FAILED listing every violation. */
export function validateCreatePackage(input: CreatePackageInput): { draft: ValidDraft } {
  const { draft, violations } = createPackageViolations(input);
  if (!draft) throw validationError(violations);
  return { draft };
}

/**
 * The rules a save's changes break on their own, whatever the draft they apply to: only the
 * members present are checked (which are required depends on the draft, checked once it is read).
 */
export function draftChangeViolations(changes: DraftInput, field = 'version'): Violation[] {
  const c = changes.content ?? {};
  const at = `${field}.content`;
  return [
    ...(changes.name === undefined ? [] : checkVersionName(changes.name, `${field}.name`)),
    ...(changes.description === undefined ? [] : checkDescription(changes.description, `${field}.description`)),
    ...(c.sourceRegion === undefined ? [] : checkSourceRegion(c.sourceRegion, `${at}.sourceRegion`)),
    ...(c.regions === undefined ? [] : checkRegions(c.regions, `${at}.regions`)),
    ...(c.imageId === undefined ? [] : checkImage({ imageType: 'custom', sourceRegion: '', imageId: c.imageId, regions: [] }, at)),
    ...(c.productCode === undefined ? [] : checkProductToken(c.productCode, 'productCode', at)),
    ...(c.productVersion === undefined ? [] : checkProductToken(c.productVersion, 'productVersion', at)),
  ];
}

/** The rules a package change breaks on its own members (the name's immutability needs the package). */
export function packageChangeViolations(changes: PackageChanges): Violation[] {
  return [
    ...(changes.description === undefined ? [] : checkDescription(changes.description)),
    ...(changes.resourceGroup === undefined || changes.resourceGroup === null ? [] : checkResourceGroup(changes.resourceGroup)),
    ...(changes.tags === undefined ? [] : checkTags(changes.tags)),
  ];
}

/** Applies changes to a package's mutable fields. The name never changes (SPEC §3). */
export function validatePackageChanges(current: PackageRecord, changes: PackageChanges): void {
  const violations: Violation[] = [];
  if (changes.name !== undefined && changes.name !== current.name) {
    violations.push({
      field: 'name',
      rule: 'immutable',
      message: 'a package name cannot be changed after creation; create a new package instead',
    });
  }
  violations.push(...packageChangeViolations(changes));
  if (violations.length > 0) throw validationError(violations);
}

/**
 * The draft after `changes`: fields absent from `changes` keep their value. With no current
 * draft, the changes must describe a whole draft. A published version is never a target.
 */
export function mergeDraft(current: VersionRecord | undefined, changes: DraftInput): ValidDraft {
  if (current && isLocked(current.state)) {
    throw new ImagenestError(ErrorCode.VERSION_LOCKED, `version ${current.number} is published; its content is locked`, {
      context: { packageId: current.packageId, version: String(current.number) },
    });
  }
  const base: DraftInput = current
    ? { name: current.name, description: current.description ?? undefined, content: flattenContent(current.content) }
    : {};
  const mergedContent = mergeContent(base.content ?? {}, changes.content ?? {});
  const { draft, violations } = checkDraft(
    {
      name: changes.name ?? base.name,
      description: changes.description ?? base.description,
      content: mergedContent,
    },
    'version',
  );
  if (!draft) throw validationError(violations);
  return draft;
}

/**
 * `changes` over `base`: fields given replace, fields absent keep their value. Switching image
 * type drops the other type's fields instead of failing on them. (`package save --from` starts
 * from a published version's content the same way a save starts from the draft's.)
 */
export function mergeContent(base: ContentInput, changes: ContentInput): ContentInput {
  const merged: ContentInput = { ...base };
  if (changes.imageType !== undefined && changes.imageType !== merged.imageType) {
    delete merged.imageId;
    delete merged.productCode;
    delete merged.productVersion;
  }
  for (const [k, v] of Object.entries(changes)) {
    if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  }
  return merged;
}

export function flattenContent(content: VersionContent): ContentInput {
  return { ...content, regions: [...content.regions] };
}

/** Label of a version as users name it: "draft" or its number. */
export function versionLabel(v: Pick<VersionRecord, 'number'>): string {
  return v.number === null ? 'draft' : String(v.number);
}
