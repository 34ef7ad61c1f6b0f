/** Migration 0002: programs, intake identity with blind indexes, consent, handovers, plans, sessions, transitions. */
import { sql, type Kysely } from 'kysely';

/** Applies the case-work schema. Forward-only. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table programs (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      framework text not null check (framework in ('custodial', 'juvenile', 'community', 'ddr')),
      definition jsonb not null,
      status text not null default 'active' check (status in ('active', 'archived')),
      version integer not null default 1,
      created_by uuid references users(id),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now()
    );
    create index programs_tenant_idx on programs (tenant_id, created_at);

    alter table participants
      add column program_id uuid references programs(id),
      add column phase_key text,
      add column phase_entered_at timestamptz(3),
      add column legal_status text check (legal_status in ('convicted', 'remand', 'surrendered', 'returnee', 'voluntary', 'juvenile')),
      add column referral_source text check (length(referral_source) <= 200),
      add column languages text[] not null default '{}',
      add column identity bytea,
      add column family_contacts bytea,
      add column plan_status text not null default 'draft' check (plan_status in ('draft', 'submitted', 'approved')),
      add column plan_approved_at timestamptz(3),
      add column last_session_at timestamptz(3),
      add column status text not null default 'active' check (status in ('active', 'closed'));
    create index participants_phase_idx on participants (tenant_id, program_id, phase_key);
    create index participants_code_idx on participants (tenant_id, code text_pattern_ops);

    -- Keyed blind indexes (HMAC of normalised identity values) so duplicates are found without
    -- decrypting identities. kind: name, name_token, dob, id_number.
    create table participant_blind_index (
      tenant_id uuid not null references tenants(id),
      participant_id uuid not null references participants(id) on delete cascade,
      kind text not null,
      hash bytea not null,
      primary key (participant_id, kind, hash)
    );
    create index participant_blind_index_lookup on participant_blind_index (tenant_id, kind, hash);

    create table consents (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      participant_id uuid not null references participants(id),
      purpose text not null check (purpose in ('services', 'referral', 'information_sharing', 'research')),
      legal_basis text not null check (legal_basis in ('consent', 'legal_obligation', 'court_order', 'vital_interests', 'public_task')),
      status text not null default 'given' check (status in ('given', 'withdrawn')),
      given_on date not null,
      source text not null check (length(source) between 1 and 200),
      expires_on date,
      withdrawn_at timestamptz(3),
      withdrawal_reason bytea,
      created_by uuid not null references users(id),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      version integer not null default 1,
      check (expires_on is null or expires_on > given_on)
    );
    create index consents_participant_idx on consents (participant_id, purpose);

    create table handovers (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      participant_id uuid not null references participants(id),
      from_team_id uuid not null references teams(id),
      to_team_id uuid not null references teams(id),
      status text not null default 'pending' check (status in ('pending', 'accepted', 'declined', 'cancelled')),
      reason bytea not null,
      created_by uuid not null references users(id),
      created_at timestamptz(3) not null default now(),
      decided_by uuid references users(id),
      decided_at timestamptz(3),
      updated_at timestamptz(3) not null default now(),
      version integer not null default 1,
      check (from_team_id <> to_team_id)
    );
    create unique index handovers_one_pending on handovers (participant_id) where status = 'pending';

    create table goals (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      participant_id uuid not null references participants(id),
      domain text not null,
      title bytea not null,
      indicator bytea,
      interventions bytea,
      responsible_user_id uuid references users(id),
      target_date date,
      status text not null default 'not_started' check (status in ('not_started', 'in_progress', 'achieved', 'discontinued')),
      progress smallint not null default 0 check (progress between 0 and 100),
      created_by uuid not null references users(id),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      version integer not null default 1
    );
    create index goals_participant_idx on goals (participant_id, domain);

    create table goal_notes (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      participant_id uuid not null references participants(id),
      goal_id uuid not null references goals(id),
      note bytea not null,
      created_by uuid not null references users(id),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      version integer not null default 1
    );
    create index goal_notes_goal_idx on goal_notes (goal_id, created_at);

    -- Every submitted plan, with an encrypted snapshot of its goals; approval is by a supervisor.
    create table plan_versions (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      participant_id uuid not null references participants(id),
      number integer not null,
      status text not null default 'submitted' check (status in ('submitted', 'approved', 'returned')),
      snapshot bytea not null,
      created_by uuid not null references users(id),
      created_at timestamptz(3) not null default now(),
      decided_by uuid references users(id),
      decided_at timestamptz(3),
      decision_note bytea,
      updated_at timestamptz(3) not null default now(),
      version integer not null default 1,
      unique (participant_id, number)
    );

    create table sessions (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      team_id uuid not null references teams(id),
      kind text not null check (kind in ('individual', 'group', 'family')),
      discipline text not null,
      occurred_at timestamptz(3) not null,
      duration_minutes integer not null check (duration_minutes between 1 and 1440),
      notes bytea,
      created_by uuid not null references users(id),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      version integer not null default 1
    );
    create index sessions_team_idx on sessions (tenant_id, team_id, occurred_at desc);

    create table session_attendance (
      session_id uuid not null references sessions(id) on delete cascade,
      participant_id uuid not null references participants(id),
      tenant_id uuid not null references tenants(id),
      attendance text not null check (attendance in ('present', 'late', 'absent', 'excused')),
      engagement smallint check (engagement between 1 and 5),
      goal_ids uuid[] not null default '{}',
      primary key (session_id, participant_id)
    );
    create index session_attendance_participant_idx on session_attendance (participant_id, session_id);

    create table transitions (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      participant_id uuid not null references participants(id),
      from_phase text not null,
      to_phase text not null,
      direction text not null check (direction in ('forward', 'back')),
      reason bytea not null,
      override_reason bytea,
      gate_results jsonb not null,
      created_by uuid not null references users(id),
      created_at timestamptz(3) not null default now()
    );
    create index transitions_participant_idx on transitions (participant_id, created_at);
  `.execute(db);
}
