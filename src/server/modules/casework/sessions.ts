/**
 * Sessions: individual, group or family; discipline, time, duration, attendance, engagement,
 * goals worked on, encrypted notes. All attendees must be participants of one of the author's teams.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { AppError } from '../../../core/errors.ts';
import { CASE_ROLES } from '../../../core/roles.ts';
import { ATTENDANCE, NOTE_MAX, SESSION_KINDS } from '../../../core/participant.ts';
import { Scope } from '../../access/scope.ts';
import { participants, sessions } from '../../access/entities.ts';
import {
  decodeCursor,
  encodeCursor,
  errors,
  jsonBody,
  jsonResponse,
  PageQuery,
  requireUser,
  router,
} from '../../http/openapi.ts';

const Attendee = z.strictObject({
  participantId: z.string().uuid(),
  attendance: z.enum(ATTENDANCE),
  engagement: z.number().int().min(1).max(5).nullable().optional(),
  goalIds: z.array(z.string().uuid()).max(20).default([]),
});
const CreateSessionRequest = z
  .strictObject({
    kind: z.enum(SESSION_KINDS),
    discipline: z.enum(CASE_ROLES as unknown as [string, ...string[]]),
    occurredAt: z.string().datetime({ offset: true }),
    durationMinutes: z.number().int().min(1).max(1440),
    attendees: z.array(Attendee).min(1).max(60),
    notes: z.string().max(NOTE_MAX).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.kind !== 'group' && b.attendees.length !== 1)
      ctx.addIssue({
        code: 'custom',
        path: ['attendees'],
        message: 'individual and family sessions have one participant',
      });
    if (new Set(b.attendees.map((a) => a.participantId)).size !== b.attendees.length)
      ctx.addIssue({ code: 'custom', path: ['attendees'], message: 'a participant is listed twice' });
    if (Date.parse(b.occurredAt) > Date.now() + 5 * 60_000)
      ctx.addIssue({ code: 'custom', path: ['occurredAt'], message: 'cannot be in the future' });
    b.attendees.forEach((a, i) => {
      if ((a.attendance === 'absent' || a.attendance === 'excused') && a.engagement)
        ctx.addIssue({
          code: 'custom',
          path: ['attendees', i, 'engagement'],
          message: 'no engagement rating when absent',
        });
    });
  })
  .openapi('CreateSessionRequest');
const SessionOut = z
  .object({
    id: z.string(),
    teamId: z.string(),
    kind: z.enum(SESSION_KINDS),
    discipline: z.string(),
    occurredAt: z.string(),
    durationMinutes: z.number(),
    notes: z.string().nullable().optional(),
    createdBy: z.string(),
    createdAt: z.string(),
    version: z.number(),
    attendees: z.array(
      z.object({
        participantId: z.string(),
        code: z.string(),
        attendance: z.enum(ATTENDANCE),
        engagement: z.number().nullable(),
        goalIds: z.array(z.string()),
      }),
    ),
  })
  .openapi('Session');
const IdParam = z.object({ id: z.string().max(64) });

/** Attendees of sessions, limited to participants on the caller's teams (others in a group stay hidden). */
async function attendeesOf(scope: Scope, sessionIds: string[]) {
  if (sessionIds.length === 0) return [];
  const mine = await scope.teamIds();
  if (mine.length === 0) return [];
  return scope.tx
    .selectFrom('session_attendance as a')
    .innerJoin('participants as p', 'p.id', 'a.participant_id')
    .select(['a.session_id', 'a.participant_id', 'p.code', 'a.attendance', 'a.engagement', 'a.goal_ids'])
    .where('a.tenant_id', '=', scope.principal.tenantId)
    .where('a.session_id', 'in', sessionIds)
    .where('p.team_id', 'in', mine)
    .execute();
}

function view(r: Record<string, unknown>, att: Awaited<ReturnType<typeof attendeesOf>>) {
  return {
    id: r.id as string,
    teamId: r.team_id as string,
    kind: r.kind as (typeof SESSION_KINDS)[number],
    discipline: r.discipline as string,
    occurredAt: (r.occurred_at as Date).toISOString(),
    durationMinutes: r.duration_minutes as number,
    ...('notes' in r ? { notes: (r.notes as string | null) ?? null } : {}),
    createdBy: r.created_by as string,
    createdAt: (r.created_at as Date).toISOString(),
    version: r.version as number,
    attendees: att
      .filter((a) => a.session_id === r.id)
      .map((a) => ({
        participantId: a.participant_id,
        code: a.code,
        attendance: a.attendance,
        engagement: a.engagement,
        goalIds: a.goal_ids,
      })),
  };
}

