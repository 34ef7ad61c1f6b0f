/**
 * Participants — the first case-data entity, kept minimal here; the case-work feature extends it.
 * Every handler goes through the access Scope.
 */
import crypto from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { AppError } from '../../../core/errors.ts';
import { participantCode } from '../../../core/codes.ts';
import { Scope } from '../../access/scope.ts';
import { participants } from '../../access/entities.ts';
import { decodeCursor, encodeCursor, errors, etag, ifMatch, jsonBody, jsonResponse, PageQuery, requireUser, router } from '../../http/openapi.ts';

/** Largest notes field accepted (characters). */
export const NOTES_MAX = 20_000;

const Participant = z
  .object({ id: z.string().uuid(), code: z.string(), teamId: z.string().uuid(), notes: z.string().nullable().optional(), version: z.number().int(), createdAt: z.string(), updatedAt: z.string() })
  .openapi('Participant');
const ParticipantList = z.object({ items: z.array(Participant.omit({ notes: true })), nextCursor: z.string().nullable() }).openapi('ParticipantList');
const CreateParticipantRequest = z.strictObject({ teamId: z.string().uuid(), notes: z.string().max(NOTES_MAX).optional() }).openapi('CreateParticipantRequest');
const UpdateParticipantRequest = z.strictObject({ notes: z.string().max(NOTES_MAX).nullable() }).openapi('UpdateParticipantRequest');
const IdParam = z.object({ id: z.string().max(64) });

/** A fresh pseudonymous participant code. */
export function newParticipantCode(): string {
  return participantCode(crypto.randomBytes(6));
}

function view(r: Record<string, unknown>) {
  return {
    id: r.id as string,
    code: r.code as string,
    teamId: r.team_id as string,
    ...('notes' in r ? { notes: r.notes as string | null } : {}),
    version: r.version as number,
    createdAt: (r.created_at as Date).toISOString(),
    updatedAt: (r.updated_at as Date).toISOString(),
  };
}

/** Routes under /api/v1/participants. */
export function participantRoutes() {
  const app = router();
  const tags = ['participants'];
  const common = errors('UNAUTHENTICATED', 'MFA_REQUIRED', 'FORBIDDEN', 'NOT_FOUND');

  app.openapi(createRoute({ method: 'get', path: '/participants', tags, summary: 'Participants in my case teams', request: { query: z.object(PageQuery) }, responses: { 200: jsonResponse(ParticipantList), ...common } }), async (c) => {
    const q = c.req.valid('query');
    const cur = decodeCursor(q.cursor, 2);
    const rows = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
      scope.list(participants, (qb) => {
        let x = qb;
        if (cur) x = x.where(sql<boolean>`(participants.created_at, participants.id) < (${cur[0]}::timestamptz, ${cur[1]}::uuid)`);
        return x.orderBy('participants.created_at', 'desc').orderBy('participants.id', 'desc').limit(q.limit + 1);
      }),
    );
    const items = rows.slice(0, q.limit).map((r) => {
      const { notes: _n, ...rest } = view(r);
      return rest;
    });
    const last = rows.length > q.limit ? rows[q.limit - 1] : undefined;
    return c.json({ items, nextCursor: last ? encodeCursor([(last.created_at as Date).toISOString(), last.id as string]) : null }, 200);
  });

  app.openapi(createRoute({ method: 'get', path: '/participants/{id}', tags, summary: 'One participant (audited read)', request: { params: IdParam }, responses: { 200: jsonResponse(Participant), ...common } }), async (c) => {
    const r = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) => scope.get(participants, c.req.valid('param').id));
    etag(c, r.version as number);
    return c.json(view(r), 200);
  });

  app.openapi(createRoute({ method: 'post', path: '/participants', tags, summary: 'Register a participant in one of my teams', request: { body: jsonBody(CreateParticipantRequest) }, responses: { 201: jsonResponse(Participant, 'Created'), ...common } }), async (c) => {
    const b = c.req.valid('json');
    const r = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
      scope.require(participants.actions.create, { type: participants.auditType });
      if (!(await scope.teamIds()).includes(b.teamId)) throw new AppError('VALIDATION_FAILED', 'choose one of your teams', { details: [{ path: 'teamId', code: 'unknown_team' }] });
      return scope.create(participants, { code: newParticipantCode(), team_id: b.teamId, notes: b.notes ?? null });
    });
    etag(c, r.version as number);
    return c.json(view(r), 201);
  });

  app.openapi(createRoute({ method: 'patch', path: '/participants/{id}', tags, summary: 'Update a participant (If-Match required)', request: { params: IdParam, body: jsonBody(UpdateParticipantRequest) }, responses: { 200: jsonResponse(Participant), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'PRECONDITION_REQUIRED') } }), async (c) => {
    const version = ifMatch(c);
    const r = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) => scope.update(participants, c.req.valid('param').id, version, { notes: c.req.valid('json').notes } as Record<string, unknown>));
    etag(c, r.version as number);
    return c.json(view(r), 200);
  });
  return app;
}
