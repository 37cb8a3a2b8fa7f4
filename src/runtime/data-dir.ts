/**
 * The data directory (embedded database and admin token): checked before anything is
 * created, private to its owner (directories 0700, files 0600, whatever the umask), refused
 * when others could write it, and held by one process at a time.
 */
import { constants } from 'node:fs';
import { access, chmod, lstat, mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, ImagenestError } from '../domain/errors.ts';

const LOCK_FILE = 'imagenest.pid';

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code;

function unusable(dir: string, why: string, cause?: unknown): ImagenestError {
  return new ImagenestError(ErrorCode.DATA_DIR_UNUSABLE, `cannot use the data directory ${dir}: ${why}; choose another --data-dir`, {
    context: { resource: dir },
    cause,
  });
}

/** The nearest existing ancestor of `dir` (where `mkdir -p` would start). */
async function existingAncestor(dir: string): Promise<string> {
  for (let p = path.dirname(dir); ; p = path.dirname(p)) {
    if (await stat(p).then(() => true, () => false)) return p;
    if (p === path.dirname(p)) return p;
  }
}

/**
 * Checks, creating nothing, that this process can use `dir` and that nobody else can write
 * it: a directory others can write lets any local user rewrite accounts and read tokens.
 */
export async function checkDataDir(dir: string): Promise<void> {
  const abs = path.resolve(dir);
  const st = await stat(abs).catch((err: unknown) => {
    if (errno(err) === 'ENOENT') return undefined;
    throw unusable(abs, String((err as Error).message), err);
  });
  if (!st) {
    const parent = await existingAncestor(abs);
    const parentSt = await stat(parent);
    if (!parentSt.isDirectory()) throw unusable(abs, `${parent} is not a directory`);
    await access(parent, constants.W_OK | constants.X_OK).catch((err: unknown) => {
      throw unusable(abs, `it does not exist and ${parent} is not writable`, err);
    });
    return;
  }
  if (!st.isDirectory()) throw unusable(abs, 'it is not a directory');
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new ImagenestError(
      ErrorCode.DATA_DIR_UNSAFE,
      `the data directory ${abs} belongs to user ${st.uid}, not to this user (${uid}): its owner could rewrite the database; run as its owner, or 'chown -R ${uid} ${abs}'`,
      { context: { resource: abs } },
    );
  }
  if (st.mode & 0o022) {
    throw new ImagenestError(
      ErrorCode.DATA_DIR_UNSAFE,
      `others can write the data directory ${abs} (mode ${(st.mode & 0o777).toString(8)}): any local user could rewrite its database; run 'chmod -R go-rwx ${abs}' and start again`,
      { context: { resource: abs } },
    );
  }
  await access(abs, constants.R_OK | constants.W_OK | constants.X_OK).catch((err: unknown) => {
    throw unusable(abs, 'it is not readable and writable by this user', err);
  });
}

/**
 * Makes every file this process creates from now on private. PGlite writes its files itself
 * (directories with mode 0777 less the umask), so the umask is the one place to say so.
 */
export function keepNewFilesPrivate(): void {
  process.umask(0o077);
}

/** Creates `dir` (0700) when missing. */
export async function createDataDir(dir: string): Promise<void> {
  await mkdir(path.resolve(dir), { recursive: true, mode: 0o700 });
}

/**
 * Takes group and other permissions off everything under `dir`, `dir` included. PGlite
 * unpacks a new database with files of mode 0666 whatever the umask, and a data directory
 * made by an earlier version is 0755 with 0666 files.
 */
export async function makePrivate(dir: string): Promise<void> {
  const walk = async (p: string): Promise<void> => {
    const st = await lstat(p);
    if (st.isSymbolicLink()) return;
    if (st.mode & 0o077) await chmod(p, st.mode & 0o700);
    if (st.isDirectory()) for (const name of await readdir(p)) await walk(path.join(p, name));
  };
  await walk(path.resolve(dir));
}

/** True when a process of that ID runs (EPERM: it runs, as another user). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errno(err) === 'EPERM';
  }
}

const heldHere = new Set<string>();

export interface DataDirLock {
  release(): Promise<void>;
}

/**
 * Holds `dir` for this process, or refuses with DATA_DIR_IN_USE while another live process
 * holds it: two processes on one embedded database corrupt it. A lock left by a process that
 * died is taken over.
 */
export async function holdDataDir(dir: string): Promise<DataDirLock> {
  const abs = path.resolve(dir);
  const file = path.join(abs, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if (errno(err) !== 'EEXIST') throw unusable(abs, `cannot write ${file}: ${(err as Error).message}`, err);
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      const live = Number.isInteger(pid) && pid > 0 && (pid === process.pid ? heldHere.has(abs) : processRuns(pid));
      if (live || attempt > 0) {
        throw new ImagenestError(
          ErrorCode.DATA_DIR_IN_USE,
          `the data directory ${abs} is in use by process ${pid} (an imagenest server, worker or emulator): stop it first; if no such process runs, delete ${file}`,
          { context: { resource: abs } },
        );
      }
      await unlink(file).catch(() => {});
    }
  }
  heldHere.add(abs);
  return {
    async release() {
      heldHere.delete(abs);
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (pid === process.pid) await unlink(file).catch(() => {});
    },
  };
}
