/**
 * Synthetic data for the bench: one tenant, 10 teams, a case manager in team 0, N participants spread
 * over the teams (encrypted identity with its blind index, encrypted notes), S sessions, an academy
 * cohort of 200 learners with progress, and the accounts each scenario signs in as. Written as the
 * schema owner where row-level security would need a tenant-bound transaction (bulk rows only).
 */
import crypto from 'node:crypto';
import type pg from 'pg';
import type { Services } from '../src/server/services.ts';
import type { Db } from '../src/server/db/schema.ts';
import type { Config } from '../src/server/config.ts';
import { ensureChains } from '../src/server/audit/log.ts';
import { createLoginSession } from '../src/server/modules/auth/login-sessions.ts';
import { participantCode } from '../src/core/codes.ts';
import { indexValues } from '../src/core/normalise.ts';
import { academy, frameworkTemplates } from '../src/server/content.ts';
import { progressBar } from '../src/cli/progress.ts';

/** Everything the scenarios need to address the data (ids and session cookies); plain JSON. */
export interface Fixtures {
  tenantId: string;
  teamIds: string[];
  programId: string;
  /** The case manager (team 0). */
  userId: string;
  /** Participants of team 0 (the case manager's caseload), at most 2,000. */
  mine: string[];
  /** Codes of team-0 participants, for code search. */
  codes: string[];
  /** Identities of team-0 participants, for the duplicate search. */
  identities: { givenName: string; familyName: string; dateOfBirth: string }[];
  cohortId: string;
  enrolmentId: string;
  courseId: string;
  /** The first module and its first lesson (open to a learner without progress). */
  moduleId: string;
  lessonId: string;
  cookies: { caseManager: string; learner: string; coordinator: string; dpo: string };
  /**
   * More case managers of team 0, for the duplicate search: it allows 30 searches a minute per account
   * (against enumeration), so the bench spreads its searches over these accounts.
   */
  searchers: { id: string; cookie: string }[];
  /** Plan goals made through the API for goal-edit (bench/run.ts): per API connection, per floor client, one recorded. */
  goals?: { id: string; participant: string; version: number }[];
  /** Open quiz items of the learner's attempt, with an answer each, for quiz-autosave. */
  quiz?: { attemptId: string; itemId: string; answer: unknown }[];
}

const GIVEN = ['Amina', 'Yusuf', 'Fatima', 'Omar', 'Layla', 'Hassan', 'Zainab', 'Ibrahim', 'Maryam', 'Khalid'];
const FAMILY = ['Haddad', 'Rahman', 'Qureshi', 'Bakr', 'Nasser', 'Siddiqui', 'Farah', 'Karim', 'Aziz', 'Saleh'];

/** The synthetic identity of participant number `n` (deterministic, so the search finds real matches). */
export function identityOf(n: number): { givenName: string; familyName: string; dateOfBirth: string } {
  const day = String(1 + (n % 28)).padStart(2, '0');
  const month = String(1 + (Math.floor(n / 28) % 12)).padStart(2, '0');
  return {
    givenName: `${GIVEN[n % GIVEN.length]}${Math.floor(n / 100)}`,
    familyName: `${FAMILY[Math.floor(n / 10) % FAMILY.length]}`,
    dateOfBirth: `${1970 + (n % 35)}-${month}-${day}`,
  };
}

