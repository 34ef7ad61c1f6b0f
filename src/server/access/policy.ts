/** Type-level authorisation for non-case resources (users, programs, audit): one check, one denial audit. */
import { AppError } from '../../core/errors.ts';
import { allows, type Action } from '../../core/roles.ts';
import { auditApart } from '../audit/log.ts';
import type { Services } from '../services.ts';
import type { Principal } from './principal.ts';

/** Refuses (403, audited) when the principal's roles do not allow the action. */
export async function authorize(
  s: Services,
  p: Principal,
  requestId: string,
  action: Action,
  entityType: string,
): Promise<void> {
  if (allows(p.roles, action)) return;
  await auditApart(
    s.db,
    { tenantId: p.tenantId, actorId: p.userId, requestId },
    { action, entityType, outcome: 'denied', details: { reason: 'policy' } },
  );
  throw new AppError('FORBIDDEN', 'your role does not allow this');
}
