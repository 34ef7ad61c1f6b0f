/**
 * `npm run bench`: API latency next to the raw SQL of the same query, on generated synthetic data,
 * with concurrent clients over real HTTP. Options: --participants N (default 20000), --sessions N
 * (default 20 per participant), --full (100k participants, 2M sessions), --clients N (32), --seconds N
 * (5 per scenario). Uses BENCH_DATABASE_URL if set, else a throwaway embedded PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { startEmbedded } from '../src/server/db/embedded.ts';
import { connect } from '../src/server/db/connection.ts';
import { loadConfig } from '../src/server/config.ts';
import { createServices } from '../src/server/services.ts';
import { createApp } from '../src/server/app.ts';
import { ensureChains } from '../src/server/audit/log.ts';
import { SYSTEM_TENANT_ID } from '../src/server/db/schema.ts';
import { createLoginSession as createSession } from '../src/server/modules/auth/login-sessions.ts';
import { participantCode } from '../src/core/codes.ts';
import { academy, frameworkTemplates } from '../src/server/content.ts';
import { progressBar } from '../src/cli/progress.ts';

const { values: opt } = parseArgs({
  options: {
    participants: { type: 'string', default: '20000' },
    sessions: { type: 'string' },
    clients: { type: 'string', default: '32' },
    seconds: { type: 'string', default: '5' },
    full: { type: 'boolean', default: false },
  },
});
// --full: the issue's reference size, 100k participants and 2M sessions.
const N = opt.full ? 100_000 : Number(opt.participants);
const SESSIONS = opt.full ? 2_000_000 : Number(opt.sessions ?? N * 20);
const CLIENTS = Number(opt.clients);
const SECONDS = Number(opt.seconds);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Runs `fn` from `clients` concurrent loops for `seconds`; returns latency percentiles in ms. */
async function measure(
  fn: (i: number) => Promise<void>,
): Promise<{ n: number; p50: number; p95: number; rps: number }> {
  const lat: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  let i = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await fn(i++);
        lat.push(performance.now() - t0);
      }
    }),
  );
  lat.sort((a, b) => a - b);
  return { n: lat.length, p50: pct(lat, 50), p95: pct(lat, 95), rps: lat.length / SECONDS };
}

let tmp: string | undefined;
let embedded: Awaited<ReturnType<typeof startEmbedded>> | undefined;
let url = process.env.BENCH_DATABASE_URL;
let ownerUrl: string | undefined;
if (!url) {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-bench-'));
  embedded = await startEmbedded(tmp, { quiet: true });
  // As in production: the app role for requests, the owner for migrations.
  url = embedded.appUrl;
  ownerUrl = embedded.ownerUrl;
}
const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-bench-keys-'));
process.env.SANAD_DEV = 'true';
const port = 3700 + Math.floor(Math.random() * 200);
const config = {
  ...loadConfig({ PORT: String(port), SANAD_DEMO: 'false' }),
  databaseUrl: url,
  databaseOwnerUrl: ownerUrl,
  // A scratch BENCH_DATABASE_URL may well be a superuser; the bench measures, it does not guard data.
  allowPrivilegedDbRole: !!process.env.BENCH_DATABASE_URL,
  masterKeyFile: path.join(keyDir, 'master.key'),
};
const services = await createServices(config, { migrate: true, poolSize: 40, quiet: true });
await ensureChains(services.db, SYSTEM_TENANT_ID);
const s = services;
// Synthetic data is written, and the raw-SQL side runs, as the schema owner: the app role sees case
// rows only inside a transaction bound to a tenant (row-level security), which is the API's job.
const owner = ownerUrl ? connect(ownerUrl, 8) : { db: s.db, pool: s.database.pool };

