/**
 * Case-data entities the scope knows: their table, the need-to-know predicate, which fields are
 * encrypted and which roles may see them. Adding an entity here is the only way to expose case data.
 */
import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import type { Action } from '../../core/roles.ts';
import { COLUMNS, type DB } from '../db/schema.ts';

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
  | 'assessments'
  | 'agenda_items'
  | 'board_decisions';

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
  /** Columns set when a record is created and never changed by an update (403 `field_forbidden`). */
  immutable?: readonly (keyof DB[T] & string)[];
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

/** Ids of the meetings of the boards the principal sits on, as a subquery. */
function myBoardMeetings(eb: ExpressionBuilder<DB, never>, f: ScopeFacts) {
  return eb
    .selectFrom('board_meetings as bm')
    .innerJoin('board_members as bmem', (j) =>
      j.onRef('bmem.board_id', '=', 'bm.board_id').on('bmem.user_id', '=', f.userId),
    )
    .select('bm.id')
    .where('bm.tenant_id', '=', f.tenantId);
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
  columns: COLUMNS.participants,
  encrypted: ['notes', 'identity', 'family_contacts'],
  fieldRoles: { notes: CLINICAL },
  revealOnly: ['identity', 'family_contacts'],
  // A case moves to another team only by an accepted handover, to another program not at all.
  immutable: ['team_id', 'program_id', 'code'],
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
  COLUMNS.consents,
  ['withdrawal_reason'],
);

/** Plan goals per domain. */
export const goals = ofParticipant(
  'goals',
  'goal',
  { list: 'plan.read', read: 'plan.read', create: 'plan.write', update: 'plan.write' },
  COLUMNS.goals,
  ['title', 'indicator', 'interventions'],
);

/** Progress notes on goals. */
export const goalNotes = ofParticipant(
  'goal_notes',
  'goal_note',
  { list: 'plan.read', read: 'plan.read', create: 'plan.write', update: 'plan.write' },
  COLUMNS.goal_notes,
  ['note'],
  { note: [...CLINICAL, 'vocational_trainer', 'aftercare_officer'] },
);

/** Submitted plan versions with their encrypted snapshots. */
export const planVersions = ofParticipant(
  'plan_versions',
  'plan_version',
  { list: 'plan.read', read: 'plan.read', create: 'plan.write', update: 'plan.approve' },
  COLUMNS.plan_versions,
  ['snapshot', 'decision_note'],
);

/** Phase transitions (append-only in practice: no update route). */
export const transitions = ofParticipant(
  'transitions',
  'transition',
  { list: 'participant.read', read: 'participant.read', create: 'phase.transition', update: 'phase.transition' },
  COLUMNS.transitions,
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
  columns: COLUMNS.sessions,
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
  columns: COLUMNS.handovers,
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
  COLUMNS.assessments,
  ['formulation', 'scenarios', 'management_plan', 'judgement_reasons'],
  { formulation: CLINICAL, scenarios: CLINICAL, management_plan: CLINICAL, judgement_reasons: CLINICAL },
  ['group_id'],
);

/**
 * A case's items on review-board agendas: visible to the case team (through the participant) and to
 * the members of the board whose meeting it is on — the code, question and reason only; the evidence
 * pack behind an item opens to a member outside the case team only while the meeting is open
 * (modules/boards/pack.ts).
 */
export const agendaItems: EntityDef<'agenda_items'> = {
  table: 'agenda_items',
  auditType: 'agenda_item',
  actions: { list: 'board.read', read: 'board.read', create: 'board.agenda', update: 'board.agenda' },
  visible: (eb, f) =>
    eb.or([
      eb('agenda_items.participant_id', 'in', myParticipants(eb as never, f) as never),
      eb('agenda_items.meeting_id', 'in', myBoardMeetings(eb as never, f) as never),
    ]),
  columns: COLUMNS.agenda_items,
  encrypted: ['reason', 'board_notes', 'discussion'],
  fieldRoles: {},
  // A case is put on a meeting's agenda once; it never moves to another case or meeting.
  immutable: ['participant_id', 'meeting_id', 'code', 'question'],
  serverOwned: [...OWNED, 'phase_key', 'position'],
  subjectOf: (row) => String(row.participant_id),
};

