/**
 * The code lists of case work, shared by server and web: plain data with no zod, so the web can take
 * them without the validation library (core/program.ts and core/participant.ts re-export them).
 */

/** Languages every user-facing label must have. */
export const LOCALES = ['en', 'ar', 'ur', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

/** The intervention domains Sanad knows (a program uses a subset, with its own emphasis). */
export const DOMAINS = [
  'ideological',
  'psychological',
  'family_social',
  'education_vocational',
  'health',
  'legal',
  'economic',
] as const;
export type Domain = (typeof DOMAINS)[number];

/** Purposes consent or a legal basis is recorded for. */
export const CONSENT_PURPOSES = ['services', 'referral', 'information_sharing', 'research'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** Legal statuses at intake. */
export const LEGAL_STATUSES = ['convicted', 'remand', 'surrendered', 'returnee', 'voluntary', 'juvenile'] as const;

/** Frameworks Sanad ships templates for. */
export const FRAMEWORKS = ['custodial', 'juvenile', 'community', 'ddr'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** Why someone reveals identity; lands in the audit event with the free text. */
export const REVEAL_PURPOSES = [
  'case_work',
  'safeguarding',
  'family_contact',
  'legal_requirement',
  'referral',
] as const;

export const LEGAL_BASES = ['consent', 'legal_obligation', 'court_order', 'vital_interests', 'public_task'] as const;
export const GOAL_STATUSES = ['not_started', 'in_progress', 'achieved', 'discontinued'] as const;
export const SESSION_KINDS = ['individual', 'group', 'family'] as const;
export const ATTENDANCE = ['present', 'late', 'absent', 'excused'] as const;

/** Alerts on a case, computed from its data. */
export const ALERTS = [
  'no_session',
  'plan_not_approved',
  'plan_review_due',
  'consent_expiring',
  'gate_ready',
  'handover_pending',
] as const;
export type Alert = (typeof ALERTS)[number];
