/**
 * The distribution display on stderr: live bars on a terminal (cli-progress), plain lines
 * otherwise — one per phase whenever its state changes, so logs and scripts can read them.
 */
import cliProgress from 'cli-progress';
import { isFinalDelivery } from '../domain/version-state.ts';
import type { Io } from './output.ts';
import { timesText, type DistributionView, type PhaseView } from './progress-model.ts';

export interface ProgressDisplay {
  show(view: DistributionView): void;
  /** Leaves the terminal as it was found: cursor shown, line wrap on. Safe to call twice. */
  stop(): void;
}

function stateText(p: PhaseView): string {
  return p.errorCode ? `${p.state} ${p.errorCode}` : p.state;
}

/** Bars redrawn in place; the cursor is hidden and line wrap off until stop(). */
export function barDisplay(stream: NodeJS.WriteStream): ProgressDisplay {
  const bars = new cliProgress.MultiBar(
    {
      format: ' {label} |{bar}| {pct} {state}  {times}',
      stream,
      hideCursor: true,
      linewrap: false,
      clearOnComplete: false,
      // Ctrl-C is ours to handle (wait.ts): it stops the bars, then says what goes on.
      gracefulExit: false,
      barsize: 24,
    },
    cliProgress.Presets.shades_classic,
  );
  const rows = new Map<string, { bar: cliProgress.SingleBar; state: string; pct: number }>();
  let stopped = false;
  return {
    show(view) {
      if (stopped) return;
      const width = Math.max(7, ...view.phases.map((p) => p.label.length));
      const put = (key: string, label: string, pct: number, state: string, times: string) => {
        let row = rows.get(key);
        if (!row) {
          row = { bar: bars.create(100, 0), state, pct: 0 };
          rows.set(key, row);
        }
        // A bar does not run backwards while its state holds: a poll's correction shows in the ETA.
        const shown = row.state === state ? Math.max(row.pct, pct) : pct;
        row.state = state;
        row.pct = shown;
        row.bar.update(shown, { label: label.padEnd(width), pct: `${Math.floor(shown)}%`.padStart(4), state, times });
      };
      const o = view.overall;
      for (const p of view.phases) put(p.label, p.label, p.pct, stateText(p), timesText(p, isFinalDelivery(p.state)));
      put('\0overall', 'overall', o.pct, `${o.finalRegions}/${o.regions} regions final`, timesText(o, o.finalRegions === o.regions));
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bars.stop();
    },
  };
}

/** One line per phase each time its state changes. */
export function lineDisplay(io: Io): ProgressDisplay {
  const last = new Map<string, string>();
  return {
    show(view) {
      for (const p of view.phases) {
        if (last.get(p.label) === p.state) continue;
        last.set(p.label, p.state);
        const eta = p.etaMs === null ? '' : ` ${timesText({ elapsedMs: null, etaMs: p.etaMs }, false)}`;
        io.err(`${p.label}: ${p.state}${p.state === 'Copying' ? ` ${Math.floor(p.pct)}%` : ''}${eta}${p.error ? ` (${p.error})` : ''}`);
      }
    },
    stop() {},
  };
}
