/**
 * The coordinator's and facilitator's side of the academy: cohorts, enrolment by invitation or CSV
 * (preview, per-row errors, all-or-nothing for the good rows), progress per cohort and country with
 * CSV export, grading assignments with a rubric, extra quiz attempts, certificate revocation.
 * Coordinators see every cohort of their tenant; facilitators only theirs; everyone else gets 404/403.
 */
import crypto from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { LOCALES } from '../../../core/academy.ts';
import { AppError, type ErrorDetail } from '../../../core/errors.ts';
import { humanName, nameProblem } from '../../../core/text.ts';
import type { Principal } from '../../access/principal.ts';
import { authorize } from '../../access/policy.ts';
import type { AuditLog } from '../../audit/log.ts';
import type { DbOrTx, Tx } from '../../db/schema.ts';
import { errors, etag, ifMatch, jsonBody, jsonResponse, requireUser, router } from '../../http/openapi.ts';
import type { Services } from '../../services.ts';
import { newToken } from '../auth/service.ts';
import { tokenHash } from '../auth/sessions.ts';
import { INVITATION_HOURS } from '../users/service.ts';
import { recordAndProgress } from './learner.ts';
import { openAcademyText, sealAcademyText } from './text-crypto.ts';
import {
  academyTx,
  canSeeCohort,
  course,
  eventsByEnrolment,
  isUuid,
  progressFrom,
  progressOf,
  staffEnrolment,
} from './service.ts';

const tags = ['academy'];
const IdParam = z.object({ id: z.string().max(64) });
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const CohortInput = z.strictObject({
  name: humanName(120),
  memberState: z.string().regex(/^[A-Z]{2}$/, 'a two-letter country code (ISO 3166)'),
  language: z.enum(LOCALES),
  startsOn: Day,
  endsOn: Day,
  capacity: z.number().int().min(1).max(5000),
  facilitatorIds: z.array(z.uuid()).max(20).default([]),
});

