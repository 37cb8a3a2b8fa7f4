import { describe, expect, it } from 'vitest';
import { ErrorCode, ImagenestError, notFound, validationError, VIOLATION_REPORT_LIMITS } from './errors.ts';

describe('ImagenestError', () => {
  it('defaults to no details, no context, not retryable and no cause', () => {
    const e = new ImagenestError(ErrorCode.CONFLICT, 'a conflict');
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.code, e.message, e.details, e.context, e.retryable]).toEqual(['ImagenestError', 'CONFLICT', 'a conflict', null, {}, false]);
    expect('cause' in e).toBe(false);
  });

  it('keeps the details, context, retryability and cause it is given', () => {
    const cause = new Error('underneath');
    const e = new ImagenestError(ErrorCode.INTERNAL, 'broken', { details: { n: 1 }, context: { region: 'cn-beijing' }, retryable: true, cause });
    expect([e.details, e.context, e.retryable, e.cause]).toEqual([{ n: 1 }, { region: 'cn-beijing' }, true, cause]);
  });
});

describe('validationError', () => {
  it('carries every violation and names each field in the message', () => {
    const violations = [
      { field: 'name', rule: 'length', message: 'too short' },
      { field: 'tags[0].key', rule: 'unique', message: 'repeated' },
    ];
    const e = validationError(violations);
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.details).toEqual({ violations });
    for (const v of violations) expect(e.message).toContain(`${v.field}: ${v.message}`);
  });
});

describe('validationError on a flood of violations', () => {
  it('answers at most the reporting limits, clips echoed input, and counts what it left out', () => {
    const { violations: max, inMessage, fieldChars, messageChars } = VIOLATION_REPORT_LIMITS;
    const flood = Array.from({ length: 90_000 }, (_, i) => ({ field: `regions[${i}]`, rule: 'knownRegion', message: `region 'r${i}' is not known` }));
    const e = validationError(flood);
    const details = e.details as { violations: { field: string; message: string }[]; omittedViolations: number };
    expect(details.violations).toHaveLength(max);
    expect(details.omittedViolations).toBe(90_000 - max);
    expect(e.message.split('; ')).toHaveLength(inMessage + 1);
    expect(e.message).toContain(String(90_000 - inMessage));
    const [long] = (validationError([{ field: 'f'.repeat(10_000), rule: 'x', message: 'm'.repeat(10_000) }]).details as typeof details).violations;
    expect(long!.field.length).toBeLessThanOrEqual(fieldChars);
    expect(long!.message.length).toBeLessThanOrEqual(messageChars);
  });
});

describe('notFound', () => {
  it('is NOT_FOUND with the resource in its context and message', () => {
    const e = notFound('package', 'pkg-42');
    expect([e.code, e.context]).toEqual(['NOT_FOUND', { resource: 'pkg-42' }]);
    expect(e.message).toContain('package');
    expect(e.message).toContain('pkg-42');
  });
});
