/**
 * Follows a distribution until every region is final (`publish --wait`, `status --watch`):
 * polls the status, and on a terminal redraws between polls from the engine's estimate so no
 * bar stands still for minutes. Ctrl-C stops following, never the distribution.
 */
import { ErrorCode, ImagenestError } from '../domain/errors.ts';
import { isFinalDelivery } from '../domain/version-state.ts';
import type { VersionStatus } from '../contract/schemas.ts';
import type { ImagenestClient } from './client.ts';
import type { Io } from './output.ts';
import { barDisplay, lineDisplay, type ProgressDisplay } from './progress-display.ts';
import { distributionView, ServerClock } from './progress-model.ts';

/** A wait ran out (exit 1, code TIMEOUT); the distribution goes on in the server. */
export class WaitTimeout extends ImagenestError {
  constructor(message: string) {
    super(ErrorCode.TIMEOUT, message);
  }
}

/** Ctrl-C while following (exit 130, code INTERRUPTED); the distribution goes on in the server. */
export class WaitInterrupted extends ImagenestError {
  constructor(message: string) {
    super(ErrorCode.INTERRUPTED, message);
  }
}

export interface WaitOptions {
  timeoutMs: number;
  /** Between status requests. */
  intervalMs?: number;
  /** Between redraws on a terminal. */
  redrawMs?: number;
  /** Where bars go (stderr) when it is a terminal; lines otherwise. */
  terminal: NodeJS.WriteStream | null;
  io: Io;
  /** --json: no progress at all. */
  quiet: boolean;
  /** The command that re-attaches, for the messages on timeout and Ctrl-C. */
  followCommand: string;
  /** Where Ctrl-C comes from (the process, in real use). */
  signals?: NodeJS.EventEmitter;
}

function finished(s: VersionStatus): boolean {
  return s.state !== 'Delivering' && s.regions.every((r) => isFinalDelivery(r.state));
}

export async function waitForDistribution(client: ImagenestClient, ref: string, version: string, options: WaitOptions): Promise<VersionStatus> {
  const deadline = Date.now() + options.timeoutMs;
  const display: ProgressDisplay | null = options.quiet ? null : options.terminal ? barDisplay(options.terminal) : lineDisplay(options.io);
  const clock = new ServerClock();
  const signals = options.signals ?? process;
  const stopped = new AbortController();
  const onInterrupt = () => stopped.abort();
  signals.on('SIGINT', onInterrupt);
  let latest: VersionStatus | undefined;
  const redraw = () => latest && display?.show(distributionView(latest, clock.nowMs(Date.now())));
  const ticker = options.terminal && display ? setInterval(redraw, options.redrawMs ?? 200) : undefined;
  // Settles only on Ctrl-C (a pending promise keeps no process alive).
  const interrupted = new Promise<null>((resolve) => stopped.signal.addEventListener('abort', () => resolve(null), { once: true }));
  /** Sleeps, unless Ctrl-C comes first; true when it did. */
  const pause = async (delayMs: number) => {
    let timer: NodeJS.Timeout | undefined;
    const slept = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), delayMs)));
    const r = await Promise.race([slept, interrupted.then(() => true)]);
    clearTimeout(timer);
    return r;
  };
  try {
    for (;;) {
      const s = await Promise.race([client.status(ref, version), interrupted]);
      if (s === null) break;
      clock.observe(s.asOf, Date.now());
      latest = s;
      redraw();
      if (finished(s)) return s;
      if (Date.now() > deadline) {
        throw new WaitTimeout(`distribution of ${ref} version ${version} is not finished after ${Math.round(options.timeoutMs / 1000)} s; it goes on in the server: follow it with '${options.followCommand}'`);
      }
      if (await pause(options.intervalMs ?? 1000)) break;
    }
    throw new WaitInterrupted(`stopped following; the distribution of ${ref} version ${version} goes on in the server: follow it again with '${options.followCommand}'`);
  } finally {
    clearInterval(ticker);
    signals.off('SIGINT', onInterrupt);
    display?.stop();
  }
}
