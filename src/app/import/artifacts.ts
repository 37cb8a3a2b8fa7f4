/**
 * Compute Nest `Artifact` entries → Imagenest deployment packages with a draft version. Only
 * artifacts an ArtifactRelation uses become packages: an unused one would never be deployed.
 */
import { LIMITS, checkImage, type VersionContent } from '../../domain/package-rules.ts';
import { asList, asMap, asText, fitDescription, fitName, fitRegion, parseReference, resolveValue, sanitiseName, type YamlMap } from './config-values.ts';
import { ImportCode, type ImportItem, type PlannedPackage } from './plan.ts';
import { skipUnknownKeys } from './unmodelled.ts';

/** The draft version's name when the artifact gives none (Compute Nest numbers versions itself). */
export const DEFAULT_VERSION_NAME = 'imported';

/** A package's name when neither its ArtifactName nor its key makes a valid one. */
export const FALLBACK_PACKAGE_NAME = 'imported_image';

/** Regions from the imported template config, already checked against the catalogue. */
export interface TemplateRegions {
  item: string;
  regions: string[];
}

const ARTIFACT_FIELDS = ['ArtifactType', 'ArtifactName', 'Description', 'ArtifactProperty', 'SupportRegionIds', 'VersionName'];
const PROPERTY_FIELDS = ['RegionId', 'ImageId', 'CommodityCode', 'CommodityVersion'];

interface Sink {
  skipped: ImportItem[];
  notes: ImportItem[];
}

/** Catalogue regions of a list, each unknown one reported; duplicates dropped. */
export function knownRegions(list: unknown[], item: string, sink: Sink): string[] {
  const out: string[] = [];
  list.forEach((v, i) => {
    const at = `${item}[${i}]`;
    const raw = asText(v)?.trim() ?? '';
    const id = fitRegion(raw, at, sink.notes);
    if (id === undefined) sink.skipped.push({ item: at, code: ImportCode.UNKNOWN_REGION, reason: `'${raw}' is not in the region catalogue (GET /v1/regions)` });
    else if (!out.includes(id)) out.push(id);
  });
  return out;
}

/** A version content before its regions are known (distributed over the union's members). */
type ImageContent = VersionContent extends infer C ? (C extends VersionContent ? Omit<C, 'regions'> : never) : never;

type Step<T> = { ok: true; value: T; builders: string[] } | { ok: false; code: ImportCode; reason: string };

function resolveProperty(prop: YamlMap, field: string, root: YamlMap, builders: string[]): Step<string> {
  const r = resolveValue(prop[field], root);
  if (!r.ok) {
    const code = parseReference(prop[field]) ? ImportCode.UNRESOLVED_REFERENCE : ImportCode.ARTIFACT_NOT_IMPORTED;
    return { ok: false, code, reason: `ArtifactProperty.${field}: ${r.reason}` };
  }
  if (r.via && !builders.includes(r.via)) builders.push(r.via);
  return { ok: true, value: r.value, builders };
}

/** The image and source region of one artifact: a custom image ID, or a marketplace product. */
function imageOf(key: string, artifact: YamlMap, root: YamlMap, sink: Sink): Step<ImageContent> {
  const prop = asMap(artifact['ArtifactProperty']);
  if (!prop) return { ok: false, code: ImportCode.ARTIFACT_NOT_IMPORTED, reason: 'it has no ArtifactProperty (source region and image)' };
  const builders: string[] = [];
  const region = resolveProperty(prop, 'RegionId', root, builders);
  if (!region.ok) return region;
  const sourceRegion = fitRegion(region.value, `Artifact.${key}.ArtifactProperty.RegionId`, sink.notes);
  if (sourceRegion === undefined) {
    return { ok: false, code: ImportCode.UNKNOWN_REGION, reason: `source region '${region.value}' is not in the region catalogue` };
  }
  if (prop['CommodityCode'] !== undefined) {
    const code = resolveProperty(prop, 'CommodityCode', root, builders);
    if (!code.ok) return code;
    const version = resolveProperty(prop, 'CommodityVersion', root, builders);
    if (!version.ok) return version;
    return { ok: true, value: { imageType: 'marketplace', sourceRegion, productCode: code.value, productVersion: version.value }, builders };
  }
  const image = resolveProperty(prop, 'ImageId', root, builders);
  if (!image.ok) return image;
  return { ok: true, value: { imageType: 'custom', sourceRegion, imageId: image.value }, builders };
}

