import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessKeyFileError, accessKeysFromEnv, ACCESS_KEYS_ENV, readAccessKeysFile } from './access-keys.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'imagenest-keys-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function keysFile(name: string, mode: number, content: unknown): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  await chmod(file, mode);
  return file;
}

describe('the emulator credentials file', () => {
  const keys = { dist: { accessKeyId: 'dist', accessKeySecret: 's1' }, 'acc-1': { accessKeyId: 'acc-1', accessKeySecret: 's:2' } };

  it('gives ID:SECRET for each account of a file only its owner may read', async () => {
    expect(readAccessKeysFile(await keysFile('ok.json', 0o600, keys))).toEqual(['dist:s1', 'acc-1:s:2']);
    expect(readAccessKeysFile(await keysFile('ro.json', 0o400, keys))).toEqual(['dist:s1', 'acc-1:s:2']);
  });

  it.each(['644', '640', '604', '620', '602'])('refuses a file of mode %s', async (octal) => {
    const file = await keysFile(`m${octal}.json`, parseInt(octal, 8), keys);
    expect(() => readAccessKeysFile(file)).toThrow(AccessKeyFileError);
  });

  it('refuses a missing file and one that is not the credentials format, without echoing secrets', async () => {
    expect(() => readAccessKeysFile(path.join(dir, 'absent.json'))).toThrow(AccessKeyFileError);
    const bad = await keysFile('bad.json', 0o600, { dist: { accessKeyId: 'dist' } });
    expect(() => readAccessKeysFile(bad)).toThrow(AccessKeyFileError);
  });
});

describe('the environment', () => {
  it('reads ID:SECRET,ID:SECRET and refuses an entry without a secret, not naming it', () => {
    expect(accessKeysFromEnv({ [ACCESS_KEYS_ENV]: 'a:x, b:y:z' })).toEqual(['a:x', 'b:y:z']);
    expect(accessKeysFromEnv({})).toEqual([]);
    expect(() => accessKeysFromEnv({ [ACCESS_KEYS_ENV]: 'a:x,secretonly' })).toThrow(AccessKeyFileError);
    try {
      accessKeysFromEnv({ [ACCESS_KEYS_ENV]: 'a:x,secretonly' });
    } catch (err) {
      expect((err as Error).message).not.toContain('secretonly');
    }
  });
});
