/**
 * Case-data entities the scope knows: their table, the need-to-know predicate, which fields are
 * encrypted and which roles may see them. Adding an entity here is the only way to expose case data.
 */
import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import type { Action } from '../../core/roles.ts';
import type { DB } from '../db/schema.ts';

/** What the scope needs to know about a principal to build predicates. */
export interface ScopeFacts {
  tenantId: string;
  userId: string;
  roles: readonly string[];
  /** The principal's team ids, when already loaded (lists load them so the planner can use indexes). */
  teamIds?: readonly string[];
}

/** Tables that hold case data and carry tenant_id, id and version columns. */
export type CaseTable =
  | 'participants'
  | 'consents'
  | 'goals'
  | 'goal_notes'
  | 'plan_versions'
  | 'sessions'
  | 'transitions'
  | 'handovers'
  | 'assessments';

/** The access definition of one entity. */
export interface EntityDef<T extends CaseTable> {
  table: T;
  /** Entity type as written in audit events. */
  auditType: string;
  actions: { list: Action; read: Action; create: Action; update: Action };
  /** Need-to-know predicate added to every query besides the tenant predicate. */
  visible(eb: ExpressionBuilder<DB, T>, f: ScopeFacts): Expression<SqlBool>;
  /** A narrower predicate for lists, when `visible` has cases that belong elsewhere (default: visible). */
  listVisible?(eb: ExpressionBuilder<DB, T>, f: ScopeFacts): Expression<SqlBool>;
  /** Every column, in order; lists select these minus the encrypted ones. */
  columns: readonly (keyof DB[T] & string)[];
  /** Columns holding AES-GCM ciphertext, decrypted for roles in `fieldRoles` only. */
  encrypted: readonly (keyof DB[T] & string)[];
  /** Roles that may see a field; fields not listed are visible to whoever may read the record. */
  fieldRoles: Partial<Record<keyof DB[T] & string, readonly string[]>>;
  /** Encrypted fields never returned by a read, only by an explicit, audited reveal with a purpose. */
  revealOnly?: readonly (keyof DB[T] & string)[];
  /** Columns a client may never set: the scope sets them itself. */
  serverOwned: readonly (keyof DB[T] & string)[];
  /** Whose record this is (a person), for the audit event's subject. */
  subjectOf(row: Record<string, unknown>): string | null;
}

/** Ids of the teams the principal belongs to or supervises, as a subquery. */
function myTeams(eb: ExpressionBuilder<DB, never>, f: ScopeFacts) {
  return eb
    .selectFrom('team_members')
    .select('team_members.team_id')
    .where('team_members.user_id', '=', f.userId)
    .where('team_members.tenant_id', '=', f.tenantId);
}

/** Ids of the participants on the principal's teams, as a subquery. */
function myParticipants(eb: ExpressionBuilder<DB, never>, f: ScopeFacts) {
  return eb
    .selectFrom('participants as vp')
    .select('vp.id')
    .where('vp.tenant_id', '=', f.tenantId)
    .where('vp.team_id', 'in', myTeams(eb, f));
}

const CLINICAL = [
  'case_manager',
  'psychologist',
  'religious_counsellor',
  'social_worker',
  'supervisor',
  'program_director',
] as const;
const OWNED = ['id', 'tenant_id', 'created_by', 'created_at', 'updated_at', 'version'] as const;

