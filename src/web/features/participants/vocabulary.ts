/** Code lists the participant screens offer (their words are in the catalogues and content tables). */

export type Alert =
  'no_session' | 'plan_not_approved' | 'plan_review_due' | 'consent_expiring' | 'gate_ready' | 'handover_pending';
/** The alerts the caseload can be filtered by. */
export const FILTER_ALERTS = ['no_session', 'plan_not_approved', 'consent_expiring', 'handover_pending'] as const;
export const LEGAL_STATUSES = ['convicted', 'remand', 'surrendered', 'returnee', 'voluntary', 'juvenile'] as const;
export const REVEAL_PURPOSES = [
  'case_work',
  'safeguarding',
  'family_contact',
  'legal_requirement',
  'referral',
] as const;
