/**
 * Certificates: issued the moment a course is complete — with a signed Open Badges 3.0 credential
 * and the instrument certifications the course accredits — listed and handed out to their holder as
 * a credential, and revoked by staff (the certifications they accredited with them).
 */
import crypto from 'node:crypto';
import { certificateCode, certificateStatus } from '../../../core/certificate.ts';
import type { CourseProgress } from '../../../core/completion.ts';
import { AppError } from '../../../core/errors.ts';
import { authorize } from '../../access/policy.ts';
import type { Principal } from '../../access/principal.ts';
import type { AuditLog } from '../../audit/log.ts';
import type { Tx } from '../../db/schema.ts';
import type { Services } from '../../services.ts';
import { academyTx, course, isUuid, publicBase, type EnrolmentRow } from './service.ts';
import { sealAcademyText } from './text-crypto.ts';

function addMonths(d: Date, months: number): Date {
  const x = new Date(d);
  x.setUTCMonth(x.getUTCMonth() + months);
  return x;
}

/**
 * Issues the certificate if the course is complete and none exists yet: a verification code, an
 * Open Badges 3.0 credential signed as a compact JWS (EdDSA), and the instrument certifications the
 * course accredits, with the certificate's expiry. Runs inside the caller's transaction.
 */
export async function issueIfComplete(
  s: Services,
  tx: Tx,
  audit: AuditLog,
  e: EnrolmentRow,
  progress: CourseProgress,
): Promise<string | null> {
  if (!progress.complete) return null;
  const existing = await tx
    .selectFrom('academy_certificates')
    .select('id')
    .where('enrolment_id', '=', e.id)
    .executeTakeFirst();
  if (existing) return null;
  const c = course();
  const user = await tx
    .selectFrom('users')
    .select(['display_name', 'email'])
    .where('id', '=', e.user_id)
    .executeTakeFirstOrThrow();
  const tenant = await tx.selectFrom('tenants').select('name').where('id', '=', e.tenant_id).executeTakeFirstOrThrow();
  const issuedAt = new Date(progress.completedAt!);
  const expiresAt = addMonths(issuedAt, c.settings.certificate.validityMonths);
  const id = crypto.randomUUID();
  const code = certificateCode(crypto.randomBytes(8));
  const base = publicBase(s);
  const salt = crypto.randomBytes(8).toString('hex');
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: `urn:uuid:${id}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: `${base}/academy/issuer`, type: ['Profile'], name: `${tenant.name} — Sanad Academy` },
    validFrom: issuedAt.toISOString(),
    validUntil: expiresAt.toISOString(),
    name: c.settings.title.en,
    credentialSubject: {
      type: ['AchievementSubject'],
      // The holder is named by a salted hash of their email, not in clear.
      identifier: [
        {
          type: 'IdentityObject',
          identityHash: `sha256$${crypto
            .createHash('sha256')
            .update(user.email + salt)
            .digest('hex')}`,
          identityType: 'emailAddress',
          hashed: true,
          salt,
        },
      ],
      achievement: {
        id: `${base}/academy/courses/${c.settings.id}/${c.settings.version}`,
        type: ['Achievement'],
        name: c.settings.title.en,
        description: c.settings.summary.en,
        criteria: {
          narrative:
            'Completed every module: all lessons, the module quiz at the pass mark, and the graded case assignment.',
        },
      },
    },
    evidence: [{ id: `${base}/verify/${code}`, type: ['Evidence'], name: 'Verification page' }],
  };
  const jws = await s.signer.sign(
    {
      ...credential,
      iss: credential.issuer.id,
      jti: credential.id,
      sub: `urn:sanad:certificate:${code}`,
      nbf: Math.floor(issuedAt.getTime() / 1000),
      exp: Math.floor(expiresAt.getTime() / 1000),
    },
    'vc+jwt',
    tx,
  );
  const inserted = await tx
    .insertInto('academy_certificates')
    .values({
      id,
      tenant_id: e.tenant_id,
      user_id: e.user_id,
      enrolment_id: e.id,
      course_id: c.settings.id,
      code,
      holder_name: user.display_name,
      issued_at: issuedAt,
      expires_at: expiresAt,
      credential: jws,
    })
    .onConflict((oc) => oc.column('enrolment_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return null;
  for (const a of c.settings.accreditation) {
    const until = addMonths(issuedAt, a.validityMonths);
    await tx
      .insertInto('certifications')
      .values({
        tenant_id: e.tenant_id,
        user_id: e.user_id,
        certification: a.certification,
        granted_at: issuedAt,
        expires_at: until < expiresAt ? until : expiresAt,
        source: 'academy',
        certificate_id: id,
      })
      .execute();
  }
  await audit.append({
    action: 'certificate.issue',
    entityType: 'certificate',
    entityId: id,
    details: { course: c.settings.id, accredits: c.settings.accreditation.map((a) => a.certification).join(',') },
  });
  return id;
}

/** My certificates with their status, newest first. */
export async function myCertificates(s: Services, p: Principal, requestId: string) {
  await authorize(s, p, requestId, 'academy.learn', 'certificate');
  const rows = await s.db
    .selectFrom('academy_certificates')
    .select(['id', 'enrolment_id', 'code', 'course_id', 'holder_name', 'issued_at', 'expires_at', 'revoked_at'])
    .where('user_id', '=', p.userId)
    .where('tenant_id', '=', p.tenantId)
    .orderBy('issued_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    enrolmentId: r.enrolment_id,
    code: r.code,
    courseId: r.course_id,
    title: course().settings.title,
    holderName: r.holder_name,
    issuedAt: r.issued_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    status: certificateStatus(r),
  }));
}

/** My certificate as its signed Open Badges credential (the compact JWS and its payload). */
export async function myCredential(s: Services, p: Principal, requestId: string, id: string) {
  await authorize(s, p, requestId, 'academy.learn', 'certificate');
  const row = isUuid(id)
    ? await s.db
        .selectFrom('academy_certificates')
        .select('credential')
        .where('id', '=', id)
        .where('user_id', '=', p.userId)
        .where('tenant_id', '=', p.tenantId)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError('NOT_FOUND', 'not found');
  return {
    format: 'vc+jwt' as const,
    jws: row.credential,
    credential: JSON.parse(Buffer.from(row.credential.split('.')[1]!, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >,
  };
}

/** Revokes a certificate of the tenant and the certifications it accredited, with an encrypted reason. */
export async function revokeCertificate(s: Services, p: Principal, requestId: string, id: string, reason: string) {
  await authorize(s, p, requestId, 'certificate.revoke', 'certificate');
  await academyTx(s, p, requestId, async (tx, audit) => {
    const row = isUuid(id)
      ? await tx
          .selectFrom('academy_certificates')
          .select(['id', 'revoked_at'])
          .where('id', '=', id)
          .where('tenant_id', '=', p.tenantId)
          .forUpdate()
          .executeTakeFirst()
      : undefined;
    if (!row) throw new AppError('NOT_FOUND', 'not found');
    if (row.revoked_at)
      throw new AppError('VALIDATION_FAILED', 'already revoked', {
        details: [{ path: 'id', code: 'already_revoked' }],
      });
    const now = new Date();
    const sealed = await sealAcademyText(
      s.fields,
      { tenantId: p.tenantId, table: 'academy_certificates', field: 'revoked_reason', rowId: id },
      reason,
      tx,
    );
    await tx
      .updateTable('academy_certificates')
      .set({ revoked_at: now, revoked_reason: sealed })
      .where('id', '=', id)
      .execute();
    await tx
      .updateTable('certifications')
      .set({ revoked_at: now })
      .where('certificate_id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    await audit.append({ action: 'certificate.revoke', entityType: 'certificate', entityId: id });
  });
}
