/** What every API command needs: the global options, a client, and one way to print a result. */
import type { Command } from 'commander';
import { ImagenestClient } from './client.ts';
import type { Io } from './output.ts';

export interface GlobalOptions {
  url: string;
  token?: string;
  json?: boolean;
}

export interface CommandContext {
  io: Io;
  globals(cmd: Command): GlobalOptions;
  client(g: GlobalOptions): ImagenestClient;
  /** The data as one JSON document with `--json`, else the human text. */
  emit(g: GlobalOptions, data: unknown, human: () => string): void;
}

export function commandContext(io: Io): CommandContext {
  return {
    io,
    globals: (cmd) => cmd.optsWithGlobals<GlobalOptions>(),
    client: (g) => new ImagenestClient({ url: g.url, token: g.token }),
    emit: (g, data, human) => io.out(g.json ? JSON.stringify(data, null, 2) : human()),
  };
}
