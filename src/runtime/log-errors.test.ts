import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { serializeError } from './log-errors.ts';

function logged(err: unknown): Record<string, unknown> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  pino({ serializers: { err: serializeError } }, sink).warn({ err }, 'lost');
  return JSON.parse(lines[0]!).err;
}

describe('serializeError', () => {
  it("drops the live connection pg attaches to an error, keeping the error's own facts", () => {
    const err = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
      severity: 'FATAL',
      client: { connectionParameters: { user: 'postgres' }, _types: { builtins: { BOOL: 16 } } },
    });
    const out = logged(err);
    expect(out).toMatchObject({ type: 'Error', message: 'terminating connection due to administrator command', code: '57P01', severity: 'FATAL' });
    expect(out.stack).toEqual(expect.stringContaining('Error: terminating connection'));
    expect(out).not.toHaveProperty('client');
  });

  it('passes what is not an Error through', () => {
    expect(logged('plain')).toBe('plain');
  });
});
