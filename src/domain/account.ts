/** Accounts and their roles. */
import type { Violation } from './errors.ts';
import { charLength } from './package-rules.ts';
import { checkNoBidiControl } from './text-rules.ts';

export const Role = { supplier: 'supplier', consumer: 'consumer', admin: 'admin' } as const;
export type Role = (typeof Role)[keyof typeof Role];

export interface AccountRecord {
  id: string;
  name: string;
  role: Role;
  createdAt: Date;
}

/** Who is making a request. */
export interface Caller {
  accountId: string;
  role: Role;
}

export function checkAccountName(name: string, field = 'name'): Violation[] {
  const n = charLength(name);
  if (n < 1 || n > 64 || name.trim() !== name) {
    return [{ field, rule: 'length', message: `account name must be 1–64 characters without surrounding spaces; got ${n}` }];
  }
  return checkNoBidiControl(field, name, 'an account name');
}

/** Roles that may own deployment packages. */
export function canOwnPackages(role: Role): boolean {
  return role === 'supplier' || role === 'admin';
}
