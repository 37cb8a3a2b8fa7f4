/**
 * An import plan as lines for people: what will be created, then what was not imported and why,
 * then what was adjusted. The CLI prints it; `--json` prints the plan itself.
 */
import type { ImportItem, ImportPlan } from './plan.ts';

function items(title: string, list: readonly ImportItem[]): string[] {
  if (list.length === 0) return [];
  return [`${title} (${list.length}):`, ...list.map((i) => `  ${i.item}: ${i.code}: ${i.reason}`)];
}

/** One line per planned object, then every skipped item and note with its reason. */
export function describeImportPlan(plan: ImportPlan): string[] {
  const out: string[] = plan.diagnostics.map((d) => `${d.severity} ${d.code}${d.line === undefined ? '' : ` (config.yaml:${d.line}:${d.column})`}: ${d.message}`);
  for (const p of plan.packages) {
    const image = p.content.imageType === 'custom' ? p.content.imageId : `${p.content.productCode}:${p.content.productVersion}`;
    out.push(`package ${p.name} (from ${p.key}): draft ${p.versionName}, ${image} in ${p.content.sourceRegion} → ${p.content.regions.join(', ')}`);
  }
  const s = plan.service;
  if (s) {
    const template = s.template ? `${s.template.url} (${s.template.placeholders.length} placeholder(s))` : 'no template';
    out.push(`service ${s.name}: ${s.deployType}, ${s.visibility}, ${template}`);
  }
  for (const a of plan.associations) {
    const pkg = plan.packages.find((p) => p.key === a.packageKey);
    out.push(`  ${a.placeholder} → ${pkg?.name ?? a.packageKey} ${a.version}`);
  }
  for (const u of plan.unassociated) {
    const where = u.sites.map((x) => `${x.file}:${x.line}:${x.column} ${x.resource}`).join(', ');
    out.push(`  ${u.placeholder} stays as written (no ArtifactRelation): ${where}`);
  }
  return [...out, ...items('not imported', plan.skipped), ...items('adjusted', plan.notes)];
}
