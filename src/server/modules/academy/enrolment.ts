/**
 * Enrolling learners into a cohort: one by invitation ({email, name}) or a CSV file ({csv, commit})
 * with a result per row (core/enrolment.ts decides each row). When committing, all good rows are
 * enrolled at once in one transaction — new people invited through `inviteUser` — and bad rows are
 * reported and never enrolled; a database failure rolls the whole import back.
 */
import {
  classifyEnrolRows,
  ENROL_EMAIL,
  NAME_CODES,
  parseEnrolmentCsv,
  type EnrolResult,
  type EnrolRow,
} from '../../../core/enrolment.ts';
import { AppError } from '../../../core/errors.ts';
import { authorize } from '../../access/policy.ts';
import type { Principal } from '../../access/principal.ts';
import type { AuditLog } from '../../audit/log.ts';
import type { Tx } from '../../db/schema.ts';
import type { Services } from '../../services.ts';
import { INVITATION_HOURS, inviteUser } from '../auth/invitations.ts';
import { newToken, tokenHash } from '../auth/tokens.ts';
import { enrolledCount } from './service-cohorts.ts';
import { academyTx, visibleCohort } from './service.ts';

/**
 * Checks every row, then (when committing) enrols all good rows in the caller's transaction. Each
 * invited learner's link is `/invite/<token>` (the caller prefixes the origin).
 */
