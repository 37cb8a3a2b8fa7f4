/** Human renderings of packages and distribution status. */
import type { Package, VersionStatus } from '../contract/schemas.ts';
import { table } from './output.ts';

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

export function statusTable(s: VersionStatus): string {
  return table(
    ['REGION', 'STATE', 'PROGRESS', 'IMAGE ID', 'ERROR'],
    s.regions.map((r) => [r.region, r.state, `${r.progress}%`, r.imageId, r.error ? `${r.error.code}: ${r.error.message}` : null]),
  );
}
