/**
 * The one place a template file is read from disk: the I/O edge of the otherwise pure
 * `src/templates`. A path may name anything (`/dev/zero`, a FIFO, a symlink loop), so the type and
 * size are checked before any byte is read, FIFOs are opened non-blocking, and at most the limit
 * plus one byte is ever read. Every failure is a diagnostic code, never an exception.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { DEFAULT_MAX_BYTES, type DiagnosticCode } from '../model.ts';

export type ReadFailureCode = Extract<
  DiagnosticCode,
  'FILE_NOT_FOUND' | 'NOT_A_REGULAR_FILE' | 'TOO_LARGE' | 'SYMLINK_LOOP' | 'PERMISSION_DENIED' | 'READ_FAILED'
>;

export type ReadResult = { ok: true; bytes: Uint8Array } | { ok: false; code: ReadFailureCode; message: string };

function kind(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

function failure(err: unknown): Extract<ReadResult, { ok: false }> {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { ok: false, code: 'FILE_NOT_FOUND', message: 'no such file' };
    case 'ELOOP':
      return { ok: false, code: 'SYMLINK_LOOP', message: 'too many levels of symbolic links (a symlink loop)' };
    case 'EACCES':
    case 'EPERM':
      return { ok: false, code: 'PERMISSION_DENIED', message: 'permission denied: the file cannot be read' };
    default:
      return { ok: false, code: 'READ_FAILED', message: `cannot read the file (${code ?? (err as Error).message})` };
  }
}

function refuse(s: Stats, maxBytes: number): Extract<ReadResult, { ok: false }> | undefined {
  if (!s.isFile()) return { ok: false, code: 'NOT_A_REGULAR_FILE', message: `${kind(s)}, not a template file` };
  if (s.size > maxBytes) return { ok: false, code: 'TOO_LARGE', message: `the template is ${s.size} bytes; the limit is ${maxBytes}` };
  return undefined;
}

/** Reads a regular file of at most `maxBytes` bytes; anything else is refused before reading. */
export function readTemplateFile(file: string, maxBytes: number = DEFAULT_MAX_BYTES): ReadResult {
  let fd: number;
  try {
    // stat first: opening a FIFO for reading blocks until a writer comes, a device never ends.
    const early = refuse(statSync(file), maxBytes);
    if (early) return early;
    // O_NONBLOCK: if the path was swapped for a FIFO since the stat, the open still returns at once.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return failure(err);
  }
  try {
    // fstat the opened file: it is what will be read, whatever the path names now.
    const late = refuse(fstatSync(fd), maxBytes);
    if (late) return late;
    // One byte more than the limit tells a file that grew since the stat from one that fits.
    const buf = Buffer.allocUnsafe(maxBytes + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buf.length; length += n) n = readSync(fd, buf, length, buf.length - length, null);
    if (length > maxBytes) return { ok: false, code: 'TOO_LARGE', message: `the template is over ${maxBytes} bytes, the limit` };
    return { ok: true, bytes: buf.subarray(0, length) };
  } catch (err) {
    return failure(err);
  } finally {
    closeSync(fd);
  }
}
