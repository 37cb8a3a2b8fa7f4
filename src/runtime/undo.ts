/** Start-up in steps that are undone, last first, when a later step fails: a failed start leaves nothing running. */

/**
 * Runs `start`; each `onUndo(fn)` registers what undoes a step done. On failure every
 * registered undo runs (its own failure ignored: the start's error is the one to report),
 * then the error is rethrown.
 */
export async function undoOnFailure<T>(start: (onUndo: (undo: () => Promise<unknown> | void) => void) => Promise<T>): Promise<T> {
  const undos: (() => Promise<unknown> | void)[] = [];
  try {
    return await start((undo) => undos.push(undo));
  } catch (err) {
    for (const undo of undos.reverse()) await Promise.resolve().then(undo).catch(() => {});
    throw err;
  }
}
