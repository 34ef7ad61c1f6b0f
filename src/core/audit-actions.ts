/**
 * Every action code the server and the CLI write into the audit log, and every purpose code an
 * audited access can carry: the one list the web turns into words (`audit.action.<code>` and
 * `reveal.purpose.<code>` in every catalogue, checked by test/audit-words.test.ts, which also scans
 * the server source so a new action cannot be written without being listed here). Pure data.
 */
import { ACTIONS } from './roles.ts';
import { REVEAL_PURPOSES } from './vocabulary.ts';

/**
 * Actions written as literals (`audit.append({ action: 'auth.login' })`) besides the policy actions,
 * which are all written too: as reads and writes of case records, and as denials of `require`.
 */
export const WRITTEN_ACTIONS = [
  // Sign-in and accounts.
  'auth.login',
  'auth.logout',
  'auth.logout_all',
  'auth.mfa',
  'auth.mfa_enrol',
  'auth.password_change',
  'auth.invitation_accept',
  'user.enable',
  'user.unlock',
  'team.create',
  'team.add_member',
  // The audit log itself (the DPO's use of it is audited too).
  'audit.browse',
  'audit.verify',
  'audit.export_heads',
  // Case work.
  'participant.search',
  'participant.search_match',
  'participant.export_pdf',
  'session.attend',
  'handover.accept',
  'assessment.export_pdf',
  // Programs and instruments.
  'program.create',
  'program.update',
  'instrument.import',
  'instrument.retire',
  'instrument.wording',
  'certification.grant',
  'certification.revoke',
  // The academy.
  'academy.enrol',
  'academy.enrol.import',
  'academy.cohort.create',
  'academy.cohort.read',
  'academy.cohort.update',
  'academy.attempt.start',
  'academy.attempt.close',
  'academy.attempts.grant',
  'academy.submission.create',
  'academy.submission.read',
  'academy.submission.grade',
  'academy.report.export',
  'certificate.issue',
  // Review boards.
  'board.create',
  'board.update',
  'board.meeting.create',
  'board.meeting.read',
  'board.pack.read',
  'board.meeting.open',
  'board.meeting.close',
  'board.meeting.sign',
  'board.attendance',
  'board.amend',
  'board.recuse',
  'board.minutes.export',
  // The system.
  'request.replay',
  'demo.seed',
  'demo.reseed',
] as const;

/** Every action code that can appear in the audit log. */
export const AUDIT_ACTIONS = [...new Set<string>([...ACTIONS, ...WRITTEN_ACTIONS])] as readonly AuditAction[];
export type AuditAction = (typeof ACTIONS)[number] | (typeof WRITTEN_ACTIONS)[number];

/** The kinds of record an audit event names (`entityType`; words: `audit.entity.<type>`). */
export const AUDIT_ENTITY_TYPES = [
  'participant',
  'consent',
  'goal',
  'goal_note',
  'plan_version',
  'transition',
  'session',
  'handover',
  'assessment',
  'user',
  'team',
  'tenant',
  'program',
  'instrument',
  'certification',
  'audit_log',
  'cohort',
  'enrolment',
  'attempt',
  'submission',
  'certificate',
  'board',
  'board_meeting',
  'agenda_item',
  'board_decision',
] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

/** Whether a stored record kind is one Sanad knows. */
export function isAuditEntityType(code: string): code is AuditEntityType {
  return (AUDIT_ENTITY_TYPES as readonly string[]).includes(code);
}

/** Purpose codes of audited accesses (`code: free text`; the access log shows the code only). */
export const AUDIT_PURPOSES = REVEAL_PURPOSES;
export type AuditPurpose = (typeof AUDIT_PURPOSES)[number];

/** Whether a stored code is one Sanad knows (older or foreign codes are shown as they are). */
export function isAuditAction(code: string): code is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(code);
}

/** The catalogue key of an action's words. */
export function auditActionKey(code: AuditAction): `audit.action.${AuditAction}` {
  return `audit.action.${code}`;
}

/** The catalogue key of a purpose's words. */
export function auditPurposeKey(code: AuditPurpose): `reveal.purpose.${AuditPurpose}` {
  return `reveal.purpose.${code}`;
}

/** The purpose code of a stored purpose (`code: free text`), or null when it is not one Sanad knows. */
export function knownPurpose(stored: string | null): AuditPurpose | null {
  const code = stored?.split(':')[0]?.trim() ?? '';
  return (AUDIT_PURPOSES as readonly string[]).includes(code) ? (code as AuditPurpose) : null;
}

/** What a case timeline entry can say happened (words: `timeline.<kind>` in every catalogue). */
export const TIMELINE_KINDS = [
  'registered',
  'phase_forward',
  'phase_back',
  'consent_given',
  'consent_withdrawn',
  'session',
  'goal_added',
  'plan_submitted',
  'plan_approved',
  'plan_returned',
  'handover_offered',
  'handover_accepted',
  'handover_declined',
  'handover_cancelled',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];
