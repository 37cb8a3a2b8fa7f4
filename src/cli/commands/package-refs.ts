/** How `package` commands name a version: `--version N|latest|draft` and `save --from N|latest`. */
import { ApiError, type ImagenestClient } from '../client.ts';
import { UsageError } from '../errors.ts';

/** A version as a flag names it, checked before any request: `latest` is resolved later. */
export type VersionRef = 'latest' | 'draft' | string;

/** IDs contain '-', names never do (app/ids.ts): a version ID passes through to the server. */
const VERSION_ID = /^[a-z]+-[0-9a-f]+$/;

/** A `--version`/`--from` value parser; `draft` only where the command can use a draft. */
export function versionRefParser(flag: string, allowDraft: boolean) {
  return (value: string): VersionRef => {
    if (value === 'latest' || (allowDraft && value === 'draft') || /^[1-9][0-9]*$/.test(value) || VERSION_ID.test(value)) return value;
    throw new UsageError(`${flag} takes a version number, 'latest'${allowDraft ? " or 'draft'" : ''}; got '${value}'`);
  };
}

/** The label the API takes for `ref`: `latest` becomes the latest published version's number. */
export async function resolveVersion(c: ImagenestClient, pkg: string, ref: VersionRef): Promise<string> {
  if (ref !== 'latest') return ref;
  const p = await c.getPackage(pkg);
  if (p.latestVersion === null) {
    throw new ApiError('NO_PUBLISHED_VERSION', `package ${p.name} has no published version yet; name one with --version (e.g. 'draft'), or publish first`);
  }
  return String(p.latestVersion);
}
