/**
 * The public checks anyone may run without an account (the JSON routes under /api/v1/public and
 * the /verify page): a certificate code's status, name, course, dates and issuer — nothing else —
 * and an Open Badges credential's signature by this deployment, then its status.
 */
import { certificateStatus, normaliseCode } from '../../../core/certificate.ts';
import type { Services } from '../../services.ts';

/** The certificate a typed code names (normalised first), or null for an unknown or malformed code. */
export async function certificateByCode(s: Services, typed: string) {
  const code = normaliseCode(typed);
  const row = code
    ? await s.db
        .selectFrom('academy_certificates as x')
        .innerJoin('tenants as t', 't.id', 'x.tenant_id')
        .select([
          'x.holder_name',
          'x.course_id',
          'x.issued_at',
          'x.expires_at',
          'x.revoked_at',
          'x.code',
          't.name as tenant_name',
        ])
        .where('x.code', '=', code)
        .executeTakeFirst()
    : undefined;
  return row ? { ...row, status: certificateStatus(row), issuer: `${row.tenant_name} — Sanad Academy` } : null;
}

/** Verifies a credential: signed by this deployment (else `invalid_signature`), known (else `unknown`), then its status. */
export async function verifyCredential(
  s: Services,
  jws: string,
): Promise<{
  verified: boolean;
  status: 'valid' | 'expired' | 'revoked' | 'unknown' | 'invalid_signature';
  credentialId: string | null;
}> {
  let payload: { jti?: string; sub?: string };
  try {
    payload = (await s.signer.verify(jws, 'vc+jwt')) as typeof payload;
  } catch {
    return { verified: false, status: 'invalid_signature', credentialId: null };
  }
  const code = payload.sub?.startsWith('urn:sanad:certificate:')
    ? payload.sub.slice('urn:sanad:certificate:'.length)
    : '';
  const row = code
    ? await s.db
        .selectFrom('academy_certificates')
        .select(['id', 'expires_at', 'revoked_at'])
        .where('code', '=', code)
        .executeTakeFirst()
    : undefined;
  if (!row || `urn:uuid:${row.id}` !== payload.jti)
    return { verified: false, status: 'unknown', credentialId: payload.jti ?? null };
  const status = certificateStatus(row);
  return { verified: status === 'valid', status, credentialId: payload.jti ?? null };
}
