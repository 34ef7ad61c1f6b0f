/** Certifications of the tenant's users: listed (a user may see their own), granted with an expiry, revoked. */
import { AppError } from '../../../core/errors.ts';
import { isCertified } from '../../../core/licence.ts';
import { authorize } from '../../access/policy.ts';
import type { Principal } from '../../access/principal.ts';
import { AuditLog } from '../../audit/log.ts';
import type { Services } from '../../services.ts';

function certView(r: {
  id: string;
  user_id: string;
  certification: string;
  granted_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  source: string;
}) {
  return {
    id: r.id,
    userId: r.user_id,
    certification: r.certification,
    grantedAt: r.granted_at.toISOString(),
    expiresAt: r.expires_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
    source: r.source,
    valid: isCertified(
      [{ certification: r.certification, expiresAt: r.expires_at, revokedAt: r.revoked_at }],
      r.certification,
      new Date(),
    ),
  };
}

async function userInTenant(s: Services, p: Principal, id: string): Promise<void> {
  const u = /^[0-9a-f-]{36}$/i.test(id)
    ? await s.db
        .selectFrom('users')
        .select('id')
        .where('id', '=', id)
        .where('tenant_id', '=', p.tenantId)
        .executeTakeFirst()
    : undefined;
  if (!u) throw new AppError('NOT_FOUND', 'not found');
}

/** A user's certifications, newest first: one's own always, anyone's with `certification.manage`. */
export async function listCertifications(s: Services, p: Principal, requestId: string, userId: string) {
  if (userId !== p.userId) await authorize(s, p, requestId, 'certification.manage', 'certification');
  await userInTenant(s, p, userId);
  const rows = await s.db
    .selectFrom('certifications')
    .selectAll()
    .where('tenant_id', '=', p.tenantId)
    .where('user_id', '=', userId)
    .orderBy('granted_at', 'desc')
    .execute();
  return rows.map(certView);
}

/** Grants a user of the tenant a certification until `expiresAt`; nobody certifies themselves. */
export async function grantCertification(
  s: Services,
  p: Principal,
  requestId: string,
  userId: string,
  b: { certification: string; expiresAt: string },
) {
  await authorize(s, p, requestId, 'certification.manage', 'certification');
  if (userId === p.userId)
    throw new AppError('FORBIDDEN', 'you cannot certify yourself', { details: [{ path: 'id', code: 'self' }] });
  await userInTenant(s, p, userId);
  const row = await s.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('certifications')
      .values({
        tenant_id: p.tenantId,
        user_id: userId,
        certification: b.certification,
        granted_by: p.userId,
        expires_at: new Date(b.expiresAt),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await new AuditLog(tx, { tenantId: p.tenantId, actorId: p.userId, requestId }).append({
      action: 'certification.grant',
      entityType: 'user',
      entityId: userId,
      details: { certification: b.certification },
    });
    return r;
  });
  return certView(row);
}

/** Revokes a certification of the tenant (once). */
export async function revokeCertification(s: Services, p: Principal, requestId: string, id: string) {
  await authorize(s, p, requestId, 'certification.manage', 'certification');
  const row = await s.db.transaction().execute(async (tx) => {
    const r = /^[0-9a-f-]{36}$/i.test(id)
      ? await tx
          .updateTable('certifications')
          .set({ revoked_at: new Date() })
          .where('id', '=', id)
          .where('tenant_id', '=', p.tenantId)
          .where('revoked_at', 'is', null)
          .returningAll()
          .executeTakeFirst()
      : undefined;
    if (!r) throw new AppError('NOT_FOUND', 'not found');
    await new AuditLog(tx, { tenantId: p.tenantId, actorId: p.userId, requestId }).append({
      action: 'certification.revoke',
      entityType: 'user',
      entityId: r.user_id,
      details: { certification: r.certification },
    });
    return r;
  });
  return certView(row);
}
