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
  program_id: string | null;
  phase_key: string | null;
  phase_entered_at: TsNull;
  legal_status: string | null;
  referral_source: string | null;
  languages: Generated<string[]>;
  identity: Buffer | null;
  family_contacts: Buffer | null;
  plan_status: Generated<'draft' | 'submitted' | 'approved'>;
  plan_approved_at: TsNull;
  last_session_at: TsNull;
  status: Generated<'active' | 'closed'>;
}

type DateCol = ColumnType<string, string, string>;
type DateColNull = ColumnType<string | null, string | null | undefined, string | null>;

export interface ProgramsTable {
  id: Generated<string>;
  tenant_id: string;
  framework: string;
  definition: ColumnType<unknown, string, string>;
  status: Generated<'active' | 'archived'>;
  version: Generated<number>;
  created_by: string | null;
  created_at: Ts;
  updated_at: Ts;
}

export interface ParticipantBlindIndexTable {
  tenant_id: string;
  participant_id: string;
  kind: string;
  hash: Buffer;
}

export interface ConsentsTable {
  id: Generated<string>;
  tenant_id: string;
  participant_id: string;
  purpose: string;
  legal_basis: string;
  status: Generated<'given' | 'withdrawn'>;
  given_on: DateCol;
  source: string;
  expires_on: DateColNull;
  withdrawn_at: TsNull;
  withdrawal_reason: Buffer | null;
  created_by: string;
  created_at: Ts;
  updated_at: Ts;
  version: Generated<number>;
}

export interface HandoversTable {
  id: Generated<string>;
  tenant_id: string;
  participant_id: string;
  from_team_id: string;
  to_team_id: string;
  status: Generated<'pending' | 'accepted' | 'declined' | 'cancelled'>;
  reason: Buffer;
  created_by: string;
  created_at: Ts;
  decided_by: string | null;
  decided_at: TsNull;
  updated_at: Ts;
  version: Generated<number>;
}

export interface GoalsTable {
  id: Generated<string>;
  tenant_id: string;
  participant_id: string;
  domain: string;
  title: Buffer;
  indicator: Buffer | null;
  interventions: Buffer | null;
  responsible_user_id: string | null;
  target_date: DateColNull;
  status: Generated<'not_started' | 'in_progress' | 'achieved' | 'discontinued'>;
  progress: Generated<number>;
  created_by: string;
  created_at: Ts;
  updated_at: Ts;
  version: Generated<number>;
}

export interface GoalNotesTable {
  id: Generated<string>;
  tenant_id: string;
  participant_id: string;
  goal_id: string;
  note: Buffer;
  created_by: string;
  created_at: Ts;
  updated_at: Ts;
  version: Generated<number>;
}

export interface PlanVersionsTable {
  id: Generated<string>;
  tenant_id: string;
  participant_id: string;
  number: number;
  status: Generated<'submitted' | 'approved' | 'returned'>;
  snapshot: Buffer;
  created_by: string;
  created_at: Ts;
  decided_by: string | null;
  decided_at: TsNull;
  decision_note: Buffer | null;
  updated_at: Ts;
  version: Generated<number>;
}

export interface SessionsTable {
  id: Generated<string>;
  tenant_id: string;
  team_id: string;
  kind: 'individual' | 'group' | 'family';
  discipline: string;
  occurred_at: Ts;
  duration_minutes: number;
  notes: Buffer | null;
  created_by: string;
  created_at: Ts;
  updated_at: Ts;
  version: Generated<number>;
}

export interface SessionAttendanceTable {
  session_id: string;
  participant_id: string;
  tenant_id: string;
  attendance: 'present' | 'late' | 'absent' | 'excused';
  engagement: number | null;
  goal_ids: Generated<string[]>;
}

