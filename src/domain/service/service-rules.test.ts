import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BYTES } from '../../templates/model.ts';
import { ErrorCode, ImagenestError } from '../errors.ts';
import {
  checkService,
  mergeService,
  SERVICE_LIMITS,
  templateBytes,
  validateService,
  type ServiceInput,
  type ValidService,
} from './service-rules.ts';

const ROS = 'ROSTemplateFormatVersion: "2015-09-01"\nResources: {}\n';
const valid: ServiceInput = { name: 'web_shop', description: 'A web shop on ECS', deployType: 'ros', template: ROS };
const acc = (i: number) => `acc-${i.toString(16).padStart(20, '0')}`;

const fieldRules = (input: ServiceInput) => checkService(input).map((v) => `${v.field}:${v.rule}`);

function violationsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ImagenestError);
    expect((err as ImagenestError).code).toBe(ErrorCode.VALIDATION_FAILED);
    const details = (err as ImagenestError).details as { violations: { field: string; rule: string }[] };
    return details.violations.map((v) => `${v.field}:${v.rule}`);
  }
  throw new Error('expected a validation error');
}

describe('service create', () => {
  it('accepts a minimal ROS service and defaults type and visibility to private', () => {
    expect(validateService(valid)).toEqual({ ...valid, serviceType: 'private', visibility: 'private', accounts: [] });
  });

  it('lists every missing field at once', () => {
    expect(fieldRules({})).toEqual(['name:required', 'description:required', 'deployType:required', 'template:required']);
  });

  it('reuses the package name and description rules', () => {
    expect(fieldRules({ ...valid, name: 'ab', description: 'short' })).toEqual(['name:length', 'description:length']);
    expect(fieldRules({ ...valid, name: 'web-shop' })).toEqual(['name:charset']);
    expect(checkService({ ...valid, name: 'ab' })[0]!.message).toContain('service name');
  });

  it.each([
    ['deployType', 'helm'],
    ['serviceType', 'managed'],
    ['visibility', 'friends'],
  ])('rejects an unknown %s', (field, value) => {
    expect(fieldRules({ ...valid, [field]: value })).toEqual([`${field}:enum`]);
  });

  it('throws VALIDATION_FAILED with every violation', () => {
    expect(violationsOf(() => validateService({ ...valid, name: 'x', deployType: 'helm', template: ' ' }))).toEqual([
      'name:length',
      'deployType:enum',
      'template:empty',
    ]);
  });
});

describe('visibility and whitelist', () => {
  it('requires a non-empty whitelist iff visibility is whitelist', () => {
    expect(fieldRules({ ...valid, visibility: 'whitelist' })).toEqual(['accounts:minItems']);
    expect(fieldRules({ ...valid, visibility: 'whitelist', accounts: [] })).toEqual(['accounts:minItems']);
    expect(fieldRules({ ...valid, visibility: 'whitelist', accounts: [acc(1)] })).toEqual([]);
  });

  it.each(['private', 'public', undefined])('forbids accounts with visibility %s, but tolerates an empty list', (visibility) => {
    expect(fieldRules({ ...valid, visibility, accounts: [acc(1)] })).toEqual(['accounts:notAllowed']);
    expect(fieldRules({ ...valid, visibility, accounts: [] })).toEqual([]);
  });

  it('accepts 100 accounts and rejects 101', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => acc(i));
    expect(fieldRules({ ...valid, visibility: 'whitelist', accounts: many(SERVICE_LIMITS.whitelistAccounts) })).toEqual([]);
    expect(fieldRules({ ...valid, visibility: 'whitelist', accounts: many(101) })).toEqual(['accounts:maxItems']);
  });

  it('rejects malformed and duplicated account IDs, each at its index', () => {
    expect(fieldRules({ ...valid, visibility: 'whitelist', accounts: [acc(1), 'ACC-1', '1234567890', acc(1), 'acc-'] })).toEqual([
      'accounts[1]:format',
      'accounts[2]:format',
      'accounts[3]:unique',
      'accounts[4]:format',
    ]);
  });

  it('returns the whitelist sorted and unique', () => {
    expect(validateService({ ...valid, visibility: 'whitelist', accounts: [acc(2), acc(1)] }).accounts).toEqual([acc(1), acc(2)]);
  });
});

