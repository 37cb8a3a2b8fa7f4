/** Human renderings of packages and distribution status. */
import type { Package, VersionStatus } from '../contract/schemas.ts';
import { isFinalDelivery } from '../domain/version-state.ts';
import { table } from './output.ts';
import { distributionView, timesText } from './progress-model.ts';

export function describePackage(p: Package): string {
  const head = [
    `Package   ${p.name} (${p.id})`,
    `Status    ${p.status}`,
    `Type      ${p.type}`,
    `About     ${p.description}`,
    ...(p.resourceGroup ? [`Group     ${p.resourceGroup}`] : []),
    ...(p.tags.length ? [`Tags      ${p.tags.map((t) => `${t.key}=${t.value}`).join(', ')}`] : []),
  ];
  const rows = p.versions.map((v) => [
    v.version,
    v.name,
    v.state,
    v.content.imageType === 'custom' ? `${v.content.sourceRegion}/${v.content.imageId}` : `${v.content.productCode}@${v.content.productVersion}`,
    v.content.regions.join(','),
    v.publishedAt ?? '-',
  ]);
  return `${head.join('\n')}\n\n${table(['VERSION', 'NAME', 'STATE', 'SOURCE', 'REGIONS', 'PUBLISHED'], rows)}`;
}

/**
 * The ingest, then one row per region, as of the status's own instant: progress with `~` where
 * it is the engine's estimate beyond the cloud's last reading; elapsed or time taken; ETA.
 */
export function statusTable(s: VersionStatus): string {
  const view = distributionView(s);
  const rows = [s.ingest, ...s.regions].flatMap((r) => (r ? [r] : []));
  const o = view.overall;
  return table(
    ['REGION', 'STATE', 'PROGRESS', 'TIME', 'FROM', 'IMAGE ID', 'ERROR'],
    [
      ...view.phases.map((p, i) => [p.label, p.state, `${p.estimated ? '~' : ''}${Math.floor(p.pct)}%`, timesText(p, isFinalDelivery(p.state)) || null, rows[i]?.sourceRegion ?? null, rows[i]?.imageId ?? null, p.error]),
      ...(view.phases.length ? [['overall', `${o.finalRegions}/${o.regions} final`, `${Math.floor(o.pct)}%`, timesText(o, o.finalRegions === o.regions) || null, null, null, null]] : []),
    ],
  );
}
