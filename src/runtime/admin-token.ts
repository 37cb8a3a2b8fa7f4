/** The admin's token, kept in `<dataDir>/admin-token` and readable by the owner only. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, ImagenestError } from '../domain/errors.ts';

const FILE = 'admin-token';

/**
 * Writes the token whole or not at all: to a new file of mode 0600, flushed, then renamed
 * over `admin-token`. Resolves to the file's absolute path; a failure is DATA_DIR_UNUSABLE
 * (callers write inside the transaction that stores the token's hash, which it then undoes).
 */
export async function writeAdminToken(dataDir: string, token: string): Promise<string> {
  const file = path.resolve(dataDir, FILE);
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${token}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    return file;
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw new ImagenestError(ErrorCode.DATA_DIR_UNUSABLE, `cannot write the admin token to ${file}: ${(err as Error).message}; make it writable (or remove what is in its place) and start again`, {
      context: { resource: file },
      cause: err,
    });
  }
}

/** The token file's absolute path when it exists. */
export async function adminTokenExists(dataDir: string): Promise<string | undefined> {
  const file = path.resolve(dataDir, FILE);
  return stat(file).then(
    (st) => (st.isFile() ? file : undefined),
    () => undefined,
  );
}
