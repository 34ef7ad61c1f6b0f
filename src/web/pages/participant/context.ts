/** What every tab of the participant page receives. */
import type { ParticipantItem, Program } from '../../api/casework';

export interface CaseContext {
  participant: ParticipantItem;
  program: Program | undefined;
  roles: string[];
  userId: string;
}

/** Whether the user holds one of the roles. */
export const hasRole = (ctx: CaseContext, roles: readonly string[]) => ctx.roles.some((r) => roles.includes(r));
