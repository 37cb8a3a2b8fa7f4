import { describe, expect, it } from 'vitest';
import { checkParameters, undeclaredParameters, PARAMETER_LIMITS } from './parameters.ts';

const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));

describe('checkParameters', () => {
  it('accepts up to the limits: 100 parameters, 128-character names, 4096-character values', () => {
    expect(checkParameters(many(PARAMETER_LIMITS.maxCount))).toEqual([]);
    expect(checkParameters({ ['n'.repeat(128)]: 'v'.repeat(4096), a: '' })).toEqual([]);
  });

  it('refuses a 101st parameter, naming the count', () => {
    expect(checkParameters(many(101))).toEqual([{ field: 'parameters', rule: 'maxCount', message: 'at most 100 parameters; got 101' }]);
  });

  it('refuses an empty or 129-character name, and a 4097-character value, at the parameter’s own field', () => {
    const long = 'n'.repeat(129);
    expect(checkParameters({ '': 'v', [long]: 'v', ok: 'v'.repeat(4097) }, 'body.parameters')).toEqual([
      { field: 'body.parameters.', rule: 'keyLength', message: 'a parameter name is 1–128 characters; got 0' },
      { field: `body.parameters.${long}`, rule: 'keyLength', message: 'a parameter name is 1–128 characters; got 129' },
      { field: 'body.parameters.ok', rule: 'valueLength', message: 'a parameter value is a string of at most 4096 characters' },
    ]);
  });

  it('counts characters, not UTF-16 units, and refuses a value that is not a string', () => {
    expect(checkParameters({ ['😀'.repeat(128)]: '😀'.repeat(4096) })).toEqual([]);
    expect(checkParameters({ n: 5 as unknown as string }).map((v) => v.rule)).toEqual(['valueLength']);
  });
});

describe('undeclaredParameters', () => {
  it('passes the declared ones, and names each other one with the declared list and a near miss', () => {
    expect(undeclaredParameters({ Size: 'a', Zone: 'b' }, ['Zone', 'Size'])).toEqual([]);
    expect(undeclaredParameters({ Szie: 'a', instancetype: 'b', Foo: 'c' }, ['Size', 'InstanceType'])).toEqual([
      { field: 'parameters.Szie', rule: 'declared', message: "'Szie' is not a parameter of the template; did you mean 'Size'? (the template declares InstanceType, Size)", allowed: ['InstanceType', 'Size'], didYouMean: 'Size' },
      { field: 'parameters.instancetype', rule: 'declared', message: "'instancetype' is not a parameter of the template; did you mean 'InstanceType'? (the template declares InstanceType, Size)", allowed: ['InstanceType', 'Size'], didYouMean: 'InstanceType' },
      { field: 'parameters.Foo', rule: 'declared', message: "'Foo' is not a parameter of the template (the template declares InstanceType, Size)", allowed: ['InstanceType', 'Size'] },
    ]);
  });

  it('says so when the template declares none, and counts instead of listing a long declaration', () => {
    expect(undeclaredParameters({ Size: 'a' }, [])).toEqual([{ field: 'parameters.Size', rule: 'declared', message: "'Size' is not a parameter of the template (the template declares no parameters)" }]);
    const declared = Array.from({ length: 21 }, (_, i) => `P${String(i).padStart(2, '0')}`);
    expect(undeclaredParameters({ Zzzzz: 'a' }, declared)).toEqual([{ field: 'parameters.Zzzzz', rule: 'declared', message: "'Zzzzz' is not a parameter of the template (the template declares 21 parameters)" }]);
  });
});
