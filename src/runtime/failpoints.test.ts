import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { crashTestKnobs, parseFailpoints } from './config.ts';
import { failpointHook } from './failpoints.ts';

const silent = pino({ level: 'silent' });

/** Effects that record kills instead of dying, with a scripted sequence of chances. */
function recorder(chances: number[]) {
  const kills: number[] = [];
  let calls = 0;
  return {
    kills,
    effects: {
      chance: () => chances[calls++] ?? 1,
      kill: () => kills.push(calls),
    },
  };
}

describe('failpointHook', () => {
  it('kills when the chance falls under the point’s probability, and only then', () => {
    const r = recorder([0.5, 0.29, 0.3]);
    const hook = failpointHook({ 'after-copy-image': 0.3 }, r.effects, silent);
    hook('after-copy-image');
    hook('after-copy-image');
    hook('after-copy-image');
    expect(r.kills).toEqual([2]);
  });

  it('never fires at a point whose probability is zero or unset', () => {
    const r = recorder([0]);
    const hook = failpointHook({ 'after-copy-image': 0 }, r.effects, silent);
    hook('after-copy-image');
    hook('elsewhere');
    expect(r.kills).toEqual([]);
  });
});

describe('crash-test knobs from the environment', () => {
  it('parses failpoints, ignoring malformed entries', () => {
    expect(parseFailpoints(' after-copy-image=0.3,bad,x=y,other=1')).toEqual({ 'after-copy-image': 0.3, other: 1 });
    expect(parseFailpoints(undefined)).toEqual({});
  });

  it('reads the sweep and lease knobs as numbers, unset when absent', () => {
    expect(crashTestKnobs({ IMAGENEST_SWEEP_MS: '250', IMAGENEST_LEASE_SECONDS: '3' })).toEqual({ failpoints: {}, sweepEveryMs: 250, leaseSeconds: 3 });
    expect(crashTestKnobs({})).toEqual({ failpoints: {}, sweepEveryMs: undefined, leaseSeconds: undefined });
  });
});
