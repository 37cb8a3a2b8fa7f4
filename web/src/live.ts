/**
 * Live updates: the server's event stream (GET /v1/events/stream, read with fetch so the token
 * travels in a header, never in a URL), and polling while the stream is down. Either way pages
 * hear "something of yours changed" and reload what they show.
 */
export type Area = 'packages' | 'services' | 'instances';
type Listener = (areas: readonly Area[]) => void;

const ALL: readonly Area[] = ['packages', 'services', 'instances'];
/** While the stream is down: how often pages reload, and how soon the stream is tried again. */
const POLL_MS = 2_000;
const RECONNECT_MS = 10_000;

export interface LiveFeed {
  subscribe(listener: Listener): () => void;
  /** 'stream' while the server pushes, 'polling' while it does not. */
  mode(): 'stream' | 'polling';
  close(): void;
}

/** Splits an SSE byte stream into events: `event:` and `data:` lines, a blank line ends one. */
export function parseSse(buffer: string): { events: { event: string; data: string }[]; rest: string } {
  const events: { event: string; data: string }[] = [];
  const blocks = buffer.replace(/\r\n/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    // A block without data (a keep-alive comment) dispatches nothing, as in EventSource.
    if (data.length > 0) events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}

export function openLiveFeed(token: string): LiveFeed {
  const listeners = new Set<Listener>();
  const emit = (areas: readonly Area[]) => {
    for (const l of listeners) l(areas);
  };
  let mode: 'stream' | 'polling' = 'polling';
  let closed = false;
  let abort: AbortController | undefined;
  let poll: ReturnType<typeof setInterval> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const startPolling = () => {
    mode = 'polling';
    poll ??= setInterval(() => emit(ALL), POLL_MS);
    retry = setTimeout(connect, RECONNECT_MS);
  };

  async function connect() {
    if (closed) return;
    abort = new AbortController();
    try {
      const res = await fetch('/v1/events/stream', { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: abort.signal });
      if (!res.ok || !res.body) throw new Error(`event stream answered ${res.status}`);
      mode = 'stream';
      if (poll) clearInterval(poll);
      poll = undefined;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const parsed = parseSse(buffer + value);
        buffer = parsed.rest;
        for (const e of parsed.events) {
          if (e.event === 'change') emit((JSON.parse(e.data) as { areas: Area[] }).areas);
        }
      }
    } catch {
      // Down, refused or closed: pages keep up by polling until the stream is back.
    }
    if (!closed) startPolling();
  }

  void connect();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    mode: () => mode,
    close() {
      closed = true;
      abort?.abort();
      if (poll) clearInterval(poll);
      if (retry) clearTimeout(retry);
    },
  };
}
