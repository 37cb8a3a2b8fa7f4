/** Clocks for the simulator: scaled real time for servers, a discrete-event clock for tests. */
import type { Clock } from '../../domain/clock.ts';

/** Simulated time that runs `speed` times faster than real time from an anchor. */
export class ScaledClock implements Clock {
  constructor(
    readonly speed: number,
    private readonly anchor: { realMs: number; simMs: number } = { realMs: Date.now(), simMs: Date.now() },
    private readonly realNow: () => number = Date.now,
  ) {}

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return this.anchor.simMs + (this.realNow() - this.anchor.realMs) * this.speed;
  }

  /** Real milliseconds until a simulated delay has passed. */
  realDelayMs(simDelayMs: number): number {
    return Math.max(0, simDelayMs / this.speed);
  }
}

/** Time that moves only when told to: the discrete-event clock of tests and benchmarks. */
export class VirtualClock implements Clock {
  #ms: number;

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#ms = startMs;
  }

  now(): Date {
    return new Date(this.#ms);
  }

  nowMs(): number {
    return this.#ms;
  }

  advanceTo(ms: number): void {
    if (ms > this.#ms) this.#ms = ms;
  }

  advanceBy(ms: number): void {
    this.#ms += Math.max(0, ms);
  }

  realDelayMs(simDelayMs: number): number {
    return simDelayMs;
  }
}
