/** Migration 0003: imported SPJ instrument versions, licensees' item wording, certifications. */
import { sql, type Kysely } from 'kysely';

/** Applies the instrument registry schema. Forward-only. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table instrument_versions (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      key text not null,
      version text not null,
      definition jsonb not null,
      status text not null default 'active' check (status in ('active', 'retired')),
      imported_by uuid references users(id),
      imported_at timestamptz(3) not null default now(),
      retired_at timestamptz(3),
      unique (tenant_id, key, version)
    );

    -- Item wording a licensee uploads for its own tenant (never shipped with Sanad).
    create table instrument_wording (
      tenant_id uuid not null references tenants(id),
      key text not null,
      version text not null,
      wording jsonb not null,
      uploaded_by uuid references users(id),
      uploaded_at timestamptz(3) not null default now(),
      primary key (tenant_id, key, version)
    );

    create table certifications (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      user_id uuid not null references users(id),
      certification text not null check (certification ~ '^[a-z][a-z0-9_.-]{0,59}$'),
      granted_by uuid references users(id),
      granted_at timestamptz(3) not null default now(),
      expires_at timestamptz(3),
      revoked_at timestamptz(3),
      source text not null default 'administrator' check (source in ('administrator', 'academy'))
    );
    create index certifications_user_idx on certifications (user_id, certification);
  `.execute(db);
}
