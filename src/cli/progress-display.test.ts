import { describe, expect, it } from 'vitest';
import { lineDisplay } from './progress-display.ts';
import type { DistributionView, PhaseView } from './progress-model.ts';

const phase = (p: Partial<PhaseView> & { label: string }): PhaseView => ({ state: 'Pending', pct: 0, estimated: false, elapsedMs: null, etaMs: null, error: null, errorCode: null, ...p });
const view = (phases: PhaseView[]): DistributionView => ({ phases, overall: { pct: 0, finalRegions: 0, regions: phases.length, elapsedMs: null, etaMs: null } });

describe('the line display (no terminal)', () => {
  it('prints one line per phase when its state changes, never a control sequence', () => {
    const lines: string[] = [];
    const d = lineDisplay({ out: () => {}, err: (t) => lines.push(t) });
    d.show(view([phase({ label: 'ingest cn-hangzhou', state: 'Copying', pct: 12.6, etaMs: 65_000 }), phase({ label: 'eu-central-1' })]));
    d.show(view([phase({ label: 'ingest cn-hangzhou', state: 'Copying', pct: 40 }), phase({ label: 'eu-central-1' })]));
    d.show(view([phase({ label: 'ingest cn-hangzhou', state: 'Available', pct: 100 }), phase({ label: 'eu-central-1', state: 'Failed', error: 'COPY_FAILED: CreateFailed', errorCode: 'COPY_FAILED' })]));
    d.stop();
    expect(lines).toEqual([
      'ingest cn-hangzhou: Copying 12% ETA 1m05s',
      'eu-central-1: Pending',
      'ingest cn-hangzhou: Available',
      'eu-central-1: Failed (COPY_FAILED: CreateFailed)',
    ]);
  });
});
