import { describe, expect, it } from 'vitest';
import { canOwnPackages, checkAccountName } from './account.ts';

describe('account name (1–64 characters, no surrounding spaces)', () => {
  it.each([
    ['', ['length']],
    ['a', []],
    ['a'.repeat(64), []],
    ['a'.repeat(65), ['length']],
    ['😀'.repeat(64), []],
    [' acme', ['length']],
    ['acme ', ['length']],
    ['ac me', []],
    ['evil\u202Egnp.exe', ['bidiControl']],
    ['\u2066acme\u2069', ['bidiControl']],
    ['a\u200Fb', ['bidiControl']],
    ['a\u061Cb', ['bidiControl']],
    ['עברית', []],
  ])('%j → %j', (name, expected) => {
    expect(checkAccountName(name).map((v) => v.rule)).toEqual(expected);
  });

  it('names the field it was given, "name" by default, and the length it counted', () => {
    expect(checkAccountName('').map((v) => v.field)).toEqual(['name']);
    const [v] = checkAccountName('x'.repeat(70), 'account.name');
    expect(v!.field).toBe('account.name');
    expect(v!.message).toContain('70');
  });
});

describe('who may own packages', () => {
  it.each([
    ['supplier', true],
    ['admin', true],
    ['consumer', false],
  ] as const)('%s → %s', (role, expected) => {
    expect(canOwnPackages(role)).toBe(expected);
  });
});
