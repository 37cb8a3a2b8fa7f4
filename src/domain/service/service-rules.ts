/**
 * Field rules of a service (issue 10, SPEC §7): name and description as a package's,
 * deploy type, service type, visibility with its whitelist, and the template's shape.
 * Pure checks that return every violation at once.
 */
import { validationError, type Violation } from '../errors.ts';
import { checkDescription, checkPackageName } from '../package-rules.ts';
import { hasBidiControl } from '../text-rules.ts';

export const DeployType = { ros: 'ros', terraform: 'terraform' } as const;
export type DeployType = (typeof DeployType)[keyof typeof DeployType];

/** Closed but extensible: `private` services are deployed into the consumer's own account. */
export const ServiceType = { private: 'private' } as const;
export type ServiceType = (typeof ServiceType)[keyof typeof ServiceType];

export const ServiceVisibility = { private: 'private', public: 'public', whitelist: 'whitelist' } as const;
export type ServiceVisibility = (typeof ServiceVisibility)[keyof typeof ServiceVisibility];

/** Several Terraform files deployed together, keyed by file name (no directories). */
export interface TemplateBundle {
  files: Record<string, string>;
}

/** One template file's text, or a Terraform bundle. */
export type ServiceTemplate = string | TemplateBundle;

export const SERVICE_LIMITS = {
  /** The template engine's own limit (templates/model.ts DEFAULT_MAX_BYTES); a bundle counts all its files. */
  templateBytes: 5 * 1024 * 1024,
  whitelistAccounts: 100,
  fileName: 255,
  accountId: 64,
} as const;

/** Account IDs as the app issues them: `acc-` and lowercase letters or digits. */
const ACCOUNT_ID = /^acc-[a-z0-9]+$/;
const TF_FILE_NAME = /^[^/\\]+\.tf(\.json)?$/;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** A service as a create request carries it: every field optional until checked. */
export interface ServiceInput {
  name?: string | undefined;
  description?: string | undefined;
  deployType?: string | undefined;
  serviceType?: string | undefined;
  visibility?: string | undefined;
  accounts?: readonly string[] | undefined;
  template?: ServiceTemplate | undefined;
}

/** A service that passed every rule. `serviceType` and `visibility` default to `private`. */
export interface ValidService {
  name: string;
  description: string;
  deployType: DeployType;
  serviceType: ServiceType;
  visibility: ServiceVisibility;
  /** Sorted, unique; empty unless visibility is `whitelist`. */
  accounts: string[];
  template: ServiceTemplate;
}

function required(field: string, what: string): Violation {
  return { field, rule: 'required', message: `${what} is required` };
}

function oneOf<T extends string>(field: string, value: string, allowed: Record<string, T>, what: string): Violation[] {
  if (Object.values(allowed).includes(value as T)) return [];
  const list = Object.values(allowed).map((v) => `'${v}'`).join(', ');
  return [{ field, rule: 'enum', message: `${what} must be one of ${list}; got ${JSON.stringify(value)}` }];
}

export function isTemplateBundle(t: ServiceTemplate): t is TemplateBundle {
  return typeof t !== 'string';
}

