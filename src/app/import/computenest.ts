/**
 * `imagenest import computenest`, as a pure planner: a `.computenest/config.yaml` and its
 * template files in, an {@link ImportPlan} out (packages as drafts, the service, its
 * associations, and every item not imported with why). Never throws on bad input: a config
 * that cannot be read gives a plan with an error diagnostic.
 */
import { LineCounter, parseDocument } from 'yaml';
import { analyze } from '../../templates/engine.ts';
import type { Analysis } from '../../templates/model.ts';
import { knownRegions, planPackages, type TemplateRegions } from './artifacts.ts';
import { asList, asMap, asText, parseReference, type YamlMap } from './config-values.ts';
import {
  ImportCode,
  ImportDiagnosticCode,
  type ImportDiagnostic,
  type ImportItem,
  type ImportOptions,
  type ImportPlan,
  type PlannedAssociation,
  type PlannedPackage,
  type PlannedService,
  type PlannedTemplate,
  type ServiceFiles,
  type TemplateFile,
  type UnassociatedPlaceholder,
} from './plan.ts';
import { planServiceFields } from './service-fields.ts';
import { skipUnknownKeys } from './unmodelled.ts';

export interface ComputenestImportInput {
  /** The text of `.computenest/config.yaml`. */
  configText: string;
  /** The directory's files by path relative to `.computenest/` (a plain record works too). */
  files: ServiceFiles | Readonly<Record<string, string>>;
  options?: ImportOptions;
}

const META = 'Service.DeployMetadata';
const SUPPLIER_META = `${META}.SupplierDeployMetadata`;
const RELATIONS = `${SUPPLIER_META}.ArtifactRelation`;

interface Sink {
  diagnostics: ImportDiagnostic[];
  skipped: ImportItem[];
  notes: ImportItem[];
}

function isTerraformFile(name: string): boolean {
  return name.endsWith('.tf') || name.endsWith('.tf.json');
}

/** A record of files as a {@link ServiceFiles}: folders are the path prefixes of its keys. */
export function filesFromRecord(record: Readonly<Record<string, string>>): ServiceFiles {
  return {
    read: (p) => (Object.hasOwn(record, p) ? record[p] : undefined),
    list: (dir) => {
      const prefix = dir === '' ? '' : `${dir}/`;
      return Object.keys(record)
        .filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/'))
        .map((k) => k.slice(prefix.length));
    },
  };
}

/** A template Url as a path inside `.computenest/`: no leading `./` or `/`, no trailing `/`. */
function normaliseUrl(url: string): string {
  return url.trim().replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
}

/** One ROS file, or every Terraform file directly inside a folder; undefined when neither is there. */
function readTemplate(url: string, files: ServiceFiles): Omit<TemplateFile, 'diagnostics'>[] | undefined {
  const path = normaliseUrl(url);
  const text = files.read(path);
  if (text !== undefined) return [{ file: path, text }];
  const names = (files.list?.(path) ?? []).filter(isTerraformFile).sort();
  const out = names.flatMap((n) => {
    const file = `${path}/${n}`;
    const t = files.read(file);
    return t === undefined ? [] : [{ file, text: t }];
  });
  return out.length > 0 ? out : undefined;
}

interface Chosen {
  template: PlannedTemplate;
  analyses: Analysis[];
  regions: TemplateRegions | undefined;
}

/**
 * The service template: the first template config (consumer-facing `TemplateConfigs`, else the
 * supplier's) whose Url is readable. Every other config is skipped, saying why.
 */