/** The end date may not come before the start (a stable code for the form). */
function checkDates(b: { startsOn: string; endsOn: string }) {
  if (b.endsOn < b.startsOn)
    throw new AppError('VALIDATION_FAILED', 'the end date comes before the start date', {
      details: [{ path: 'endsOn', code: 'before_start' }],
    });
}
const EMAIL = /^[^\s@<>(),;:"[\]]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
/** Row codes that are about the learner's name (the single invitation reports them on `name`). */
const NAME_CODES = new Set(['name_required', 'control_character', 'bidi_control', 'invisible_character']);

async function visibleCohort(tx: DbOrTx, p: Principal, id: string, opts: { lock?: boolean } = {}) {
  if (!(await canSeeCohort(tx, p, id))) throw new AppError('NOT_FOUND', 'not found');
  let q = tx.selectFrom('academy_cohorts').selectAll().where('id', '=', id);
  if (opts.lock) q = q.forUpdate();
  return q.executeTakeFirstOrThrow();
}

function cohortView(
  c: {
    id: string;
    name: string;
    member_state: string;
    language: string;
    starts_on: string;
    ends_on: string;
    capacity: number;
    version: number;
    course_id: string;
  },
  extra: Record<string, unknown> = {},
) {
  return {
    id: c.id,
    courseId: c.course_id,
    name: c.name,
    memberState: c.member_state,
    language: c.language,
    startsOn: c.starts_on,
    endsOn: c.ends_on,
    capacity: c.capacity,
    version: c.version,
    ...extra,
  };
}

async function checkFacilitators(tx: Tx, p: Principal, ids: string[]) {
  if (!ids.length) return;
  const rows = await tx
    .selectFrom('users')
    .select(['id', 'roles'])
    .where('tenant_id', '=', p.tenantId)
    .where('id', 'in', ids)
    .where('status', '!=', 'disabled')
    .execute();
  const bad = ids
    .map((id, i) => ({ id, i }))
    .filter(({ id }) => !rows.some((r) => r.id === id && r.roles.includes('facilitator')));
  if (bad.length)
    throw new AppError('VALIDATION_FAILED', 'facilitators must be active users with the facilitator role', {
      details: bad.map(({ i }) => ({ path: `facilitatorIds.${i}`, code: 'not_facilitator' })),
    });
}

export interface EnrolRow {
  line: number;
  email: string;
  name: string;
  cohort?: string;
}
export interface EnrolResult {
  line: number;
  email: string;
  outcome: 'enrol' | 'invite' | 'error';
  code?: string;
  link?: string;
}

/**
 * Checks every row, then (when committing) enrols all good rows in the caller's transaction.
 * Bad rows are reported and never enrolled; a database failure rolls the whole import back.
 */
export async function enrolRows(
  s: Services,
  tx: Tx,
  audit: AuditLog,
  p: Principal,
  cohort: { id: string; name: string; capacity: number; course_id: string },
  rows: EnrolRow[],
  commit: boolean,
): Promise<{ results: EnrolResult[]; enrolled: number; invited: number }> {
  const seen = new Set<string>();
  const emails = [...new Set(rows.map((r) => r.email.trim().toLowerCase()).filter((e) => EMAIL.test(e)))];
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
  const taken = Number(
    (
      await tx
        .selectFrom('academy_enrolments')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('cohort_id', '=', cohort.id)
        .where('status', '=', 'active')
        .executeTakeFirstOrThrow()
    ).n,
  );
  let places = cohort.capacity - taken;
  const results: EnrolResult[] = [];
  for (const r of rows) {
    const email = r.email.trim().toLowerCase();
    const name = r.name.trim();
    const fail = (code: string) => results.push({ line: r.line, email, outcome: 'error', code });
    // An address is shown to staff in reports: no controls or invisible characters in it either.
    if (!EMAIL.test(email) || email.length > 254 || nameProblem(email)) {
      fail('invalid_email');
      continue;
    }
    if (seen.has(email)) {
      fail('duplicate');
      continue;
    }
    seen.add(email);
    if (
      r.cohort !== undefined &&
      r.cohort.trim() !== '' &&
      r.cohort.trim() !== cohort.name &&
      r.cohort.trim() !== cohort.id
    ) {
      fail('wrong_cohort');
      continue;
    }
    const u = users.find((x) => x.email === email);
    if (u && u.tenant_id !== p.tenantId) {
      fail('email_taken');
      continue;
    }
    if (u && u.status === 'disabled') {
      fail('account_disabled');
      continue;
    }
    const en = u ? enrolments.find((x) => x.user_id === u.id) : undefined;
    if (en) {
      fail(en.cohort_id === cohort.id ? 'already_enrolled' : 'enrolled_elsewhere');
      continue;
    }
    if (!u && (name.length < 1 || name.length > 200)) {
      fail('name_required');
      continue;
    }
    const bad = u ? null : nameProblem(name);
    if (bad) {
      fail(bad);
      continue;
    }
    if (places <= 0) {
      fail('over_capacity');
      continue;
    }
    places--;
    results.push({ line: r.line, email, outcome: u ? 'enrol' : 'invite' });
  }
  let enrolled = 0;
  let invited = 0;
  if (commit) {
    for (const res of results.filter((x) => x.outcome !== 'error')) {
      let userId = users.find((x) => x.email === res.email)?.id;
      if (!userId) {
        const name = rows.find((x) => x.line === res.line)!.name.trim();
        userId = (
          await tx
            .insertInto('users')
            .values({
              tenant_id: p.tenantId,
              email: res.email,
              display_name: name,
              roles: ['learner'],
              status: 'invited',
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
        const token = newToken();
        await tx
          .insertInto('invitations')
          .values({
            tenant_id: p.tenantId,
            user_id: userId,
            token_hash: tokenHash(token),
            expires_at: new Date(Date.now() + INVITATION_HOURS * 3600_000),
            created_by: p.userId,
          })
          .execute();
        res.link = `/invite/${token}`;
        invited++;
        await audit.append({
          action: 'user.invite',
          entityType: 'user',
          entityId: userId,
          details: { roles: 'learner', via: 'academy' },
        });
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

/** Parses an enrolment CSV (header row with email, name and optionally cohort); line numbers count the header as 1. */
export function parseEnrolmentCsv(text: string): EnrolRow[] {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      relax_column_count: true,
      skip_empty_lines: false,
      trim: true,
    }) as string[][];
  } catch (e) {
    throw new AppError('VALIDATION_FAILED', 'the file is not valid CSV', {
      details: [{ path: 'csv', code: 'csv_syntax', message: e instanceof Error ? e.message.slice(0, 200) : undefined }],
    });
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const col = (n: string) => header.indexOf(n);
  if (col('email') < 0 || col('name') < 0)
    throw new AppError(
      'VALIDATION_FAILED',
      'the first row must name the columns email and name (and optionally cohort)',
      { details: [{ path: 'csv', code: 'missing_columns', line: 1 }] as ErrorDetail[] },
    );
  if (records.length > 2001)
    throw new AppError('VALIDATION_FAILED', 'at most 2,000 learners per file', {
      details: [{ path: 'csv', code: 'too_many_rows' }],
    });
  const out: EnrolRow[] = [];
  records.slice(1).forEach((r, i) => {
    if (r.every((x) => x === '')) return;
    out.push({
      line: i + 2,
      email: r[col('email')] ?? '',
      name: r[col('name')] ?? '',
      ...(col('cohort') >= 0 ? { cohort: r[col('cohort')] ?? '' } : {}),
    });
  });
  return out;
}

/** The cohorts a coordinator (all of the tenant's) or a facilitator (their own) may see, newest first. */
async function visibleCohorts(s: Services, p: Principal) {
  let q = s.db
    .selectFrom('academy_cohorts as c')
    .selectAll('c')
    .where('c.tenant_id', '=', p.tenantId)
    .orderBy('c.starts_on', 'desc')
    .orderBy('c.id');
  if (!p.roles.includes('coordinator'))
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('academy_facilitators as f')
          .select('f.user_id')
          .whereRef('f.cohort_id', '=', 'c.id')
          .where('f.user_id', '=', p.userId),
      ),
    );
  return q.execute();
}

/** Every learner's row in the reports of these cohorts (one query for the people, one for their events). */
async function reportRows(s: Services, cohortIds: string | string[]) {
  const ids = typeof cohortIds === 'string' ? [cohortIds] : cohortIds;
  if (ids.length === 0) return [];
  const rows = await s.db
    .selectFrom('academy_enrolments as e')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .innerJoin('academy_cohorts as c', 'c.id', 'e.cohort_id')
    .leftJoin('academy_certificates as cert', 'cert.enrolment_id', 'e.id')
    .select([
      'e.id',
      'e.cohort_id',
      'u.display_name',
      'u.email',
      'u.status as account',
      'c.starts_on',
      'c.member_state',
      'cert.code as certificate',
      'cert.id as certificate_id',
      'cert.revoked_at as certificate_revoked_at',
    ])
    .where('e.cohort_id', 'in', ids)
    .where('e.status', '=', 'active')
    .orderBy('u.display_name')
    .execute();
  const now = new Date();
  const events = await eventsByEnrolment(
    s.db,
    rows.map((r) => r.id),
  );
  const out = [];
  for (const r of rows) {
    const pr = progressFrom(events.get(r.id)!, r.starts_on, now);
    out.push({
      cohortId: r.cohort_id,
      enrolmentId: r.id,
      name: r.display_name,
      email: r.email,
      account: r.account,
      memberState: r.member_state,
      modulesComplete: pr.modules.filter((m) => m.state === 'complete').length,
      modulesTotal: pr.modules.length,
      current: pr.current,
      overdue: pr.modules.some((m) => m.overdue),
      grades: Object.fromEntries(pr.modules.map((m) => [m.id, m.quiz.grade])),
      complete: pr.complete,
      certificate: r.certificate,
      certificateId: r.certificate_id,
      certificateRevoked: !!r.certificate_revoked_at,
    });
  }
  return out;
}

/** A CSV cell, quoted, with formula-looking text defused (CSV injection). */
function cell(v: unknown): string {
  let t = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(t)) t = `'${t}`;
  return `"${t.replace(/"/g, '""')}"`;
}

/** Routes under /api/v1/academy for coordinators and facilitators. */
export function staffRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/cohorts',
      tags,
      summary: 'Cohorts I may see, with enrolment counts, progress and overdue learners',
      responses: {
        200: jsonResponse(z.object({ items: z.array(z.record(z.string(), z.unknown())) })),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'cohort.read', 'cohort');
      const cohorts = await visibleCohorts(s, p);
      const rows = await reportRows(
        s,
        cohorts.map((co) => co.id),
      );
      const items = cohorts.map((co) => {
        const mine = rows.filter((r) => r.cohortId === co.id);
        return cohortView(co, {
          enrolled: mine.length,
          completed: mine.filter((r) => r.complete).length,
          overdue: mine.filter((r) => r.overdue).length,
        });
      });
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/academy/cohorts',
      tags,
      summary: 'Create a cohort (member state, intake dates, language, capacity, facilitators)',
      request: { body: jsonBody(CohortInput) },
      responses: {
        201: jsonResponse(z.record(z.string(), z.unknown())),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'VALIDATION_FAILED'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'cohort.manage', 'cohort');
      const b = c.req.valid('json');
      checkDates(b);
      const out = await academyTx(s, p, c.get('requestId'), async (tx, audit) => {
        await checkFacilitators(tx, p, b.facilitatorIds);
        const row = await tx
          .insertInto('academy_cohorts')
          .values({
            tenant_id: p.tenantId,
            course_id: course().settings.id,
            name: b.name,
            member_state: b.memberState,
            language: b.language,
            starts_on: b.startsOn,
            ends_on: b.endsOn,
            capacity: b.capacity,
            created_by: p.userId,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        for (const f of b.facilitatorIds)
          await tx
            .insertInto('academy_facilitators')
            .values({ cohort_id: row.id, user_id: f, tenant_id: p.tenantId })
            .execute();
        await audit.append({
          action: 'academy.cohort.create',
          entityType: 'cohort',
          entityId: row.id,
          details: { memberState: b.memberState },
        });
        return cohortView(row, { facilitatorIds: b.facilitatorIds });
      });
      etag(c, out.version);
      return c.json(out, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/cohorts/{id}',
      tags,
      summary: 'A cohort with its facilitators and every learner’s progress',
      request: { params: IdParam },
      responses: {
        200: jsonResponse(z.record(z.string(), z.unknown())),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'cohort.read', 'cohort');
      const co = await visibleCohort(s.db, p, c.req.valid('param').id);
      await academyTx(s, p, c.get('requestId'), (_tx, audit) =>
        audit.append({ action: 'academy.cohort.read', entityType: 'cohort', entityId: co.id }),
      );
      const facilitators = await s.db
        .selectFrom('academy_facilitators as f')
        .innerJoin('users as u', 'u.id', 'f.user_id')
        .select(['u.id', 'u.display_name'])
        .where('f.cohort_id', '=', co.id)
        .execute();
      const learners = await reportRows(s, co.id);
      etag(c, co.version);
      return c.json(
        cohortView(co, {
          facilitators: facilitators.map((f) => ({ id: f.id, name: f.display_name })),
          learners,
          modules: course().modules.map((m) => ({ id: m.id, title: m.title })),
        }),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/academy/cohorts/{id}',
      tags,
      summary: 'Change a cohort (If-Match)',
      request: { params: IdParam, body: jsonBody(CohortInput) },
      responses: {
        200: jsonResponse(z.record(z.string(), z.unknown())),
        ...errors(
          'UNAUTHENTICATED',
          'FORBIDDEN',
          'NOT_FOUND',
          'VALIDATION_FAILED',
          'VERSION_CONFLICT',
          'PRECONDITION_REQUIRED',
        ),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      const version = ifMatch(c);
      await authorize(s, p, c.get('requestId'), 'cohort.manage', 'cohort');
      const b = c.req.valid('json');
      checkDates(b);
      const out = await academyTx(s, p, c.get('requestId'), async (tx, audit) => {
        const co = await visibleCohort(tx, p, c.req.valid('param').id, { lock: true });
        if (co.version !== version)
          throw new AppError('VERSION_CONFLICT', 'this cohort changed since you opened it', {
            details: [{ path: 'version', code: `current:${co.version}` }],
          });
        // Progress is computed from the start date: once learners have progress, moving it would rewrite their history.
        if (b.startsOn !== co.starts_on) {
          const started = await tx
            .selectFrom('academy_events as ev')
            .innerJoin('academy_enrolments as en', 'en.id', 'ev.enrolment_id')
            .select('ev.id')
            .where('en.cohort_id', '=', co.id)
            .limit(1)
            .executeTakeFirst();
          if (started)
            throw new AppError('VALIDATION_FAILED', 'learners have progress; the start date can no longer change', {
              details: [{ path: 'startsOn', code: 'cohort_started' }],
            });
        }
        const taken = Number(
          (
            await tx
              .selectFrom('academy_enrolments')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .where('cohort_id', '=', co.id)
              .where('status', '=', 'active')
              .executeTakeFirstOrThrow()
          ).n,
        );
        if (b.capacity < taken)
          throw new AppError('VALIDATION_FAILED', 'capacity cannot be below the learners already enrolled', {
            details: [{ path: 'capacity', code: `min:${taken}` }],
          });
        await checkFacilitators(tx, p, b.facilitatorIds);
        const row = await tx
          .updateTable('academy_cohorts')
          .set({
            name: b.name,
            member_state: b.memberState,
            language: b.language,
            starts_on: b.startsOn,
            ends_on: b.endsOn,
            capacity: b.capacity,
            version: co.version + 1,
          })
          .where('id', '=', co.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await tx.deleteFrom('academy_facilitators').where('cohort_id', '=', co.id).execute();
        for (const f of b.facilitatorIds)
          await tx
            .insertInto('academy_facilitators')
            .values({ cohort_id: co.id, user_id: f, tenant_id: p.tenantId })
            .execute();
        await audit.append({ action: 'academy.cohort.update', entityType: 'cohort', entityId: co.id });
        return cohortView(row, { facilitatorIds: b.facilitatorIds });
      });
      etag(c, out.version);
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/academy/cohorts/{id}/enrolments',
      tags,
      summary:
        'Enrol learners: one by invitation ({email, name}) or a CSV file ({csv, commit}); per-row results; good rows all or nothing',
      request: {
        params: IdParam,
        body: jsonBody(
          z.union([
            z.strictObject({ email: z.string().max(254), name: z.string().max(200) }),
            z.strictObject({ csv: z.string().min(1).max(200_000), commit: z.boolean() }),
          ]),
        ),
      },
      responses: {
        200: jsonResponse(z.record(z.string(), z.unknown())),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'cohort.manage', 'cohort');
      const b = c.req.valid('json');
      const single = 'email' in b;
      const rows = single ? [{ line: 1, email: b.email, name: b.name }] : parseEnrolmentCsv(b.csv);
      if (rows.length === 0)
        throw new AppError('VALIDATION_FAILED', 'the file has no learners', {
          details: [{ path: 'csv', code: 'empty' }],
        });
      const out = await academyTx(s, p, c.get('requestId'), async (tx, audit) => {
        const co = await visibleCohort(tx, p, c.req.valid('param').id, { lock: true });
        const r = await enrolRows(s, tx, audit, p, co, rows, single || b.commit);
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
      const origin = s.config.publicOrigins[0] ?? '';
      for (const r of out.results) if (r.link) r.link = origin + r.link;
      return c.json(out, 200);
    },
  );

  app.get('/academy/cohorts/:id/progress.csv', async (c) => {
    const p = requireUser(c);
    const s = c.get('services');
    await authorize(s, p, c.get('requestId'), 'cohort.read', 'cohort');
    const co = await visibleCohort(s.db, p, c.req.param('id'));
    const rows = await reportRows(s, co.id);
    const mods = course().modules.map((m) => m.id);
    const lines = [
      [
        'name',
        'email',
        'member_state',
        'modules_complete',
        'modules_total',
        'current_module',
        'overdue',
        ...mods.map((m) => `quiz_${m}`),
        'complete',
        'certificate',
      ]
        .map(cell)
        .join(','),
    ];
    for (const r of rows)
      lines.push(
        [
          r.name,
          r.email,
          r.memberState,
          r.modulesComplete,
          r.modulesTotal,
          r.current,
          r.overdue,
          ...mods.map((m) => r.grades[m]),
          r.complete,
          r.certificate,
        ]
          .map(cell)
          .join(','),
      );
    await academyTx(s, p, c.get('requestId'), (_tx, audit) =>
      audit.append({
        action: 'academy.report.export',
        entityType: 'cohort',
        entityId: co.id,
        details: { rows: rows.length },
      }),
    );
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="cohort-${co.id.slice(0, 8)}-progress.csv"`);
    return c.body('\uFEFF' + lines.join('\r\n') + '\r\n');
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/reports/countries',
      tags,
      summary: 'Progress per member state across the cohorts I may see',
      responses: {
        200: jsonResponse(z.object({ items: z.array(z.record(z.string(), z.unknown())) })),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'cohort.read', 'cohort');
      const cohorts = await visibleCohorts(s, p);
      const rows = await reportRows(
        s,
        cohorts.map((co) => co.id),
      );
      const by = new Map<
        string,
        { memberState: string; cohorts: number; learners: number; completed: number; overdue: number }
      >();
      for (const co of cohorts) {
        const mine = rows.filter((r) => r.cohortId === co.id);
        const x = by.get(co.member_state) ?? {
          memberState: co.member_state,
          cohorts: 0,
          learners: 0,
          completed: 0,
          overdue: 0,
        };
        x.cohorts++;
        x.learners += mine.length;
        x.completed += mine.filter((r) => r.complete).length;
        x.overdue += mine.filter((r) => r.overdue).length;
        by.set(co.member_state, x);
      }
      return c.json({ items: [...by.values()].sort((a, b) => a.memberState.localeCompare(b.memberState)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/facilitators',
      tags,
      summary: 'Active users with the facilitator role (to choose for a cohort)',
      responses: {
        200: jsonResponse(z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) })),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'cohort.manage', 'cohort');
      const rows = await s.db
        .selectFrom('users')
        .select(['id', 'display_name'])
        .where('tenant_id', '=', p.tenantId)
        .where('status', '=', 'active')
        .where(sql<boolean>`'facilitator' = any(roles)`)
        .orderBy('display_name')
        .limit(500)
        .execute();
      return c.json({ items: rows.map((r) => ({ id: r.id, name: r.display_name })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/grading',
      tags,
      summary: 'Assignment answers waiting for grading in cohorts I may see (oldest first)',
      responses: {
        200: jsonResponse(z.object({ items: z.array(z.record(z.string(), z.unknown())) })),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'academy.grade', 'submission');
      let q = s.db
        .selectFrom('academy_submissions as x')
        .innerJoin('academy_enrolments as e', 'e.id', 'x.enrolment_id')
        .innerJoin('academy_cohorts as co', 'co.id', 'e.cohort_id')
        .innerJoin('users as u', 'u.id', 'x.user_id')
        .select([
          'x.id',
          'x.module_id',
          'x.submitted_at',
          'u.display_name',
          'co.name as cohort_name',
          'co.id as cohort_id',
        ])
        .where('x.tenant_id', '=', p.tenantId)
        .where('x.status', '=', 'submitted')
        .orderBy('x.submitted_at');
      if (!p.roles.includes('coordinator'))
        q = q.where((eb) =>
          eb.exists(
            eb
              .selectFrom('academy_facilitators as f')
              .select('f.user_id')
              .whereRef('f.cohort_id', '=', 'co.id')
              .where('f.user_id', '=', p.userId),
          ),
        );
      const rows = await q.limit(200).execute();
      const mods = course().modules;
      return c.json(
        {
          items: rows.map((r) => {
            const m = mods.find((x) => x.id === r.module_id);
            return {
              id: r.id,
              moduleId: r.module_id,
              modulePosition: mods.findIndex((x) => x.id === r.module_id) + 1,
              moduleTitle: m?.title ?? null,
              assignmentTitle: m?.assignment?.title ?? null,
              submittedAt: r.submitted_at.toISOString(),
              learner: r.display_name,
              cohort: { id: r.cohort_id, name: r.cohort_name },
            };
          }),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/submissions/{id}',
      tags,
      summary: 'One assignment answer with the scenario and rubric, for grading',
      request: { params: IdParam },
      responses: {
        200: jsonResponse(z.record(z.string(), z.unknown())),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'academy.grade', 'submission');
      const x = await submissionFor(s, p, c.req.valid('param').id);
      const { body, feedback } = await academyTx(s, p, c.get('requestId'), async (tx, audit) => {
        await audit.append({ action: 'academy.submission.read', entityType: 'submission', entityId: x.id });
        const ref = (field: 'body' | 'feedback') => ({
          tenantId: x.tenant_id,
          table: 'academy_submissions' as const,
          field,
          rowId: x.id,
        });
        return {
          body: await openAcademyText(s.fields, ref('body'), x.body, x.body_legacy, tx),
          feedback: await openAcademyText(s.fields, ref('feedback'), x.feedback, x.feedback_legacy, tx),
        };
      });
      const mod = course().modules.find((m) => m.id === x.module_id)!;
      etag(c, x.version);
      return c.json(
        {
          id: x.id,
          moduleId: x.module_id,
          learner: x.display_name,
          body,
          submittedAt: x.submitted_at.toISOString(),
          status: x.status,
          rubric: x.rubric,
          feedback,
          passed: x.passed,
          version: x.version,
          assignment: mod.assignment,
          passRatio: course().settings.assignment.passRatio,
        } as Record<string, unknown>,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/academy/submissions/{id}/grade',
      tags,
      summary: 'Grade an answer with the rubric and feedback (If-Match); passing counts towards completion',
      request: {
        params: IdParam,
        body: jsonBody(
          z.strictObject({
            rubric: z.record(z.string().max(40), z.number().int().min(0).max(10)),
            feedback: z.string().trim().min(1).max(5000),
          }),
        ),
      },
      responses: {
        200: jsonResponse(z.record(z.string(), z.unknown())),
        ...errors(
          'UNAUTHENTICATED',
          'FORBIDDEN',
          'NOT_FOUND',
          'VALIDATION_FAILED',
          'VERSION_CONFLICT',
          'PRECONDITION_REQUIRED',
        ),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      const version = ifMatch(c);
      await authorize(s, p, c.get('requestId'), 'academy.grade', 'submission');
      const b = c.req.valid('json');
      const out = await academyTx(s, p, c.get('requestId'), async (tx, audit) => {
        const x = await submissionFor(s, p, c.req.valid('param').id, tx, true);
        if (x.user_id === p.userId)
          throw new AppError('FORBIDDEN', 'you cannot grade your own answer', {
            details: [{ path: 'id', code: 'own_answer' }],
          });
        if (x.status !== 'submitted')
          throw new AppError('VALIDATION_FAILED', 'this answer is already graded', {
            details: [{ path: 'status', code: 'already_graded' }],
          });
        if (x.version !== version)
          throw new AppError('VERSION_CONFLICT', 'this answer changed since you opened it', {
            details: [{ path: 'version', code: `current:${x.version}` }],
          });
        const rubric = course().modules.find((m) => m.id === x.module_id)!.assignment!.rubric;
        const problems: ErrorDetail[] = [];
        for (const r of rubric) {
          const v = b.rubric[r.id];
          if (v === undefined) problems.push({ path: `rubric.${r.id}`, code: 'required' });
          else if (v > r.maxPoints) problems.push({ path: `rubric.${r.id}`, code: `max:${r.maxPoints}` });
        }
        for (const k of Object.keys(b.rubric))
          if (!rubric.some((r) => r.id === k)) problems.push({ path: `rubric.${k}`, code: 'unknown_criterion' });
        if (problems.length)
          throw new AppError('VALIDATION_FAILED', 'the rubric is incomplete or out of range', { details: problems });
        const points = rubric.reduce((sum, r) => sum + b.rubric[r.id]!, 0);
        const max = rubric.reduce((sum, r) => sum + r.maxPoints, 0);
        const passed = points / max >= course().settings.assignment.passRatio;
        const feedback = await sealAcademyText(
          s.fields,
          { tenantId: x.tenant_id, table: 'academy_submissions', field: 'feedback', rowId: x.id },
          b.feedback,
          tx,
        );
        const done = await tx
          .updateTable('academy_submissions')
          .set({
            status: 'graded',
            rubric: JSON.stringify(b.rubric),
            feedback,
            feedback_legacy: null,
            passed,
            graded_by: p.userId,
            graded_at: new Date(),
            version: x.version + 1,
          })
          .where('id', '=', x.id)
          .where('version', '=', version)
          .where('status', '=', 'submitted')
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1)
          throw new AppError('VERSION_CONFLICT', 'this answer changed since you opened it', {
            details: [{ path: 'version', code: 'stale' }],
          });
        await audit.append({
          action: 'academy.submission.grade',
          entityType: 'submission',
          entityId: x.id,
          details: { passed },
        });
        const e = await staffEnrolment(tx, p, x.enrolment_id);
        const r = await recordAndProgress(s, tx, audit, e, {
          kind: 'assignment_graded',
          module_id: x.module_id,
          ref: x.id,
          passed,
        });
        return { id: x.id, passed, points, max, certificateId: r.certificateId };
      });
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/academy/enrolments/{id}/grants',
      tags,
      summary: 'Give a learner extra quiz attempts for a module',
      request: {
        params: IdParam,
        body: jsonBody(z.strictObject({ moduleId: z.string().max(40), count: z.number().int().min(1).max(5) })),
      },
      responses: {
        200: jsonResponse(z.record(z.string(), z.unknown())),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'cohort.manage', 'enrolment');
      const b = c.req.valid('json');
      if (!course().modules.some((m) => m.id === b.moduleId))
        throw new AppError('VALIDATION_FAILED', 'no such module', {
          details: [{ path: 'moduleId', code: 'unknown_module' }],
        });
      const out = await academyTx(s, p, c.get('requestId'), async (tx, audit) => {
        const e = await staffEnrolment(tx, p, c.req.valid('param').id);
        if (e.user_id === p.userId)
          throw new AppError('FORBIDDEN', 'you cannot grant attempts to yourself', {
            details: [{ path: 'id', code: 'own_enrolment' }],
          });
        await tx.selectFrom('academy_enrolments').select('id').where('id', '=', e.id).forUpdate().execute();
        await tx
          .insertInto('academy_events')
          .values({
            tenant_id: e.tenant_id,
            enrolment_id: e.id,
            kind: 'attempts_granted',
            module_id: b.moduleId,
            ref: `grant:${crypto.randomUUID()}`,
            count: b.count,
            score: null,
            passed: null,
          })
          .execute();
        await audit.append({
          action: 'academy.attempts.grant',
          entityType: 'enrolment',
          entityId: e.id,
          details: { module: b.moduleId, count: b.count },
        });
        return progressOf(tx, e);
      });
      return c.json(out as unknown as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/academy/certificates/{id}/revoke',
      tags,
      summary: 'Revoke a certificate (and the certifications it accredited), with a reason',
      request: { params: IdParam, body: jsonBody(z.strictObject({ reason: z.string().trim().min(3).max(500) })) },
      responses: {
        204: { description: 'Revoked' },
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'certificate.revoke', 'certificate');
      const id = c.req.valid('param').id;
      await academyTx(s, p, c.get('requestId'), async (tx, audit) => {
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
        const reason = await sealAcademyText(
          s.fields,
          { tenantId: p.tenantId, table: 'academy_certificates', field: 'revoked_reason', rowId: id },
          c.req.valid('json').reason,
          tx,
        );
        await tx
          .updateTable('academy_certificates')
          .set({ revoked_at: now, revoked_reason: reason })
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
      return c.body(null, 204);
    },
  );

  return app;
}

async function submissionFor(s: Services, p: Principal, id: string, tx: DbOrTx = s.db, lock = false) {
  let q = tx
    .selectFrom('academy_submissions as x')
    .innerJoin('users as u', 'u.id', 'x.user_id')
    .innerJoin('academy_enrolments as e', 'e.id', 'x.enrolment_id')
    .selectAll('x')
    .select(['u.display_name', 'e.cohort_id'])
    .where('x.id', '=', id)
    .where('x.tenant_id', '=', p.tenantId);
  if (lock) q = q.forUpdate('x');
  const x = isUuid(id) ? await q.executeTakeFirst() : undefined;
  if (!x || !(await canSeeCohort(tx, p, x.cohort_id))) throw new AppError('NOT_FOUND', 'not found');
  return x;
}
