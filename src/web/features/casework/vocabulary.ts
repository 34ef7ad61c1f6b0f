/** Code lists the case-work screens offer (their words are in the catalogues and content tables). */
import { CASE_ROLES } from '../../../core/roles';

export const DOMAINS = [
  'ideological',
  'psychological',
  'family_social',
  'education_vocational',
  'health',
  'legal',
  'economic',
] as const;
export const CONSENT_PURPOSES = ['services', 'referral', 'information_sharing', 'research'] as const;
export const LEGAL_BASES = ['consent', 'legal_obligation', 'court_order', 'vital_interests', 'public_task'] as const;
export const GOAL_STATUSES = ['not_started', 'in_progress', 'achieved', 'discontinued'] as const;
export const SESSION_KINDS = ['individual', 'group', 'family'] as const;
/** The disciplines a case session is recorded under: the case-team roles. */
export const DISCIPLINES = CASE_ROLES;
export const ATTENDANCE = ['present', 'late', 'absent', 'excused'] as const;
