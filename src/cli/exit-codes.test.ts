import { describe, expect, it } from 'vitest';
import { ImagenestError } from '../domain/errors.ts';
import { ApiError } from './client.ts';
import { DistributionFailed, TemplateErrors, UsageError } from './errors.ts';
import { exitCodeFor } from './exit-codes.ts';
import { WaitInterrupted, WaitTimeout } from './wait.ts';

function run(err: unknown, json = true) {
  const out: string[] = [];
  const errs: string[] = [];
  const code = exitCodeFor(err, { out: (s: string) => out.push(s), err: (s: string) => errs.push(s) } as never, json);
  return { code, doc: out.length ? JSON.parse(out.join('')) : null, errs };
}

describe('the exit table', () => {
  it('gives every failure a code of the one union, exit 2 for usage and 1 for the rest', () => {
    expect(run(new UsageError('bad flag'))).toMatchObject({ code: 2, doc: { error: { code: 'USAGE', message: 'bad flag' } } });
    expect(run(new ApiError('NOT_FOUND', 'gone', null, 404))).toMatchObject({ code: 1, doc: { error: { code: 'NOT_FOUND' } } });
    expect(run(new WaitTimeout('still going'))).toMatchObject({ code: 1, doc: { error: { code: 'TIMEOUT' } } });
    expect(run(new WaitInterrupted('stopped following'))).toMatchObject({ code: 130, doc: { error: { code: 'INTERRUPTED' } } });
    expect(run(new DistributionFailed(['eu-central-1']), false)).toMatchObject({ code: 1, doc: null });
    expect(run(new DistributionFailed(['eu-central-1']), false).errs.join('\n')).toContain('DISTRIBUTION_FAILED');
    expect(run(new ImagenestError('CONFLICT', 'busy'))).toMatchObject({ code: 1, doc: { error: { code: 'CONFLICT' } } });
    expect(run(new Error('boom'))).toMatchObject({ code: 1, doc: { error: { code: 'INTERNAL' } } });
  });

  it('adds a hint for a refused source image, never one that says retry', () => {
    for (const code of ['SOURCE_IMAGE_NOT_FOUND', 'SOURCE_IMAGE_NOT_AVAILABLE'] as const) {
      const errs = run(new ApiError(code, 'refused', { violations: [{ field: 'version.content.imageId', rule: 'sourceImageExists', message: 'no such image' }] }, 422), false).errs;
      expect(errs.filter((l) => l.startsWith('hint: '))).toHaveLength(1);
      expect(errs.join('\n')).not.toMatch(/\bretry\b/);
    }
  });

  it('prints nothing more for a template report or a --json distribution result already printed', () => {
    expect(run(new TemplateErrors())).toEqual({ code: 1, doc: null, errs: [] });
    expect(run(new DistributionFailed(['eu-central-1']), true)).toEqual({ code: 1, doc: null, errs: [] });
  });
});