// --- synthetic data: one tenant, 10 teams, one case manager in team 0, N participants spread over teams
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
const user = await s.db
  .insertInto('users')
  .values({
    tenant_id: tenant.id,
    email: `cm@${slug}.example`,
    display_name: 'Bench CM',
    roles: ['case_manager'],
    status: 'active',
    is_demo: true,
  })
  .returning('id')
  .executeTakeFirstOrThrow();
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
const bar = progressBar(`generating ${N} participants`);
const mine: string[] = [];
for (let done = 0; done < N;) {
  const batch = [];
  for (let k = 0; k < 1000 && done < N; k++, done++) {
    const id = crypto.randomUUID();
    const team = teams[done % teams.length]!.id;
    if (team === teams[0]!.id) mine.push(id);
    batch.push({
      id,
      tenant_id: tenant.id,
      code: participantCode(crypto.randomBytes(8)) + String(done % 10),
      team_id: team,
      program_id: program.id,
      phase_key: programDef.phases[done % programDef.phases.length]!.key,
      phase_entered_at: new Date(Date.now() - (done % 300) * 86_400_000),
      legal_status: 'voluntary' as const,
      identity: await s.fields.encrypt(
        { tenantId: tenant.id, table: 'participants', field: 'identity', rowId: id },
        JSON.stringify({ givenName: `Bench${done}`, familyName: 'Synthetic' }),
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
  await owner.db
    .insertInto('participants')
    .values(batch)
    .onConflict((oc) => oc.doNothing())
    .execute();
  bar.update(done, N);
}
bar.stop();
{
  // Sessions in bulk, in SQL: one attendee each, spread over the past year (notes left empty).
  const t0 = Date.now();
  const sbar = progressBar(`generating ${SESSIONS} sessions`);
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
  process.stderr.write(`data generated in ${((Date.now() - t0) / 1000).toFixed(1)} s (sessions)\n`);
}
await owner.pool.query('analyze');

const codes = (
  await owner.db.selectFrom('participants').select('code').where('team_id', '=', teams[0]!.id).limit(500).execute()
).map((r) => r.code);
const token = await createSession(s.db, config, { id: user.id, tenant_id: tenant.id }, { mfaPassed: true });
const app = createApp(s);
const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
const base = `http://127.0.0.1:${port}`;
const headers = { cookie: `sanad_session=${token}`, origin: `http://localhost:${port}` };
const raw = owner.pool;

async function get(p: string) {
  const r = await fetch(base + p, { headers });
  if (r.status !== 200) throw new Error(`${p} → ${r.status} ${await r.text()}`);
  await r.arrayBuffer();
}

// --- academy: a cohort of 200 learners with synthetic progress, one benchmarked learner, one coordinator
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
    ends_on: '2026-12-31',
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
    learners.map((l) => ({ tenant_id: tenant.id, cohort_id: cohort.id, course_id: course.settings.id, user_id: l.id })),
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
const coordinator = await s.db
  .insertInto('users')
  .values({
    tenant_id: tenant.id,
    email: `coord@${slug}.example`,
    display_name: 'Bench coordinator',
    roles: ['coordinator'],
    status: 'active',
    is_demo: true,
  })
  .returning('id')
  .executeTakeFirstOrThrow();
const learnerHeaders = {
  cookie: `sanad_session=${await createSession(s.db, config, { id: enrolments[3]!.user_id, tenant_id: tenant.id }, { mfaPassed: true })}`,
  origin: `http://localhost:${port}`,
};
const coordHeaders = {
  cookie: `sanad_session=${await createSession(s.db, config, { id: coordinator.id, tenant_id: tenant.id }, { mfaPassed: true })}`,
  origin: `http://localhost:${port}`,
};
const benchEnrolment = enrolments[3]!.id;
async function getAs(h: Record<string, string>, p: string) {
  const r = await fetch(base + p, { headers: h });
  if (r.status !== 200) throw new Error(`${p} → ${r.status} ${await r.text()}`);
  await r.arrayBuffer();
}

const rows: { name: string; api: Awaited<ReturnType<typeof measure>>; sql?: Awaited<ReturnType<typeof measure>> }[] =
  [];
const scenarios: { name: string; api: (i: number) => Promise<void>; sql?: (i: number) => Promise<void> }[] = [
  {
    name: 'GET /participants (caseload page, 50)',
    api: () => get('/api/v1/participants?limit=50'),
    sql: async () => {
      await raw.query(
        'select * from participants where tenant_id = $1 and team_id = any($2) order by created_at desc, id desc limit 51',
        [tenant.id, [teams[0]!.id]],
      );
    },
  },
  {
    name: 'GET /participants/{id} (audited, decrypted)',
    api: (i) => get(`/api/v1/participants/${mine[i % mine.length]}`),
    sql: async (i) => {
      await raw.query('select * from participants where tenant_id = $1 and team_id = any($2) and id = $3', [
        tenant.id,
        [teams[0]!.id],
        mine[i % mine.length],
      ]);
    },
  },
  {
    name: 'POST /participants (intake, encrypted, audited)',
    api: async () => {
      const r = await fetch(`${base}/api/v1/participants`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          programId: program.id,
          teamId: teams[0]!.id,
          legalStatus: 'voluntary',
          identity: { givenName: 'Bench', familyName: 'Synthetic' },
          notes: 'Synthetic bench note',
        }),
      });
      if (r.status !== 201) throw new Error(`POST → ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    },
    sql: async () => {
      await raw.query(
        'insert into participants (tenant_id, code, team_id, created_by) values ($1, $2, $3, $4) on conflict do nothing',
        [tenant.id, participantCode(crypto.randomBytes(8)) + 'X', teams[0]!.id, user.id],
      );
    },
  },
  {
    name: 'participant page (record+plan+sessions+gates)',
    api: async (i) => {
      const id = mine[i % mine.length];
      await Promise.all([
        get(`/api/v1/participants/${id}`),
        get(`/api/v1/participants/${id}/plan`),
        get(`/api/v1/participants/${id}/sessions?limit=20`),
        get(`/api/v1/participants/${id}/gates`),
      ]);
    },
    sql: async (i) => {
      const id = mine[i % mine.length];
      await Promise.all([
        raw.query('select * from participants where tenant_id = $1 and id = $2', [tenant.id, id]),
        raw.query('select * from goals where participant_id = $1', [id]),
        raw.query(
          'select s.* from sessions s join session_attendance a on a.session_id = s.id where a.participant_id = $1 order by s.occurred_at desc limit 21',
          [id],
        ),
        raw.query('select * from consents where participant_id = $1', [id]),
      ]);
    },
  },
  {
    name: 'code search (GET /participants?q=)',
    api: (i) => get(`/api/v1/participants?q=${codes[i % codes.length]!.slice(0, 6)}&limit=20`),
    sql: async (i) => {
      await raw.query(
        'select * from participants where tenant_id = $1 and team_id = any($2) and code like $3 order by created_at desc limit 21',
        [tenant.id, [teams[0]!.id], `${codes[i % codes.length]!.slice(0, 6)}%`],
      );
    },
  },
  {
    name: 'POST /sessions (encrypted notes, audited)',
    api: async (i) => {
      const r = await fetch(`${base}/api/v1/sessions`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          kind: 'individual',
          discipline: 'case_manager',
          occurredAt: new Date(Date.now() - 60_000).toISOString(),
          durationMinutes: 45,
          attendees: [{ participantId: mine[i % mine.length], attendance: 'present', engagement: 4 }],
          notes: 'Synthetic bench note',
        }),
      });
      if (r.status !== 201) throw new Error(`POST sessions → ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    },
    sql: async (i) => {
      await raw.query(
        'with s as (insert into sessions (tenant_id, team_id, kind, discipline, occurred_at, duration_minutes, created_by) values ($1, $2, $3, $4, now(), 45, $5) returning id) insert into session_attendance (session_id, participant_id, tenant_id, attendance) select id, $6, $1, $7 from s',
        [tenant.id, teams[0]!.id, 'individual', 'case_manager', user.id, mine[i % mine.length], 'present'],
      );
    },
  },
  { name: 'academy: lesson reader page (HTML)', api: () => getAs(learnerHeaders, `/learn/${benchEnrolment}/t2-l1`) },
  {
    name: 'academy: course outline (progress recomputed)',
    api: () => getAs(learnerHeaders, `/api/v1/academy/enrolments/${benchEnrolment}`),
  },
  {
    name: 'academy: cohort report (200 learners)',
    api: () => getAs(coordHeaders, `/api/v1/academy/cohorts/${cohort.id}`),
  },
  { name: 'GET /api/health', api: () => get('/api/health') },
];
for (const sc of scenarios) {
  process.stderr.write(`running: ${sc.name}\n`);
  rows.push({ name: sc.name, api: await measure(sc.api), sql: sc.sql ? await measure(sc.sql) : undefined });
}

const f = (n: number) => n.toFixed(2).padStart(8);
process.stdout.write(
  `\nSanad bench — ${N} participants, ${SESSIONS} sessions, ${CLIENTS} concurrent clients, ${SECONDS} s per run, PostgreSQL ${(await raw.query<{ v: string }>("select current_setting('server_version') v")).rows[0]!.v}\n`,
);
process.stdout.write(
  `${'scenario'.padEnd(46)} ${'API p50'.padStart(8)} ${'API p95'.padStart(8)} ${'API rps'.padStart(8)} | ${'SQL p50'.padStart(8)} ${'SQL p95'.padStart(8)} | p50 ratio\n`,
);
for (const r of rows) {
  process.stdout.write(
    `${r.name.padEnd(46)} ${f(r.api.p50)} ${f(r.api.p95)} ${r.api.rps.toFixed(0).padStart(8)} | ${r.sql ? `${f(r.sql.p50)} ${f(r.sql.p95)} | ${(r.api.p50 / r.sql.p50).toFixed(1)}×` : `${''.padStart(8)} ${''.padStart(8)} |`}\n`,
  );
}
process.stdout.write(
  '(milliseconds; raw SQL runs the same query as the schema owner, without HTTP, auth, scope, row-level security or audit)\n',
);

server.close();
await services.close();
if (ownerUrl) await owner.db.destroy();
await embedded?.stop();
if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
fs.rmSync(keyDir, { recursive: true, force: true });
process.exit(0);
