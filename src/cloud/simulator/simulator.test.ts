/** The simulator's physics, and the CloudProvider contract (test/support/cloud-contract.ts) run on it directly. */
import { describe, expect, it } from 'vitest';
import { cloudProviderContract } from '../../../test/support/cloud-contract.ts';
import { pgliteBackend } from '../../../test/support/stores.ts';
import { VirtualClock } from './clocks.ts';
import { copyStatusAt, copyTiming, queuedStart } from './model.ts';
import { CloudSimulator } from './simulator.ts';
import { openSimDatabase } from './sim-migrations.ts';
import { findRegion } from '../../domain/regions.ts';

describe('simulator model', () => {
  it('makes 20 GiB inside China take minutes and 500 GiB across continents take hours', () => {
    const hz = findRegion('cn-hangzhou')!;
    const near = copyTiming(1, 'a', 20, hz, findRegion('cn-shanghai')!);
    const far = copyTiming(1, 'b', 500, hz, findRegion('eu-central-1')!);
    expect(near.durationMs / 60_000).toBeGreaterThan(2);
    expect(near.durationMs / 60_000).toBeLessThan(10);
    expect(far.durationMs / 3_600_000).toBeGreaterThan(3);
    expect(far.durationMs / 3_600_000).toBeLessThan(7);
  });

  it('queues a sixth copy until one of five running ends', () => {
    const running = [1, 2, 3, 4, 5].map((i) => ({ requestedAtMs: 0, startAtMs: 0, endAtMs: i * 1000 }));
    expect(queuedStart(running.slice(0, 4), 10)).toBe(10);
    expect(queuedStart(running, 10)).toBe(1000);
  });

  it('reports Waiting, Creating with whole percents, Available, or CreateFailed', () => {
    const c = { startAtMs: 100, finishAtMs: 1100, failAtMs: null };
    expect(copyStatusAt(c, 50)).toEqual({ status: 'Waiting', progressPct: 0 });
    expect(copyStatusAt(c, 675)).toEqual({ status: 'Creating', progressPct: 57 });
    expect(copyStatusAt(c, 1100)).toEqual({ status: 'Available', progressPct: 100 });
    expect(copyStatusAt({ ...c, failAtMs: 600 }, 700).status).toBe('CreateFailed');
  });
});

cloudProviderContract('simulator', async () => {
  const store = await pgliteBackend.open();
  const clock = new VirtualClock();
  const sim = new CloudSimulator(await openSimDatabase(store.db), clock, 3);
  return { cloud: sim, sim, clock, close: () => store.close() };
});