/** Participants: visible to their case team and its supervisors. Identity only by audited reveal. */
export const participants: EntityDef<'participants'> = {
  table: 'participants',
  auditType: 'participant',
  actions: {
    list: 'participant.list',
    read: 'participant.read',
    create: 'participant.create',
    update: 'participant.update',
  },
  // A subquery, so membership changes apply to the very next request. A team offered the case in
  // a handover sees only the offer (code, phase, reason) until it accepts (Scope.acceptHandover).
  visible: (eb, f) => eb('participants.team_id', 'in', myTeams(eb as never, f)),
  // Lists name the loaded team ids, so the planner can use the (tenant, team, created_at) index.
  listVisible: (eb, f) =>
    !f.teamIds
      ? eb('participants.team_id', 'in', myTeams(eb as never, f))
      : f.teamIds.length === 0
        ? eb.val(false)
        : f.teamIds.length === 1
          ? eb('participants.team_id', '=', f.teamIds[0]!) // one team: the (tenant, team, created_at) index gives the order
          : eb('participants.team_id', 'in', f.teamIds),
  columns: [
    'id',
    'tenant_id',
    'code',
    'team_id',
    'notes',
    'created_by',
    'created_at',
    'updated_at',
    'version',
    'program_id',
    'phase_key',
    'phase_entered_at',
    'legal_status',
    'referral_source',
    'languages',
    'identity',
    'family_contacts',
    'plan_status',
    'plan_approved_at',
    'last_session_at',
    'status',
  ],
  encrypted: ['notes', 'identity', 'family_contacts'],
  fieldRoles: { notes: CLINICAL },
  revealOnly: ['identity', 'family_contacts'],
  serverOwned: [...OWNED, 'phase_key', 'phase_entered_at', 'plan_status', 'plan_approved_at', 'last_session_at'],
  subjectOf: (row) => String(row.id),
};

/** Builds the definition of a table whose rows belong to one participant. */
function ofParticipant<T extends 'consents' | 'goals' | 'goal_notes' | 'plan_versions' | 'transitions' | 'assessments'>(
  table: T,
  auditType: string,
  actions: EntityDef<T>['actions'],
  columns: EntityDef<T>['columns'],
  encrypted: EntityDef<T>['encrypted'],
  fieldRoles: EntityDef<T>['fieldRoles'] = {},
  extraOwned: EntityDef<T>['serverOwned'] = [],
): EntityDef<T> {
  return {
    table,
    auditType,
    actions,
    visible: (eb, f) => eb(`${table}.participant_id` as never, 'in', myParticipants(eb as never, f) as never),
    columns,
    encrypted,
    fieldRoles,
    serverOwned: [...OWNED, ...extraOwned] as unknown as EntityDef<T>['serverOwned'],
    subjectOf: (row) => String(row.participant_id),
  };
}

/** Consent and legal basis per purpose. */
export const consents = ofParticipant(
  'consents',
  'consent',
  { list: 'consent.read', read: 'consent.read', create: 'consent.write', update: 'consent.write' },
  [
    'id',
    'tenant_id',
    'participant_id',
    'purpose',
    'legal_basis',
    'status',
    'given_on',
    'source',
    'expires_on',
    'withdrawn_at',
    'withdrawal_reason',
    'created_by',
    'created_at',
    'updated_at',
    'version',
  ],
  ['withdrawal_reason'],
);

/** Plan goals per domain. */
export const goals = ofParticipant(
  'goals',
  'goal',
  { list: 'plan.read', read: 'plan.read', create: 'plan.write', update: 'plan.write' },
  [
    'id',
    'tenant_id',
    'participant_id',
    'domain',
    'title',
    'indicator',
    'interventions',
    'responsible_user_id',
    'target_date',
    'status',
    'progress',
    'created_by',
    'created_at',
    'updated_at',
    'version',
  ],
  ['title', 'indicator', 'interventions'],
);

/** Progress notes on goals. */
export const goalNotes = ofParticipant(
  'goal_notes',
  'goal_note',
  { list: 'plan.read', read: 'plan.read', create: 'plan.write', update: 'plan.write' },
  ['id', 'tenant_id', 'participant_id', 'goal_id', 'note', 'created_by', 'created_at', 'updated_at', 'version'],
  ['note'],
  { note: [...CLINICAL, 'vocational_trainer', 'aftercare_officer'] },
);

