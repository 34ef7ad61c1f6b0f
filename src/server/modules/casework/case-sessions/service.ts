/**
 * Case sessions (individual, group or family sessions with participants; not login sessions):
 * discipline, time, duration, attendance, engagement, goals worked on, encrypted notes. All attendees
 * must be participants of one of the author's teams. Through the Scope; no HTTP.
 */
import { sql } from 'kysely';
import { attended } from '../../../../core/casework.ts';
import { AppError } from '../../../../core/errors.ts';
import type { Scope, Visible } from '../../../access/scope.ts';
import { goals, participants, sessionAttendance, sessions } from '../../../access/entities.ts';
import { decodeCursor, encodeCursor } from '../../../http/openapi.ts';
import type { CaseSession, CaseSessionPage, CaseSessionPageQuery, CreateCaseSessionRequest } from './schema.ts';

/** Attendees of case sessions, limited to participants on the caller's teams (others in a group stay hidden). */
async function attendeesOf(scope: Scope, sessionIds: string[]) {
  if (sessionIds.length === 0) return [];
  const mine = await scope.teamIds();
  if (mine.length === 0) return [];
  const rows = await scope
    .children(sessionAttendance)
    .select([
      'session_attendance.session_id',
      'session_attendance.participant_id',
      'session_attendance.attendance',
      'session_attendance.engagement',
      'session_attendance.goal_ids',
    ])
    .where('session_attendance.session_id', 'in', sessionIds)
    .execute();
  if (rows.length === 0) return [];
  const codes = new Map(
    (
      await scope
        .select(participants, { forList: true })
        .select(['participants.id', 'participants.code'])
        .where('participants.id', 'in', [...new Set(rows.map((r) => r.participant_id))])
        .execute()
    ).map((p) => [p.id, p.code]),
  );
  return rows.flatMap((r) => {
    const code = codes.get(r.participant_id);
    return code === undefined ? [] : [{ ...r, code }];
  });
}
type Attendees = Awaited<ReturnType<typeof attendeesOf>>;

/** A case session as the API shows it, with the attendees the caller may see. */
function caseSessionView(r: Visible<'sessions'>, att: Attendees): CaseSession {
  return {
    id: r.id,
    teamId: r.team_id,
    kind: r.kind,
    discipline: r.discipline,
    occurredAt: r.occurred_at.toISOString(),
    durationMinutes: r.duration_minutes,
    ...('notes' in r ? { notes: r.notes ?? null } : {}),
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    version: r.version,
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

/** Checks the attendees (on my teams, one team, their own goals) and locks them; returns the team. */
async function checkAttendees(scope: Scope, b: CreateCaseSessionRequest): Promise<string> {
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
    const owned = await scope
      .select(goals)
      .select(['goals.id', 'goals.participant_id'])
      .where('goals.id', 'in', goalIds)
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
  return [...teams][0]!;
}

/** Records a case session with its attendance; audited per attendee; moves each attendee's last session. */
export async function recordCaseSession(scope: Scope, b: CreateCaseSessionRequest): Promise<CaseSession> {
  scope.require(sessions.actions.create, { type: 'session' });
  const teamId = await checkAttendees(scope, b);
  if (!scope.principal.roles.includes(b.discipline))
    throw new AppError('VALIDATION_FAILED', 'record sessions in your own discipline', {
      details: [{ path: 'discipline', code: 'not_your_discipline' }],
    });
  const s = await scope.create(
    sessions,
    {
      team_id: teamId,
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
        await scope.insertChildren(
          sessionAttendance,
          b.attendees.map((a) => ({
            session_id: sid,
            participant_id: a.participantId,
            attendance: a.attendance,
            engagement: a.engagement ?? null,
            goal_ids: a.goalIds,
          })),
        );
      },
    },
  );
  // One event per attendee, so each person's access log shows the session.
  for (const a of b.attendees)
    await scope.audit.append({
      action: 'session.attend',
      entityType: 'session',
      entityId: s.id,
      subjectId: a.participantId,
    });
  for (const a of b.attendees) {
    if (!attended(a.attendance)) continue;
    const cur = await scope
      .select(participants)
      .where('participants.id', '=', a.participantId)
      .select('participants.last_session_at')
      .executeTakeFirstOrThrow();
    if (!cur.last_session_at || cur.last_session_at.getTime() < Date.parse(b.occurredAt))
      await scope.setOwned(participants, a.participantId, { last_session_at: new Date(b.occurredAt) });
  }
  return caseSessionView(s, await attendeesOf(scope, [s.id]));
}

/** One case session with attendees and notes; audited for each attendee the caller can see. */
export async function readCaseSession(scope: Scope, sessionId: string): Promise<CaseSession> {
  const s = await scope.get(sessions, sessionId);
  const att = await attendeesOf(scope, [s.id]);
  for (const a of att)
    await scope.audit.append({
      action: 'session.read',
      entityType: 'session',
      entityId: s.id,
      subjectId: a.participant_id,
    });
  return caseSessionView(s, att);
}

/** A participant's case sessions, newest first, in keyset pages. */
export async function listParticipantCaseSessions(
  scope: Scope,
  participantId: string,
  q: CaseSessionPageQuery,
): Promise<CaseSessionPage> {
  const cur = decodeCursor(q.cursor, 2);
  const p = await scope.get(participants, participantId);
  // The participant read above is the audited event; its sessions are read whole (notes decrypted
  // for the roles that may see them).
  scope.require(sessions.actions.list, { type: 'session' });
  let x = scope
    .select(sessions)
    .where(
      'sessions.id',
      'in',
      scope
        .children(sessionAttendance)
        .select('session_attendance.session_id')
        .where('session_attendance.participant_id', '=', p.id),
    );
  if (cur) x = x.where(sql<boolean>`(sessions.occurred_at, sessions.id) < (${cur[0]}::timestamptz, ${cur[1]}::uuid)`);
  const raw = await x
    .orderBy('sessions.occurred_at', 'desc')
    .orderBy('sessions.id', 'desc')
    .limit(q.limit + 1)
    .selectAll()
    .execute();
  const rows = await Promise.all(raw.map((r) => scope.reveal(sessions, r)));
  const page = rows.slice(0, q.limit);
  const att = await attendeesOf(
    scope,
    page.map((r) => r.id),
  );
  const last = rows.length > q.limit ? page[page.length - 1] : undefined;
  return {
    items: page.map((r) => caseSessionView(r, att)),
    nextCursor: last ? encodeCursor([last.occurred_at.toISOString(), last.id]) : null,
  };
}
