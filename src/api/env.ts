/** Per-request variables every route can read. */
import type { Logger } from 'pino';
import type { Caller } from '../domain/account.ts';

export interface ApiEnv {
  Variables: {
    caller: Caller;
    log: Logger;
    requestId: string;
  };
}
