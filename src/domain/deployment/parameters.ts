/** Template parameters a deployment carries (`K=V`): the limits a consumer's request must keep. */
import type { Violation } from '../errors.ts';
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
