/** Which revision of a service a deployment uses, or why the service cannot be deployed. */
import { ErrorCode, ImagenestError } from '../errors.ts';
import { latestRevision, onlineRevision, type RevisionState } from '../service/review-state.ts';

/** `test`: the vendor deploys its own latest revision (SPEC §7 step 3); `consumer`: a service instance. */
export type DeploymentPurpose = 'test' | 'consumer';

/**
 * A consumer deploys the Online revision only; a test deploys the latest revision, whatever its
 * review state (the vendor tests before and after submitting). Visibility is the caller's check.
 */
export function deploymentRevision<R extends RevisionState>(serviceId: string, revisions: readonly R[], purpose: DeploymentPurpose): R {
  const chosen = purpose === 'consumer' ? onlineRevision(revisions) : latestRevision(revisions);
  if (chosen) return chosen;
  const why = purpose === 'consumer' ? 'it has no Online revision' : 'it has no revision';
  throw new ImagenestError(ErrorCode.SERVICE_NOT_DEPLOYABLE, `service ${serviceId} cannot be deployed: ${why}`, { context: { resource: serviceId } });
}
