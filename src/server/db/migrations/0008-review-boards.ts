/**
 * Migration 0008: review boards. A board belongs to a program and has members with a board role (one
 * of them the chair) and a quorum rule; it meets; a meeting has an agenda of cases, attendance,
 * per-item recusals and votes, and one decision per item; after the chair signs the minutes only
 * amendments are added. Agenda items, recusals, votes and decisions name a person’s
 * case, so they are case tables: row-level security with the tenant policy, reached only through
 * the access layer. Free text (reasons, notes, discussion, decision wording) is encrypted.
 */
import { sql, type Kysely } from 'kysely';

const BOARD_ROLES = `('case_manager', 'psychologist', 'religious_counsellor', 'social_worker', 'security', 'legal', 'judge', 'prosecutor', 'community', 'other')`;
const QUESTIONS = `('move_to_next_phase', 'recommend_conditional_release', 'exit_program', 'continue_in_phase')`;
const CASE_TABLES = ['agenda_items', 'agenda_recusals', 'board_votes', 'board_decisions'] as const;

/** Applies the review-board schema. Forward-only. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
    create table boards (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      program_id uuid not null references programs(id),
      name text not null check (length(name) between 1 and 200),
      quorum_min integer not null check (quorum_min between 1 and 50),
      required_roles text[] not null default '{}',
      status text not null default 'active' check (status in ('active', 'closed')),
      version integer not null default 1,
      created_by uuid not null references users(id),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now()
    );
    create index boards_program_idx on boards (tenant_id, program_id);

    create table board_members (
      board_id uuid not null references boards(id) on delete cascade,
      tenant_id uuid not null references tenants(id),
      user_id uuid not null references users(id),
      role text not null check (role in ${BOARD_ROLES}),
      is_chair boolean not null default false,
      primary key (board_id, user_id)
    );
    create unique index board_members_one_chair on board_members (board_id) where is_chair;
    create index board_members_user_idx on board_members (tenant_id, user_id);

    create table board_meetings (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      board_id uuid not null references boards(id),
      scheduled_for timestamptz(3) not null,
      place text check (length(place) <= 200),
      online boolean not null default false,
      state text not null default 'scheduled' check (state in ('scheduled', 'open', 'closed', 'signed')),
      opened_at timestamptz(3),
      closed_at timestamptz(3),
      signed_at timestamptz(3),
      signed_by uuid references users(id),
      version integer not null default 1,
      created_by uuid not null references users(id),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now()
    );
    create index board_meetings_board_idx on board_meetings (tenant_id, board_id, scheduled_for);

    create table meeting_attendance (
      meeting_id uuid not null references board_meetings(id) on delete cascade,
      tenant_id uuid not null references tenants(id),
      user_id uuid not null references users(id),
      recorded_at timestamptz(3) not null default now(),
      primary key (meeting_id, user_id)
    );

    create table agenda_items (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      meeting_id uuid not null references board_meetings(id),
      participant_id uuid not null references participants(id),
      code text not null,
      question text not null check (question in ${QUESTIONS}),
      source text not null check (source in ('gate_waiting', 'plan_review', 'assessment_review', 'transition', 'by_hand')),
      reason bytea,
      phase_key text,
      board_notes bytea,
      discussion bytea,
      position integer not null default 0,
      version integer not null default 1,
      created_by uuid not null references users(id),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      unique (meeting_id, participant_id, question)
    );
    create index agenda_items_participant_idx on agenda_items (tenant_id, participant_id);

    create table agenda_recusals (
      item_id uuid not null references agenda_items(id) on delete cascade,
      tenant_id uuid not null references tenants(id),
      user_id uuid not null references users(id),
      reason bytea,
      created_at timestamptz(3) not null default now(),
      primary key (item_id, user_id)
    );

    create table board_votes (
      item_id uuid not null references agenda_items(id) on delete cascade,
      tenant_id uuid not null references tenants(id),
      user_id uuid not null references users(id),
      vote text not null check (vote in ('agree', 'disagree', 'abstain')),
      reason bytea,
      created_at timestamptz(3) not null default now(),
      primary key (item_id, user_id)
    );

    create table board_decisions (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      item_id uuid not null unique references agenda_items(id),
      participant_id uuid not null references participants(id),
      meeting_id uuid not null references board_meetings(id),
      question text not null check (question in ${QUESTIONS}),
      outcome text not null check (outcome in ('approved', 'not_approved', 'deferred')),
      phase_key text,
      wording bytea not null,
      reasons bytea,
      conditions bytea,
      next_review_on date,
      conditions_applied_at timestamptz(3),
      agree integer not null default 0,
      disagree integer not null default 0,
      abstain integer not null default 0,
      version integer not null default 1,
      created_by uuid not null references users(id),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now()
    );
    create index board_decisions_participant_idx on board_decisions (tenant_id, participant_id, created_at);

    create table meeting_amendments (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      meeting_id uuid not null references board_meetings(id),
      text bytea not null,
      version integer not null default 1,
      created_by uuid not null references users(id),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now()
    );
  `,
    )
    .execute(db);
  for (const t of CASE_TABLES) {
    await sql`alter table ${sql.table(t)} enable row level security`.execute(db);
    await sql`
      create policy tenant_scope on ${sql.table(t)}
        using (tenant_id = nullif(current_setting('sanad.tenant_id', true), '')::uuid)
        with check (tenant_id = nullif(current_setting('sanad.tenant_id', true), '')::uuid)`.execute(db);
  }
}
