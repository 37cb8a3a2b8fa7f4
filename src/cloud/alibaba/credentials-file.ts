/**
 * Which Alibaba Cloud credentials each account calls with, from a JSON file:
 *
 *   { "acc-3f…": { "accessKeyId": "LTAI…", "accessKeySecret": "…" }, … }
 *
 * keyed by the account the engine names: a supplier's Imagenest account ID (its source images
 * are read and shared with its own keys), and the distribution account. The distribution
 * account, when the file does not list it, uses the SDK's default credential chain
 * (ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET, the credentials profile, or the instance's RAM role).
 *
 * A supplier added while the server runs needs no restart: an account the loaded file does not
 * list makes the lookup read the file again if it changed since.
 */
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import type { AccountCredentials } from './ecs-provider.ts';

const FileSchema = z.record(
  z.string().min(1),
  z.strictObject({
    accessKeyId: z.string().min(1),
    accessKeySecret: z.string().min(1),
    securityToken: z.string().min(1).optional(),
  }),
);

export type CredentialsLookup = (account: string) => AccountCredentials | undefined;

type Accounts = z.infer<typeof FileSchema>;

/** The file's accounts, checked; throws saying what is wrong with it. */
export function readCredentialsFile(file: string): Accounts {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the Alibaba Cloud credentials file ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`the Alibaba Cloud credentials file ${file} is not JSON: ${(err as Error).message}`);
  }
  const parsed = FileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(
      `the Alibaba Cloud credentials file ${file}: at ${issue.path.join('.') || '(top level)'}: ${issue.message}; expected {"<account>": {"accessKeyId": "…", "accessKeySecret": "…"}}`,
    );
  }
  return parsed.data;
}

/** Reads the file now (a bad file fails here, at start-up) and returns the lookup. */
export function loadCredentials(file: string | undefined, distributionAccount: string): CredentialsLookup {
  let accounts: Accounts = file ? readCredentialsFile(file) : {};
  let mtimeMs = file ? statSync(file).mtimeMs : 0;
  const find = (account: string) => (Object.hasOwn(accounts, account) ? accounts[account] : undefined);
  return (account) => {
    let entry = find(account);
    if (!entry && file) {
      try {
        const now = statSync(file).mtimeMs;
        if (now !== mtimeMs) {
          accounts = readCredentialsFile(file);
          mtimeMs = now;
          entry = find(account);
        }
      } catch {
        // Keep what was loaded; the caller reports the account as not configured.
      }
    }
    if (entry) return { accessKeyId: entry.accessKeyId, accessKeySecret: entry.accessKeySecret, ...(entry.securityToken ? { securityToken: entry.securityToken } : {}) };
    return account === distributionAccount ? 'default-chain' : undefined;
  };
}
