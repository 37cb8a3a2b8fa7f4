/** What analyze() decides before any parser runs: the format, the size limit, the encoding. */
import { describe, expect, it } from 'vitest';
import { analyze, detectFormat } from './engine.ts';

describe('detectFormat by file name', () => {
  it.each([
    ['main.tf.json', 'terraform-json'],
    ['MAIN.TF.JSON', 'terraform-json'],
    ['main.tf', 'terraform-hcl'],
    ['Main.TF', 'terraform-hcl'],
    ['template.json', 'ros-json'],
    ['template.yaml', 'ros-yaml'],
    ['template.YML', 'ros-yaml'],
  ])('%s → %s, whatever the content', (file, format) => {
    expect(detectFormat(file, 'resource "x" "y" {}')).toBe(format);
    expect(detectFormat(file, '')).toBe(format);
  });
});

describe('detectFormat by content, for a name without a known extension', () => {
  it.each([
    ['{"ROSTemplateFormatVersion": "2015-09-01"}', 'ros-json'],
    ['{"ROSTemplateFormatVersion": "2015-09-01", "resource": {}}', 'ros-json'],
    ['{"Resources": {}}', 'ros-json'],
    ['{"resource": {}}', 'terraform-json'],
    ['{"resource"  :\n {}}', 'terraform-json'],
    ['\uFEFF  \n{"resource": {}}', 'terraform-json'],
    ['\uFEFF{"Resources": {}}', 'ros-json'],
    ['ROSTemplateFormatVersion: 2015-09-01', 'ros-yaml'],
    ['# a comment\nROSTemplateFormatVersion  : x', 'ros-yaml'],
    ['\uFEFFROSTemplateFormatVersion: x', 'ros-yaml'],
    ['resource "a" "b" {}', 'terraform-hcl'],
    ['# c\n  variable "x" {}', 'terraform-hcl'],
    ['provider "alicloud" {}', 'terraform-hcl'],
    ['module "m" {}', 'terraform-hcl'],
    ['terraform {}', 'terraform-hcl'],
    ['locals {}', 'terraform-hcl'],
    ['data "x" "y" {}', 'terraform-hcl'],
    ['output "o" {}', 'terraform-hcl'],
    ['resource\t\t"a" "b" {}', 'terraform-hcl'],
    ['resource a {}', 'terraform-hcl'],
    ['resource "a"', 'terraform-hcl'],
  ])('%j → %s', (text, format) => {
    expect(detectFormat('template', text)).toBe(format);
  });

  it.each(['', 'hello world', 'resources "a" {}', 'myresource "a" {}', 'resource= 1', 'resource "a"'.replace('resource ', 'resource'), 'x: ROSTemplateFormatVersion', 'Resources:\n  A: {}', 'resource A {}'])(
    '%j → unknown',
    (text) => {
      expect(detectFormat('template', text)).toBeNull();
    },
  );
});

describe('analyze: size', () => {
  it('accepts exactly the limit and refuses one byte more, counting UTF-8 bytes of a string', () => {
    const text = 'ROSTemplateFormatVersion: x # é\n';
    const bytes = Buffer.byteLength(text, 'utf8');
    expect(bytes).toBe(text.length + 1);
    expect(analyze('t.yaml', text, { maxBytes: bytes }).diagnostics).toEqual([]);
    expect(analyze('t.yaml', text, { maxBytes: bytes - 1 }).diagnostics.map((d) => [d.severity, d.code, d.line, d.column])).toEqual([['error', 'TOO_LARGE', 1, 1]]);
    const big = analyze('t.yaml', text, { maxBytes: bytes - 1 });
    expect([big.format, big.text, big.sites]).toEqual([null, '', []]);
    expect(big.diagnostics[0]!.message).toContain(String(bytes));
    expect(big.diagnostics[0]!.message).toContain(String(bytes - 1));
  });

  it('counts the bytes of a byte input', () => {
    const input = new TextEncoder().encode('a: é\n');
    expect(analyze('t.yaml', input, { maxBytes: 6 }).diagnostics).toEqual([]);
    expect(analyze('t.yaml', input, { maxBytes: 5 }).diagnostics.map((d) => d.code)).toEqual(['TOO_LARGE']);
  });

  it('has a default limit of 5 MiB', () => {
    // Invalid bytes from the first: refused as soon as the size is accepted, without a parse.
    const atLimit = new Uint8Array(5 * 1024 * 1024).fill(0xff);
    expect(analyze('t.yaml', atLimit).diagnostics.map((d) => d.code)).toEqual(['INVALID_ENCODING']);
    expect(analyze('t.yaml', new Uint8Array(atLimit.length + 1).fill(0xff)).diagnostics.map((d) => d.code)).toEqual(['TOO_LARGE']);
  });
});

describe('analyze: encoding', () => {
  it('decodes UTF-8 bytes and keeps a BOM in the text', () => {
    const text = '\uFEFFa: "é"\n';
    const a = analyze('t.yaml', new TextEncoder().encode(text));
    expect([a.text, a.format, a.diagnostics]).toEqual([text, 'ros-yaml', []]);
  });

  it.each([
    [[0xff], 1, 1, 0],
    [[0x61, 0x62, 0xff], 1, 3, 2],
    [[0x61, 0x0a, 0x62, 0x63, 0xc3, 0x28], 2, 3, 4],
    [[0x0a, 0x0a, 0xc3, 0xa9, 0xe2, 0x82], 3, 2, 4],
  ])('reports invalid bytes %j at line %i, column %i (byte %i)', (bytes, line, column, offset) => {
    const a = analyze('t.yaml', Uint8Array.from(bytes));
    expect(a.diagnostics.map((d) => [d.severity, d.code, d.line, d.column])).toEqual([['error', 'INVALID_ENCODING', line, column]]);
    expect(a.diagnostics[0]!.message).toMatch(new RegExp(`\\b${offset}\\b`));
    expect([a.format, a.text, a.sites]).toEqual([null, '', []]);
  });

  it('finds the first bad byte deep in a long input', () => {
    const good = Buffer.from('a\n'.repeat(3000) + 'xyz');
    const a = analyze('t.yaml', Buffer.concat([good, Buffer.from([0xfe]), Buffer.from('a'.repeat(5000))]));
    expect(a.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['INVALID_ENCODING', 3001, 4]]);
    expect(a.diagnostics[0]!.message).toContain(String(good.length));
  });

  it('refuses NUL as binary, at its position, keeping the text', () => {
    const text = 'a: 1\nb: x\u0000y\n';
    const a = analyze('t.yaml', text);
    expect(a.diagnostics.map((d) => [d.severity, d.code, d.line, d.column])).toEqual([['error', 'INVALID_ENCODING', 2, 5]]);
    expect(a.diagnostics[0]!.message.length).toBeGreaterThan(0);
    expect([a.format, a.text]).toEqual([null, text]);
  });

  it('refuses an unknown format at line 1, keeping the text', () => {
    const a = analyze('notes.txt', 'hello');
    expect(a.diagnostics.map((d) => [d.severity, d.code, d.line, d.column])).toEqual([['error', 'UNKNOWN_FORMAT', 1, 1]]);
    expect([a.format, a.text, a.sites]).toEqual([null, 'hello', []]);
    expect(a.diagnostics[0]!.message.length).toBeGreaterThan(0);
  });
});
