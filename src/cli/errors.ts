/** The CLI's own failures; `exit-codes.ts` maps each to its exit code and output. */

/** Wrong usage detected after parsing (exit 2). */
export class UsageError extends Error {}

/** Some regions ended Failed (exit 1). */
export class DistributionFailed extends Error {
  constructor(readonly regions: string[]) {
    super(`distribution failed in ${regions.join(', ')}; see 'imagenest package status', then 'imagenest package retry'`);
  }
}

/** `template check` found errors (exit 1; the report itself is the output). */
export class TemplateErrors extends Error {}
