/**
 * The academy's shared rules on the server: who may see which enrolment, a learner's progress
 * (always recomputed from events by core/completion.ts), and issuing a certificate — with its
 * signed Open Badges credential and the instrument certifications it accredits — the moment a
 * course is complete. Learners never reach case data: nothing here touches case tables.
 */
import crypto from 'node:crypto';
import type { Course, Locale } from '../../../core/academy.ts';
import {
  computeProgress,
  type CompletionRules,
  type CourseProgress,
  type LearningEvent,
} from '../../../core/completion.ts';
import { AppError } from '../../../core/errors.ts';
import type { Principal } from '../../access/principal.ts';
import { auditedTx, type AuditLog } from '../../audit/log.ts';
import { isUuid } from '../../access/scope.ts';
import { academy } from '../../content.ts';
import type { DbOrTx, Tx } from '../../db/schema.ts';
import type { Services } from '../../services.ts';

export function course(): Course {
  return academy().course;
}

/** The completion rules of the course, in the shape the pure function takes. */
export function completionRules(c: Course = course()): CompletionRules {
  return {
    unlock: c.settings.unlock,
    moduleWeeks: c.settings.moduleWeeks,
    quiz: { attempts: c.settings.quiz.attempts, passMark: c.settings.quiz.passMark, grading: c.settings.quiz.grading },
    modules: c.modules.map((m) => ({ id: m.id, lessons: m.lessons.map((l) => l.id), assignment: !!m.assignment })),
  };
}

export interface EnrolmentRow {
  id: string;
  tenant_id: string;
  cohort_id: string;
  user_id: string;
  status: 'active' | 'withdrawn';
  starts_on: string;
  ends_on: string;
  language: Locale;
  cohort_name: string;
  member_state: string;
}

function enrolmentQuery(db: DbOrTx) {
  return db
    .selectFrom('academy_enrolments as e')
    .innerJoin('academy_cohorts as c', 'c.id', 'e.cohort_id')
    .select([
      'e.id',
      'e.tenant_id',
      'e.cohort_id',
      'e.user_id',
      'e.status',
      'c.starts_on',
      'c.ends_on',
      'c.language',
      'c.name as cohort_name',
      'c.member_state',
    ]);
}

/** Whether a path id is a UUID (anything else is a plain 404, never a database error). */
export { isUuid };