/** The board's decision on an agenda item: visible to the case team and to the board's members. */
export const boardDecisions: EntityDef<'board_decisions'> = {
  table: 'board_decisions',
  auditType: 'board_decision',
  actions: { list: 'board.read', read: 'board.read', create: 'board.decide', update: 'board.decide' },
  visible: (eb, f) =>
    eb.or([
      eb('board_decisions.participant_id', 'in', myParticipants(eb as never, f) as never),
      eb('board_decisions.meeting_id', 'in', myBoardMeetings(eb as never, f) as never),
    ]),
  columns: COLUMNS.board_decisions,
  encrypted: ['wording', 'reasons', 'conditions'],
  fieldRoles: {},
  immutable: ['item_id', 'participant_id', 'meeting_id', 'question'],
  serverOwned: [...OWNED, 'phase_key', 'agree', 'disagree', 'abstain', 'conditions_applied_at'],
  subjectOf: (row) => String(row.participant_id),
};

/** Side tables whose rows belong to one record of a case entity and have no policy of their own. */
export type ChildTable =
  'session_attendance' | 'assessment_ratings' | 'participant_blind_index' | 'agenda_recusals' | 'board_votes';

/**
 * A side table read and written only through its parent: a row is visible (and writable) exactly
 * when the parent record it names is visible to the principal.
 */
export interface ChildDef<T extends ChildTable, P extends CaseTable> {
  table: T;
  parent: EntityDef<P>;
  /** The column naming the parent record. */
  parentKey: keyof DB[T] & string;
  /** Columns holding AES-GCM ciphertext (key context: table, field and a row key the caller names). */
  encrypted: readonly (keyof DB[T] & string)[];
  /**
   * Other records a row names: each must be visible to the principal, or created in this very
   * transaction, for a row to be inserted; and no update may re-point a row to another one.
   */
  alsoNames?: readonly { key: keyof DB[T] & string; def: EntityDef<CaseTable> }[];
}

/** Who attended a session, per participant: visible with the participant. */
export const sessionAttendance: ChildDef<'session_attendance', 'participants'> = {
  table: 'session_attendance',
  parent: participants,
  parentKey: 'participant_id',
  encrypted: [],
  // A session visible to the principal (a new one: created in this transaction, before its attendees).
  alsoNames: [{ key: 'session_id', def: sessions as unknown as EntityDef<CaseTable> }],
};

/** Item ratings of an assessment, with encrypted evidence: visible with the assessment. */
export const assessmentRatings: ChildDef<'assessment_ratings', 'assessments'> = {
  table: 'assessment_ratings',
  parent: assessments,
  parentKey: 'assessment_id',
  encrypted: ['evidence'],
};

/** Keyed hashes of a participant's identity for duplicate search: visible with the participant. */
export const participantBlindIndex: ChildDef<'participant_blind_index', 'participants'> = {
  table: 'participant_blind_index',
  parent: participants,
  parentKey: 'participant_id',
  encrypted: [],
};

/** Conflicts of interest declared on an agenda item: visible with the item. */
export const agendaRecusals: ChildDef<'agenda_recusals', 'agenda_items'> = {
  table: 'agenda_recusals',
  parent: agendaItems,
  parentKey: 'item_id',
  encrypted: ['reason'],
};

/** Board members' votes on an agenda item, with their reasons: visible with the item. */
export const boardVotes: ChildDef<'board_votes', 'agenda_items'> = {
  table: 'board_votes',
  parent: agendaItems,
  parentKey: 'item_id',
  encrypted: ['reason'],
};
