/**
 * The database as the code sees it. The table types are generated from the migrated schema
 * (`generated.ts`, `npm run db:types`; narrower column types in `codegen-overrides.ts`); this module
 * names them for the rest of the code.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from './generated.ts';

export type { DB } from './generated.ts';
export { COLUMNS } from './generated.ts';

/** A database handle: the pool-level Kysely instance or an open transaction. */
export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
export type DbOrTx = Kysely<DB> | Transaction<DB>;

/** A table's name, and the names of its columns. */
export type TableName = keyof DB;
export type ColumnName<T extends TableName> = keyof DB[T] & string;

/** The id of the deployment-level pseudo tenant that owns events belonging to no tenant. */
export const SYSTEM_TENANT_ID = '00000000-0000-0000-0000-000000000000';

// Per-table names kept from the hand-written schema (use with Selectable, Insertable, Updateable).
export type TenantsTable = DB['tenants'];
export type UsersTable = DB['users'];
export type UserSessionsTable = DB['user_sessions'];
export type InvitationsTable = DB['invitations'];
export type LoginThrottleTable = DB['login_throttle'];
export type RateLimitsTable = DB['rate_limits'];
export type IdempotencyKeysTable = DB['idempotency_keys'];
export type TenantKeysTable = DB['tenant_keys'];
export type SigningKeysTable = DB['signing_keys'];
export type TeamsTable = DB['teams'];
export type TeamMembersTable = DB['team_members'];
export type ParticipantsTable = DB['participants'];
export type ProgramsTable = DB['programs'];
export type ParticipantBlindIndexTable = DB['participant_blind_index'];
export type ConsentsTable = DB['consents'];
export type HandoversTable = DB['handovers'];
export type GoalsTable = DB['goals'];
export type GoalNotesTable = DB['goal_notes'];
export type PlanVersionsTable = DB['plan_versions'];
export type SessionsTable = DB['sessions'];
export type SessionAttendanceTable = DB['session_attendance'];
export type TransitionsTable = DB['transitions'];
export type InstrumentVersionsTable = DB['instrument_versions'];
export type InstrumentWordingTable = DB['instrument_wording'];
export type CertificationsTable = DB['certifications'];
export type AssessmentsTable = DB['assessments'];
export type AssessmentRatingsTable = DB['assessment_ratings'];
export type AcademyCohortsTable = DB['academy_cohorts'];
export type AcademyFacilitatorsTable = DB['academy_facilitators'];
export type AcademyEnrolmentsTable = DB['academy_enrolments'];
export type AcademyEventsTable = DB['academy_events'];
export type AcademyPositionsTable = DB['academy_positions'];
export type AcademyAttemptsTable = DB['academy_attempts'];
export type AcademySubmissionsTable = DB['academy_submissions'];
export type AcademyCertificatesTable = DB['academy_certificates'];
export type AuditChainsTable = DB['audit_chains'];
export type AuditEventsTable = DB['audit_events'];
export type AuditHeadsTable = DB['audit_heads'];
