/** What the signed-in user may do, as the server's /me says (abilities derived from the policy table); the server still decides. */
import { useCallback } from 'react';
import type { Action } from '../../core/roles';
import { useMe } from './queries';

/** A check of one ability. */
export type Can = (ability: Action) => boolean;

/** Whether the signed-in user may attempt a policy action: for showing and hiding, never for granting. */
export function useCan(): Can {
  const abilities = useMe().data?.abilities;
  return useCallback((ability: Action) => Boolean(abilities?.includes(ability)), [abilities]);
}