function chooseTemplate(meta: YamlMap, files: ServiceFiles, sink: Sink): Chosen | undefined {
  const consumer = asList(meta['TemplateConfigs']);
  // Compute Nest keeps them under SupplierDeployMetadata; older configs beside TemplateConfigs.
  const supplierMeta = asMap(meta['SupplierDeployMetadata']);
  const supplierItem = supplierMeta?.['SupplierTemplateConfigs'] !== undefined ? `${SUPPLIER_META}.SupplierTemplateConfigs` : `${META}.SupplierTemplateConfigs`;
  const supplier = asList(supplierMeta?.['SupplierTemplateConfigs']) ?? asList(meta['SupplierTemplateConfigs']);
  const listItem = consumer ? `${META}.TemplateConfigs` : supplierItem;
  if (!consumer && supplier) {
    sink.notes.push({ item: listItem, code: ImportCode.DEFAULTED, reason: 'there are no TemplateConfigs: the template comes from SupplierTemplateConfigs' });
  }
  let chosen: Chosen | undefined;
  (consumer ?? supplier ?? []).forEach((entry, i) => {
    const item = `${listItem}[${i}]`;
    const config = asMap(entry);
    const url = asText(config?.['Url']);
    const read = url === undefined ? undefined : readTemplate(url, files);
    if (!config || url === undefined || !read) {
      const reason = url === undefined ? 'it has no Url' : `${url} is not in the directory (relative to .computenest/)`;
      sink.skipped.push({ item, code: ImportCode.TEMPLATE_MISSING, reason });
      return;
    }
    if (chosen) {
      sink.skipped.push({ item, code: ImportCode.EXTRA_TEMPLATE, reason: `an Imagenest service has one template; ${chosen.template.url} is imported` });
      return;
    }
    skipUnknownKeys(config, ['Name', 'Url', 'AllowedRegions'], item, sink.skipped);
    const allowed = asList(config['AllowedRegions']);
    const analyses = read.map((f) => analyze(f.file, f.text));
    chosen = {
      template: {
        configName: asText(config['Name']) ?? '',
        url: normaliseUrl(url),
        files: read.map((f, n) => ({ ...f, diagnostics: analyses[n]!.diagnostics })),
        placeholders: [...new Set(analyses.flatMap((a) => a.sites.map((s) => s.value)))],
      },
      analyses,
      regions: allowed ? { item: `${item}.AllowedRegions`, regions: knownRegions(allowed, `${item}.AllowedRegions`, sink) } : undefined,
    };
  });
  if (consumer && supplier) {
    supplier.forEach((entry, i) => {
      const url = asText(asMap(entry)?.['Url']) ?? '(no Url)';
      sink.skipped.push({
        item: `${supplierItem}[${i}]`,
        code: ImportCode.SUPPLIER_TEMPLATE,
        reason: `supplier-side template ${url}: Imagenest test deployments use the service template itself`,
      });
    });
  }
  return chosen;
}

function deployTypeOf(service: YamlMap, chosen: Chosen | undefined, sink: Sink): 'ros' | 'terraform' {
  const raw = asText(service['DeployType']);
  const fromFiles = chosen?.template.files.some((f) => isTerraformFile(f.file)) ? 'terraform' : 'ros';
  let type: 'ros' | 'terraform' = fromFiles;
  if (raw === undefined) {
    sink.notes.push({ item: 'Service.DeployType', code: ImportCode.DEFAULTED, reason: `absent; ${fromFiles} from the template's file names` });
  } else if (raw.toLowerCase() === 'ros' || raw.toLowerCase() === 'terraform') {
    type = raw.toLowerCase() as 'ros' | 'terraform';
  } else {
    sink.diagnostics.push({
      severity: 'error',
      code: ImportDiagnosticCode.UNSUPPORTED_DEPLOY_TYPE,
      message: `DeployType ${raw} is not supported: Imagenest services deploy ROS or Terraform templates`,
    });
  }
  if (chosen && type !== fromFiles) {
    sink.diagnostics.push({
      severity: 'error',
      code: ImportDiagnosticCode.UNSUPPORTED_DEPLOY_TYPE,
      message: `DeployType is ${type} but the template ${chosen.template.url} is a ${fromFiles} template`,
    });
  }
  return type;
}