/** Submitted plan versions with their encrypted snapshots. */
export const planVersions = ofParticipant(
  'plan_versions',
  'plan_version',
  { list: 'plan.read', read: 'plan.read', create: 'plan.write', update: 'plan.approve' },
  [
    'id',
    'tenant_id',
    'participant_id',
    'number',
    'status',
    'snapshot',
    'created_by',
    'created_at',
    'decided_by',
    'decided_at',
    'decision_note',
    'updated_at',
    'version',
  ],
  ['snapshot', 'decision_note'],
);

/** Phase transitions (append-only in practice: no update route). */
export const transitions = ofParticipant(
  'transitions',
  'transition',
  { list: 'participant.read', read: 'participant.read', create: 'phase.transition', update: 'phase.transition' },
  [
    'id',
    'tenant_id',
    'participant_id',
    'from_phase',
    'to_phase',
    'direction',
    'reason',
    'override_reason',
    'gate_results',
    'created_by',
    'created_at',
  ],
  ['reason', 'override_reason'],
);

/** Sessions, owned by the team that ran them; notes encrypted and hidden from mentors. */
export const sessions: EntityDef<'sessions'> = {
  table: 'sessions',
  auditType: 'session',
  actions: { list: 'session.read', read: 'session.read', create: 'session.write', update: 'session.write' },
  // Through its attendees: a case handed over takes its session history to the new team, and the
  // old team no longer reads it.
  visible: (eb, f) =>
    eb(
      'sessions.id',
      'in',
      (eb as unknown as ExpressionBuilder<DB, 'session_attendance'>)
        .selectFrom('session_attendance')
        .select('session_attendance.session_id')
        .where('session_attendance.participant_id', 'in', myParticipants(eb as never, f) as never) as never,
    ),
  columns: [
    'id',
    'tenant_id',
    'team_id',
    'kind',
    'discipline',
    'occurred_at',
    'duration_minutes',
    'notes',
    'created_by',
    'created_at',
    'updated_at',
    'version',
  ],
  encrypted: ['notes'],
  fieldRoles: { notes: [...CLINICAL, 'vocational_trainer', 'aftercare_officer'] },
  serverOwned: [...OWNED],
  subjectOf: () => null,
};

/** Handovers: visible to the sending team (via the participant) and to the receiving team. */
export const handovers: EntityDef<'handovers'> = {
  table: 'handovers',
  auditType: 'handover',
  actions: {
    list: 'participant.read',
    read: 'participant.read',
    create: 'handover.request',
    update: 'handover.decide',
  },
  visible: (eb, f) =>
    eb.or([
      eb('handovers.from_team_id', 'in', myTeams(eb as never, f)),
      eb('handovers.to_team_id', 'in', myTeams(eb as never, f)),
    ]),
  columns: [
    'id',
    'tenant_id',
    'participant_id',
    'from_team_id',
    'to_team_id',
    'status',
    'reason',
    'created_by',
    'created_at',
    'decided_by',
    'decided_at',
    'updated_at',
    'version',
  ],
  encrypted: ['reason'],
  fieldRoles: {},
  serverOwned: [...OWNED],
  subjectOf: (row) => String(row.participant_id),
};

/** SPJ assessments: formulation, scenarios, management plan and reasons encrypted; assessors only. */
export const assessments = ofParticipant(
  'assessments',
  'assessment',
  { list: 'assessment.read', read: 'assessment.read', create: 'assessment.write', update: 'assessment.write' },
  [
    'id',
    'tenant_id',
    'participant_id',
    'instrument_key',
    'instrument_version',
    'status',
    'supersedes_id',
    'group_id',
    'formulation',
    'scenarios',
    'management_plan',
    'judgement',
    'judgement_reasons',
    'finalised_at',
    'finalised_by',
    'created_by',
    'created_at',
    'updated_at',
    'version',
  ],
  ['formulation', 'scenarios', 'management_plan', 'judgement_reasons'],
  { formulation: CLINICAL, scenarios: CLINICAL, management_plan: CLINICAL, judgement_reasons: CLINICAL },
  ['group_id'],
);
