/** Code lists the participant screens offer (their words are in the catalogues and content tables). */
import type { ROW_ALERTS } from '../../../server/modules/participants/schema';

export { LEGAL_STATUSES, REVEAL_PURPOSES, type Alert } from '../../../core/vocabulary';

/** The alerts the caseload can be filtered by (those the server computes per row). */
export const FILTER_ALERTS = [
  'no_session',
  'plan_not_approved',
  'consent_expiring',
  'handover_pending',
] as const satisfies readonly (typeof ROW_ALERTS)[number][];
