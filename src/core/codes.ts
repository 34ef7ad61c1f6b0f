/** Human-facing codes (pseudonymous participant codes and the like). */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/** A pseudonymous participant code such as `SN-7K3M9Q`, from 6 random bytes given by the caller. */
export function participantCode(random: Uint8Array): string {
  return 'SN-' + [...random.slice(0, 6)].map((b) => ALPHABET[b % 32]).join('');
}
