/** Academy certificates: verification codes and status. Pure; the caller supplies randomness and time. */

/** Crockford base32 without I, L, O, U: unambiguous when read aloud or typed from paper. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A certificate code, XXXX-XXXX-XXXX: the first 60 of the 64 bits of 8 random bytes. */
export function certificateCode(random: Uint8Array): string {
  if (random.length < 8) throw new Error('certificateCode needs 8 random bytes');
  let n = new DataView(random.buffer, random.byteOffset, 8).getBigUint64(0) >> 4n;
  let s = '';
  for (let i = 0; i < 12; i++) {
    s = ALPHABET[Number(n & 31n)]! + s;
    n >>= 5n;
  }
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}

/** Normalises a typed code (lower case, spaces, confusable letters) to the stored form, or null. */
export function normaliseCode(input: string): string | null {
  const raw = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{12}$/.test(raw)) return null;
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

/** What a certificate is at a moment. */
export type CertificateStatus = 'valid' | 'expired' | 'revoked';

/** Certificate status at a moment: revoked beats expired beats valid. */
export function certificateStatus(
  row: { revoked_at: Date | null; expires_at: Date },
  now = new Date(),
): CertificateStatus {
  return row.revoked_at ? 'revoked' : row.expires_at <= now ? 'expired' : 'valid';
}
