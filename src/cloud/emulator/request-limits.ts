/**
 * What the emulator takes from a request before it checks the signature, read the way the
 * signature reads it: the query as one value per name (a repeated name is refused, as ECS
 * refuses it, so the signed value is the one acted on), and a body of bounded size, counted
 * while it streams in and never held whole.
 */

/** ECS's own request body limit is far lower for these actions; this is the emulator's. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type QueryRead = { ok: true; query: Record<string, string> } | { ok: false; name: string };

/** The decoded query, one value per name; the first name that appears twice when one does. */
export function readQuery(search: string): QueryRead {
  const query: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of new URLSearchParams(search)) {
    if (Object.hasOwn(query, name)) return { ok: false, name };
    query[name] = value;
  }
  return { ok: true, query };
}

export type BodyRead = { ok: true; body: Uint8Array } | { ok: false; tooLarge: true };

/**
 * The body, or `tooLarge` as soon as it is known to pass `maxBytes`: from Content-Length before
 * a byte is read, or while reading (the stream is then cancelled, not drained).
 */
export async function readBoundedBody(req: Request, maxBytes = MAX_BODY_BYTES): Promise<BodyRead> {
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > maxBytes) return { ok: false, tooLarge: true };
  if (!req.body) return { ok: true, body: new Uint8Array(0) };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return { ok: false, tooLarge: true };
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return { ok: true, body };
}