function utf8Bytes(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** Total UTF-8 size of a template, every file of a bundle counted. */
export function templateBytes(t: ServiceTemplate): number {
  if (!isTemplateBundle(t)) return utf8Bytes(t);
  return Object.values(t.files).reduce((sum, text) => sum + utf8Bytes(text), 0);
}

function checkBundleFileName(name: string, field: string): Violation[] {
  if (TF_FILE_NAME.test(name) && !CONTROL_CHARS.test(name) && !hasBidiControl(name) && name.length <= SERVICE_LIMITS.fileName) return [];
  return [
    {
      field,
      rule: 'fileName',
      message: `a bundle file name ends in '.tf' or '.tf.json', has no '/', '\\', control or bidi characters and at most ${SERVICE_LIMITS.fileName} characters; got ${JSON.stringify(name)}`,
    },
  ];
}

/** The template's shape (not its content: the template engine diagnoses that). */
export function checkTemplate(template: ServiceTemplate, deployType: DeployType | undefined, field = 'template'): Violation[] {
  const out: Violation[] = [];
  if (isTemplateBundle(template)) {
    const names = Object.keys(template.files);
    if (deployType === 'ros') {
      out.push({ field, rule: 'bundle', message: "a ROS template is one file; only a Terraform service may have a bundle of files" });
    }
    if (names.length === 0) out.push({ field: `${field}.files`, rule: 'minItems', message: 'a template bundle needs at least one file' });
    for (const name of names) out.push(...checkBundleFileName(name, `${field}.files[${JSON.stringify(name)}]`));
    if (names.length > 0 && Object.values(template.files).every((text) => text.trim() === '')) {
      out.push({ field: `${field}.files`, rule: 'empty', message: 'every file of the bundle is empty' });
    }
  } else if (template.trim() === '') {
    out.push({ field, rule: 'empty', message: 'the template is empty' });
  }
  const bytes = templateBytes(template);
  if (bytes > SERVICE_LIMITS.templateBytes) {
    out.push({ field, rule: 'maxBytes', message: `the template is ${bytes} bytes; the limit is ${SERVICE_LIMITS.templateBytes}` });
  }
  return out;
}

export function checkAccountId(id: string, field: string): Violation[] {
  if (ACCOUNT_ID.test(id) && id.length <= SERVICE_LIMITS.accountId) return [];
  return [{ field, rule: 'format', message: `an account ID looks like 'acc-' followed by lowercase letters and digits; got ${JSON.stringify(id)}` }];
}

/** The whitelist: required and non-empty iff visibility is `whitelist`, otherwise absent or empty. */
export function checkWhitelist(visibility: string | undefined, accounts: readonly string[] | undefined, field = 'accounts'): Violation[] {
  const list = accounts ?? [];
  if (visibility !== 'whitelist') {
    return list.length === 0
      ? []
      : [{ field, rule: 'notAllowed', message: `accounts are a whitelist's; this service's visibility is '${visibility ?? 'private'}'` }];
  }
  if (list.length === 0) return [{ field, rule: 'minItems', message: 'a whitelist service needs at least one account ID' }];
  const out: Violation[] = [];
  const max = SERVICE_LIMITS.whitelistAccounts;
  if (list.length > max) out.push({ field, rule: 'maxItems', message: `at most ${max} accounts per whitelist; got ${list.length}` });
  const seen = new Set<string>();
  list.forEach((id, i) => {
    out.push(...checkAccountId(id, `${field}[${i}]`));
    if (seen.has(id)) out.push({ field: `${field}[${i}]`, rule: 'unique', message: `account '${id}' appears more than once` });
    seen.add(id);
  });
  return out;
}

/** Every violation of a whole service (a create, or a current service merged with changes). */
export function checkService(input: ServiceInput): Violation[] {
  const out: Violation[] = [];
  if (input.name === undefined) out.push(required('name', 'service name'));
  // The package name rule, reused as is; only its wording names the other kind of thing.
  else out.push(...checkPackageName(input.name).map((v) => ({ ...v, message: v.message.replace('package name', 'service name') })));
  if (input.description === undefined) out.push(required('description', 'description'));
  else out.push(...checkDescription(input.description));
  if (input.deployType === undefined) out.push(required('deployType', 'deploy type'));
  else out.push(...oneOf('deployType', input.deployType, DeployType, 'deploy type'));
  if (input.serviceType !== undefined) out.push(...oneOf('serviceType', input.serviceType, ServiceType, 'service type'));
  if (input.visibility !== undefined) out.push(...oneOf('visibility', input.visibility, ServiceVisibility, 'visibility'));
  out.push(...checkWhitelist(input.visibility, input.accounts));
  if (input.template === undefined) out.push(required('template', 'template'));
  else {
    const deployType = Object.values(DeployType).find((d) => d === input.deployType);
    out.push(...checkTemplate(input.template, deployType));
  }
  return out;
}

/** Checks a new service; throws VALIDATION_FAILED listing every violation. */
export function validateService(input: ServiceInput): ValidService {
  const violations = checkService(input);
  if (violations.length > 0) throw validationError(violations);
  return checked(input);
}

/** The typed service from an input that passed checkService. */
function checked(input: ServiceInput): ValidService {
  return {
    name: input.name!,
    description: input.description!,
    deployType: input.deployType as DeployType,
    serviceType: (input.serviceType ?? 'private') as ServiceType,
    visibility: (input.visibility ?? 'private') as ServiceVisibility,
    accounts: [...new Set(input.accounts ?? [])].sort(),
    template: input.template!,
  };
}

/** Changes to a service: absent fields keep their value; the name never changes, as a package's. */
export type ServiceChanges = ServiceInput;

/**
 * The service after `changes`, checked as a whole (a visibility change must come with a
 * fitting whitelist). Leaving visibility `whitelist` drops the old whitelist unless new
 * accounts are given, so the result is never a whitelist without accounts or the reverse.
 */
export function mergeService(current: ValidService, changes: ServiceChanges): ValidService {
  const violations: Violation[] = [];
  if (changes.name !== undefined && changes.name !== current.name) {
    violations.push({ field: 'name', rule: 'immutable', message: 'a service name cannot be changed after creation' });
  }
  const visibility = changes.visibility ?? current.visibility;
  const accounts = changes.accounts ?? (visibility === 'whitelist' ? current.accounts : []);
  const merged: ServiceInput = {
    name: current.name,
    description: changes.description ?? current.description,
    deployType: changes.deployType ?? current.deployType,
    serviceType: changes.serviceType ?? current.serviceType,
    visibility,
    accounts,
    template: changes.template ?? current.template,
  };
  violations.push(...checkService(merged));
  if (violations.length > 0) throw validationError(violations);
  return checked(merged);
}