/** The artifact keys that ArtifactRelation entries name through `${Artifact.<key>.ArtifactId}`. */
function referencedArtifacts(relations: YamlMap): Set<string> {
  const out = new Set<string>();
  for (const v of Object.values(relations)) {
    const ref = parseReference(asMap(v)?.['ArtifactId']);
    if (ref?.section === 'Artifact' && ref.field === 'ArtifactId') out.add(ref.key);
  }
  return out;
}

type Relation = { ok: true; association: PlannedAssociation; note?: ImportItem } | { ok: false; code: ImportCode; reason: string };

/** One ArtifactRelation entry checked against the artifacts, the imported packages and the template. */
function planRelation(placeholder: string, value: unknown, item: string, root: YamlMap, packages: PlannedPackage[], chosen: Chosen | undefined): Relation {
  const relation = asMap(value);
  if (!relation) return { ok: false, code: ImportCode.INVALID_RELATION, reason: 'it is not a map of ArtifactId and ArtifactVersion' };
  const idRef = parseReference(relation['ArtifactId']);
  if (!idRef || idRef.section !== 'Artifact' || idRef.field !== 'ArtifactId') {
    const literal = asText(relation['ArtifactId']);
    if (literal === undefined) return { ok: false, code: ImportCode.INVALID_RELATION, reason: 'it has no ArtifactId' };
    return {
      ok: false,
      code: ImportCode.UNDEFINED_ARTIFACT,
      reason: `${literal} is not defined in an Artifact section: it names an artifact kept in Compute Nest, which the import cannot read; create that package and associate it after the import`,
    };
  }
  const key = idRef.key;
  if (!asMap(root['Artifact'])?.[key]) return { ok: false, code: ImportCode.UNDEFINED_ARTIFACT, reason: `Artifact.${key} is not defined in the config` };
  const pkg = packages.find((p) => p.key === key);
  if (!pkg) return { ok: false, code: ImportCode.ARTIFACT_NOT_IMPORTED, reason: `Artifact.${key} is not imported (see its own entry)` };

  const versionRaw = relation['ArtifactVersion'];
  const versionRef = parseReference(versionRaw);
  const versionText = asText(versionRaw);
  let note: ImportItem | undefined;
  if (versionRef) {
    if (versionRef.section !== 'Artifact' || versionRef.key !== key || versionRef.field !== 'ArtifactVersion') {
      return { ok: false, code: ImportCode.INVALID_RELATION, reason: `ArtifactVersion ${versionText} is not the version of Artifact.${key}` };
    }
  } else if (versionText?.toLowerCase() !== 'draft') {
    note = {
      item: `${item}.ArtifactVersion`,
      code: ImportCode.VERSION_AS_DRAFT,
      reason: `${versionText ?? 'absent'}: the imported package has only its draft, so the placeholder is associated with the draft; associate a published version after publishing`,
    };
  }
  if (!chosen) return { ok: false, code: ImportCode.NO_TEMPLATE, reason: 'no template was imported to hold the association' };
  if (!chosen.template.placeholders.includes(placeholder)) {
    return { ok: false, code: ImportCode.PLACEHOLDER_ABSENT, reason: `the template ${chosen.template.url} has no image placeholder '${placeholder}'` };
  }
  return { ok: true, association: { placeholder, packageKey: key, version: 'draft' }, ...(note ? { note } : {}) };
}

function unassociatedOf(chosen: Chosen | undefined, associations: PlannedAssociation[]): UnassociatedPlaceholder[] {
  if (!chosen) return [];
  const bound = new Set(associations.map((a) => a.placeholder));
  return chosen.template.placeholders
    .filter((p) => !bound.has(p))
    .map((placeholder) => ({
      placeholder,
      sites: chosen.analyses.flatMap((a) =>
        a.sites.filter((s) => s.value === placeholder).map((s) => ({ file: a.file, resource: s.resource, line: s.line, column: s.column })),
      ),
    }));
}

