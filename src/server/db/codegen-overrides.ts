/**
 * What `npm run db:types` cannot learn from the database's column types alone, for `generated.ts`.
 * The generator checks this map against the migrated schema: every key must name a column, `values`
 * must equal the column's `CHECK (col in (...))` list, a CHECK-listed column needs an entry, and a
 * `column` type's select side must admit null exactly when the column is nullable.
 */

/** One column's type in `generated.ts`. Give at most one of `values`, `type`, `column`. */
export interface ColumnOverride {
  /** The values a CHECK allows, as a string-literal union (`| null` and `Generated<>` are added from the schema). */
  values?: readonly string[];
  /** The value type (`| null`, `[]` for arrays and `Generated<>` are added from the schema). */
  type?: string;
  /** The whole Kysely column type, written as is: for columns whose select, insert and update types differ. */
  column?: string;
  /** Why a CHECK-listed column stays a plain string (the code passes values from outside the union through). */
  wide?: string;
  /** The property's doc comment in `generated.ts`. */
  doc?: string;
}

/**
 * Types for PostgreSQL data types, before `| null` and `Generated<>`. JSON columns are written as the
 * text of `JSON.stringify` and read as `unknown`, which the code narrows (zod) before use.
 */
export const TYPE_MAPPING: Readonly<Record<string, string>> = {
  json: 'ColumnType<unknown, string, string>',
  jsonb: 'ColumnType<unknown, string, string>',
};

/** Per-column types, by `table.column`. */
export const COLUMN_OVERRIDES: Readonly<Record<string, ColumnOverride>> = {
  // 0001 foundation
  'users.status': { values: ['invited', 'active', 'disabled'] },
  'users.locale': { values: ['en', 'ar', 'ur', 'fr'] },
  'users.calendar': { values: ['gregory', 'islamic-umalqura'] },
  'team_members.membership': { values: ['member', 'supervisor'] },
  'audit_events.seq': {
    column: 'ColumnType<string, number | string, never>',
    doc: 'Position in the chain: set once when the event is appended, never changed.',
  },
  'audit_events.outcome': { values: ['ok', 'denied', 'error'] },
  'audit_events.details': { column: 'ColumnType<Record<string, unknown>, string | undefined, never>' },
  'audit_heads.id': { column: 'ColumnType<string, never, never>', doc: 'Assigned by its sequence only.' },

  // 0002 case work
  'programs.framework': { values: ['custodial', 'juvenile', 'community', 'ddr'] },
  'programs.status': { values: ['active', 'archived'] },
  'participants.legal_status': {
    values: ['convicted', 'remand', 'surrendered', 'returnee', 'voluntary', 'juvenile'],
  },
  'participants.plan_status': { values: ['draft', 'submitted', 'approved'] },
  'participants.status': { values: ['active', 'closed'] },
  'consents.purpose': { values: ['services', 'referral', 'information_sharing', 'research'] },
  'consents.legal_basis': {
    values: ['consent', 'legal_obligation', 'court_order', 'vital_interests', 'public_task'],
  },
  'consents.status': { values: ['given', 'withdrawn'] },
  'handovers.status': { values: ['pending', 'accepted', 'declined', 'cancelled'] },
  'goals.status': { values: ['not_started', 'in_progress', 'achieved', 'discontinued'] },
  'plan_versions.status': { values: ['submitted', 'approved', 'returned'] },
  'sessions.kind': { values: ['individual', 'group', 'family'] },
  'session_attendance.attendance': { values: ['present', 'late', 'absent', 'excused'] },
  'transitions.direction': { values: ['forward', 'back'] },

  // 0003 instruments
  'instrument_versions.status': { values: ['active', 'retired'] },
  'certifications.source': { values: ['administrator', 'academy'] },

  // 0004 assessments
  'assessments.status': { values: ['draft', 'final'] },
  'assessments.judgement': {
    column: 'ColumnType<Record<string, string>, string | undefined, string>',
    doc: "The assessor's final judgement: outcome key → the instrument's own term.",
  },
  'assessment_ratings.ratings': { column: 'ColumnType<Record<string, string>, string, string>' },
  'assessment_ratings.dissent': {
    column: 'ColumnType<{ assessorId: string; ratings: Record<string, string> }[], string | undefined, string>',
  },

  // 0005 academy
  'academy_cohorts.language': { values: ['en', 'ar', 'ur', 'fr'] },
  'academy_enrolments.status': { values: ['active', 'withdrawn'] },
  'academy_events.kind': { values: ['lesson_completed', 'quiz_graded', 'assignment_graded', 'attempts_granted'] },
  'academy_attempts.answers': { column: 'ColumnType<Record<string, unknown>, string | undefined, string>' },
  'academy_attempts.status': { values: ['open', 'submitted', 'expired'] },
  'academy_submissions.status': { values: ['submitted', 'graded'] },
  'academy_submissions.rubric': {
    column: 'ColumnType<Record<string, number> | null, string | null, string | null>',
  },

  // 0006 academy text encrypted
  'academy_submissions.body': {
    doc: 'The answer, encrypted (AAD tenant:academy_submissions:body:id); null only on a row from before 0006 not yet encrypted.',
  },
  'academy_submissions.body_legacy': {
    doc: 'Plaintext answer of a row from before migration 0006, until encryptLegacyAcademyText encrypts it (then null).',
  },
  'academy_submissions.feedback': {
    doc: "The grader's feedback, encrypted (AAD tenant:academy_submissions:feedback:id).",
  },
  'academy_submissions.feedback_legacy': {
    doc: 'Plaintext feedback from before migration 0006, until encrypted (then null).',
  },
  'academy_certificates.revoked_reason': {
    doc: 'Why it was revoked, encrypted (AAD tenant:academy_certificates:revoked_reason:id).',
  },
  'academy_certificates.revoked_reason_legacy': {
    doc: 'Plaintext reason from before migration 0006, until encrypted (then null).',
  },

  // 0008 review boards
  'boards.status': { values: ['active', 'closed'] },
  'board_members.role': {
    values: [
      'case_manager',
      'psychologist',
      'religious_counsellor',
      'social_worker',
      'security',
      'legal',
      'judge',
      'prosecutor',
      'community',
      'other',
    ],
  },
  'board_meetings.state': { values: ['scheduled', 'open', 'closed', 'signed'] },
  'agenda_items.question': {
    values: ['move_to_next_phase', 'recommend_conditional_release', 'exit_program', 'continue_in_phase'],
  },
  'agenda_items.source': { values: ['gate_waiting', 'plan_review', 'assessment_review', 'transition', 'by_hand'] },
  'board_votes.vote': { values: ['agree', 'disagree', 'abstain'] },
  'board_decisions.question': {
    values: ['move_to_next_phase', 'recommend_conditional_release', 'exit_program', 'continue_in_phase'],
  },
  'board_decisions.outcome': { values: ['approved', 'not_approved', 'deferred'] },
  'board_decisions.conditions': { doc: 'The conditions set, a JSON array of strings, encrypted.' },
};
