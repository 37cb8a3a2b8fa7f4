/** The CLI's own failures, each an ImagenestError with its code; `exit-codes.ts` maps codes to exit statuses and output. */
import { ErrorCode, ImagenestError } from '../domain/errors.ts';

/** Wrong usage detected after parsing (exit 2). */
export class UsageError extends ImagenestError {
  constructor(message: string) {
    super(ErrorCode.USAGE, message);
  }
}

/** Some regions ended Failed (exit 1). */
export class DistributionFailed extends ImagenestError {
  constructor(readonly regions: string[]) {
    super(ErrorCode.DISTRIBUTION_FAILED, `distribution failed in ${regions.join(', ')}; see 'imagenest package status', then 'imagenest package retry'`, {
      details: { regions },
    });
  }
}

/** A deployment ended Failed (exit 1; with --json the printed instance carries its error). */
export class DeploymentFailed extends ImagenestError {
  constructor(instance: string, error: { code: string; message: string }) {
    super(ErrorCode.DEPLOYMENT_FAILED, `the deployment failed (${error.code}): ${error.message}`, { details: { instance, error } });
  }
}

/** `template check` found errors (exit 1; the report itself is the output). */
export class TemplateErrors extends ImagenestError {
  constructor() {
    super(ErrorCode.TEMPLATE_INVALID, 'the template has errors (reported above)');
  }
}
