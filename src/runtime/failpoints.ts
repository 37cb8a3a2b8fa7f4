/**
 * Crash-test failpoints: at a named point of the engine, the process dies with the given
 * probability. The effects are injected (main picks `Math.random` and SIGKILL) so the
 * wiring stays deterministic under test.
 */
import type { Logger } from 'pino';

export interface FailpointEffects {
  /** A number in [0, 1), compared with the point's probability. */
  chance(): number;
  /** Ends the process without any cleanup, as a crash would. */
  kill(): void;
}

/** What the engine calls at each named point. */
export function failpointHook(probabilities: Record<string, number>, effects: FailpointEffects, log: Logger): (name: string) => void {
  return (name) => {
    const p = probabilities[name] ?? 0;
    if (p > 0 && effects.chance() < p) {
      log.warn({ failpoint: name }, 'failpoint: killing this process');
      effects.kill();
    }
  };
}
