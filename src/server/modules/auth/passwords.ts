/** Password hashing (argon2id) and the password policy: length and a common-password list only. */
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '../../../core/errors.ts';

const OPTIONS = {
  algorithm: 2 /* Algorithm.Argon2id (a const enum) */,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** Minimum and maximum password lengths (NIST SP 800-63B: length, no composition rules). */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary.passwords.map((p) => p.toLowerCase()));
  return common;
}

/** Refuses passwords that are too short, too long, common, or the user's own email. */
export function checkPasswordPolicy(password: string, email?: string): void {
  const len = [...password].length;
  if (len < PASSWORD_MIN)
    throw new AppError('PASSWORD_TOO_SHORT', `use at least ${PASSWORD_MIN} characters`, {
      details: [{ path: 'password', code: 'too_short' }],
    });
  if (len > PASSWORD_MAX)
    throw new AppError('PASSWORD_TOO_LONG', `use at most ${PASSWORD_MAX} characters`, {
      details: [{ path: 'password', code: 'too_long' }],
    });
  const lower = password.toLowerCase();
  if (
    commonPasswords().has(lower) ||
    /^(.)\1+$/.test(password) ||
    (email && lower.includes(email.toLowerCase().split('@')[0]!) && lower.length - email.split('@')[0]!.length < 4)
  ) {
    throw new AppError('PASSWORD_COMMON', 'this password is too common or too easy to guess', {
      details: [{ path: 'password', code: 'common' }],
    });
  }
}

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// A real hash of a random string, verified against when the email is unknown so timing matches.
let dummy: Promise<string> | undefined;

/** Verifies a password; with no stored hash it still spends the same time and returns false. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    dummy ??= hashPassword(`dummy-${Math.random()}`);
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
