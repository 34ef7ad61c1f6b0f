/** Opaque one-time tokens (sign-in sessions, invitation links): 256 random bits; only their SHA-256 is stored. */
import crypto from 'node:crypto';

/** A new random token for a session cookie or a one-time link. */
export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** SHA-256 of a token, as stored. */
export function tokenHash(token: string): Buffer {
  return crypto.createHash('sha256').update(token).digest();
}
