/**
 * How errors appear in the logs. pino's standard serializer copies every enumerable property,
 * and `pg` attaches the whole connection (`client`: its parser, socket state and type tables,
 * several kilobytes) to errors from a pool or pg-boss: one lost connection printed pages.
 */
import pino from 'pino';

/** Properties that hold live objects, not facts about the error. */
const LIVE_OBJECTS = ['client', 'connection', 'socket'] as const;

export function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const out = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  for (const key of LIVE_OBJECTS) delete out[key];
  return out;
}
