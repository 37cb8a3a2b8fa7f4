/** Prometheus metrics of share reconciliation: runs by result, share calls by kind and outcome. */
import { Counter, type Registry } from 'prom-client';

export type ShareRunResult = 'done' | 'again' | 'retry' | 'failed' | 'lost';

export interface ShareObserver {
  run(result: ShareRunResult): void;
  /** `outcome`: ok or the cloud error code. */
  call(kind: 'add' | 'remove' | 'setPublic', outcome: string): void;
}

export const NO_SHARE_OBSERVER: ShareObserver = { run() {}, call() {} };

export class ShareMetrics implements ShareObserver {
  readonly runs: Counter;
  readonly calls: Counter;

  constructor(registry: Registry) {
    this.runs = new Counter({ name: 'imagenest_share_reconciliations_total', help: 'Share reconciliation runs by result (done, again, retry, failed, lost)', labelNames: ['result'], registers: [registry] });
    this.calls = new Counter({ name: 'imagenest_share_calls_total', help: 'ModifyImageSharePermission calls by kind and outcome (ok or the cloud error code)', labelNames: ['kind', 'outcome'], registers: [registry] });
  }

  run(result: ShareRunResult): void {
    this.runs.inc({ result });
  }

  call(kind: 'add' | 'remove' | 'setPublic', outcome: string): void {
    this.calls.inc({ kind, outcome });
  }
}
