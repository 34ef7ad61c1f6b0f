/** Migration 0004: structured professional judgement assessments and their item ratings. */
import { sql, type Kysely } from 'kysely';

/** Applies the assessment schema. Forward-only. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table assessments (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      participant_id uuid not null references participants(id),
      instrument_key text not null,
      instrument_version text not null,
      status text not null default 'draft' check (status in ('draft', 'final')),
      -- An amendment is a new assessment that supersedes a finalised one; the original stays.
      supersedes_id uuid references assessments(id),
      -- Team assessment: assessors rate independently in assessments sharing a group; the lead's
      -- (the group's first) records the agreed ratings.
      group_id uuid,
      formulation bytea,
      scenarios bytea,
      management_plan bytea,
      judgement jsonb not null default '{}',
      judgement_reasons bytea,
      finalised_at timestamptz(3),
      finalised_by uuid references users(id),
      created_by uuid not null references users(id),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      version integer not null default 1
    );
    create index assessments_participant_idx on assessments (participant_id, created_at desc);
    create index assessments_group_idx on assessments (group_id) where group_id is not null;

    create table assessment_ratings (
      assessment_id uuid not null references assessments(id) on delete cascade,
      tenant_id uuid not null references tenants(id),
      item_code text not null,
      ratings jsonb not null,
      evidence bytea,
      -- Ratings of team members that differ from the agreed one, kept when the lead reconciles.
      dissent jsonb not null default '[]',
      updated_by uuid not null references users(id),
      updated_at timestamptz(3) not null default now(),
      primary key (assessment_id, item_code)
    );
  `.execute(db);
}