export async function enrolRows(
  tx: Tx,
  audit: AuditLog,
  p: Principal,
  cohort: { id: string; name: string; capacity: number; course_id: string },
  rows: EnrolRow[],
  commit: boolean,
): Promise<{ results: EnrolResult[]; enrolled: number; invited: number }> {
  const emails = [...new Set(rows.map((r) => r.email.trim().toLowerCase()).filter((e) => ENROL_EMAIL.test(e)))];
  const users = emails.length
    ? await tx
        .selectFrom('users')
        .select(['id', 'email', 'tenant_id', 'status', 'roles'])
        .where('email', 'in', emails)
        .execute()
    : [];
  const enrolments = users.length
    ? await tx
        .selectFrom('academy_enrolments')
        .select(['user_id', 'cohort_id'])
        .where(
          'user_id',
          'in',
          users.map((u) => u.id),
        )
        .where('course_id', '=', cohort.course_id)
        .where('status', '=', 'active')
        .execute()
    : [];
  const results = classifyEnrolRows(rows, {
    tenantId: p.tenantId,
    cohort,
    places: cohort.capacity - (await enrolledCount(tx, cohort.id)),
    account: (email) => {
      const u = users.find((x) => x.email === email);
      if (!u) return undefined;
      const en = enrolments.find((x) => x.user_id === u.id);
      return { tenantId: u.tenant_id, disabled: u.status === 'disabled', enrolledIn: en?.cohort_id ?? null };
    },
  });
  let enrolled = 0;
  let invited = 0;
  if (commit) {
    for (const res of results.filter((x) => x.outcome !== 'error')) {
      let userId = users.find((x) => x.email === res.email)?.id;
      if (!userId) {
        const inv = await inviteUser(tx, audit, {
          tenantId: p.tenantId,
          email: res.email,
          displayName: rows.find((x) => x.line === res.line)!.name.trim(),
          roles: ['learner'],
          invitedBy: p.userId,
          via: 'academy',
        });
        userId = inv.userId;
        res.link = `/invite/${inv.token}`;
        invited++;
      } else {
        const u = users.find((x) => x.id === userId)!;
        // Enrolling adds only the learner role, which opens no case data.
        if (!u.roles.includes('learner')) {
          await tx
            .updateTable('users')
            .set({ roles: [...u.roles, 'learner'], version: (eb) => eb('version', '+', 1) })
            .where('id', '=', userId)
            .execute();
          await audit.append({
            action: 'user.update',
            entityType: 'user',
            entityId: userId,
            details: { rolesBefore: u.roles.join(','), rolesAfter: [...u.roles, 'learner'].join(','), via: 'academy' },
          });
        }
      }
      const e = await tx
        .insertInto('academy_enrolments')
        .values({
          tenant_id: p.tenantId,
          cohort_id: cohort.id,
          course_id: cohort.course_id,
          user_id: userId,
          enrolled_by: p.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit.append({
        action: 'academy.enrol',
        entityType: 'enrolment',
        entityId: e.id,
        details: { cohort: cohort.id },
      });
      enrolled++;
    }
  }
  return { results, enrolled, invited };
}

/**
 * Enrols learners into a cohort I may manage: one by invitation (an error is a 400 naming `email` or
 * `name`) or a CSV file, previewed (`commit: false`) or committed; the import itself is audited.
 * Links of invited learners are prefixed with `origin`.
 */
export async function enrolLearners(
  s: Services,
  p: Principal,
  requestId: string,
  cohortId: string,
  b: { email: string; name: string } | { csv: string; commit: boolean },
  origin: string,
) {
  await authorize(s, p, requestId, 'cohort.manage', 'cohort');
  const single = 'email' in b;
  const rows = single ? [{ line: 1, email: b.email, name: b.name }] : parseEnrolmentCsv(b.csv);
  if (rows.length === 0)
    throw new AppError('VALIDATION_FAILED', 'the file has no learners', {
      details: [{ path: 'csv', code: 'empty' }],
    });
  const out = await academyTx(s, p, requestId, async (tx, audit) => {
    const co = await visibleCohort(tx, p, cohortId, { lock: true });
    const r = await enrolRows(tx, audit, p, co, rows, single || b.commit);
    if (single && r.results[0]!.outcome === 'error')
      throw new AppError('VALIDATION_FAILED', 'this learner cannot be enrolled', {
        details: [{ path: NAME_CODES.has(r.results[0]!.code!) ? 'name' : 'email', code: r.results[0]!.code! }],
      });
    if (!single && b.commit)
      await audit.append({
        action: 'academy.enrol.import',
        entityType: 'cohort',
        entityId: co.id,
        details: {
          rows: rows.length,
          enrolled: r.enrolled,
          errors: r.results.filter((x) => x.outcome === 'error').length,
        },
      });
    return {
      committed: single || b.commit,
      rows: rows.length,
      ok: r.results.filter((x) => x.outcome !== 'error').length,
      errors: r.results.filter((x) => x.outcome === 'error').length,
      enrolled: r.enrolled,
      invited: r.invited,
      results: r.results,
    };
  });
  for (const r of out.results) if (r.link) r.link = origin + r.link;
  return out;
}

/**
 * Sends a learner's invitation again (a coordinator, for a cohort they may manage): a new one-time
 * link replaces the earlier ones, which stop working. Only for an invitation still pending (else
 * 409 ALREADY_EXISTS); an enrolment outside my cohorts is 404. Audited as `user.invite` (resend).
 */
export async function resendInvitation(
  s: Services,
  p: Principal,
  requestId: string,
  enrolmentId: string,
  origin: string,
): Promise<{ link: string; sentAt: string; expiresAt: string }> {
  await authorize(s, p, requestId, 'cohort.manage', 'cohort');
  if (!/^[0-9a-f-]{36}$/i.test(enrolmentId)) throw new AppError('NOT_FOUND', 'not found');
  const out = await academyTx(s, p, requestId, async (tx, audit) => {
    const en = await tx
      .selectFrom('academy_enrolments as e')
      .innerJoin('users as u', 'u.id', 'e.user_id')
      .select(['e.id', 'e.cohort_id', 'e.user_id', 'u.status'])
      .where('e.id', '=', enrolmentId)
      .where('e.tenant_id', '=', p.tenantId)
      .where('e.status', '=', 'active')
      .executeTakeFirst();
    if (!en) throw new AppError('NOT_FOUND', 'not found');
    await visibleCohort(tx, p, en.cohort_id, { lock: true });
    // Accepted (or the account disabled) meanwhile: nothing to send again (a stable 409).
    if (en.status !== 'invited')
      throw new AppError('ALREADY_EXISTS', 'this learner has already accepted the invitation');
    const now = new Date();
    await tx
      .updateTable('invitations')
      .set({ expires_at: now })
      .where('user_id', '=', en.user_id)
      .where('accepted_at', 'is', null)
      .where('expires_at', '>', now)
      .execute();
    const token = newToken();
    const expiresAt = new Date(now.getTime() + INVITATION_HOURS * 3600_000);
    const inv = await tx
      .insertInto('invitations')
      .values({
        tenant_id: p.tenantId,
        user_id: en.user_id,
        token_hash: tokenHash(token),
        expires_at: expiresAt,
        created_by: p.userId,
      })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    await audit.append({
      action: 'user.invite',
      entityType: 'user',
      entityId: en.user_id,
      details: { via: 'academy', resend: true, enrolment: en.id },
    });
    return {
      link: `/invite/${token}`,
      sentAt: new Date(inv.created_at).toISOString(),
      expiresAt: expiresAt.toISOString(),
    };
  });
  return { ...out, link: origin + out.link };
}
