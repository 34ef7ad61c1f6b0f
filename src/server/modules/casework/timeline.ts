/** A participant's timeline (everything that happened to the case) and access log (who looked, when). */
import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { AppError } from '../../../core/errors.ts';
import { Scope } from '../../access/scope.ts';
import { participants, transitions } from '../../access/entities.ts';
import { errors, jsonResponse, requireUser, router } from '../../http/openapi.ts';

const Entry = z
  .object({
    at: z.string(),
    kind: z.string(),
    actorId: z.string().nullable(),
    ref: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('TimelineEntry');
const AccessEntry = z
  .object({
    at: z.string(),
    actorId: z.string().nullable(),
    actorName: z.string().nullable(),
    action: z.string(),
    outcome: z.string(),
    purpose: z.string().nullable(),
  })
  .openapi('AccessLogEntry');
const IdParam = z.object({ id: z.string().max(64) });

/** Routes for /participants/{id}/timeline and /participants/{id}/access-log. */
export function timelineRoutes() {
  const app = router();
  const tags = ['participants'];
  const common = errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/timeline',
      tags,
      summary: 'Everything that happened on the case, newest first',
      request: { params: IdParam },
      responses: { 200: jsonResponse(z.object({ items: z.array(Entry) })), ...common },
    }),
    async (c) => {
      const items = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        const p = await scope.get(participants, c.req.valid('param').id);
        const id = p.id as string;
        // Child rows of a participant the scope has just let us read; no encrypted text is included.
        const rows = await sql<{
          at: Date;
          kind: string;
          actor: string | null;
          ref: string | null;
          data: Record<string, unknown>;
        }>`
        select created_at as at, 'registered' as kind, created_by as actor, id::text as ref, jsonb_build_object('legalStatus', legal_status) as data from participants where id = ${id}
        union all select created_at, 'phase_' || direction, created_by, id::text, jsonb_build_object('from', from_phase, 'to', to_phase, 'override', override_reason is not null) from transitions where participant_id = ${id}
        union all select created_at, 'consent_given', created_by, id::text, jsonb_build_object('purpose', purpose, 'legalBasis', legal_basis) from consents where participant_id = ${id}
        union all select withdrawn_at, 'consent_withdrawn', null, id::text, jsonb_build_object('purpose', purpose) from consents where participant_id = ${id} and withdrawn_at is not null
        union all select s.occurred_at, 'session', s.created_by, s.id::text, jsonb_build_object('kind', s.kind, 'discipline', s.discipline, 'attendance', a.attendance, 'engagement', a.engagement, 'minutes', s.duration_minutes) from sessions s join session_attendance a on a.session_id = s.id where a.participant_id = ${id}
        union all select created_at, 'goal_added', created_by, id::text, jsonb_build_object('domain', domain) from goals where participant_id = ${id}
        union all select created_at, 'plan_submitted', created_by, id::text, jsonb_build_object('number', number) from plan_versions where participant_id = ${id}
        union all select decided_at, 'plan_' || status, decided_by, id::text, jsonb_build_object('number', number) from plan_versions where participant_id = ${id} and decided_at is not null
        union all select created_at, 'handover_offered', created_by, id::text, jsonb_build_object('toTeamId', to_team_id) from handovers where participant_id = ${id}
        union all select decided_at, 'handover_' || status, decided_by, id::text, jsonb_build_object('toTeamId', to_team_id) from handovers where participant_id = ${id} and decided_at is not null
        order by at desc limit 500`.execute(scope.tx);
        // Reasons are encrypted: add them, decrypted through the scope, to the phase entries.
        const reasons = new Map(
          (await scope.listFull(transitions, (q) => q.where('transitions.participant_id', '=', id))).map((x) => [
            x.id as string,
            x.reason as string,
          ]),
        );
        return rows.rows.map((r) => ({
          at: r.at.toISOString(),
          kind: r.kind,
          actorId: r.actor,
          ref: r.ref,
          data: r.kind.startsWith('phase_') ? { ...r.data, reason: reasons.get(r.ref ?? '') ?? null } : r.data,
        }));
      });
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/access-log',
      tags,
      summary: 'Who read, revealed or changed this record, and when',
      request: { params: IdParam },
      responses: { 200: jsonResponse(z.object({ items: z.array(AccessEntry) })), ...common },
    }),
    async (c) => {
      const items = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        // Role first, so a refusal is recorded as a denial rather than rolled back with a read event.
        if (!scope.principal.roles.some((r) => ['case_manager', 'supervisor'].includes(r))) {
          scope.denials.push({
            action: 'participant.access_log',
            entityType: 'participant',
            entityId: c.req.valid('param').id,
            outcome: 'denied',
            details: { reason: 'policy' },
          });
          throw new AppError('FORBIDDEN', 'the access log is for the case manager and supervisors', {
            details: [{ path: 'role', code: 'access_log_roles' }],
          });
        }
        const p = await scope.get(participants, c.req.valid('param').id);
        const rows = await scope.tx
          .selectFrom('audit_events as e')
          .leftJoin('users as u', 'u.id', 'e.actor_id')
          .select(['e.at', 'e.actor_id', 'u.display_name', 'e.action', 'e.outcome', 'e.purpose'])
          .where('e.tenant_id', '=', scope.principal.tenantId)
          .where((eb) => eb.or([eb('e.subject_id', '=', p.id as string), eb('e.entity_id', '=', p.id as string)]))
          .orderBy('e.at', 'desc')
          .limit(200)
          .execute();
        // The purpose code only; free-text reasons stay in the DPO's audit viewer.
        return rows.map((r) => ({
          at: r.at.toISOString(),
          actorId: r.actor_id,
          actorName: r.display_name,
          action: r.action,
          outcome: r.outcome,
          purpose: r.purpose ? r.purpose.split(':')[0]! : null,
        }));
      });
      return c.json({ items }, 200);
    },
  );
  return app;
}