/** Routes for /sessions and /participants/{id}/sessions. */
export function sessionRoutes() {
  const app = router();
  const tags = ['sessions'];
  const common = errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND');

  app.openapi(
    createRoute({
      method: 'post',
      path: '/sessions',
      tags,
      summary: 'Record a session (individual, group or family)',
      request: { body: jsonBody(CreateSessionRequest) },
      responses: { 201: jsonResponse(SessionOut, 'Recorded'), ...common },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const r = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        scope.require(sessions.actions.create, { type: 'session' });
        const ids = b.attendees.map((a) => a.participantId);
        const ps = await scope
          .select(participants)
          .where('participants.id', 'in', ids)
          .where('participants.team_id', 'in', await scope.teamIds())
          .select(['participants.id', 'participants.team_id'])
          // Lock the attendees first, in one order: inserting attendance (FK share locks) and then updating
          // last_session_at would otherwise deadlock two sessions recorded for the same person at once.
          .orderBy('participants.id')
          .forUpdate()
          .execute();
        const missing = b.attendees.findIndex((a) => !ps.some((p) => p.id === a.participantId));
        if (missing >= 0) {
          scope.denials.push({
            action: 'session.write',
            entityType: 'participant',
            entityId: b.attendees[missing]!.participantId,
            outcome: 'denied',
            details: { reason: 'not_on_your_team' },
          });
          throw new AppError('VALIDATION_FAILED', 'a participant is not on your case teams', {
            details: [{ path: `attendees.${missing}.participantId`, code: 'not_on_team' }],
          });
        }
        const teams = new Set(ps.map((p) => p.team_id));
        if (teams.size > 1)
          throw new AppError('VALIDATION_FAILED', 'a group session is run by one team', {
            details: [{ path: 'attendees', code: 'several_teams' }],
          });
        const goalIds = b.attendees.flatMap((a) => a.goalIds);
        if (goalIds.length > 0) {
          const owned = await scope.tx
            .selectFrom('goals')
            .select(['id', 'participant_id'])
            .where('tenant_id', '=', scope.principal.tenantId)
            .where('id', 'in', goalIds)
            .execute();
          b.attendees.forEach((a, i) =>
            a.goalIds.forEach((g, j) => {
              if (!owned.some((o) => o.id === g && o.participant_id === a.participantId))
                throw new AppError('VALIDATION_FAILED', 'a goal is not one of this participant’s', {
                  details: [{ path: `attendees.${i}.goalIds.${j}`, code: 'unknown_goal' }],
                });
            }),
          );
        }
        if (!scope.principal.roles.includes(b.discipline))
          throw new AppError('VALIDATION_FAILED', 'record sessions in your own discipline', {
            details: [{ path: 'discipline', code: 'not_your_discipline' }],
          });
        const s = await scope.create(
          sessions,
          {
            team_id: [...teams][0],
            kind: b.kind,
            discipline: b.discipline,
            occurred_at: b.occurredAt,
            duration_minutes: b.durationMinutes,
            notes: b.notes ?? null,
          },
          { details: { kind: b.kind, attendees: b.attendees.length } },
          {
            // A session is visible through its attendees, so they are written before the scope re-checks it.
            beforeCheck: async (sid) => {
              await scope.tx
                .insertInto('session_attendance')
                .values(
                  b.attendees.map((a) => ({
                    session_id: sid,
                    participant_id: a.participantId,
                    tenant_id: scope.principal.tenantId,
                    attendance: a.attendance,
                    engagement: a.engagement ?? null,
                    goal_ids: a.goalIds,
                  })),
                )
                .execute();
            },
          },
        );
        // One event per attendee, so each person's access log shows the session.
        for (const a of b.attendees)
          await scope.audit.append({
            action: 'session.attend',
            entityType: 'session',
            entityId: s.id as string,
            subjectId: a.participantId,
          });
        for (const a of b.attendees) {
          if (a.attendance === 'present' || a.attendance === 'late') {
            const cur = await scope
              .select(participants)
              .where('participants.id', '=', a.participantId)
              .select('participants.last_session_at')
              .executeTakeFirstOrThrow();
            if (!cur.last_session_at || cur.last_session_at.getTime() < Date.parse(b.occurredAt))
              await scope.setOwned(participants, a.participantId, { last_session_at: new Date(b.occurredAt) });
          }
        }
        return view(s, await attendeesOf(scope, [s.id as string]));
      });
      return c.json(r, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/sessions/{id}',
      tags,
      summary: 'One session with attendees and notes (audited)',
      request: { params: IdParam },
      responses: { 200: jsonResponse(SessionOut), ...common },
    }),
    async (c) => {
      const r = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        const s = await scope.get(sessions, c.req.valid('param').id);
        const att = await attendeesOf(scope, [s.id as string]);
        for (const a of att)
          await scope.audit.append({
            action: 'session.read',
            entityType: 'session',
            entityId: s.id as string,
            subjectId: a.participant_id,
          });
        return view(s, att);
      });
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/sessions',
      tags,
      summary: "A participant's sessions, newest first (keyset)",
      request: { params: IdParam, query: z.object(PageQuery) },
      responses: {
        200: jsonResponse(z.object({ items: z.array(SessionOut), nextCursor: z.string().nullable() })),
        ...common,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const cur = decodeCursor(q.cursor, 2);
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        const p = await scope.get(participants, c.req.valid('param').id);
        // The participant read above is the audited event; its sessions are read whole (notes decrypted
        // for the roles that may see them).
        scope.require(sessions.actions.list, { type: 'session' });
        const raw = await (() => {
          let x = scope.select(sessions).where('sessions.id', 'in', (eb) =>
            eb
              .selectFrom('session_attendance')
              .select('session_attendance.session_id')
              .where('session_attendance.participant_id', '=', p.id as string),
          );
          if (cur)
            x = x.where(sql<boolean>`(sessions.occurred_at, sessions.id) < (${cur[0]}::timestamptz, ${cur[1]}::uuid)`);
          return x
            .orderBy('sessions.occurred_at', 'desc')
            .orderBy('sessions.id', 'desc')
            .limit(q.limit + 1)
            .selectAll()
            .execute();
        })();
        const rows = await Promise.all(raw.map((r) => scope.reveal(sessions, r as never)));
        const page = rows.slice(0, q.limit);
        const att = await attendeesOf(
          scope,
          page.map((r) => r.id as string),
        );
        const last = rows.length > q.limit ? page[page.length - 1] : undefined;
        return {
          items: page.map((r) => view(r, att)),
          nextCursor: last ? encodeCursor([(last.occurred_at as Date).toISOString(), last.id as string]) : null,
        };
      });
      return c.json(out, 200);
    },
  );
  return app;
}
