/** Human-facing codes (pseudonymous participant codes and the like). */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/**
 * A pseudonymous participant code such as `SN-7K3M9Q2A`: 8 Crockford base32 characters (40 bits)
 * from the random bytes given by the caller (at least 8). Callers still check uniqueness.
 */
export function participantCode(random: Uint8Array): string {
  if (random.length < 8) throw new Error('participantCode needs 8 random bytes');
  return 'SN-' + [...random.slice(0, 8)].map((b) => ALPHABET[b % 32]).join('');
}
