/**
 * A service revision resolved for one region: each associated placeholder's image there (or the
 * refusal naming package, version, region and state), spliced byte-exact into the template.
 * Shared by consumer deployments, test deployments and the template route for pipelines.
 */
import { imageNotAvailableError, resolveImages, type AssociatedVersion } from '../domain/deployment/image-resolution.ts';
import { ErrorCode, ImagenestError, validationError } from '../domain/errors.ts';
import { findRegion, unknownRegion } from '../domain/regions.ts';
import { analyze, declaredParameters, resolve } from '../templates/engine.ts';
import type { Db } from '../store/database.ts';
import { listAssociations, type RevisionRecord } from '../store/services-repo.ts';
import type { InstanceImageColumn, StoredTemplate } from '../store/services-schema.ts';
import { keyOf, versionKey } from '../store/version-facts.ts';
import { createHash } from 'node:crypto';
import type { Analysis } from '../templates/model.ts';
import type { BoundedCache } from './bounded-cache.ts';
import { versionFactsIn } from './image-map.ts';
import { TEMPLATE_ANALYSIS_MAX_CHARS, type LookupCaches } from './lookup-caches.ts';

export interface ResolvedRevision {
  region: string;
  images: InstanceImageColumn[];
  template: StoredTemplate;
  /** The parameters the template declares, over all its files; null when a file could not be read that far. */
  parameters: string[] | null;
}

/** The engine's analysis of a file, remembered by its name and text when it is not long. */
function analyzed(f: { name: string; text: string }, cache: BoundedCache<string, Analysis> | undefined): Analysis {
  if (!cache || f.text.length > TEMPLATE_ANALYSIS_MAX_CHARS) return analyze(f.name, f.text);
  const key = createHash('sha256').update(f.name).update('\u0000').update(f.text).digest('base64');
  const known = cache.get(key);
  if (known) return known;
  const a = analyze(f.name, f.text);
  cache.set(key, a);
  return a;
}

export function requireRegion(region: string, field = 'region'): void {
  if (!findRegion(region)) throw validationError([unknownRegion(field, region)]);
}

/**
 * Throws IMAGE_NOT_AVAILABLE_IN_REGION with every refusal when any placeholder has no image in
 * `region`. With `lookups`, copies already seen Available and analysed templates come from memory.
 */
export async function resolveRevision(db: Db, revision: RevisionRecord, region: string, lookups?: LookupCaches): Promise<ResolvedRevision> {
  requireRegion(region);
  const associations = await listAssociations(db, [revision.id]);
  const facts = await versionFactsIn(db, lookups?.images, associations.map((a) => keyOf(a.packageId, a.versionNumber)), region);
  const associated: AssociatedVersion[] = [];
  for (const a of associations) {
    const f = facts.get(versionKey(keyOf(a.packageId, a.versionNumber)));
    if (!f) {
      throw new ImagenestError(ErrorCode.IMAGE_NOT_AVAILABLE_IN_REGION, `placeholder ${a.placeholder} is associated with a version of package ${a.packageId} that no longer exists`, {
        details: { refusals: [{ placeholder: a.placeholder, packageId: a.packageId, version: a.versionNumber ?? 'draft', region, state: 'Deleting' }] },
        context: { packageId: a.packageId, region },
      });
    }
    associated.push({ placeholder: a.placeholder, facts: f });
  }
  const r = resolveImages(associated, region);
  if (!r.ok) throw imageNotAvailableError(r.refusals);
  const analyses: Analysis[] = [];
  const files = revision.template.files.map((f) => {
    const analysis = analyzed(f, lookups?.analyses);
    analyses.push(analysis);
    const present = new Set(analysis.sites.map((s) => s.value));
    const mapping = Object.fromEntries(Object.entries(r.mapping).filter(([p]) => present.has(p)));
    const out = resolve(analysis, mapping);
    if (!out.ok) {
      throw new ImagenestError(ErrorCode.TEMPLATE_INVALID, `${f.name} cannot be resolved: ${out.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ')}`, {
        details: { file: f.name, diagnostics: out.diagnostics },
      });
    }
    return { name: f.name, text: out.text };
  });
  const images = r.images.map((i) => ({
    placeholder: i.placeholder,
    packageId: i.packageId,
    packageName: associated.find((a) => a.placeholder === i.placeholder)!.facts.packageName,
    version: i.version,
    imageId: i.imageId,
  }));
  return { region, images, template: { files }, parameters: declaredParameters(analyses) };
}