export interface TransitionsTable {
  id: Generated<string>;
  tenant_id: string;
  participant_id: string;
  from_phase: string;
  to_phase: string;
  direction: 'forward' | 'back';
  reason: Buffer;
  override_reason: Buffer | null;
  gate_results: ColumnType<unknown, string, string>;
  created_by: string;
  created_at: Ts;
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

export interface InstrumentVersionsTable {
  id: Generated<string>;
  tenant_id: string;
  key: string;
  version: string;
  definition: ColumnType<unknown, string, string>;
  status: Generated<'active' | 'retired'>;
  imported_by: string | null;
  imported_at: Ts;
  retired_at: TsNull;
}

export interface InstrumentWordingTable {
  tenant_id: string;
  key: string;
  version: string;
  wording: ColumnType<unknown, string, string>;
  uploaded_by: string | null;
  uploaded_at: Ts;
}

export interface CertificationsTable {
  id: Generated<string>;
  tenant_id: string;
  user_id: string;
  certification: string;
  granted_by: string | null;
  granted_at: Ts;
  expires_at: TsNull;
  revoked_at: TsNull;
  source: Generated<'administrator' | 'academy'>;
  certificate_id: Generated<string | null>;
}

export interface AcademyCohortsTable {
  id: Generated<string>;
  tenant_id: string;
  course_id: string;
  name: string;
  member_state: string;
  language: 'en' | 'ar' | 'ur' | 'fr';
  starts_on: ColumnType<string, string, string>;
  ends_on: ColumnType<string, string, string>;
  capacity: number;
  created_by: string | null;
  created_at: Generated<Date>;
  version: Generated<number>;
}

export interface AcademyFacilitatorsTable {
  cohort_id: string;
  user_id: string;
  tenant_id: string;
}

export interface AcademyEnrolmentsTable {
  id: Generated<string>;
  tenant_id: string;
  cohort_id: string;
  course_id: string;
  user_id: string;
  status: Generated<'active' | 'withdrawn'>;
  enrolled_by: string | null;
  enrolled_at: Generated<Date>;
}

export interface AcademyEventsTable {
  id: Generated<string>;
  tenant_id: string;
  enrolment_id: string;
  kind: 'lesson_completed' | 'quiz_graded' | 'assignment_graded' | 'attempts_granted';
  module_id: string;
  ref: string;
  score: number | null;
  passed: boolean | null;
  count: number | null;
  at: Generated<Date>;
}

export interface AcademyPositionsTable {
  enrolment_id: string;
  tenant_id: string;
  lesson_id: string;
  at: Generated<Date>;
}

export interface AcademyAttemptsTable {
  id: Generated<string>;
  tenant_id: string;
  enrolment_id: string;
  user_id: string;
  module_id: string;
  attempt_no: number;
  items: ColumnType<unknown, string, string>;
  answers: ColumnType<Record<string, unknown>, string | undefined, string>;
  started_at: Generated<Date>;
  deadline_at: Date;
  closed_at: Date | null;
  status: Generated<'open' | 'submitted' | 'expired'>;
  score: number | null;
  results: ColumnType<unknown, string | null, string | null>;
  version: Generated<number>;
}

export interface AcademySubmissionsTable {
  id: Generated<string>;
  tenant_id: string;
  enrolment_id: string;
  user_id: string;
  module_id: string;
  assignment_id: string;
  /** The answer, encrypted (AAD tenant:academy_submissions:body:id); null only on a row from before 0006 not yet encrypted. */
  body: Buffer | null;
  /** Plaintext answer of a row from before migration 0006, until encryptLegacyAcademyText encrypts it (then null). */
  body_legacy: string | null;
  submitted_at: Generated<Date>;
  status: Generated<'submitted' | 'graded'>;
  rubric: ColumnType<Record<string, number> | null, string | null, string | null>;
  /** The grader's feedback, encrypted (AAD tenant:academy_submissions:feedback:id). */
  feedback: Buffer | null;
  /** Plaintext feedback from before migration 0006, until encrypted (then null). */
  feedback_legacy: string | null;
  passed: boolean | null;
  graded_by: string | null;
  graded_at: Date | null;
  version: Generated<number>;
}

export interface AcademyCertificatesTable {
  id: Generated<string>;
  tenant_id: string;
  user_id: string;
  enrolment_id: string;
  course_id: string;
  code: string;
  holder_name: string;
  issued_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  /** Why it was revoked, encrypted (AAD tenant:academy_certificates:revoked_reason:id). */
  revoked_reason: Buffer | null;
  /** Plaintext reason from before migration 0006, until encrypted (then null). */
  revoked_reason_legacy: string | null;
  credential: string;
}

export interface AssessmentsTable {
  id: Generated<string>;
  tenant_id: string;
  participant_id: string;
  instrument_key: string;
  instrument_version: string;
  status: Generated<'draft' | 'final'>;
  supersedes_id: string | null;
  group_id: string | null;
  formulation: Buffer | null;
  scenarios: Buffer | null;
  management_plan: Buffer | null;
  judgement: ColumnType<Record<string, string>, string | undefined, string>;
  judgement_reasons: Buffer | null;
  finalised_at: TsNull;
  finalised_by: string | null;
  created_by: string;
  created_at: Ts;
  updated_at: Ts;
  version: Generated<number>;
}

export interface AssessmentRatingsTable {
  assessment_id: string;
  tenant_id: string;
  item_code: string;
  ratings: ColumnType<Record<string, string>, string, string>;
  evidence: Buffer | null;
  dissent: ColumnType<{ assessorId: string; ratings: Record<string, string> }[], string | undefined, string>;
  updated_by: string;
  updated_at: Ts;
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
  programs: ProgramsTable;
  participant_blind_index: ParticipantBlindIndexTable;
  consents: ConsentsTable;
  handovers: HandoversTable;
  goals: GoalsTable;
  goal_notes: GoalNotesTable;
  plan_versions: PlanVersionsTable;
  sessions: SessionsTable;
  session_attendance: SessionAttendanceTable;
  transitions: TransitionsTable;
  instrument_versions: InstrumentVersionsTable;
  instrument_wording: InstrumentWordingTable;
  certifications: CertificationsTable;
  assessments: AssessmentsTable;
  assessment_ratings: AssessmentRatingsTable;
  academy_cohorts: AcademyCohortsTable;
  academy_facilitators: AcademyFacilitatorsTable;
  academy_enrolments: AcademyEnrolmentsTable;
  academy_events: AcademyEventsTable;
  academy_positions: AcademyPositionsTable;
  academy_attempts: AcademyAttemptsTable;
  academy_submissions: AcademySubmissionsTable;
  academy_certificates: AcademyCertificatesTable;
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
