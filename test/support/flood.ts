/** Floods a server with a chunked request body (no Content-Length), as a hostile client would. */
import { request as httpRequest } from 'node:http';

/**
 * POSTs up to `totalBytes` in 1 MiB chunks, honouring backpressure, and resolves with the status
 * as soon as the server answers (the rest is not sent) and how much had been written by then.
 */
export function floodChunked(url: string, headers: Record<string, string>, totalBytes: number): Promise<{ status: number; sentBytes: number }> {
  const target = new URL(url);
  const chunk = Buffer.alloc(1024 * 1024, 0x41);
  let sent = 0;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: target.hostname, port: Number(target.port), method: 'POST', path: `${target.pathname}${target.search}`, headers: { ...headers, 'transfer-encoding': 'chunked' } },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, sentBytes: sent });
        req.destroy();
      },
    );
    // Once the server has answered and closed, writes may fail: that is the point, not an error.
    req.on('error', (err) => (sent > 0 ? undefined : reject(err)));
    const pump = () => {
      while (sent < totalBytes && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}
