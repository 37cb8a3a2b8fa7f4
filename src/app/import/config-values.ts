/**
 * Reading a parsed Compute Nest config: typed access to loose YAML values, `${Section.key.field}`
 * references, and the name/description/region fitting that turns config text into values
 * Imagenest's field rules accept (each change reported as a note, never silent).
 */
import { LIMITS, charLength } from '../../domain/package-rules.ts';
import { findRegion } from '../../domain/regions.ts';
import { ImportCode, type ImportItem } from './plan.ts';

export type YamlMap = Record<string, unknown>;

export function asMap(v: unknown): YamlMap | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as YamlMap) : undefined;
}

export function asList(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

/** A scalar as the config author wrote it; numbers and booleans read as their text. */
export function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** A whole-value reference such as `${Artifact.Artifact_1.ArtifactId}`. */
export interface Reference {
  section: string;
  key: string;
  field: string;
}

const REFERENCE = /^\$\{\s*([A-Za-z0-9_]+)\.([^.}\s]+)\.([A-Za-z0-9_]+)\s*\}$/;

export function parseReference(v: unknown): Reference | undefined {
  const text = asText(v)?.trim();
  const m = text === undefined ? null : REFERENCE.exec(text);
  return m ? { section: m[1]!, key: m[2]!, field: m[3]! } : undefined;
}

/** A value that is a literal, or an `${ImageBuilder.<key>.<field>}` reference resolved through the config. */
export type Resolved = { ok: true; value: string; via?: string } | { ok: false; reason: string };

export function resolveValue(v: unknown, root: YamlMap): Resolved {
  const ref = parseReference(v);
  if (!ref) {
    const text = asText(v);
    return text === undefined || text.trim() === '' ? { ok: false, reason: 'it is empty' } : { ok: true, value: text.trim() };
  }
  const shown = asText(v)!.trim();
  if (ref.section !== 'ImageBuilder') {
    return { ok: false, reason: `${shown} refers to the ${ref.section} section; only ImageBuilder references resolve here` };
  }
  const builder = asMap(asMap(root['ImageBuilder'])?.[ref.key]);
  if (!builder) return { ok: false, reason: `${shown}: no ImageBuilder.${ref.key} in the config` };
  const value = asText(builder[ref.field])?.trim();
  if (!value) return { ok: false, reason: `${shown}: ImageBuilder.${ref.key} has no ${ref.field}` };
  return { ok: true, value, via: `ImageBuilder.${ref.key}` };
}

const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * A package or service name from free text: every run of characters outside letters, digits and
 * `_` becomes one `_`, edges are trimmed, the result clipped to the limit; too short → fallback.
 */
export function sanitiseName(raw: string, fallback: string, limits: { min: number; max: number } = LIMITS.packageName): string {
  let out = '';
  for (const ch of raw) out += NAME_CHAR.test(ch) ? ch : '_';
  out = out.replace(/_+/g, '_').replace(/^_+|_+$/g, '');
  const { min, max } = limits;
  out = out.slice(0, max).replace(/_+$/, '');
  return out.length >= min ? out : fallback;
}

/** A name made valid, with a note when it differs from what the config says. */
export function fitName(
  raw: string | undefined,
  fallback: string,
  item: string,
  notes: ImportItem[],
  limits: { min: number; max: number } = LIMITS.packageName,
): string {
  const name = sanitiseName(raw ?? '', fallback, limits);
  if (name !== raw) {
    notes.push({
      item,
      code: ImportCode.NAME_SANITISED,
      reason:
        raw === undefined
          ? `no name given; using '${name}'`
          : `${JSON.stringify(raw)} is not a valid name (${limits.min}–${limits.max} letters, digits, '_'); using '${name}'`,
    });
  }
  return name;
}

/**
 * A description within the 10–500 character rule: a short or absent one is completed with where
 * it came from (so a reader knows it was generated), a long one clipped at a character boundary.
 */
export function fitDescription(raw: string | undefined, origin: string, item: string, notes: ImportItem[]): string {
  const { min, max } = LIMITS.description;
  const text = raw?.trim().replace(/\s+/g, ' ') ?? '';
  if (text === '') {
    const made = `Imported from ${origin}`;
    notes.push({ item, code: ImportCode.DESCRIPTION_ADJUSTED, reason: `no description given; using "${made}"` });
    return made;
  }
  const n = charLength(text);
  if (n < min) {
    const made = `${text} (imported from ${origin})`;
    notes.push({ item, code: ImportCode.DESCRIPTION_ADJUSTED, reason: `${n} characters is below the ${min}-character minimum; completed as "${made}"` });
    return made;
  }
  if (n > max) {
    const clipped = [...text].slice(0, max - 1).join('').trimEnd() + '…';
    notes.push({ item, code: ImportCode.DESCRIPTION_ADJUSTED, reason: `${n} characters is above the ${max}-character maximum; clipped` });
    return clipped;
  }
  if (text !== raw) notes.push({ item, code: ImportCode.DESCRIPTION_ADJUSTED, reason: 'line breaks and repeated spaces folded into single spaces' });
  return text;
}

/** A region ID from the catalogue, accepting a differently-cased spelling with a note. */
export function fitRegion(raw: string, item: string, notes: ImportItem[]): string | undefined {
  if (findRegion(raw)) return raw;
  const canonical = findRegion(raw.trim().toLowerCase());
  if (!canonical) return undefined;
  notes.push({ item, code: ImportCode.REGION_NORMALISED, reason: `'${raw}' read as the canonical region ID '${canonical.id}'` });
  return canonical.id;
}
