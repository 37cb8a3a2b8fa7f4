/** The exit table (0 ok, 1 failed, 2 usage, 130 interrupted) and how a failure is printed, human or `--json`. */
import { CommanderError } from 'commander';
import { ErrorCode, ImagenestError } from '../domain/errors.ts';
import { DeploymentFailed, DistributionFailed, TemplateErrors } from './errors.ts';
import { hintFor } from './hints.ts';
import type { Io } from './output.ts';

/** 2 for wrong usage, 130 for Ctrl-C (as a shell reports a SIGINT), 1 for every other failure. */
function exitStatusOf(code: ErrorCode): number {
  if (code === ErrorCode.USAGE) return 2;
  if (code === ErrorCode.INTERRUPTED) return 130;
  return 1;
}

/** Prints what `err` says (one JSON document with `--json`) and returns the exit code. */
export function exitCodeFor(err: unknown, io: Io, wantsJson: boolean): number {
  const fail = (code: string, message: string, details: unknown, exit: number) => {
    if (wantsJson) io.out(JSON.stringify({ error: { code, message, details } }, null, 2));
    else {
      const violations = (details as { violations?: { field: string; message: string }[] } | null)?.violations;
      if (violations?.length) {
        io.err(`error: the request was rejected (${code}):`);
        for (const v of violations) io.err(`  - ${v.field}: ${v.message}`);
      } else {
        io.err(`error: ${message}${code ? ` (${code})` : ''}`);
      }
      const hint = hintFor(code);
      if (hint) io.err(`hint: ${hint}`);
    }
    return exit;
  };
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return 0;
    // commander already printed the usage error and help to stderr.
    if (wantsJson) io.out(JSON.stringify({ error: { code: 'USAGE', message: err.message, details: null } }, null, 2));
    return 2;
  }
  // The report is the output: nothing more to print.
  if (err instanceof TemplateErrors) return 1;
  // With --json the result document, printed already, carries the failed regions.
  if ((err instanceof DistributionFailed || err instanceof DeploymentFailed) && wantsJson) return 1;
  if (err instanceof ImagenestError) return fail(err.code, err.message, err.details, exitStatusOf(err.code));
  return fail(ErrorCode.INTERNAL, (err as Error).message ?? String(err), null, 1);
}
