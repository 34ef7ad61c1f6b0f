/** Case-team checks shared by the plan and phase operations (team membership is not case data). */
import { AppError } from '../../../core/errors.ts';
import type { Scope } from '../../access/scope.ts';

/** Refuses unless the principal supervises the team that holds the case. */
export async function requireTeamSupervisor(scope: Scope, teamId: string): Promise<void> {
  const row = await scope.shared
    .selectFrom('team_members')
    .select('user_id')
    .where('team_id', '=', teamId)
    .where('user_id', '=', scope.principal.userId)
    .where('membership', '=', 'supervisor')
    .executeTakeFirst();
  if (!row)
    throw new AppError('FORBIDDEN', 'only a supervisor of this case team can do this', {
      details: [{ path: 'team', code: 'not_team_supervisor' }],
    });
}
