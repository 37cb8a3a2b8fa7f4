/** Serves a fetch handler on host:port, for `imagenest server` and `imagenest emulator`. */
import { serve, type ServerType } from '@hono/node-server';

export interface Listening {
  server: ServerType;
  /** The port bound (the one the OS picked for port 0). */
  port: number;
  /** `http://host:port`, IPv6 hosts in brackets. */
  url: string;
}

export async function listen(fetch: (req: Request) => Response | Promise<Response>, host: string, port: number): Promise<Listening> {
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch, port, hostname: host }, () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new Error(`${host}:${port} is already in use; stop the other process or choose another --port`));
      else reject(err);
    });
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return { server, port: bound, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}` };
}
