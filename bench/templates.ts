/**
 * Template benchmark (`npm run bench:templates -- --json`): for every corpus file, the time of
 * `check` (analysis), of a first `resolve` (analysis + splice) and the rate of repeated
 * resolves on a cached analysis, against a plain parse of the same text measured in the same
 * run: `yaml.parse` for ROS, a bare tree-sitter parse for Terraform.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Bench } from 'tinybench';
import { parse as yamlParse } from 'yaml';
import { analyze, resolve } from '../src/templates/engine.ts';
import { terraformParser } from '../src/templates/terraform-parser.ts';

const CORPUS = path.resolve(import.meta.dirname, '../../shared/corpus'); // shared/ beside the checkout
const PALO = 'aliyun-computenest__quickstart-palo-world__.computenest__ros_templates__template1.yaml';

const files = ['ros', 'terraform'].flatMap((d) => readdirSync(path.join(CORPUS, d)).map((f) => ({ file: f, text: readFileSync(path.join(CORPUS, d, f), 'utf8') })));
const parser = terraformParser();

const rows = [];
for (const { file, text } of files) {
  const analysis = analyze(file, text);
  const mapping = Object.fromEntries(analysis.sites.map((s) => [s.value, 'm-test123']));
  const isTf = analysis.format?.startsWith('terraform');
  const bench = new Bench({ time: 400, warmupTime: 100 });
  bench
    .add('baseline', () => {
      if (isTf) parser.parse(text)!.delete();
      else yamlParse(text, { uniqueKeys: false, logLevel: 'silent' });
    })
    .add('check', () => {
      analyze(file, text);
    })
    .add('firstResolve', () => {
      resolve(analyze(file, text), mapping);
    })
    .add('repeatedResolve', () => {
      resolve(analysis, mapping);
    });
  await bench.run();
  const stats = (name: string) => {
    const res = bench.tasks.find((t) => t.name === name)!.result;
    if (!res || !('latency' in res)) throw new Error(`benchmark task ${name} did not complete`);
    return res;
  };
  const mean = (name: string) => stats(name).latency.mean;
  const hz = (name: string) => stats(name).throughput.mean;
  const r = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
  rows.push({
    file,
    format: analysis.format,
    lines: text.split('\n').length,
    placeholders: analysis.sites.length,
    baseline: isTf ? 'tree-sitter parse' : 'yaml.parse',
    baseline_ms: r(mean('baseline')),
    check_ms: r(mean('check')),
    check_to_baseline: r(mean('check') / mean('baseline'), 2),
    first_resolve_ms: r(mean('firstResolve')),
    repeated_resolve_per_s: Math.round(hz('repeatedResolve')),
  });
}
const palo = rows.find((x) => x.file === PALO)!;
const result = {
  benchmark: 'templates',
  files: rows,
  targets: { check_to_baseline_max: 2, palo_world_repeated_resolve_per_s_min: 20_000 },
  worst_check_to_baseline: Math.max(...rows.map((x) => x.check_to_baseline)),
  palo_world_repeated_resolve_per_s: palo.repeated_resolve_per_s,
  meets_targets: rows.every((x) => x.check_to_baseline <= 2) && palo.repeated_resolve_per_s >= 20_000,
};
process.stdout.write(`${JSON.stringify(result, null, process.argv.includes('--json') ? 2 : 0)}\n`);
