/** Terraform HCL and JSON: image sites, diagnostics for every kind of expression, byte-exact resolve. */
import { describe, expect, it } from 'vitest';
import { analyze, resolve } from './engine.ts';

const tf = (value: string, type = 'alicloud_instance', extra = '') =>
  `provider "alicloud" {\n  region = "cn-hangzhou"\n}\n\nresource "${type}" "web" {\n${extra}  instance_type = "ecs.g7.large"\n  image_id      = ${value}\n}\n`;

describe('Terraform HCL', () => {
  it('finds a string literal on every supported resource type, with the value position', () => {
    for (const type of ['alicloud_instance', 'alicloud_ecs_instance_set', 'alicloud_ess_scaling_configuration', 'alicloud_ehpc_cluster', 'alicloud_ecs_launch_template']) {
      const a = analyze('main.tf', tf('"app_image"', type));
      expect(a.diagnostics).toEqual([]);
      expect(a.sites).toEqual([expect.objectContaining({ resource: 'web', resourceType: type, property: 'image_id', value: 'app_image', line: 7, column: 19 })]);
    }
    expect(analyze('main.tf', tf('var.image', 'alicloud_vpc')).diagnostics).toEqual([]);
  });

  it.each([
    ['var.image_id', 'variable'],
    ['local.image', 'local value'],
    ['data.alicloud_images.default.images[0].id', 'data source'],
    ['"${var.image}"', 'interpolation'],
    ['"prefix-${var.image}"', 'interpolation'],
    ['var.use_a ? "a" : "b"', 'conditional'],
    ['element(var.images, 0)', 'function call element()'],
    ['alicloud_image.custom.id', 'reference to another resource'],
  ])('refuses %s (%s) as not a literal, at the value', (value) => {
    const a = analyze('main.tf', tf(value));
    expect(a.sites).toEqual([]);
    expect(a.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'IMAGE_ID_NOT_LITERAL', resource: 'web', line: 7, column: 19 })]);
  });

  it('refuses a number or a list as invalid', () => {
    expect(analyze('main.tf', tf('42')).diagnostics.map((d) => d.code)).toEqual(['IMAGE_ID_INVALID']);
    expect(analyze('main.tf', tf('["a"]')).diagnostics.map((d) => d.code)).toEqual(['IMAGE_ID_INVALID']);
  });

  it('treats resources with count or for_each the same way', () => {
    expect(analyze('main.tf', tf('"img"', 'alicloud_instance', '  count = 3\n')).sites.map((s) => s.line)).toEqual([8]);
    expect(analyze('main.tf', tf('"img"', 'alicloud_instance', '  for_each = toset(["a", "b"])\n')).sites.map((s) => s.line)).toEqual([8]);
  });

  it('warns when image_id goes into a module', () => {
    const a = analyze('main.tf', 'module "ecs" {\n  source   = "./ecs"\n  image_id = "app_image"\n}\n');
    expect(a.sites).toEqual([]);
    expect(a.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'MODULE_IMAGE_ID', resource: 'ecs', line: 3, column: 14 })]);
  });

  it('keeps CRLF, a BOM and a CJK comment right before the value, byte for byte', () => {
    const src = '\uFEFF' + tf('"app_image" # 镜像，イメージ', 'alicloud_instance', '  # 指定镜像 😀\n').replace(/\n/g, '\r\n');
    const bytes = Buffer.from(src, 'utf8');
    const a = analyze('main.tf', bytes);
    expect(a.diagnostics).toEqual([]);
    expect(a.sites).toEqual([expect.objectContaining({ value: 'app_image', line: 8, column: 19 })]);
    const same = resolve(a, { app_image: 'app_image' });
    expect(same.ok && Buffer.from(same.text)).toEqual(bytes);
    const r = resolve(a, { app_image: 'm-tf1' });
    expect(r.ok && r.text).toBe(src.replace('"app_image"', '"m-tf1"'));
  });

  it('reports an HCL syntax error with its position instead of throwing', () => {
    const a = analyze('main.tf', 'resource "alicloud_instance" "web" {\n  image_id = \n');
    expect(a.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'SYNTAX_ERROR' })]);
    expect(resolve(a, { x: 'm-1' }).ok).toBe(false);
  });
});

describe('Terraform JSON (.tf.json)', () => {
  const doc = (value: string) => `{\n  "resource": {\n    "alicloud_instance": {\n      "web": {\n        "image_id": ${value}\n      }\n    }\n  }\n}\n`;

  it('finds a literal and resolves it', () => {
    const a = analyze('main.tf.json', doc('"app_image"'));
    expect(a.format).toBe('terraform-json');
    expect(a.sites).toEqual([expect.objectContaining({ resource: 'web', value: 'app_image', line: 5, column: 21 })]);
    const r = resolve(a, { app_image: 'm-j1' });
    expect(r.ok && JSON.parse(r.text).resource.alicloud_instance.web.image_id).toBe('m-j1');
  });

  it('keeps CRLF, a BOM and non-ASCII text byte for byte', () => {
    const src = '\uFEFF' + doc('"app_image"').replace('"resource"', '"//": "说明：镜像", "resource"').replace(/\n/g, '\r\n');
    const a = analyze('main.tf.json', Buffer.from(src));
    expect(a.sites).toEqual([expect.objectContaining({ value: 'app_image', line: 5, column: 21 })]);
    const r = resolve(a, { app_image: 'm-crlf' });
    expect(r.ok && r.text).toBe(src.replace('"app_image"', '"m-crlf"'));
  });

  it('refuses "${var.x}" and "prefix-${var.x}" as interpolation', () => {
    for (const v of ['"${var.image}"', '"prefix-${var.image}"']) {
      const a = analyze('main.tf.json', doc(v));
      expect(a.diagnostics).toEqual([expect.objectContaining({ code: 'IMAGE_ID_NOT_LITERAL', resource: 'web', line: 5, column: 21 })]);
    }
  });

  it('reads resources given as a list of objects, and warns about modules', () => {
    const a = analyze('main.tf.json', '{"resource": [{"alicloud_instance": {"a": {"image_id": "img"}}}], "module": {"m": {"image_id": "x"}}}');
    expect(a.sites.map((s) => s.value)).toEqual(['img']);
    expect(a.diagnostics.map((d) => d.code)).toEqual(['MODULE_IMAGE_ID']);
  });
});
