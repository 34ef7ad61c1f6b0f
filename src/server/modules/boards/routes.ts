/** Routes for /boards, /board-meetings and /agenda-items. Thin: parse, scope, service, answer. */
import { createRoute, z } from '@hono/zod-openapi';
import { errors, etag, ifMatch, inScope, jsonBody, jsonResponse, router } from '../../http/openapi.ts';
import { IdParam } from '../participants/schema.ts';
import { conditionsToGoals } from './effects.ts';
import { evidencePack } from './pack.ts';
import { addAgendaItem, castVote, decide, getMeeting, recuse } from './agenda.ts';
import { agendaCandidates } from './candidates.ts';
import {
  AddAgendaItemRequest,
  AgendaCandidates,
  AmendmentRequest,
  AttendanceRequest,
  ConditionsToGoalsRequest,
  ConditionsToGoalsResult,
  Board,
  BoardList,
  BoardStaff,
  CreateBoardRequest,
  CreateMeetingRequest,
  Decision,
  DecisionRequest,
  EvidencePack,
  Meeting,
  MeetingStateRequest,
  RecusalRequest,
  UpdateBoardRequest,
  VoteRequest,
} from './schema.ts';
import { addAmendment, moveMeeting, recordAttendance, scheduleMeeting } from './meetings.ts';
import { boardStaff, boardView, createBoard, listBoards, updateBoard, visibleBoard } from './service.ts';

const Created = z.object({ id: z.string() });

export function boardRoutes() {
  const app = router();
  const tags = ['boards'];
  const read = errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND');
  const write = errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'ALREADY_EXISTS');
  const versioned = errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'PRECONDITION_REQUIRED');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/boards',
      tags,
      summary: 'My boards (every board for a board manager) and their meetings',
      responses: { 200: jsonResponse(BoardList), ...read },
    }),
    async (c) => c.json(await inScope(c, (scope) => listBoards(scope)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/boards',
      tags,
      summary: 'Create a review board for a program: members, chair, quorum rule',
      request: { body: jsonBody(CreateBoardRequest) },
      responses: { 201: jsonResponse(Board, 'Created'), ...write },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const out = await inScope(c, (scope) => createBoard(scope, b));
      etag(c, out.version);
      return c.json(out, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/boards/staff',
      tags,
      summary: 'The staff a board manager can seat on a board (names and roles)',
      responses: { 200: jsonResponse(BoardStaff), ...read },
    }),
    async (c) => c.json(await inScope(c, (scope) => boardStaff(scope)), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/boards/{id}',
      tags,
      summary: 'One board',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Board), ...read },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const out = await inScope(c, async (scope) => boardView(await visibleBoard(scope, id), scope.principal.userId));
      etag(c, out.version);
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/boards/{id}',
      tags,
      summary: 'Change a board: name, quorum, members, status (If-Match)',
      request: { params: IdParam, body: jsonBody(UpdateBoardRequest) },
      responses: { 200: jsonResponse(Board), ...versioned },
    }),
    async (c) => {
      const version = ifMatch(c);
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      const out = await inScope(c, (scope) => updateBoard(scope, id, version, b));
      etag(c, out.version);
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/boards/{id}/meetings',
      tags,
      summary: 'Schedule a meeting of the board',
      request: { params: IdParam, body: jsonBody(CreateMeetingRequest) },
      responses: { 201: jsonResponse(Created, 'Scheduled'), ...write },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      return c.json({ id: await inScope(c, (scope) => scheduleMeeting(scope, id, b)) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/board-meetings/{id}',
      tags,
      summary: 'A meeting: attendance, quorum, agenda with votes and decisions (audited)',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Meeting), ...read },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const out = await inScope(c, (scope) => getMeeting(scope, c.get('services'), id));
      etag(c, out.version);
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/board-meetings/{id}/state',
      tags,
      summary: 'Open, close or sign (the chair) a meeting (If-Match)',
      request: { params: IdParam, body: jsonBody(MeetingStateRequest) },
      responses: { 200: jsonResponse(Meeting), ...versioned },
    }),
    async (c) => {
      const version = ifMatch(c);
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      const out = await inScope(c, async (scope) => {
        await moveMeeting(scope, id, version, b);
        return getMeeting(scope, c.get('services'), id);
      });
      etag(c, out.version);
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/board-meetings/{id}/attendance',
      tags,
      summary: 'Mark a board member present or absent',
      request: { params: IdParam, body: jsonBody(AttendanceRequest) },
      responses: { 204: { description: 'Recorded' }, ...read },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      await inScope(c, (scope) => recordAttendance(scope, id, b));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/board-meetings/{id}/candidates',
      tags,
      summary: "Cases of the board's program that wait on a board (from the work queue)",
      request: { params: IdParam },
      responses: { 200: jsonResponse(AgendaCandidates), ...read },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await inScope(c, (scope) => agendaCandidates(scope, id)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/board-meetings/{id}/agenda',
      tags,
      summary: 'Put a case to the board with a question',
      request: { params: IdParam, body: jsonBody(AddAgendaItemRequest) },
      responses: { 201: jsonResponse(Created, 'Added'), ...write },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      return c.json({ id: await inScope(c, (scope) => addAgendaItem(scope, id, b)) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/board-meetings/{id}/amendments',
      tags,
      summary: 'Add an amendment to signed minutes (the original is kept)',
      request: { params: IdParam, body: jsonBody(AmendmentRequest) },
      responses: { 204: { description: 'Added' }, ...read },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      await inScope(c, (scope) => addAmendment(scope, c.get('services'), id, b));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/agenda-items/{id}/recusal',
      tags,
      summary: 'Declare a conflict of interest on an item (the member takes no part in it)',
      request: { params: IdParam, body: jsonBody(RecusalRequest) },
      responses: { 204: { description: 'Recorded' }, ...write },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      await inScope(c, (scope) => recuse(scope, id, b));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/agenda-items/{id}/votes',
      tags,
      summary: 'Vote on an item (once; a dissent gives its reason)',
      request: { params: IdParam, body: jsonBody(VoteRequest) },
      responses: { 204: { description: 'Recorded' }, ...write },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      await inScope(c, (scope) => castVote(scope, id, b));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/agenda-items/{id}/decision',
      tags,
      summary: "Record the board's decision on an item (the chair; quorum required)",
      request: { params: IdParam, body: jsonBody(DecisionRequest) },
      responses: { 201: jsonResponse(Decision, 'Decided'), ...write },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      return c.json(await inScope(c, (scope) => decide(scope, id, b)), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/agenda-items/{id}/pack',
      tags,
      summary: 'The evidence pack of an agenda item (the case team; a board member only while the meeting is open)',
      request: { params: IdParam },
      responses: { 200: jsonResponse(EvidencePack), ...read },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await inScope(c, (scope) => evidencePack(scope, c.get('services'), id)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/board-decisions/{id}/goals',
      tags,
      summary: "Turn a decision's conditions into plan goals (once)",
      request: { params: IdParam, body: jsonBody(ConditionsToGoalsRequest) },
      responses: { 201: jsonResponse(ConditionsToGoalsResult, 'Added'), ...write },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      return c.json(await inScope(c, (scope) => conditionsToGoals(scope, id, b)), 201);
    },
  );

  return app;
}