function regionsOf(key: string, artifact: YamlMap, sourceRegion: string, template: TemplateRegions | undefined, sink: Sink): string[] {
  const own = asList(artifact['SupportRegionIds']);
  const regions = own ? knownRegions(own, `Artifact.${key}.SupportRegionIds`, sink) : (template?.regions ?? []);
  if (regions.length > 0) return regions;
  const why = own ? 'none of its SupportRegionIds is a known region' : template ? `no known region in ${template.item}` : 'the config names no AllowedRegions or SupportRegionIds';
  sink.notes.push({
    item: `Artifact.${key}`,
    code: ImportCode.REGIONS_DEFAULTED,
    reason: `${why}: distributing to the source region ${sourceRegion} alone; add regions to the draft before publishing`,
  });
  return [sourceRegion];
}

function versionNameOf(key: string, artifact: YamlMap, notes: ImportItem[]): string {
  const raw = asText(artifact['VersionName']);
  if (raw !== undefined) return fitName(raw, DEFAULT_VERSION_NAME, `Artifact.${key}.VersionName`, notes, LIMITS.versionName);
  notes.push({ item: `Artifact.${key}`, code: ImportCode.VERSION_NAME_DEFAULTED, reason: `no VersionName; the draft version is named '${DEFAULT_VERSION_NAME}'` });
  return DEFAULT_VERSION_NAME;
}

/** A name no earlier package of this import has taken (names are unique per owner). */
function uniqueName(name: string, taken: Set<string>, item: string, notes: ImportItem[]): string {
  let out = name;
  for (let n = 2; taken.has(out); n++) out = `${name.slice(0, LIMITS.packageName.max - String(n).length - 1)}_${n}`;
  if (out !== name) notes.push({ item, code: ImportCode.NAME_SANITISED, reason: `'${name}' is taken by another artifact of this config; using '${out}'` });
  taken.add(out);
  return out;
}

/**
 * One package per referenced EcsImage artifact, in config order. Every artifact that does not
 * become a package is in `skipped`, and so is every ImageBuilder (its build is never run here).
 */
export function planPackages(root: YamlMap, referenced: ReadonlySet<string>, template: TemplateRegions | undefined, sink: Sink): PlannedPackage[] {
  const section = asMap(root['Artifact']) ?? {};
  const packages: PlannedPackage[] = [];
  const taken = new Set<string>();
  const usedBuilders = new Set<string>();
  for (const [key, value] of Object.entries(section)) {
    const item = `Artifact.${key}`;
    const artifact = asMap(value);
    const type = asText(artifact?.['ArtifactType']);
    if (!referenced.has(key)) {
      sink.skipped.push({ item, code: ImportCode.UNREFERENCED_ARTIFACT, reason: 'no ArtifactRelation uses it, so no service would deploy it' });
      continue;
    }
    if (!artifact || type !== 'EcsImage') {
      sink.skipped.push({ item, code: ImportCode.ARTIFACT_NOT_IMPORTED, reason: `its ArtifactType is ${type ?? 'missing'}; Imagenest packages are EcsImage only` });
      continue;
    }
    const image = imageOf(key, artifact, root, sink);
    if (!image.ok) {
      sink.skipped.push({ item, code: image.code, reason: image.reason });
      continue;
    }
    const violations = checkImage({ ...image.value, regions: [] } as VersionContent);
    if (violations.length > 0) {
      sink.skipped.push({ item, code: ImportCode.ARTIFACT_NOT_IMPORTED, reason: violations.map((v) => v.message).join('; ') });
      continue;
    }
    const content = { ...image.value, regions: regionsOf(key, artifact, image.value.sourceRegion, template, sink) } as VersionContent;
    skipUnknownKeys(artifact, ARTIFACT_FIELDS, item, sink.skipped);
    skipUnknownKeys(asMap(artifact['ArtifactProperty'])!, PROPERTY_FIELDS, `${item}.ArtifactProperty`, sink.skipped);
    image.builders.forEach((b) => usedBuilders.add(b));
    const name = fitName(asText(artifact['ArtifactName']), sanitiseName(key, FALLBACK_PACKAGE_NAME), `${item}.ArtifactName`, sink.notes);
    packages.push({
      key,
      name: uniqueName(name, taken, `${item}.ArtifactName`, sink.notes),
      versionName: versionNameOf(key, artifact, sink.notes),
      description: fitDescription(asText(artifact['Description']), `Compute Nest artifact ${key}`, `${item}.Description`, sink.notes),
      content,
    });
  }
  for (const key of Object.keys(asMap(root['ImageBuilder']) ?? {})) {
    const item = `ImageBuilder.${key}`;
    const reason = usedBuilders.has(item)
      ? 'its build steps are not run: the package distributes the source image as it is; build the image in Compute Nest first and put its ID in the draft if it should carry the build'
      : 'no imported artifact uses it';
    sink.skipped.push({ item, code: ImportCode.IMAGE_NOT_BUILT, reason });
  }
  return packages;
}
