/** Template parameters a deployment carries (`K=V`): the limits a consumer's request must keep. */
import type { Violation } from '../errors.ts';
import { closest } from '../edit-distance.ts';
import { charLength } from '../package-rules.ts';

export const PARAMETER_LIMITS = { maxCount: 100, keyMaxChars: 128, valueMaxChars: 4096 } as const;

export function checkParameters(parameters: Readonly<Record<string, string>>, field = 'parameters'): Violation[] {
  const out: Violation[] = [];
  const keys = Object.keys(parameters);
  if (keys.length > PARAMETER_LIMITS.maxCount) {
    out.push({ field, rule: 'maxCount', message: `at most ${PARAMETER_LIMITS.maxCount} parameters; got ${keys.length}` });
  }
  for (const k of keys) {
    const n = charLength(k);
    if (n < 1 || n > PARAMETER_LIMITS.keyMaxChars) {
      out.push({ field: `${field}.${k}`, rule: 'keyLength', message: `a parameter name is 1–${PARAMETER_LIMITS.keyMaxChars} characters; got ${n}` });
    }
    const v = parameters[k]!;
    if (typeof v !== 'string' || charLength(v) > PARAMETER_LIMITS.valueMaxChars) {
      out.push({ field: `${field}.${k}`, rule: 'valueLength', message: `a parameter value is a string of at most ${PARAMETER_LIMITS.valueMaxChars} characters` });
    }
  }
  return out;
}

/**
 * The parameters a deployment sets that its template does not declare (`declared`: the ROS
 * `Parameters` or Terraform `variable`s of every file). ROS and Terraform refuse such a stack or
 * run; here the consumer learns it before anything is created, with the name likely meant.
 */
export function undeclaredParameters(parameters: Readonly<Record<string, string>>, declared: readonly string[], field = 'parameters'): Violation[] {
  const known = new Set(declared);
  const listed = [...known].sort();
  /** The declared names, when they are few enough to list (in the message and as `allowed`). */
  const shown = listed.length > 0 && listed.length <= 20 ? listed : null;
  return Object.keys(parameters)
    .filter((k) => !known.has(k))
    .map((k) => {
      const meant = closest(k, listed, 2) ?? listed.find((d) => d.toLowerCase() === k.toLowerCase());
      const declares = shown ? `the template declares ${shown.join(', ')}` : listed.length === 0 ? 'the template declares no parameters' : `the template declares ${listed.length} parameters`;
      return {
        field: `${field}.${k}`,
        rule: 'declared',
        message: `'${k}' is not a parameter of the template${meant ? `; did you mean '${meant}'?` : ''} (${declares})`,
        ...(shown ? { allowed: shown } : {}),
        ...(meant ? { didYouMean: meant } : {}),
      };
    });
}
