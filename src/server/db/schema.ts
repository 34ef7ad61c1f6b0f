/** Kysely table types: the shape of the database as the code sees it. Keep in step with migrations. */
import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';

type Ts = ColumnType<Date, Date | string | undefined, Date | string>;
type TsNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface TenantsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  is_demo: Generated<boolean>;
  created_at: Ts;
}

export interface UsersTable {
  id: Generated<string>;
  tenant_id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  totp_secret: Buffer | null;
  totp_pending: Buffer | null;
  totp_enabled: Generated<boolean>;
  totp_last_step: ColumnType<string | null, number | null | undefined, number | null>;
  roles: string[];
  status: Generated<'invited' | 'active' | 'disabled'>;
  is_demo: Generated<boolean>;
  locale: Generated<'en' | 'ar' | 'ur' | 'fr'>;
  calendar: Generated<'gregory' | 'islamic-umalqura'>;
  last_login_at: TsNull;
  version: Generated<number>;
  created_at: Ts;
  updated_at: Ts;
}

export interface UserSessionsTable {
  id: Generated<string>;
  token_hash: Buffer;
  user_id: string;
  tenant_id: string;
  mfa_passed: Generated<boolean>;
  created_at: Ts;
  last_seen_at: Ts;
  expires_at: Ts;
  reauth_at: TsNull;
  user_agent: string | null;
  revoked_at: TsNull;
}

export interface InvitationsTable {
  id: Generated<string>;
  tenant_id: string;
  user_id: string;
  token_hash: Buffer;
  expires_at: Ts;
  accepted_at: TsNull;
  created_by: string | null;
  created_at: Ts;
}

export interface LoginThrottleTable {
  key_hash: Buffer;
  failures: Generated<number>;
  locked_until: TsNull;
  updated_at: Ts;
}

export interface RateLimitsTable {
  bucket: string;
  window_start: Ts;
  hits: Generated<number>;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  request_hash: Buffer;
  status: number | null;
  response: Buffer | null;
  created_at: Ts;
}

export interface TenantKeysTable {
  tenant_id: string;
  version: number;
  wrapped_key: Buffer;
  master_key_id: string;
  created_at: Ts;
}

export interface SigningKeysTable {
  id: string;
  public_key: string;
  private_key: Buffer;
  master_key_id: string;
  created_at: Ts;
  retired_at: TsNull;
}

export interface TeamsTable {
  id: Generated<string>;
  tenant_id: string;
  name: string;
  version: Generated<number>;
  created_at: Ts;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  tenant_id: string;
  membership: Generated<'member' | 'supervisor'>;
  discipline: string | null;
  created_at: Ts;
}

export interface ParticipantsTable {
  id: Generated<string>;
  tenant_id: string;
  code: string;
  team_id: string;
  notes: Buffer | null;
  created_by: string;
  created_at: Ts;
  updated_at: Ts;
  version: Generated<number>;
}

export interface AuditChainsTable {
  tenant_id: string;
  chain_no: number;
  seq: ColumnType<string, number | string | undefined, number | string>;
  head_hash: Buffer;
}

export interface AuditEventsTable {
  id: string;
  tenant_id: string;
  chain_no: number;
  seq: ColumnType<string, number | string, never>;
  prev_hash: Buffer;
  hash: Buffer;
  at: Ts;
  actor_id: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  subject_id: string | null;
  purpose: string | null;
  outcome: 'ok' | 'denied' | 'error';
  request_id: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface AuditHeadsTable {
  id: ColumnType<string, never, never>;
  tenant_id: string;
  signed_at: Ts;
  jws: string;
}

/** The whole database. */
export interface DB {
  tenants: TenantsTable;
  users: UsersTable;
  user_sessions: UserSessionsTable;
  invitations: InvitationsTable;
  login_throttle: LoginThrottleTable;
  rate_limits: RateLimitsTable;
  idempotency_keys: IdempotencyKeysTable;
  tenant_keys: TenantKeysTable;
  signing_keys: SigningKeysTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  participants: ParticipantsTable;
  audit_chains: AuditChainsTable;
  audit_events: AuditEventsTable;
  audit_heads: AuditHeadsTable;
}

/** A database handle: the pool-level Kysely instance or an open transaction. */
export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
export type DbOrTx = Kysely<DB> | Transaction<DB>;

/** The id of the deployment-level pseudo tenant that owns events belonging to no tenant. */
export const SYSTEM_TENANT_ID = '00000000-0000-0000-0000-000000000000';
