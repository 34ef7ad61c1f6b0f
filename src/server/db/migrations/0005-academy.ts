/** Migration 0005: the academy — cohorts, enrolments, learning events, quiz attempts, assignments, certificates. */
import { sql, type Kysely } from 'kysely';

/** Applies the academy schema. Forward-only. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table academy_cohorts (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      course_id text not null,
      name text not null check (length(name) between 1 and 120),
      member_state text not null check (member_state ~ '^[A-Z]{2}$'),
      language text not null check (language in ('en', 'ar', 'ur', 'fr')),
      starts_on date not null,
      ends_on date not null,
      capacity integer not null check (capacity between 1 and 5000),
      created_by uuid references users(id),
      created_at timestamptz(3) not null default now(),
      version integer not null default 1,
      check (ends_on >= starts_on)
    );
    create index academy_cohorts_tenant_idx on academy_cohorts (tenant_id, starts_on desc, id);

    create table academy_facilitators (
      cohort_id uuid not null references academy_cohorts(id),
      user_id uuid not null references users(id),
      tenant_id uuid not null references tenants(id),
      primary key (cohort_id, user_id)
    );

    create table academy_enrolments (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      cohort_id uuid not null references academy_cohorts(id),
      course_id text not null,
      user_id uuid not null references users(id),
      status text not null default 'active' check (status in ('active', 'withdrawn')),
      enrolled_by uuid references users(id),
      enrolled_at timestamptz(3) not null default now(),
      unique (cohort_id, user_id)
    );
    -- One active enrolment per learner and course.
    create unique index academy_enrolments_active_idx on academy_enrolments (user_id, course_id) where status = 'active';

    -- The events progress is computed from (src/core/completion.ts). Append-only.
    create table academy_events (
      id bigserial primary key,
      tenant_id uuid not null references tenants(id),
      enrolment_id uuid not null references academy_enrolments(id),
      kind text not null check (kind in ('lesson_completed', 'quiz_graded', 'assignment_graded', 'attempts_granted')),
      module_id text not null,
      ref text not null,
      score integer,
      passed boolean,
      count integer,
      at timestamptz(3) not null default now()
    );
    create index academy_events_enrolment_idx on academy_events (enrolment_id, at);
    -- Each lesson, attempt, graded answer and grant is recorded once.
    create unique index academy_events_once on academy_events (enrolment_id, kind, ref);
    create function academy_events_append_only() returns trigger language plpgsql as $$
      begin raise exception 'academy_events is append-only'; end $$;
    create trigger academy_events_no_change before update or delete on academy_events
      for each row execute function academy_events_append_only();

    -- Where the learner stopped (resume).
    create table academy_positions (
      enrolment_id uuid primary key references academy_enrolments(id),
      tenant_id uuid not null references tenants(id),
      lesson_id text not null,
      at timestamptz(3) not null default now()
    );

    create table academy_attempts (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      enrolment_id uuid not null references academy_enrolments(id),
      user_id uuid not null references users(id),
      module_id text not null,
      attempt_no integer not null,
      items jsonb not null,
      answers jsonb not null default '{}',
      started_at timestamptz(3) not null default now(),
      deadline_at timestamptz(3) not null,
      closed_at timestamptz(3),
      status text not null default 'open' check (status in ('open', 'submitted', 'expired')),
      score integer,
      results jsonb,
      version integer not null default 1,
      unique (enrolment_id, module_id, attempt_no)
    );
    create unique index academy_attempts_one_open on academy_attempts (enrolment_id, module_id) where status = 'open';

    create table academy_submissions (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      enrolment_id uuid not null references academy_enrolments(id),
      user_id uuid not null references users(id),
      module_id text not null,
      assignment_id text not null,
      body text not null check (length(body) between 1 and 20000),
      submitted_at timestamptz(3) not null default now(),
      status text not null default 'submitted' check (status in ('submitted', 'graded')),
      rubric jsonb,
      feedback text check (length(feedback) <= 5000),
      passed boolean,
      graded_by uuid references users(id),
      graded_at timestamptz(3),
      version integer not null default 1
    );
    create index academy_submissions_enrolment_idx on academy_submissions (enrolment_id, module_id, submitted_at);

    create table academy_certificates (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      user_id uuid not null references users(id),
      enrolment_id uuid not null unique references academy_enrolments(id),
      course_id text not null,
      code text not null unique check (code ~ '^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$'),
      holder_name text not null,
      issued_at timestamptz(3) not null,
      expires_at timestamptz(3) not null,
      revoked_at timestamptz(3),
      revoked_reason text check (length(revoked_reason) <= 500),
      credential text not null
    );
    create index academy_certificates_user_idx on academy_certificates (user_id);

    alter table certifications add column certificate_id uuid references academy_certificates(id);
  `.execute(db);
}
