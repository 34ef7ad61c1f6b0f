/** Code lists the case-work screens offer (their words are in the catalogues and content tables). */
import { CASE_ROLES } from '../../../core/roles';

export {
  ATTENDANCE,
  CONSENT_PURPOSES,
  DOMAINS,
  GOAL_STATUSES,
  LEGAL_BASES,
  SESSION_KINDS,
} from '../../../core/vocabulary';

/** The disciplines a case session is recorded under: the case-team roles. */
export const DISCIPLINES = CASE_ROLES;
