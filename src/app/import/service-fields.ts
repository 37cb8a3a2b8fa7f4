/**
 * The `Service` section's own fields → an Imagenest service's name, description, types and
 * visibility, and the list of Compute Nest service settings Imagenest does not model (with why).
 */
import { checkPackageName } from '../../domain/package-rules.ts';
import { asList, asMap, asText, fitDescription, fitName, type YamlMap } from './config-values.ts';
import { skipUnknownKeys } from './unmodelled.ts';
import { ImportCode, ImportDiagnosticCode, type ImportDiagnostic, type ImportItem, type ImportOptions } from './plan.ts';

/** Used when no ServiceInfo name survives sanitising (e.g. a name written only in Chinese characters). */
export const FALLBACK_SERVICE_NAME = 'imported_service';

/** The locale whose ServiceInfo is imported when there are several. */
export const PREFERRED_LOCALE = 'en-US';

/** ServiceInfo is one map or a list of per-locale maps; the en-US one is preferred, else the first. */
function chooseInfo(service: YamlMap, skipped: ImportItem[]): { info: YamlMap; item: string } | undefined {
  const raw = service['ServiceInfo'];
  const list = (asList(raw) ?? (raw === undefined ? [] : [raw])).map(asMap).filter((m): m is YamlMap => m !== undefined);
  if (list.length === 0) return undefined;
  const chosen = list.find((m) => asText(m['Locale']) === PREFERRED_LOCALE) ?? list[0]!;
  const label = (m: YamlMap, i: number) => `Service.ServiceInfo[${asText(m['Locale']) ?? i}]`;
  list.forEach((m, i) => {
    if (m !== chosen) skipped.push({ item: label(m, i), code: ImportCode.OTHER_LOCALE, reason: `a service has one name and description; the ${asText(chosen['Locale']) ?? 'first'} ServiceInfo is imported` });
  });
  const item = label(chosen, list.indexOf(chosen));
  skipUnknownKeys(chosen, ['Locale', 'Name', 'ShortDescription'], item, skipped);
  return { info: chosen, item };
}

export interface ServiceFields {
  name: string;
  description: string;
  serviceType: 'private';
  visibility: 'public' | 'private';
}

interface Sink {
  diagnostics: ImportDiagnostic[];
  skipped: ImportItem[];
  notes: ImportItem[];
}

function nameOf(chosen: { info: YamlMap; item: string } | undefined, options: ImportOptions, sink: Sink): string {
  if (options.serviceName !== undefined) {
    for (const v of checkPackageName(options.serviceName, 'serviceName')) {
      sink.diagnostics.push({ severity: 'error', code: ImportDiagnosticCode.INVALID_SERVICE_NAME, message: v.message });
    }
    return options.serviceName;
  }
  const item = chosen ? `${chosen.item}.Name` : 'Service.ServiceInfo';
  return fitName(chosen ? asText(chosen.info['Name']) : undefined, FALLBACK_SERVICE_NAME, item, sink.notes);
}

/**
 * Compute Nest's `ShareType` says whether the service is listed for everyone. `Public` maps to an
 * Imagenest public service; anything else to private, whose whitelist the vendor fills in after
 * the import (Compute Nest keeps its allowed accounts outside config.yaml).
 */
function visibilityOf(service: YamlMap, notes: ImportItem[]): 'public' | 'private' {
  const share = asText(service['ShareType']);
  if (share === 'Public') return 'public';
  notes.push({
    item: 'Service.ShareType',
    code: ImportCode.VISIBILITY_MAPPED,
    reason: `ShareType ${share ?? '(absent)'} imported as a private service: add whitelisted accounts after the import to share it`,
  });
  return 'private';
}

function serviceTypeOf(service: YamlMap, sink: Sink): 'private' {
  const type = asText(service['ServiceType']);
  if (type === undefined) {
    sink.notes.push({ item: 'Service.ServiceType', code: ImportCode.DEFAULTED, reason: 'absent; imported as private (deployed into the consumer account)' });
  } else if (type !== 'private') {
    sink.diagnostics.push({
      severity: 'error',
      code: ImportDiagnosticCode.UNSUPPORTED_SERVICE_TYPE,
      message: `ServiceType ${type} is not supported: Imagenest services are private (deployed into the consumer account)`,
    });
  }
  return 'private';
}

/** Name, description, service type and visibility of the service, with what was adjusted. */
export function planServiceFields(service: YamlMap, options: ImportOptions, sink: Sink): ServiceFields {
  const chosen = chooseInfo(service, sink.skipped);
  const descriptionItem = chosen ? `${chosen.item}.ShortDescription` : 'Service.ServiceInfo';
  const name = nameOf(chosen, options, sink);
  return {
    name,
    description: fitDescription(chosen ? asText(chosen.info['ShortDescription']) : undefined, `Compute Nest service ${name}`, descriptionItem, sink.notes),
    serviceType: serviceTypeOf(service, sink),
    visibility: visibilityOf(service, sink.notes),
  };
}
