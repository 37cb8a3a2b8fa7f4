/**
 * CLI start-up benchmark (`npm run bench:cli -- --json`): wall time (median of RUNS runs) and
 * peak resident memory of `imagenest --version`, `--help`, `template check` of the palo-world
 * template (when the team's corpus is beside the checkout) and `package list` against a local
 * server, for the compiled CLI users run (`bin/imagenest.js` → dist/) and, measured side by side
 * in the same run, for the TypeScript sources through tsx (what `bin/` did before dist/ existed),
 * beside bare Node.js starting and exiting (`nodeBaseline`), the floor of any Node.js CLI here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runCli, startServerProcess } from '../test/support/server-process.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const JSON_OUT = process.argv.includes('--json');
const PALO = path.resolve(ROOT, '../shared/corpus/ros/aliyun-computenest__quickstart-palo-world__.computenest__ros_templates__template1.yaml');
const RSS_HOOK = path.join(ROOT, 'test/support/report-max-rss.mjs');

execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });

const entries = {
  compiled: [path.join(ROOT, 'bin/imagenest.js')],
  source: ['--import', 'tsx', path.join(ROOT, 'src/runtime/main.ts')],
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/**
 * Runs one command RUNS times: its wall time, and the CPU time (user + system) the process
 * reports of itself on exit. On an idle machine the two are close; on a loaded one the wall time
 * includes waiting for a core, and the CPU time is what the command itself costs. Then once more
 * with the peak-RSS hook alone loaded.
 */
function measure(entry: string[], args: string[], env: NodeJS.ProcessEnv) {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--import', RSS_HOOK, ...entry, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`imagenest ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    cpu.push(Number(/CPU_US=(\d+)/.exec(r.stderr)?.[1]) / 1000);
  }
  const r = spawnSync(process.execPath, ['--import', RSS_HOOK, ...entry, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const maxRssKb = Number(/MAX_RSS_KB=(\d+)/.exec(r.stderr)?.[1]);
  return {
    medianMs: Math.round(median(times)),
    minMs: Math.round(Math.min(...times)),
    maxMs: Math.round(Math.max(...times)),
    medianCpuMs: Math.round(median(cpu)),
    peakRssMiB: Math.round(maxRssKb / 1024),
  };
}

const server = await startServerProcess();
try {
  const supplier = (await runCli(['--url', server.url, '--token', server.adminToken, 'account', 'create', '--name', 'bench', '--role', 'supplier', '--json'])).json;
  const env = { IMAGENEST_URL: server.url, IMAGENEST_TOKEN: supplier.token };
  const commands: Record<string, string[] | null> = {
    version: ['--version'],
    help: ['--help'],
    templateCheckPaloWorld: existsSync(PALO) ? ['template', 'check', PALO] : null,
    packageList: ['package', 'list'],
  };
  // Bare Node.js (`node -e 0`) in the same run: what any CLI on this machine and load pays to start.
  const results: Record<string, unknown> = { nodeBaseline: measure([], ['-e', '0'], env) };
  for (const [name, args] of Object.entries(commands)) {
    if (!args) {
      results[name] = { skipped: `the corpus is not at ${PALO}` };
      continue;
    }
    const compiled = measure(entries.compiled, args, env);
    const source = measure(entries.source, args, env);
    results[name] = { compiled, source, sourceOverCompiled: Number((source.medianMs / compiled.medianMs).toFixed(2)) };
  }
  const out = { runs: RUNS, node: process.version, loadAverage: (await import('node:os')).loadavg().map((l) => Number(l.toFixed(2))), results };
  if (JSON_OUT) process.stdout.write(`${JSON.stringify(out)}\n`);
  else console.log(JSON.stringify(out, null, 2));
} finally {
  await server.stop();
}
