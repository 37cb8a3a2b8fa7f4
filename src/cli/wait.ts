/** Follows a distribution until every region is final: progress bars on a TTY, plain lines otherwise. */
import { ErrorCode, ImagenestError } from '../domain/errors.ts';
import cliProgress from 'cli-progress';
import type { VersionStatus } from '../contract/schemas.ts';
import type { ImagenestClient } from './client.ts';
import type { Io } from './output.ts';

const FINAL = new Set(['Available', 'Failed', 'Cancelled']);

/** A wait ran out (exit 1, code TIMEOUT); the distribution goes on in the server. */
export class WaitTimeout extends ImagenestError {
  constructor(message: string) {
    super(ErrorCode.TIMEOUT, message);
  }
}

export async function waitForDistribution(
  client: ImagenestClient,
  ref: string,
  version: string,
  options: { timeoutMs: number; intervalMs?: number; tty: boolean; io: Io; quiet: boolean },
): Promise<VersionStatus> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 1000;
  const bars = options.tty && !options.quiet
    ? new cliProgress.MultiBar(
        { format: ' {region} |{bar}| {percentage}% {state}', stream: process.stderr, hideCursor: true, clearOnComplete: false },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const byRegion = new Map<string, cliProgress.SingleBar>();
  const lastState = new Map<string, string>();
  try {
    for (;;) {
      const s = await client.status(ref, version);
      const width = Math.max(...s.regions.map((r) => r.region.length));
      for (const r of s.regions) {
        if (bars) {
          let bar = byRegion.get(r.region);
          if (!bar) {
            bar = bars.create(100, 0, { region: r.region.padEnd(width), state: r.state });
            byRegion.set(r.region, bar);
          }
          bar.update(r.progress, { state: r.error ? `${r.state} ${r.error.code}` : r.state });
        } else if (!options.quiet && lastState.get(r.region) !== `${r.state}:${r.progress}` && (r.state !== lastState.get(r.region)?.split(':')[0] || FINAL.has(r.state))) {
          options.io.err(`${r.region}: ${r.state}${r.state === 'Copying' ? ` ${r.progress}%` : ''}${r.error ? ` (${r.error.code}: ${r.error.message})` : ''}`);
        }
        lastState.set(r.region, `${r.state}:${r.progress}`);
      }
      if (s.regions.length > 0 && s.regions.every((r) => FINAL.has(r.state)) && s.state !== 'Delivering') return s;
      if (Date.now() > deadline) throw new WaitTimeout(`distribution of ${ref} version ${version} is not finished after ${Math.round(options.timeoutMs / 1000)} s (it goes on; follow it with 'imagenest package status')`);
      await new Promise((r) => setTimeout(r, interval));
    }
  } finally {
    bars?.stop();
  }
}
