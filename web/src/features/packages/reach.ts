/** How far a package's latest published version has reached: regions Available of those selected. */
import type { Package, Version } from '../../../../src/contract/schemas.ts';

export function latestPublished(p: Package): Version | undefined {
  return p.versions.filter((v) => v.version !== 'draft').at(-1);
}

export function latestReach(p: Package): { available: number; selected: number } | undefined {
  const v = latestPublished(p);
  if (!v) return undefined;
  return { available: v.deliveries.filter((d) => d.state === 'Available').length, selected: v.deliveries.length };
}
