/** The first admin's token, kept in `<dataDir>/admin-token` and readable by the owner only. */
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

const FILE = 'admin-token';

/** Writes the token; resolves to the file's absolute path. */
export async function writeAdminToken(dataDir: string, token: string): Promise<string> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, FILE);
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return path.resolve(file);
}

/** The token file's absolute path when it exists. */
export async function adminTokenExists(dataDir: string): Promise<string | undefined> {
  const file = path.resolve(dataDir, FILE);
  return stat(file).then(
    () => file,
    () => undefined,
  );
}
