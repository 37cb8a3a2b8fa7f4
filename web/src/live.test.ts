/** The console's reading of the server's event stream: events split at blank lines, a partial one kept for the next chunk. */
import { describe, expect, it } from 'vitest';
import { parseSse } from './live.ts';

describe('parseSse', () => {
  it('splits events, joins data lines, skips comments, and keeps an unfinished event', () => {
    const r = parseSse('event: ready\ndata: {"areas":[]}\n\n: keep-alive\n\nevent: change\r\ndata: {"areas":\r\ndata: ["packages"]}\r\n\r\nevent: cha');
    expect(r.events).toEqual([
      { event: 'ready', data: '{"areas":[]}' },
      { event: 'change', data: '{"areas":\n["packages"]}' },
    ]);
    expect(r.rest).toBe('event: cha');
  });

  it('finishes the kept part with the next chunk', () => {
    const first = parseSse('event: change\ndata: {"areas":["servi');
    expect(first.events).toEqual([]);
    expect(parseSse(`${first.rest}ces"]}\n\n`).events).toEqual([{ event: 'change', data: '{"areas":["services"]}' }]);
  });
});
