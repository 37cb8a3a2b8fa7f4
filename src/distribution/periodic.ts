/**
 * A task run every `everyMs` (real time), never overlapping itself. `stop()` clears the timer
 * and waits for a run in flight, so a process can close its database after it without the run
 * failing on a destroyed pool (a SIGTERM'd worker used to log "driver has already been destroyed").
 */
export interface Periodic {
  stop(): Promise<void>;
}

export function runEvery(everyMs: number, task: () => Promise<unknown>, onError: (err: unknown) => void): Periodic {
  let inFlight: Promise<void> | undefined;
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped || inFlight) return;
    inFlight = task().then(
      () => undefined,
      (err: unknown) => onError(err),
    ).finally(() => {
      inFlight = undefined;
    });
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
}
