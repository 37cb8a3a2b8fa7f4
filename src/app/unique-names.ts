/** Package and version names are unique (per account, per package): a broken uniqueness as the domain's conflict codes. */
import { assertNever } from '../domain/assert-never.ts';
import { ErrorCode, ImagenestError } from '../domain/errors.ts';
import { UniqueViolation } from '../store/unique-violation.ts';

/** Maps a broken name uniqueness to the domain's conflict codes; rethrows anything else. */
export function translateUniqueViolation(err: unknown, names: { packageName?: string; versionName?: string }): never {
  if (err instanceof UniqueViolation) {
    switch (err.which) {
      case 'package-name':
        throw new ImagenestError(ErrorCode.PACKAGE_NAME_TAKEN, `you already have a package named '${names.packageName}'; package names are unique per account`, {
          details: { violations: [{ field: 'name', rule: 'unique', message: 'already used by another of your packages' }] },
        });
      case 'version-name':
        throw new ImagenestError(ErrorCode.VERSION_NAME_TAKEN, `this package already has a version named '${names.versionName}'`, {
          details: { violations: [{ field: 'version.name', rule: 'unique', message: 'already used by another version of this package' }] },
        });
      default:
        return assertNever(err.which);
    }
  }
  throw err;
}
