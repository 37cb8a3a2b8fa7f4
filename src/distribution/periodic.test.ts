import { afterEach, describe, expect, it, vi } from 'vitest';
import { runEvery } from './periodic.ts';

describe('runEvery', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits for a run in flight before stop() resolves', async () => {
    vi.useFakeTimers();
    let release!: () => void;
    const events: string[] = [];
    const periodic = runEvery(
      100,
      () => {
        events.push('run started');
        return new Promise<void>((resolve) => {
          release = () => {
            events.push('run finished');
            resolve();
          };
        });
      },
      () => {},
    );
    await vi.advanceTimersByTimeAsync(100);
    expect(events).toEqual(['run started']);
    const stopped = periodic.stop().then(() => events.push('stopped'));
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual(['run started']);
    release();
    await stopped;
    expect(events).toEqual(['run started', 'run finished', 'stopped']);
  });

  it('never overlaps itself and runs no more after stop()', async () => {
    vi.useFakeTimers();
    let running = 0;
    let most = 0;
    let runs = 0;
    const periodic = runEvery(
      10,
      async () => {
        runs += 1;
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 35));
        running -= 1;
      },
      () => {},
    );
    await vi.advanceTimersByTimeAsync(200);
    expect(most).toBe(1);
    expect(runs).toBeGreaterThan(2);
    const stopped = periodic.stop();
    // The run in flight sleeps on a fake timer: let it finish.
    await vi.advanceTimersByTimeAsync(35);
    await stopped;
    const after = runs;
    await vi.advanceTimersByTimeAsync(200);
    expect(runs).toBe(after);
  });

  it('hands a failed run to onError and keeps running', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let runs = 0;
    const periodic = runEvery(
      10,
      async () => {
        runs += 1;
        throw new Error(`run ${runs}`);
      },
      (err) => errors.push(err),
    );
    await vi.advanceTimersByTimeAsync(30);
    await periodic.stop();
    expect(runs).toBe(3);
    expect(errors.map((e) => (e as Error).message)).toEqual(['run 1', 'run 2', 'run 3']);
  });
});
