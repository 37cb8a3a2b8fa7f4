/**
 * Share reconciliation's effects: for one package with a pending request, every regional copy
 * the distribution account holds is shared with exactly the package's audience. The cloud is
 * read before each change, so a repeated or resumed run is harmless; a lease on the request row
 * keeps two workers from running one package at once (see share-reconciliations-repo.ts).
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { CloudError, type CloudProvider, type ImageRef } from '../cloud/provider.ts';
import { packageAudience } from '../domain/visibility/visibility.ts';
import { desiredShares, shareDiff, type ShareCall } from '../domain/visibility/share-diff.ts';
import type { Database } from '../store/schema.ts';
import { packageUses } from '../store/services-repo.ts';
import {
  claimShareRequest,
  dueShareRequests,
  failShareRun,
  finishShareRun,
  packageShareTargets,
  renewShareClaim,
  type ShareClaim,
} from '../store/share-reconciliations-repo.ts';
import { CLOUD_RETRY, type RetryPolicy } from './retry-policy.ts';
import { NO_SHARE_OBSERVER, type ShareObserver, type ShareRunResult } from './share-metrics.ts';
import { afterCallFailure, afterRunFailure, servicesUsing } from './share-plan.ts';

export interface ShareReconcilerOptions {
  db: Kysely<Database>;
  cloud: CloudProvider;
  /** The account that owns every regional copy. */
  distributionAccount: string;
  log: Logger;
  /** A run's lease on its package, renewed before every cloud call. */
  leaseMs?: number;
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  observer?: ShareObserver;
  /** Crash testing only (failpoints.ts). */
  failpoint?: (name: 'after-share-call') => void;
}

/** Runs of one package in a row when requests keep arriving during each; then the sweep's turn. */
const MAX_RUNS_PER_JOB = 5;

class LeaseLost extends Error {}

export class ShareReconciler {
  readonly #o: Required<ShareReconcilerOptions>;

  constructor(options: ShareReconcilerOptions) {
    this.#o = {
      leaseMs: 60_000,
      retry: CLOUD_RETRY,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      random: Math.random,
      observer: NO_SHARE_OBSERVER,
      failpoint: () => {},
      ...options,
    };
  }

  /** Packages whose request is due (new, retry time reached, or left by a dead worker). */
  due(): Promise<string[]> {
    return dueShareRequests(this.#o.db);
  }

  /** Runs the package's pending request (again while new requests arrive during a run); 'busy': not due, or held by another worker. */
  async reconcile(packageId: string): Promise<ShareRunResult | 'busy'> {
    let result: ShareRunResult | 'busy' = 'busy';
    for (let i = 0; i < MAX_RUNS_PER_JOB; i++) {
      const claim = await claimShareRequest(this.#o.db, packageId, this.#o.leaseMs);
      if (!claim) return result;
      result = await this.#run(claim);
      this.#o.observer.run(result);
      if (result !== 'again') return result;
    }
    return result;
  }

  async #run(claim: ShareClaim): Promise<ShareRunResult> {
    const o = this.#o;
    try {
      const targets = await packageShareTargets(o.db, claim.packageId);
      if (targets) {
        const uses = await packageUses(o.db, [claim.packageId]);
        const desired = desiredShares(packageAudience(targets.ownerId, servicesUsing(uses)));
        for (const img of targets.images) {
          const ref = { account: o.distributionAccount, regionId: img.region, imageId: img.imageId };
          const current = await this.#call(claim, () => o.cloud.describeImageSharePermission(ref));
          if (current === 'gone') continue;
          for (const call of shareDiff(current, desired, o.distributionAccount)) {
            if ((await this.#share(claim, ref, call)) === 'gone') break;
          }
        }
      }
      return await finishShareRun(o.db, claim);
    } catch (err) {
      if (err instanceof LeaseLost) return 'lost';
      const kind = err instanceof CloudError ? err.kind : null;
      const next = afterRunFailure(kind, claim.attempts + 1, o.retry, o.random());
      await failShareRun(o.db, claim, err instanceof CloudError ? `${err.code}: ${err.message}` : String(err), next.delayMs);
      o.log.warn({ err, packageId: claim.packageId, retryInMs: next.delayMs }, 'share reconciliation failed');
      return next.failed ? 'failed' : 'retry';
    }
  }

  async #share(claim: ShareClaim, ref: ImageRef, call: ShareCall): Promise<'ok' | 'gone'> {
    const req =
      call.kind === 'setPublic'
        ? { ...ref, addAccounts: [], removeAccounts: [], isPublic: call.isPublic }
        : { ...ref, addAccounts: call.kind === 'add' ? call.accounts : [], removeAccounts: call.kind === 'remove' ? call.accounts : [] };
    const r = await this.#call(claim, () => this.#o.cloud.modifyImageSharePermission(req), call.kind);
    this.#o.failpoint('after-share-call');
    return r === 'gone' ? 'gone' : 'ok';
  }

  /** One cloud call under the lease, retried per the policy; 'gone': the image no longer exists. */
  async #call<T>(claim: ShareClaim, fn: () => Promise<T>, kind?: ShareCall['kind']): Promise<T | 'gone'> {
    const o = this.#o;
    for (let attempt = 1; ; attempt++) {
      if (!(await renewShareClaim(o.db, claim, o.leaseMs))) throw new LeaseLost();
      try {
        const r = await fn();
        if (kind) o.observer.call(kind, 'ok');
        return r;
      } catch (err) {
        if (!(err instanceof CloudError)) throw err;
        if (kind) o.observer.call(kind, err.code);
        const next = afterCallFailure(err.kind, attempt, o.retry, o.random());
        if (next.type === 'skipImage') return 'gone';
        if (next.type === 'failRun') throw err;
        await o.sleep(next.delayMs);
      }
    }
  }
}
