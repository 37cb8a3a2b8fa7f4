/**
 * What a Compute Nest import would create, as plain data: the planner decides, a caller (CLI or
 * API) applies. Everything the planner could not map is listed with a stable code and a reason.
 */
import type { VersionContent } from '../../domain/package-rules.ts';
import type { Diagnostic } from '../../templates/model.ts';

/** Why an item of the config was not imported, or was imported differently than written. */
export const ImportCode = {
  /** A config field Imagenest has no place for; the reason names what it was for. */
  NOT_MODELLED: 'NOT_MODELLED',
  /** An ArtifactRelation names an artifact that no Artifact section defines. */
  UNDEFINED_ARTIFACT: 'UNDEFINED_ARTIFACT',
  /** An artifact that is defined but cannot become a package (type, image, region). */
  ARTIFACT_NOT_IMPORTED: 'ARTIFACT_NOT_IMPORTED',
  /** An artifact no ArtifactRelation uses: nothing would deploy it. */
  UNREFERENCED_ARTIFACT: 'UNREFERENCED_ARTIFACT',
  /** A `${…}` reference that does not resolve to a value. */
  UNRESOLVED_REFERENCE: 'UNRESOLVED_REFERENCE',
  /** An ArtifactRelation entry that is not a usable { ArtifactId, ArtifactVersion } pair. */
  INVALID_RELATION: 'INVALID_RELATION',
  /** An ArtifactRelation key that is not an image placeholder of the imported template. */
  PLACEHOLDER_ABSENT: 'PLACEHOLDER_ABSENT',
  /** No template was imported, so a relation cannot be checked or stored. */
  NO_TEMPLATE: 'NO_TEMPLATE',
  /** A template config whose Url names no file (or no Terraform file) in the directory. */
  TEMPLATE_MISSING: 'TEMPLATE_MISSING',
  /** A further template config: an Imagenest service has one template. */
  EXTRA_TEMPLATE: 'EXTRA_TEMPLATE',
  /** A supplier-side template config: the supplier tests with the service template itself. */
  SUPPLIER_TEMPLATE: 'SUPPLIER_TEMPLATE',
  /** ServiceInfo in a locale other than the one imported. */
  OTHER_LOCALE: 'OTHER_LOCALE',
  /** A region ID that is not in the region catalogue. */
  UNKNOWN_REGION: 'UNKNOWN_REGION',
  /** ImageBuilder steps: Imagenest distributes an existing image, it does not build one. */
  IMAGE_NOT_BUILT: 'IMAGE_NOT_BUILT',
  // Notes: imported, but not exactly as written.
  NAME_SANITISED: 'NAME_SANITISED',
  DESCRIPTION_ADJUSTED: 'DESCRIPTION_ADJUSTED',
  VERSION_NAME_DEFAULTED: 'VERSION_NAME_DEFAULTED',
  REGIONS_DEFAULTED: 'REGIONS_DEFAULTED',
  REGION_NORMALISED: 'REGION_NORMALISED',
  VERSION_AS_DRAFT: 'VERSION_AS_DRAFT',
  DEFAULTED: 'DEFAULTED',
  VISIBILITY_MAPPED: 'VISIBILITY_MAPPED',
} as const;
export type ImportCode = (typeof ImportCode)[keyof typeof ImportCode];

/** One config item (a dotted path such as `Service.DeployMetadata.OutputConfigs`) and why. */
export interface ImportItem {
  item: string;
  code: ImportCode;
  reason: string;
}

export const ImportDiagnosticCode = {
  /** config.yaml is missing or is not YAML. */
  CONFIG_UNREADABLE: 'CONFIG_UNREADABLE',
  /** The YAML parser's warnings (e.g. an unknown tag): the config was still read. */
  CONFIG_WARNING: 'CONFIG_WARNING',
  /** The config has no `Service` map. */
  NO_SERVICE: 'NO_SERVICE',
  UNSUPPORTED_DEPLOY_TYPE: 'UNSUPPORTED_DEPLOY_TYPE',
  UNSUPPORTED_SERVICE_TYPE: 'UNSUPPORTED_SERVICE_TYPE',
  /** The service name given as an option breaks the name rules. */
  INVALID_SERVICE_NAME: 'INVALID_SERVICE_NAME',
  /** No template config names a readable template: a service needs one. */
  NO_TEMPLATE: 'NO_TEMPLATE',
} as const;
export type ImportDiagnosticCode = (typeof ImportDiagnosticCode)[keyof typeof ImportDiagnosticCode];

/** A problem that makes the plan unfit to apply when its severity is `error`. */
export interface ImportDiagnostic {
  severity: 'error' | 'warning';
  code: ImportDiagnosticCode;
  message: string;
  line?: number;
  column?: number;
}

/** One deployment package to create, with its draft version. */
export interface PlannedPackage {
  /** The artifact's key in the config (`Artifact_1`): associations refer to packages by it. */
  key: string;
  name: string;
  versionName: string;
  description: string;
  content: VersionContent;
}

export interface TemplateFile {
  /** Path relative to `.computenest/`. */
  file: string;
  text: string;
  /** What the template engine reports on this file (a submit is refused while any is an error). */
  diagnostics: Diagnostic[];
}

export interface PlannedTemplate {
  /** The template config's `Name`. */
  configName: string;
  url: string;
  /** One ROS file, or every Terraform file of the Url's folder. */
  files: TemplateFile[];
  /** Distinct image placeholders the template engine found, in order of first appearance. */
  placeholders: string[];
}

export interface PlannedService {
  name: string;
  description: string;
  deployType: 'ros' | 'terraform';
  serviceType: 'private';
  visibility: 'public' | 'private';
  template: PlannedTemplate | null;
}

/** A placeholder bound to the draft version of an imported package. */
export interface PlannedAssociation {
  placeholder: string;
  packageKey: string;
  version: 'draft';
}

export interface PlaceholderSiteRef {
  file: string;
  resource: string;
  line: number;
  column: number;
}

/** A template placeholder that no ArtifactRelation maps: it stays as written (e.g. a public image). */
export interface UnassociatedPlaceholder {
  placeholder: string;
  sites: PlaceholderSiteRef[];
}

export interface ImportPlan {
  diagnostics: ImportDiagnostic[];
  packages: PlannedPackage[];
  service: PlannedService | null;
  associations: PlannedAssociation[];
  unassociated: UnassociatedPlaceholder[];
  /** Config items not imported. */
  skipped: ImportItem[];
  /** Items imported, but changed or decided on the importer's own account. */
  notes: ImportItem[];
}

/** The files of a service directory, relative to `.computenest/`. */
export interface ServiceFiles {
  /** The text of a file, or undefined when there is no such file. */
  read(relativePath: string): string | undefined;
  /** The file names directly inside a folder (for a Terraform template given as a folder). */
  list?(relativeDir: string): readonly string[];
}

export interface ImportOptions {
  /** Overrides the name derived from ServiceInfo. */
  serviceName?: string;
}

export function planHasErrors(plan: Pick<ImportPlan, 'diagnostics'>): boolean {
  return plan.diagnostics.some((d) => d.severity === 'error');
}
