/**
 * Binds host:port for `imagenest server` and `imagenest emulator` before anything else is
 * created, so a taken port is reported before a database or an admin exists; the handler
 * comes once the process is ready.
 */
import { serve, type ServerType } from '@hono/node-server';
import { ErrorCode, ImagenestError } from '../domain/errors.ts';

type Fetch = (req: Request) => Response | Promise<Response>;

export interface Listening {
  /** The port bound (the one the OS picked for port 0). */
  port: number;
  /** `http://host:port`, IPv6 hosts in brackets. */
  url: string;
  /** Starts answering with `fetch`; requests that came earlier waited for it. */
  serve(fetch: Fetch): void;
  /** Stops listening; requests still waiting for a handler get 503. */
  close(): Promise<void>;
}

const STARTING_FAILED: Fetch = () => Response.json({ error: { code: ErrorCode.INTERNAL, message: 'the server failed to start', details: null } }, { status: 503 });

export async function listen(host: string, port: number): Promise<Listening> {
  let ready!: (fetch: Fetch) => void;
  const handler = new Promise<Fetch>((resolve) => (ready = resolve));
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: async (req) => (await handler)(req), port, hostname: host }, () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new ImagenestError(ErrorCode.PORT_IN_USE, `port ${port} on ${host} is already in use by another process; stop it or choose another --port (0 picks a free one)`, {
            context: { resource: `${host}:${port}` },
            cause: err,
          }),
        );
      } else reject(err);
    });
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    port: bound,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    serve: ready,
    close() {
      ready(STARTING_FAILED);
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