function parseConfig(configText: string, sink: Sink): YamlMap | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(configText, { uniqueKeys: false, lineCounter, prettyErrors: false });
  const at = (offset: number | undefined) => (offset === undefined ? {} : lineCounter.linePos(offset));
  for (const e of doc.errors) sink.diagnostics.push({ severity: 'error', code: ImportDiagnosticCode.CONFIG_UNREADABLE, message: e.message, ...at(e.pos[0]) });
  for (const w of doc.warnings) sink.diagnostics.push({ severity: 'warning', code: ImportDiagnosticCode.CONFIG_WARNING, message: w.message, ...at(w.pos[0]) });
  if (doc.errors.length > 0) return undefined;
  let root: YamlMap | undefined;
  try {
    root = asMap(doc.toJS({ maxAliasCount: 1000 }));
  } catch (err) {
    // toJS refuses alias bombs and similar: a diagnostic, as for any unreadable config.
    sink.diagnostics.push({ severity: 'error', code: ImportDiagnosticCode.CONFIG_UNREADABLE, message: (err as Error).message });
    return undefined;
  }
  if (!asMap(root?.['Service'])) {
    sink.diagnostics.push({ severity: 'error', code: ImportDiagnosticCode.NO_SERVICE, message: 'config.yaml has no Service section: it is not a Compute Nest service config' });
    return undefined;
  }
  return root;
}

/** Plans the import of one Compute Nest service directory; see {@link ImportPlan}. */
export function planComputenestImport(input: ComputenestImportInput): ImportPlan {
  const sink: Sink = { diagnostics: [], skipped: [], notes: [] };
  const plan: ImportPlan = { diagnostics: sink.diagnostics, packages: [], service: null, associations: [], unassociated: [], skipped: sink.skipped, notes: sink.notes };
  const root = parseConfig(input.configText, sink);
  if (!root) return plan;
  const files = typeof input.files.read === 'function' ? (input.files as ServiceFiles) : filesFromRecord(input.files as Record<string, string>);
  const service = asMap(root['Service'])!;
  const meta = asMap(service['DeployMetadata']) ?? {};
  const supplierMeta = asMap(meta['SupplierDeployMetadata']) ?? {};
  const relations = asMap(supplierMeta['ArtifactRelation']) ?? {};

  skipUnknownKeys(root, ['Service', 'Artifact', 'ImageBuilder'], 'config', sink.skipped);
  skipUnknownKeys(service, ['DeployType', 'DeployMetadata', 'ServiceType', 'ServiceInfo', 'ShareType'], 'Service', sink.skipped);
  skipUnknownKeys(meta, ['TemplateConfigs', 'SupplierTemplateConfigs', 'SupplierDeployMetadata'], META, sink.skipped);
  skipUnknownKeys(supplierMeta, ['ArtifactRelation', 'SupplierTemplateConfigs'], SUPPLIER_META, sink.skipped);

  const chosen = chooseTemplate(meta, files, sink);
  if (!chosen) {
    sink.diagnostics.push({ severity: 'error', code: ImportDiagnosticCode.NO_TEMPLATE, message: 'no template config names a template file in the directory: a service needs a template' });
  }
  const fields = planServiceFields(service, input.options ?? {}, sink);
  const deployType = deployTypeOf(service, chosen, sink);
  plan.service = { ...fields, deployType, template: chosen?.template ?? null } satisfies PlannedService;
  plan.packages = planPackages(root, referencedArtifacts(relations), chosen?.regions, sink);

  for (const [placeholder, value] of Object.entries(relations)) {
    const item = `${RELATIONS}[${JSON.stringify(placeholder)}]`;
    const r = planRelation(placeholder, value, item, root, plan.packages, chosen);
    if (!r.ok) {
      sink.skipped.push({ item, code: r.code, reason: r.reason });
      continue;
    }
    plan.associations.push(r.association);
    if (r.note) sink.notes.push(r.note);
  }
  plan.unassociated = unassociatedOf(chosen, plan.associations);
  return plan;
}
