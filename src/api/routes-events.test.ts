/** The console's event stream in memory, on both databases: one change event per change of the caller's own, none for another account's. */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppDeps } from '../app/deps.ts';
import { createPackage } from '../app/packages.ts';
import { createService } from '../app/services.ts';
import type { Store } from '../store/database.ts';
import { backends } from '../../test/support/stores.ts';
import { depsFor, makeAccount, packageInput, rosTemplate } from '../../test/support/fixtures.ts';
import { createApi } from './app.ts';

describe.each(backends)('GET /v1/events/stream on $name', (backend) => {
  let store: Store;
  let deps: AppDeps;
  let api: ReturnType<typeof createApi>;
  /** Tick by hand: each wait of the stream is a promise the test resolves, and the test knows when the stream waits again. */
  const waiting: (() => void)[] = [];
  let waited: (() => void) | undefined;
  const nextTick = () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      waited?.();
    });
  /** Lets the stream look once, and resolves when it has (it waits for its next tick). */
  function tick(): Promise<void> {
    const looked = new Promise<void>((r) => (waited = r));
    waiting.shift()!();
    return looked;
  }

  beforeAll(async () => {
    if (backend.skipReason !== null) return;
    store = await backend.open();
    deps = depsFor(store);
    api = createApi(deps, { logger: pino({ level: 'silent' }), liveEvents: { nextTick } });
  });
  afterAll(async () => store?.close());

  async function open(token: string) {
    const res = await api.request('/v1/events/stream', { headers: { authorization: `Bearer ${token}` } });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const firstWait = new Promise<void>((r) => (waited = r));
    let text = '';
    const next = async () => {
      while (!text.includes('\n\n')) text += (await reader.read()).value ?? '';
      const [event, ...rest] = text.split('\n\n');
      text = rest.join('\n\n');
      return event!;
    };
    return { res, next, firstWait, close: () => reader.cancel() };
  }

  it.skipIf(backend.skipReason !== null)('answers 401 without a token', async () => {
    expect((await api.request('/v1/events/stream')).status).toBe(401);
  });

  it.skipIf(backend.skipReason !== null)("names the area of the caller's own change, and nothing of another account's", async () => {
    const a = await makeAccount(deps);
    const b = await makeAccount(deps);
    const stream = await open(a.token);
    expect(stream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await stream.next()).toBe('event: ready\ndata: {"areas":["packages","services","instances"]}');
    await stream.firstWait;

    await createPackage(deps, b, packageInput({ name: 'their_app' }));
    await tick();
    await createService(deps, a, { name: 'my_service', description: 'A service of my own', deployType: 'ros', template: rosTemplate(['m-web']) });
    await tick();
    // Had b's package moved a's stamps, the first change would name packages.
    expect(await stream.next()).toBe('event: change\ndata: {"areas":["services"]}');
    await createPackage(deps, a, packageInput({ name: 'my_app' }));
    await tick();
    expect(await stream.next()).toBe('event: change\ndata: {"areas":["packages"]}');
    await stream.close();
  });

  it.skipIf(backend.skipReason !== null)('ends the stream with a warning in the log, and nothing on stderr, when the database goes away under it', async () => {
    const own = await backend.open();
    const ownDeps = depsFor(own);
    const lines: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const ticks: (() => void)[] = [];
    const ownApi = createApi(ownDeps, { logger, liveEvents: { nextTick: () => new Promise<void>((r) => ticks.push(r)) } });
    const a = await makeAccount(ownDeps);
    const res = await ownApi.request('/v1/events/stream', { headers: { authorization: `Bearer ${a.token}` } });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('\n\n')) text += (await reader.read()).value ?? '';
    expect(text).toMatch(/^event: ready/);
    while (ticks.length === 0) await new Promise((r) => setTimeout(r, 5));
    const stderr = vi.spyOn(console, 'error');
    try {
      await own.close();
      ticks.shift()!();
      let done = false;
      while (!done) done = (await reader.read()).done;
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      stderr.mockRestore();
    }
    expect(lines.filter((l) => l.level === 40).map((l) => l.msg)).toContain("event stream ended: looking at the caller's activity failed");
  });
});
