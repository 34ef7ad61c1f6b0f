/**
 * What a user may do, derived from the one policy table (roles.ts POLICY) and nothing else: the web
 * shows and hides by these abilities; the server stays the authority and checks the policy itself.
 */
import { ACTIONS, allows, type Action } from './roles.ts';

/** The policy actions the roles may attempt, sorted; an unknown role adds nothing. */
export function abilitiesOf(roles: readonly string[]): Action[] {
  return ACTIONS.filter((a) => allows(roles, a)).sort();
}
