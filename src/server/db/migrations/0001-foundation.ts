/** Migration 0001: tenants, accounts, sessions, keys, teams, the placeholder participant record, audit. */
import { sql, type Kysely } from 'kysely';

/** Applies the foundation schema. Forward-only: there is no down migration. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table tenants (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique check (slug ~ '^[a-z0-9_-]{1,64}$'),
      name text not null check (length(name) between 1 and 200),
      is_demo boolean not null default false,
      created_at timestamptz(3) not null default now()
    );
    -- The deployment itself: owner of events that belong to no tenant (e.g. a login with an unknown email).
    insert into tenants (id, slug, name) values ('00000000-0000-0000-0000-000000000000', '_system', 'System');

    create table users (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      email text not null unique check (email = lower(email) and length(email) <= 254),
      display_name text not null check (length(display_name) between 1 and 200),
      password_hash text,
      totp_secret bytea,
      totp_pending bytea,
      totp_enabled boolean not null default false,
      totp_last_step bigint,
      roles text[] not null default '{}',
      status text not null default 'invited' check (status in ('invited', 'active', 'disabled')),
      is_demo boolean not null default false,
      locale text not null default 'en' check (locale in ('en', 'ar', 'ur', 'fr')),
      calendar text not null default 'gregory' check (calendar in ('gregory', 'islamic-umalqura')),
      last_login_at timestamptz(3),
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now()
    );
    create index users_tenant_idx on users (tenant_id, created_at, id);

    create table user_sessions (
      id uuid primary key default gen_random_uuid(),
      token_hash bytea not null unique,
      user_id uuid not null references users(id),
      tenant_id uuid not null references tenants(id),
      mfa_passed boolean not null default false,
      created_at timestamptz(3) not null default now(),
      last_seen_at timestamptz(3) not null default now(),
      expires_at timestamptz(3) not null,
      reauth_at timestamptz(3),
      user_agent text,
      revoked_at timestamptz
    );
    create index user_sessions_user_idx on user_sessions (user_id) where revoked_at is null;

    create table invitations (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      user_id uuid not null references users(id),
      token_hash bytea not null unique,
      expires_at timestamptz(3) not null,
      accepted_at timestamptz(3),
      created_by uuid references users(id),
      created_at timestamptz(3) not null default now()
    );

    -- Failed-login counters keyed by a hash of the normalised email, whether or not the account exists.
    create table login_throttle (
      key_hash bytea primary key,
      failures integer not null default 0,
      locked_until timestamptz(3),
      updated_at timestamptz(3) not null default now()
    );

    -- Fixed-window request counters shared by all app nodes.
    create table rate_limits (
      bucket text not null,
      window_start timestamptz(3) not null,
      hits integer not null default 0,
      primary key (bucket, window_start)
    );

    -- Responses to POSTs sent with an Idempotency-Key, encrypted (they can hold case data).
    create table idempotency_keys (
      user_id uuid not null references users(id),
      key text not null,
      request_hash bytea not null,
      status integer,
      response bytea,
      created_at timestamptz(3) not null default now(),
      primary key (user_id, key)
    );

    -- Per-tenant data keys, wrapped (encrypted) by a master key named by master_key_id.
    create table tenant_keys (
      tenant_id uuid not null references tenants(id),
      version integer not null,
      wrapped_key bytea not null,
      master_key_id text not null,
      created_at timestamptz(3) not null default now(),
      primary key (tenant_id, version)
    );

    -- The deployment's Ed25519 signing keys (private part wrapped by the master key).
    create table signing_keys (
      id text primary key,
      public_key text not null,
      private_key bytea not null,
      master_key_id text not null,
      created_at timestamptz(3) not null default now(),
      retired_at timestamptz
    );

    create table teams (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      name text not null check (length(name) between 1 and 200),
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      unique (tenant_id, name)
    );

    create table team_members (
      team_id uuid not null references teams(id),
      user_id uuid not null references users(id),
      tenant_id uuid not null references tenants(id),
      membership text not null default 'member' check (membership in ('member', 'supervisor')),
      discipline text,
      created_at timestamptz(3) not null default now(),
      primary key (team_id, user_id)
    );
    create index team_members_user_idx on team_members (user_id);

    create table participants (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants(id),
      code text not null check (code ~ '^[A-Z0-9-]{4,32}$'),
      team_id uuid not null references teams(id),
      notes bytea,
      created_by uuid not null references users(id),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      version integer not null default 1,
      unique (tenant_id, code)
    );
    create index participants_team_idx on participants (tenant_id, team_id, created_at desc, id desc);

    -- Audit: several hash chains per tenant so concurrent requests do not queue behind one lock.
    create table audit_chains (
      tenant_id uuid not null references tenants(id),
      chain_no integer not null,
      seq bigint not null default 0,
      head_hash bytea not null,
      primary key (tenant_id, chain_no)
    );

    create table audit_events (
      id uuid primary key,
      tenant_id uuid not null,
      chain_no integer not null,
      seq bigint not null,
      prev_hash bytea not null,
      hash bytea not null,
      at timestamptz(3) not null,
      actor_id uuid,
      action text not null,
      entity_type text,
      entity_id text,
      subject_id uuid,
      purpose text,
      outcome text not null check (outcome in ('ok', 'denied', 'error')),
      request_id text,
      details jsonb not null default '{}',
      unique (tenant_id, chain_no, seq)
    );
    create index audit_events_tenant_at_idx on audit_events (tenant_id, at desc, id desc);
    create index audit_events_entity_idx on audit_events (tenant_id, entity_type, entity_id, at desc);
    create index audit_events_actor_idx on audit_events (tenant_id, actor_id, at desc);

    -- Signed statements of every chain's head, made periodically; exported copies detect truncation.
    create table audit_heads (
      id bigserial primary key,
      tenant_id uuid not null,
      signed_at timestamptz(3) not null default now(),
      jws text not null
    );

    create function sanad_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'table % is append-only', tg_table_name using errcode = 'insufficient_privilege';
    end $$;
    create trigger audit_events_append_only before update or delete on audit_events
      for each row execute function sanad_append_only();
    create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function sanad_append_only();
    -- Chain heads only move forward and are never removed.
    create function sanad_chain_forward() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' or new.seq < old.seq or new.tenant_id <> old.tenant_id or new.chain_no <> old.chain_no then
        raise exception 'audit chain heads only move forward' using errcode = 'insufficient_privilege';
      end if;
      return new;
    end $$;
    create trigger audit_chains_forward before update or delete on audit_chains
      for each row execute function sanad_chain_forward();
    create trigger audit_chains_no_truncate before truncate on audit_chains
      for each statement execute function sanad_append_only();
    create trigger audit_heads_append_only before update or delete on audit_heads
      for each row execute function sanad_append_only();
    create trigger audit_heads_no_truncate before truncate on audit_heads
      for each statement execute function sanad_append_only();
  `.execute(db);
}
