/** Terraform image sites, HCL and JSON syntax: what counts as a literal, what each refusal reports, and where. */
import { describe, expect, it } from 'vitest';
import { analyze } from './engine.ts';

const hcl = (value: string, type = 'alicloud_instance', name = 'web') => `resource "${type}" "${name}" {\n  instance_type = "ecs.g7.large"\n  image_id      = ${value}\n}\n`;
const found = (file: string, text: string) => analyze(file, text).sites.map((s) => [s.resource, s.resourceType, s.property, s.value, s.line, s.column, text.slice(s.start, s.end), s.quote]);
const diags = (file: string, text: string) => analyze(file, text).diagnostics.map((d) => [d.severity, d.code, d.line, d.column, d.resource]);

describe('HCL image_id', () => {
  it('finds a string literal, with its range quotes included', () => {
    expect(found('main.tf', hcl('"app_image"'))).toEqual([['web', 'alicloud_instance', 'image_id', 'app_image', 3, 19, '"app_image"', 'double']]);
  });

  it.each([
    ['var.image', 'IMAGE_ID_NOT_LITERAL', 'variable'],
    ['local.image', 'IMAGE_ID_NOT_LITERAL', 'local value'],
    ['data.alicloud_images.x.images.0.id', 'IMAGE_ID_NOT_LITERAL', 'data source'],
    ['module.m.image', 'IMAGE_ID_NOT_LITERAL', 'module output'],
    ['each.value', 'IMAGE_ID_NOT_LITERAL', 'iteration'],
    ['count.index', 'IMAGE_ID_NOT_LITERAL', 'iteration'],
    ['alicloud_image.x.id', 'IMAGE_ID_NOT_LITERAL', 'another resource'],
    ['"${var.image}"', 'IMAGE_ID_NOT_LITERAL', 'interpolation'],
    ['<<EOT\nimg\nEOT', 'IMAGE_ID_NOT_LITERAL', 'heredoc'],
    ['var.a ? "x" : "y"', 'IMAGE_ID_NOT_LITERAL', 'conditional'],
    ['lookup(var.m, "k")', 'IMAGE_ID_NOT_LITERAL', 'lookup'],
    ['[for x in var.l : x][0]', 'IMAGE_ID_NOT_LITERAL', 'for'],
    ['"a" == "b"', 'IMAGE_ID_NOT_LITERAL', 'operation'],
    ['("img")', 'IMAGE_ID_NOT_LITERAL', 'img'],
    ['42', 'IMAGE_ID_INVALID', 'number'],
    ['true', 'IMAGE_ID_INVALID', 'boolean'],
    ['null', 'IMAGE_ID_INVALID', 'null'],
    ['["a"]', 'IMAGE_ID_INVALID', 'list or object'],
    ['""', 'IMAGE_ID_INVALID', 'empty'],
    ['"  "', 'IMAGE_ID_INVALID', 'empty'],
    ['"m-\\\\x"', 'IMAGE_ID_INVALID', 'escapes'],
  ])('%s → %s', (value, code, mention) => {
    const a = analyze('main.tf', hcl(value));
    expect(a.sites).toEqual([]);
    expect(a.diagnostics.map((d) => [d.severity, d.code, d.line, d.column, d.resource])).toEqual([['error', code, 3, 19, 'web']]);
    expect(a.diagnostics[0]!.message).toContain(mention);
    expect(a.diagnostics[0]!.message).toContain('alicloud_instance.web');
  });

  it('shortens a long expression in the message', () => {
    const long = `var.${'x'.repeat(80)}`;
    const m = analyze('main.tf', hcl(long)).diagnostics[0]!.message;
    expect(m).toContain(`\`${long.slice(0, 57)}...\``);
    expect(m).not.toContain(long.slice(0, 58));
    const sixty = `var.${'y'.repeat(56)}`;
    expect(analyze('main.tf', hcl(sixty)).diagnostics[0]!.message).toContain(`\`${sixty}\``);
  });

  it('refuses image_id set twice, at the second', () => {
    const text = 'resource "alicloud_instance" "web" {\n  image_id = "a"\n  image_id = "b"\n}\n';
    expect(diags('main.tf', text)).toEqual([['error', 'DUPLICATE_KEY', 3, 3, 'web']]);
  });

  it('warns of image_id given to a module, at the value, naming the module', () => {
    const text = 'module "app" {\n  source   = "./app"\n  image_id = "img"\n}\n';
    const a = analyze('main.tf', text);
    expect(a.sites).toEqual([]);
    expect(a.diagnostics.map((d) => [d.severity, d.code, d.line, d.column, d.resource])).toEqual([['warning', 'MODULE_IMAGE_ID', 3, 14, 'app']]);
    expect(a.diagnostics[0]!.message).toContain('"app"');
  });

  it('only looks at supported resource types with two labels', () => {
    const text = [
      hcl('"a"', 'alicloud_db_instance'),
      'data "alicloud_instance" "d" {\n  image_id = var.x\n}',
      'resource "alicloud_instance" {\n  image_id = var.x\n}',
      'locals {\n  image_id = var.x\n}',
      'image_id = var.x',
      hcl('"ok"', 'alicloud_ecs_launch_template', 'tpl'),
      'resource alicloud_ecs_instance_set "set" {\n  image_id = "ident"\n}',
    ].join('\n');
    expect(analyze('main.tf', text).diagnostics).toEqual([]);
    expect(analyze('main.tf', text).sites.map((s) => [s.resource, s.resourceType, s.value])).toEqual([
      ['tpl', 'alicloud_ecs_launch_template', 'ok'],
      ['set', 'alicloud_ecs_instance_set', 'ident'],
    ]);
  });

  it('covers every supported resource type', () => {
    for (const type of ['alicloud_instance', 'alicloud_ecs_instance_set', 'alicloud_ess_scaling_configuration', 'alicloud_ehpc_cluster', 'alicloud_ecs_launch_template']) {
      expect(analyze('main.tf', hcl('"img"', type)).sites.map((s) => s.resourceType)).toEqual([type]);
    }
  });

  it('reports a syntax error at its position, and what is missing or unexpected', () => {
    const a = analyze('main.tf', 'resource "alicloud_instance" "web" {\n  image_id = "x"\n  = 1\n}\n');
    expect(a.sites).toEqual([]);
    expect(a.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([['error', 'SYNTAX_ERROR', 2]]);
    expect(analyze('main.tf', 'resource "a" "b" {\n').diagnostics.map((d) => [d.code, d.message.length > 0])).toEqual([['SYNTAX_ERROR', true]]);
  });
});

describe('Terraform JSON image_id', () => {
  const json = (value: string, type = 'alicloud_instance') => `{"resource": {"${type}": {"web": {"image_id": ${value}}}}}`;

  it('finds a string literal, with its range quotes included', () => {
    expect(found('main.tf.json', json('"app"'))).toEqual([['web', 'alicloud_instance', 'image_id', 'app', 1, 57, '"app"', 'double']]);
  });

  it('reads the list-of-objects form, and keeps sites in text order', () => {
    const text = '{"resource": [{"alicloud_instance": [{"b": {"image_id": "two"}}, {"a": {"image_id": "one"}}]}]}';
    expect(analyze('main.tf.json', text).sites.map((s) => [s.resource, s.value])).toEqual([
      ['b', 'two'],
      ['a', 'one'],
    ]);
  });

  it.each([
    ['"${var.image}"', 'IMAGE_ID_NOT_LITERAL', ['interpolation', '${var.image}']],
    ['"img-${var.v}"', 'IMAGE_ID_NOT_LITERAL', ['string template']],
    ['"%{if true}a%{endif}"', 'IMAGE_ID_NOT_LITERAL', ['string template']],
    ['"${a}${b}"', 'IMAGE_ID_NOT_LITERAL', ['interpolation']],
    ['""', 'IMAGE_ID_INVALID', ['empty']],
    ['" "', 'IMAGE_ID_INVALID', ['empty']],
    ['42', 'IMAGE_ID_INVALID', ['not a string']],
    ['null', 'IMAGE_ID_INVALID', ['not a string']],
  ])('%s → %s', (value, code, mentions) => {
    const a = analyze('main.tf.json', json(value));
    expect(a.sites).toEqual([]);
    expect(a.diagnostics.map((d) => [d.severity, d.code, d.line, d.column, d.resource])).toEqual([['error', code, 1, 57, 'web']]);
    for (const m of mentions) expect(a.diagnostics[0]!.message).toContain(m);
    expect(a.diagnostics[0]!.message).toContain('alicloud_instance.web');
  });

  it('ignores other resource types and other sections', () => {
    expect(analyze('main.tf.json', json('"${var.x}"', 'alicloud_vpc')).diagnostics).toEqual([]);
    expect(analyze('main.tf.json', '{"data": {"alicloud_instance": {"web": {"image_id": "${x}"}}}}').diagnostics).toEqual([]);
  });

  it('warns of image_id given to a module, at the value', () => {
    const a = analyze('main.tf.json', '{"module": {"app": {"source": "./app", "image_id": "img"}}}');
    expect(a.diagnostics.map((d) => [d.severity, d.code, d.line, d.column, d.resource])).toEqual([['warning', 'MODULE_IMAGE_ID', 1, 52, 'app']]);
    expect(a.diagnostics[0]!.message).toContain('"app"');
    expect(a.sites).toEqual([]);
  });

  it('reports a syntax error and finds nothing', () => {
    const a = analyze('main.tf.json', '{"resource": {"alicloud_instance": {"web": {"image_id": "x"}}}');
    expect(a.sites).toEqual([]);
    expect(a.diagnostics.map((d) => [d.severity, d.code])).toContainEqual(['error', 'SYNTAX_ERROR']);
    expect(a.diagnostics[0]!.message).toMatch(/^JSON/);
  });

  it('counts positions after a BOM in the whole text', () => {
    const text = '\uFEFF' + json('"app"');
    const [s] = analyze('main.tf.json', text).sites;
    expect([text.slice(s!.start, s!.end), s!.column]).toEqual(['"app"', 58]);
  });
});
