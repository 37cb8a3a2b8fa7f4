/**
 * Association of a template's image placeholders with package versions (SPEC §7 step 2):
 * which placeholders are open, which associations went stale, and whether a revision may
 * be submitted. Inputs are plain data shaped like the template engine's analysis.
 */
import { ErrorCode, ImagenestError, type Violation } from '../errors.ts';

/** One template file as the template engine analysed it (structurally its `Analysis`). */
export interface AnalysedFile {
  file: string;
  sites: readonly {
    value: string;
    resource: string;
    resourceType: string;
    property: string;
    line: number;
    column: number;
  }[];
  diagnostics: readonly { severity: 'error' | 'warning'; code: string; message: string; line: number; column: number; resource?: string }[];
}

/** Where a placeholder appears. */
export interface PlaceholderSite {
  file: string;
  line: number;
  column: number;
  resource: string;
  resourceType: string;
  property: string;
}

/** A literal image value of the template and every place it appears. */
export interface Placeholder {
  value: string;
  sites: PlaceholderSite[];
}

export type VersionRef = number | 'draft';

export interface Association {
  /** The template's literal image value. */
  placeholder: string;
  packageId: string;
  version: VersionRef;
}

/** The placeholders of a template (all its files), each once, in order of first appearance. */
export function placeholdersOf(files: readonly AnalysedFile[]): Placeholder[] {
  const byValue = new Map<string, Placeholder>();
  for (const f of files) {
    for (const s of f.sites) {
      let p = byValue.get(s.value);
      if (!p) byValue.set(s.value, (p = { value: s.value, sites: [] }));
      p.sites.push({ file: f.file, line: s.line, column: s.column, resource: s.resource, resourceType: s.resourceType, property: s.property });
    }
  }
  return [...byValue.values()];
}

/** The field rules of one association as a request carries it. */
export function checkAssociation(a: { placeholder?: string; packageId?: string; version?: unknown }, field = 'association'): Violation[] {
  const out: Violation[] = [];
  if (!a.placeholder) out.push({ field: `${field}.placeholder`, rule: 'required', message: 'the placeholder (the literal image value) is required' });
  if (!a.packageId) out.push({ field: `${field}.packageId`, rule: 'required', message: 'the package is required' });
  const v = a.version;
  if (!(v === 'draft' || (typeof v === 'number' && Number.isInteger(v) && v >= 1))) {
    out.push({ field: `${field}.version`, rule: 'format', message: `the version is a published version number (1, 2, …) or 'draft'; got ${JSON.stringify(v)}` });
  }
  return out;
}

/** How a template's placeholders and a revision's associations fit together. */
export interface AssociationCheck {
  /** Placeholders no association covers (left as they are at deployment). */
  unassociated: Placeholder[];
  /** Associations whose placeholder is no longer in the template (after a template change). */
  stale: Association[];
  /** Associations after the first for the same placeholder. */
  duplicates: Association[];
}

export function checkAssociations(placeholders: readonly Placeholder[], associations: readonly Association[]): AssociationCheck {
  const present = new Set(placeholders.map((p) => p.value));
  const covered = new Set<string>();
  const stale: Association[] = [];
  const duplicates: Association[] = [];
  for (const a of associations) {
    if (!present.has(a.placeholder)) stale.push(a);
    else if (covered.has(a.placeholder)) duplicates.push(a);
    covered.add(a.placeholder);
  }
  return { unassociated: placeholders.filter((p) => !covered.has(p.value)), stale, duplicates };
}

/** Refuses an association for a value the template does not have as a placeholder. */
export function requirePlaceholder(placeholders: readonly Placeholder[], placeholder: string): Placeholder {
  const found = placeholders.find((p) => p.value === placeholder);
  if (found) return found;
  throw new ImagenestError(ErrorCode.PLACEHOLDER_NOT_FOUND, `the template has no image placeholder '${placeholder}'`, {
    details: { placeholder, placeholders: placeholders.map((p) => p.value) },
  });
}

/** Why a revision cannot be submitted yet; every problem is listed. */
export type SubmitProblem =
  | { kind: 'templateError'; file: string; code: string; message: string; line: number; column: number }
  | { kind: 'unassociated'; placeholder: Placeholder }
  | { kind: 'stale'; association: Association }
  | { kind: 'duplicate'; association: Association }
  | { kind: 'versionNotFound'; association: Association };

export interface SubmitReadinessInput {
  files: readonly AnalysedFile[];
  associations: readonly Association[];
  /** The versions that exist (and are not being deleted), as the store found them. */
  existingVersions: readonly { packageId: string; version: VersionRef }[];
  /**
   * SPEC §5 leaves an unassociated image value as it is (e.g. a public image name); issue 10
   * asks every placeholder to be associated before submit. Default: every one (issue 10).
   */
  allowUnassociated?: boolean;
}

/** Whether a revision may be submitted: no template error, every association sound. */
export function submitReadiness(input: SubmitReadinessInput): SubmitProblem[] {
  const problems: SubmitProblem[] = [];
  for (const f of input.files) {
    for (const d of f.diagnostics) {
      if (d.severity === 'error') problems.push({ kind: 'templateError', file: f.file, code: d.code, message: d.message, line: d.line, column: d.column });
    }
  }
  const check = checkAssociations(placeholdersOf(input.files), input.associations);
  if (!input.allowUnassociated) problems.push(...check.unassociated.map((placeholder) => ({ kind: 'unassociated' as const, placeholder })));
  problems.push(...check.stale.map((association) => ({ kind: 'stale' as const, association })));
  problems.push(...check.duplicates.map((association) => ({ kind: 'duplicate' as const, association })));
  const exists = new Set(input.existingVersions.map((v) => versionKey(v.packageId, v.version)));
  for (const a of input.associations) {
    if (!exists.has(versionKey(a.packageId, a.version))) problems.push({ kind: 'versionNotFound', association: a });
  }
  return problems;
}

function versionKey(packageId: string, version: VersionRef): string {
  return `${packageId}\u0000${version}`;
}

/** The submit refusal: SERVICE_NOT_READY with every problem in `details.problems`. */
export function notReadyError(problems: readonly SubmitProblem[]): ImagenestError {
  const counts = new Map<string, number>();
  for (const p of problems) counts.set(p.kind, (counts.get(p.kind) ?? 0) + 1);
  const summary = [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ');
  return new ImagenestError(ErrorCode.SERVICE_NOT_READY, `the revision cannot be submitted yet: ${summary}; see details.problems`, {
    details: { problems },
  });
}
