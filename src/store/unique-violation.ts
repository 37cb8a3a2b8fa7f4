/** PostgreSQL's unique violations (SQLSTATE 23505) named by the uniqueness they broke, so no caller parses driver errors. */

/** Which rule of uniqueness a write broke. */
export type Uniqueness = 'package-name' | 'version-name';

/** Thrown by a repository when a write broke a uniqueness rule; `cause` is the driver's error. */
export class UniqueViolation extends Error {
  constructor(
    readonly which: Uniqueness,
    options: { cause: unknown },
  ) {
    super(`unique violation: ${which}`, options);
    this.name = 'UniqueViolation';
  }
}

/** Constraint names from the migrations, and the rule each one holds. */
const CONSTRAINTS: readonly [string, Uniqueness][] = [
  ['packages_owner_name_key', 'package-name'],
  ['versions_package_name_key', 'version-name'],
];

/** Runs one write; a unique violation of a known constraint comes out as a `UniqueViolation`. */
export async function mapUniqueViolation<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const e = err as { code?: string; constraint?: string; message?: string };
    if (e?.code === '23505') {
      // PGlite does not always fill `constraint`; its message names the constraint too.
      const where = `${e.constraint ?? ''} ${e.message ?? ''}`;
      const hit = CONSTRAINTS.find(([name]) => where.includes(name));
      if (hit) throw new UniqueViolation(hit[1], { cause: err });
    }
    throw err;
  }
}
