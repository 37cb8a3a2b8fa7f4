/** What the template engine reports: formats, image sites and diagnostics (data, never exceptions). */

export type TemplateFormat = 'ros-yaml' | 'ros-json' | 'terraform-hcl' | 'terraform-json';

export type Quote = 'plain' | 'single' | 'double';

/** One image placeholder: a string literal on an image property of a supported resource. */
export interface ImageSite {
  /** ROS logical ID or Terraform resource name. */
  resource: string;
  resourceType: string;
  property: string;
  /** The literal, unquoted. */
  value: string;
  /** 1-based, pointing at the value. */
  line: number;
  column: number;
  /** The value's range in the text, quotes included, in UTF-16 code units of the decoded text. */
  start: number;
  end: number;
  quote: Quote;
  /** ROS YAML: the aliases (outermost first) through which the resource reaches this value. */
  via?: AliasUse[];
}

/** Where an alias (`*name`) leads to an anchored value. */
export interface AliasUse {
  alias: string;
  line: number;
  column: number;
}

/** ` (through *inst at 12:8)`, or nothing when no alias was passed through. */
export function throughAliases(via: readonly AliasUse[] | undefined): string {
  return via && via.length > 0 ? ` (through ${via.map((v) => `*${v.alias} at ${v.line}:${v.column}`).join(', ')})` : '';
}

export type Severity = 'error' | 'warning';

export const DiagnosticCode = {
  IMAGE_ID_NOT_LITERAL: 'IMAGE_ID_NOT_LITERAL',
  IMAGE_ID_INVALID: 'IMAGE_ID_INVALID',
  MODULE_IMAGE_ID: 'MODULE_IMAGE_ID',
  DUPLICATE_KEY: 'DUPLICATE_KEY',
  EMPTY_KEY: 'EMPTY_KEY',
  UNKNOWN_TAG: 'UNKNOWN_TAG',
  SYNTAX_ERROR: 'SYNTAX_ERROR',
  TOO_LARGE: 'TOO_LARGE',
  INVALID_ENCODING: 'INVALID_ENCODING',
  UNKNOWN_FORMAT: 'UNKNOWN_FORMAT',
  PLACEHOLDER_MISSING: 'PLACEHOLDER_MISSING',
  /** `template resolve`: a placeholder no `--set` maps, left as it is (an error with `--strict`). */
  PLACEHOLDER_UNMAPPED: 'PLACEHOLDER_UNMAPPED',
  /** One anchored ImageId is also used where splicing the placeholder would change something else. */
  ALIASED_IMAGE_CONFLICT: 'ALIASED_IMAGE_CONFLICT',
  // Reading the file (src/templates/io/read-file.ts): reported per file, before any parse.
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
  NOT_A_REGULAR_FILE: 'NOT_A_REGULAR_FILE',
  SYMLINK_LOOP: 'SYMLINK_LOOP',
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  READ_FAILED: 'READ_FAILED',
} as const;
export type DiagnosticCode = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  line: number;
  column: number;
  resource?: string;
}

/** A template analysed once: resolving it again for another region is a splice, not a parse. */
export interface Analysis {
  file: string;
  format: TemplateFormat | null;
  /** The decoded text, BOM included, exactly as given. */
  text: string;
  sites: ImageSite[];
  diagnostics: Diagnostic[];
  /**
   * The input parameters the file declares (ROS `Parameters`, Terraform `variable` blocks), what
   * a deployment may set; absent when the file could not be read that far (a syntax error).
   */
  parameters?: string[];
}

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

export function hasErrors(a: Pick<Analysis, 'diagnostics'>): boolean {
  return a.diagnostics.some((d) => d.severity === 'error');
}
