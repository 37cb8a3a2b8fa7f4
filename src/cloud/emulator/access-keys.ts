/**
 * Where `imagenest emulator` takes its access keys from besides `--access-key` (which `ps`
 * shows to every local user): a credentials file only its owner can read, in the format the
 * server's `--alibaba-credentials` file has (so one file can serve both), and the environment.
 */
import { statSync } from 'node:fs';
import { readCredentialsFile } from '../alibaba/credentials-file.ts';

/** `ID:SECRET,ID:SECRET`: keys from the environment. */
export const ACCESS_KEYS_ENV = 'IMAGENEST_EMULATOR_ACCESS_KEYS';

export class AccessKeyFileError extends Error {}

/**
 * The file's keys as `ID:SECRET`. Refused when group or others may read or write it: a secret
 * in such a file is no secret.
 */
export function readAccessKeysFile(file: string): string[] {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (err) {
    throw new AccessKeyFileError(`cannot read the credentials file ${file}: ${(err as Error).message}`);
  }
  if ((mode & 0o077) !== 0) {
    throw new AccessKeyFileError(`the credentials file ${file} is readable or writable by others (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${file}`);
  }
  try {
    return Object.values(readCredentialsFile(file)).map((k) => `${k.accessKeyId}:${k.accessKeySecret}`);
  } catch (err) {
    throw new AccessKeyFileError((err as Error).message);
  }
}

/** The keys of `IMAGENEST_EMULATOR_ACCESS_KEYS`; each must be ID:SECRET. */
export function accessKeysFromEnv(env: NodeJS.ProcessEnv): string[] {
  const raw = env[ACCESS_KEYS_ENV];
  if (!raw) return [];
  return raw.split(',').map((k) => {
    const key = k.trim();
    const i = key.indexOf(':');
    if (i <= 0 || i === key.length - 1) throw new AccessKeyFileError(`${ACCESS_KEYS_ENV} is a comma-separated list of ID:SECRET; one entry is not`);
    return key;
  });
}
