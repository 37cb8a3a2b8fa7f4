/** Config settings Imagenest has no place for, and the reason given for each when it is skipped. */
import type { YamlMap } from './config-values.ts';
import { ImportCode, type ImportItem } from './plan.ts';

/** Why well-known Compute Nest settings are not imported; other keys get a generic reason. */
export const WHY_NOT: Readonly<Record<string, string>> = {
  ApprovalType: "Imagenest's own review flow (submit, approve or reject, publish) applies",
  RegionId: 'an Imagenest service is not tied to a region: a consumer picks the region per instance',
  PredefinedParameters: 'parameter presets are not modelled: a consumer gives template parameters per instance',
  OutputConfigs: 'output display settings are not modelled: instance outputs are the template outputs',
  DeployScene: 'deploy scenes are not modelled',
  ModifyParametersConfig: 'changing parameters of a running instance is not modelled',
  NetworkMetadata: 'private VPC connections are not modelled',
  ServiceInstanceNameRule: 'instance name rules are not modelled: a consumer names each instance',
  PrometheusConfigMap: 'monitoring integration is not modelled',
  SupportBackup: 'backup of instances is not modelled',
  DeployTimeout: 'deployment timeouts are not configurable per service',
  Image: 'service icons are not modelled',
  Agreements: 'service agreements are not modelled',
};

/** Reports every key of `map` outside `known` as not modelled. */
export function skipUnknownKeys(map: YamlMap, known: readonly string[], item: string, skipped: ImportItem[]): void {
  for (const key of Object.keys(map)) {
    if (known.includes(key)) continue;
    skipped.push({ item: `${item}.${key}`, code: ImportCode.NOT_MODELLED, reason: WHY_NOT[key] ?? 'Imagenest has no such setting' });
  }
}