/** The learner's own enrolment; anything else (another learner's, another tenant's, withdrawn) is 404. */
export async function ownEnrolment(
  db: DbOrTx,
  p: Principal,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<EnrolmentRow> {
  if (!isUuid(id)) throw new AppError('NOT_FOUND', 'not found');
  let q = enrolmentQuery(db)
    .where('e.id', '=', id)
    .where('e.user_id', '=', p.userId)
    .where('e.tenant_id', '=', p.tenantId)
    .where('e.status', '=', 'active');
  if (opts.lock) q = q.forUpdate('e');
  const row = await q.executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', 'not found');
  return row as EnrolmentRow;
}

/** An enrolment a coordinator (any in the tenant) or a facilitator (their cohorts) may see; else 404. */
export async function staffEnrolment(db: DbOrTx, p: Principal, id: string): Promise<EnrolmentRow> {
  if (!isUuid(id)) throw new AppError('NOT_FOUND', 'not found');
  const row = await enrolmentQuery(db).where('e.id', '=', id).where('e.tenant_id', '=', p.tenantId).executeTakeFirst();
  if (!row || !(await canSeeCohort(db, p, row.cohort_id))) throw new AppError('NOT_FOUND', 'not found');
  return row as EnrolmentRow;
}

/** Coordinators see every cohort of the tenant; facilitators only those they facilitate. */
export async function canSeeCohort(db: DbOrTx, p: Principal, cohortId: string): Promise<boolean> {
  if (!isUuid(cohortId)) return false;
  const c = await db
    .selectFrom('academy_cohorts')
    .select('id')
    .where('id', '=', cohortId)
    .where('tenant_id', '=', p.tenantId)
    .executeTakeFirst();
  if (!c) return false;
  if (p.roles.includes('coordinator')) return true;
  if (!p.roles.includes('facilitator')) return false;
  return !!(await db
    .selectFrom('academy_facilitators')
    .select('user_id')
    .where('cohort_id', '=', cohortId)
    .where('user_id', '=', p.userId)
    .executeTakeFirst());
}

type EventRow = {
  enrolment_id: string;
  kind: LearningEvent['kind'];
  module_id: string;
  ref: string;
  score: number | null;
  passed: boolean | null;
  count: number | null;
  at: Date;
};

function toEvent(r: EventRow): LearningEvent {
  const at = r.at.toISOString();
  switch (r.kind) {
    case 'lesson_completed':
      return { kind: r.kind, at, module: r.module_id, lesson: r.ref };
    case 'quiz_graded':
      return { kind: r.kind, at, module: r.module_id, attemptId: r.ref, score: r.score ?? 0 };
    case 'assignment_graded':
      return { kind: r.kind, at, module: r.module_id, submissionId: r.ref, passed: !!r.passed };
    case 'attempts_granted':
      return { kind: r.kind, at, module: r.module_id, count: r.count ?? 0 };
  }
}

/** The events of several enrolments in one query (reports), grouped per enrolment. */
export async function eventsByEnrolment(db: DbOrTx, enrolmentIds: string[]): Promise<Map<string, LearningEvent[]>> {
  const out = new Map<string, LearningEvent[]>(enrolmentIds.map((id) => [id, []]));
  if (!enrolmentIds.length) return out;
  const rows = await db
    .selectFrom('academy_events')
    .select(['enrolment_id', 'kind', 'module_id', 'ref', 'score', 'passed', 'count', 'at'])
    .where('enrolment_id', 'in', enrolmentIds)
    .orderBy('id')
    .execute();
  for (const r of rows) out.get(r.enrolment_id)!.push(toEvent(r));
  return out;
}

/** The events of one enrolment, in the shape the completion function takes. */
export async function eventsOf(db: DbOrTx, enrolmentId: string): Promise<LearningEvent[]> {
  return (await eventsByEnrolment(db, [enrolmentId])).get(enrolmentId)!;
}

/** A learner's progress, recomputed from events. */
export async function progressOf(
  db: DbOrTx,
  e: Pick<EnrolmentRow, 'id' | 'starts_on'>,
  now = new Date(),
): Promise<CourseProgress> {
  return progressFrom(await eventsOf(db, e.id), e.starts_on, now);
}

/** Progress from already loaded events (reports load many enrolments' events at once). */
export function progressFrom(events: LearningEvent[], startsOn: string, now = new Date()): CourseProgress {
  return computeProgress(completionRules(), events, `${startsOn}T00:00:00.000Z`, now.toISOString());
}

/** The module must be open for this learner (the one gate every learning write passes). */
export function assertOpen(progress: CourseProgress, moduleId: string) {
  const m = progress.modules.find((x) => x.id === moduleId);
  if (!m) throw new AppError('NOT_FOUND', 'no such module');
  if (m.state === 'locked')
    throw new AppError('VALIDATION_FAILED', 'this module is locked', {
      details: [{ path: 'module', code: 'module_locked' }],
    });
  return m;
}

/** Crockford base32 without I, L, O, U: unambiguous when read aloud or typed from paper. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A certificate code: 60 random bits as XXXX-XXXX-XXXX. */
export function newCertificateCode(): string {
  const bytes = crypto.randomBytes(8);
  let n = bytes.readBigUInt64BE() >> 4n;
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

function addMonths(d: Date, months: number): Date {
  const x = new Date(d);
  x.setUTCMonth(x.getUTCMonth() + months);
  return x;
}

/** The deployment's public address, for verification links and the credential issuer. */
export function publicBase(s: Services): string {
  return s.config.publicOrigins[0] ?? 'http://localhost:3000';
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
  const code = newCertificateCode();
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

/** Certificate status at a moment: revoked beats expired beats valid. */
export function certificateStatus(
  row: { revoked_at: Date | null; expires_at: Date },
  now = new Date(),
): 'valid' | 'expired' | 'revoked' {
  return row.revoked_at ? 'revoked' : row.expires_at <= now ? 'expired' : 'valid';
}

/** Runs academy work in one transaction with its audit log. */
export function academyTx<R>(
  s: Services,
  p: Principal,
  requestId: string,
  fn: (tx: Tx, audit: AuditLog) => Promise<R>,
): Promise<R> {
  return auditedTx(s.db, { tenantId: p.tenantId, userId: p.userId, requestId }, fn);
}