/** Generates the data set and returns its fixtures. `owner` writes the bulk rows. */
export async function generate(
  s: Services,
  owner: { db: Db; pool: pg.Pool },
  config: Config,
  opts: { participants: number; sessions: number; searchers: number; quiet?: boolean },
): Promise<Fixtures> {
  const N = opts.participants;
  const SESSIONS = opts.sessions;
  const slug = `bench-${crypto.randomBytes(3).toString('hex')}`;
  const tenant = await s.db
    .insertInto('tenants')
    .values({ slug, name: 'Bench (synthetic)' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ensureChains(s.db, tenant.id);
  await s.fields.ensureTenantKey(s.db, tenant.id);
  const teams = await s.db
    .insertInto('teams')
    .values(Array.from({ length: 10 }, (_, i) => ({ tenant_id: tenant.id, name: `Team ${i}` })))
    .returning('id')
    .execute();
  const staff = async (role: string, name: string) =>
    s.db
      .insertInto('users')
      .values({
        tenant_id: tenant.id,
        email: `${name}@${slug}.example`,
        display_name: `Bench ${name}`,
        roles: [role],
        status: 'active',
        is_demo: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  const user = await staff('case_manager', 'cm');
  const dpo = await staff('dpo', 'dpo');
  const coordinator = await staff('coordinator', 'coord');
  await s.db
    .insertInto('team_members')
    .values({ team_id: teams[0]!.id, user_id: user.id, tenant_id: tenant.id })
    .execute();
  const programDef = frameworkTemplates().get('community')!;
  const program = await s.db
    .insertInto('programs')
    .values({ tenant_id: tenant.id, framework: 'community', definition: JSON.stringify(programDef) })
    .returning('id')
    .executeTakeFirstOrThrow();

  const bar = opts.quiet
    ? { update: () => undefined, stop: () => undefined }
    : progressBar(`generating ${N} participants`);
  const mine: string[] = [];
  const codes: string[] = [];
  const identities: Fixtures['identities'] = [];
  for (let done = 0; done < N;) {
    const batch = [];
    const index: { participant_id: string; tenant_id: string; kind: string; hash: Buffer }[] = [];
    for (let k = 0; k < 1000 && done < N; k++, done++) {
      const id = crypto.randomUUID();
      const team = teams[done % teams.length]!.id;
      const code = participantCode(crypto.randomBytes(8));
      const identity = identityOf(done);
      if (team === teams[0]!.id && mine.length < 2000) {
        mine.push(id);
        if (codes.length < 500) codes.push(code);
        if (identities.length < 500) identities.push(identity);
      }
      for (const v of indexValues(identity))
        index.push({
          participant_id: id,
          tenant_id: tenant.id,
          kind: v.kind,
          hash: await s.fields.blindIndex(tenant.id, v.kind, v.value, s.db),
        });
      batch.push({
        id,
        tenant_id: tenant.id,
        code,
        team_id: team,
        program_id: program.id,
        phase_key: programDef.phases[done % programDef.phases.length]!.key,
        phase_entered_at: new Date(Date.now() - (done % 300) * 86_400_000),
        legal_status: 'voluntary' as const,
        identity: await s.fields.encrypt(
          { tenantId: tenant.id, table: 'participants', field: 'identity', rowId: id },
          JSON.stringify(identity),
          s.db,
        ),
        notes: await s.fields.encrypt(
          { tenantId: tenant.id, table: 'participants', field: 'notes', rowId: id },
          `Synthetic note ${done}`,
          s.db,
        ),
        created_by: user.id,
      });
    }
    await owner.db.insertInto('participants').values(batch).execute();
    await owner.db
      .insertInto('participant_blind_index')
      .values(index)
      .onConflict((oc) => oc.doNothing())
      .execute();
    bar.update(done, N);
  }
  bar.stop();

  // Sessions in bulk, in SQL: one attendee each, spread over the past year (notes left empty).
  const sbar = opts.quiet
    ? { update: () => undefined, stop: () => undefined }
    : progressBar(`generating ${SESSIONS} sessions`);
  const CHUNK = 200_000;
  for (let off = 0; off < SESSIONS; off += CHUNK) {
    const n = Math.min(CHUNK, SESSIONS - off);
    await owner.pool.query(
      `with p as (select id, team_id, row_number() over (order by id) - 1 as rn from participants where tenant_id = $1),
            cnt as (select count(*) c from p),
            g as (select gen_random_uuid() sid, i from generate_series($2::bigint, $3::bigint) i),
            s as (insert into sessions (id, tenant_id, team_id, kind, discipline, occurred_at, duration_minutes, created_by)
                  select g.sid, $1, p.team_id, 'individual', 'case_manager', now() - make_interval(mins => (g.i % 525600)::int), 45, $4
                  from g join p on p.rn = g.i % (select c from cnt) returning id, team_id, occurred_at)
       insert into session_attendance (session_id, participant_id, tenant_id, attendance, engagement)
       select s.id, p.id, $1, 'present', 3 from s join g on g.sid = s.id join p on p.rn = g.i % (select c from cnt)`,
      [tenant.id, off, off + n - 1, user.id],
    );
    sbar.update(off + n, SESSIONS);
  }
  sbar.stop();
  await owner.pool.query(
    `update participants p set last_session_at = x.m from (select a.participant_id, max(s.occurred_at) m from session_attendance a join sessions s on s.id = a.session_id where a.tenant_id = $1 group by 1) x where x.participant_id = p.id`,
    [tenant.id],
  );

  // Academy: a cohort of 200 learners with synthetic progress.
  const course = academy().course;
  const cohort = await s.db
    .insertInto('academy_cohorts')
    .values({
      tenant_id: tenant.id,
      course_id: course.settings.id,
      name: 'Bench cohort',
      member_state: 'PK',
      language: 'ur',
      starts_on: '2026-01-01',
      ends_on: '2027-12-31',
      capacity: 500,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const learners = await s.db
    .insertInto('users')
    .values(
      Array.from({ length: 200 }, (_, i) => ({
        tenant_id: tenant.id,
        email: `l${i}@${slug}.example`,
        display_name: `Learner ${i}`,
        roles: ['learner'],
        status: 'active' as const,
        is_demo: true,
      })),
    )
    .returning('id')
    .execute();
  const enrolments = await s.db
    .insertInto('academy_enrolments')
    .values(
      learners.map((l) => ({
        tenant_id: tenant.id,
        cohort_id: cohort.id,
        course_id: course.settings.id,
        user_id: l.id,
      })),
    )
    .returning(['id', 'user_id'])
    .execute();
  for (const [i, e] of enrolments.entries()) {
    const events = course.modules.slice(0, i % 7).flatMap((m, k) => [
      ...m.lessons.map((l) => ({
        tenant_id: tenant.id,
        enrolment_id: e.id,
        kind: 'lesson_completed' as const,
        module_id: m.id,
        ref: l.id,
        at: new Date(Date.parse('2026-01-02') + k * 86_400_000),
      })),
      {
        tenant_id: tenant.id,
        enrolment_id: e.id,
        kind: 'quiz_graded' as const,
        module_id: m.id,
        ref: `q${i}${m.id}`,
        score: 80,
        at: new Date(Date.parse('2026-01-02') + k * 86_400_000 + 1000),
      },
      {
        tenant_id: tenant.id,
        enrolment_id: e.id,
        kind: 'assignment_graded' as const,
        module_id: m.id,
        ref: `a${i}${m.id}`,
        passed: true,
        at: new Date(Date.parse('2026-01-02') + k * 86_400_000 + 2000),
      },
    ]);
    if (events.length) await s.db.insertInto('academy_events').values(events).execute();
  }
  await owner.pool.query('analyze');

  const cookie = async (id: string) =>
    `sanad_session=${await createLoginSession(s.db, config, { id, tenant_id: tenant.id }, { mfaPassed: true })}`;
  const searchers = await s.db
    .insertInto('users')
    .values(
      Array.from({ length: opts.searchers }, (_, i) => ({
        tenant_id: tenant.id,
        email: `cm${i}@${slug}.example`,
        display_name: `Bench CM ${i}`,
        roles: ['case_manager'],
        status: 'active' as const,
        is_demo: true,
      })),
    )
    .returning('id')
    .execute();
  if (searchers.length)
    await s.db
      .insertInto('team_members')
      .values(searchers.map((u) => ({ team_id: teams[0]!.id, user_id: u.id, tenant_id: tenant.id })))
      .execute();
  return {
    tenantId: tenant.id,
    teamIds: teams.map((t) => t.id),
    programId: program.id,
    userId: user.id,
    mine,
    codes,
    identities,
    cohortId: cohort.id,
    // Learner 0 has no progress yet: the quiz of module 1 is open to them.
    enrolmentId: enrolments[0]!.id,
    courseId: course.settings.id,
    moduleId: course.modules[0]!.id,
    lessonId: course.modules[0]!.lessons[0]!.id,
    cookies: {
      caseManager: await cookie(user.id),
      learner: await cookie(enrolments[0]!.user_id),
      coordinator: await cookie(coordinator.id),
      dpo: await cookie(dpo.id),
    },
    searchers: await Promise.all(searchers.map(async (u) => ({ id: u.id, cookie: await cookie(u.id) }))),
  };
}