describe('template shape', () => {
  const tf = { files: { 'main.tf': 'resource "alicloud_instance" "a" {}\n', 'vars.tf.json': '{}' } };

  it('accepts a Terraform bundle and a single Terraform file', () => {
    expect(fieldRules({ ...valid, deployType: 'terraform', template: tf })).toEqual([]);
    expect(fieldRules({ ...valid, deployType: 'terraform', template: tf.files['main.tf'] })).toEqual([]);
  });

  it('refuses a bundle for a ROS service', () => {
    expect(fieldRules({ ...valid, template: tf })).toEqual(['template:bundle']);
  });

  it.each(['main.yaml', 'dir/main.tf', 'dir\\main.tf', '.tf.json/x.tf', 'main.tf.bak', 'a\nb.tf', 'evil\u202Efig.tf', `${'a'.repeat(253)}.tf`])(
    'rejects the bundle file name %j',
    (name) => {
      expect(fieldRules({ ...valid, deployType: 'terraform', template: { files: { [name]: 'x' } } })).toEqual([`template.files[${JSON.stringify(name)}]:fileName`]);
    },
  );

  it('rejects an empty bundle and a bundle of empty files', () => {
    expect(fieldRules({ ...valid, deployType: 'terraform', template: { files: {} } })).toEqual(['template.files:minItems']);
    expect(fieldRules({ ...valid, deployType: 'terraform', template: { files: { 'a.tf': '', 'b.tf': '\n' } } })).toEqual(['template.files:empty']);
  });

  it("holds the template engine's size limit, counting UTF-8 bytes over every file of a bundle", () => {
    expect(SERVICE_LIMITS.templateBytes).toBe(DEFAULT_MAX_BYTES);
    const half = 'x'.repeat(SERVICE_LIMITS.templateBytes / 2);
    expect(fieldRules({ ...valid, deployType: 'terraform', template: { files: { 'a.tf': half, 'b.tf': half } } })).toEqual([]);
    expect(fieldRules({ ...valid, deployType: 'terraform', template: { files: { 'a.tf': half, 'b.tf': `${half}x` } } })).toEqual(['template:maxBytes']);
    expect(templateBytes('é')).toBe(2);
  });
});

describe('service changes', () => {
  const current: ValidService = validateService({ ...valid, visibility: 'whitelist', accounts: [acc(1)] });

  it('keeps fields the changes leave out', () => {
    expect(mergeService(current, { description: 'A better web shop' })).toEqual({ ...current, description: 'A better web shop' });
  });

  it('never renames', () => {
    expect(violationsOf(() => mergeService(current, { name: 'other_shop' }))).toEqual(['name:immutable']);
    expect(mergeService(current, { name: current.name })).toEqual(current);
  });

  it('drops the whitelist when visibility leaves whitelist, and needs one when it enters', () => {
    expect(mergeService(current, { visibility: 'public' })).toMatchObject({ visibility: 'public', accounts: [] });
    const pub = mergeService(current, { visibility: 'public' });
    expect(violationsOf(() => mergeService(pub, { visibility: 'whitelist' }))).toEqual(['accounts:minItems']);
    expect(violationsOf(() => mergeService(current, { visibility: 'private', accounts: [acc(2)] }))).toEqual(['accounts:notAllowed']);
  });

  it('checks a deploy type change against the kept template', () => {
    const tfService = validateService({ ...valid, deployType: 'terraform', template: { files: { 'main.tf': 'x' } } });
    expect(violationsOf(() => mergeService(tfService, { deployType: 'ros' }))).toEqual(['template:bundle']);
  });
});
