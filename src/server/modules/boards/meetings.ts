/**
 * A board's meetings: scheduling, opening, closing and signing (the chair), attendance and the
 * meeting's quorum, and amendments after sign-off. Meetings hold no case data (the agenda does:
 * agenda.ts). Through the Scope; no HTTP.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { canMoveMeeting, quorumOf, type BoardRole } from '../../../core/boards.ts';
import { AppError } from '../../../core/errors.ts';
import type { Scope } from '../../access/scope.ts';
import type { Services } from '../../services.ts';
import type { AmendmentRequest, AttendanceRequest, CreateMeetingRequest, MeetingStateRequest } from './schema.ts';
import { mayRun, visibleBoard, visibleMeeting, type BoardRecord, refused } from './service.ts';

/** Schedules a meeting of an active board (its chair or a board manager). */
export async function scheduleMeeting(scope: Scope, boardId: string, b: CreateMeetingRequest): Promise<string> {
  const board = await visibleBoard(scope, boardId);
  if (!mayRun(scope, board)) throw new AppError('FORBIDDEN', 'only the chair or a board manager schedules meetings');
  if (board.status !== 'active') throw refused('boardId', 'board_closed', 'the board is closed');
  const row = await scope.shared
    .insertInto('board_meetings')
    .values({
      tenant_id: scope.principal.tenantId,
      board_id: boardId,
      scheduled_for: new Date(b.scheduledFor),
      place: b.place ?? null,
      online: b.online,
      created_by: scope.principal.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await scope.audit.append({ action: 'board.meeting.create', entityType: 'board_meeting', entityId: row.id });
  return row.id;
}

/** Opens, closes or (the chair only) signs a meeting (If-Match). */
export async function moveMeeting(
  scope: Scope,
  meetingId: string,
  version: number,
  b: MeetingStateRequest,
): Promise<void> {
  const { meeting, board } = await visibleMeeting(scope, meetingId, { forUpdate: true });
  const chair = board.members.some((m) => m.user_id === scope.principal.userId && m.is_chair);
  if (b.to === 'signed' ? !chair : !mayRun(scope, board))
    throw new AppError(
      'FORBIDDEN',
      b.to === 'signed' ? 'only the chair signs the minutes' : 'only the chair or a board manager runs the meeting',
    );
  if (meeting.version !== version)
    throw new AppError('VERSION_CONFLICT', 'this meeting changed since you opened it', {
      details: [{ path: 'version', code: `current:${meeting.version}` }],
    });
  if (!canMoveMeeting(meeting.state, b.to))
    throw refused('to', 'not_allowed', `a ${meeting.state} meeting cannot become ${b.to}`);
  if (b.to === 'open' && board.status !== 'active') throw refused('to', 'board_closed', 'the board is closed');
  const now = new Date();
  await scope.shared
    .updateTable('board_meetings')
    .set({
      state: b.to,
      ...(b.to === 'open' ? { opened_at: now } : {}),
      ...(b.to === 'closed' ? { closed_at: now } : {}),
      ...(b.to === 'signed' ? { signed_at: now, signed_by: scope.principal.userId } : {}),
      version: sql`version + 1`,
      updated_at: now,
    })
    .where('id', '=', meetingId)
    .where('tenant_id', '=', scope.principal.tenantId)
    .execute();
  await scope.audit.append({
    action: `board.meeting.${b.to === 'open' ? 'open' : b.to === 'closed' ? 'close' : 'sign'}`,
    entityType: 'board_meeting',
    entityId: meetingId,
  });
}

/** Marks a board member present or absent (the chair or a manager, while the meeting is scheduled or open). */
export async function recordAttendance(scope: Scope, meetingId: string, b: AttendanceRequest): Promise<void> {
  const { meeting, board } = await visibleMeeting(scope, meetingId, { forUpdate: true });
  if (!mayRun(scope, board)) throw new AppError('FORBIDDEN', 'only the chair or a board manager records attendance');
  if (meeting.state !== 'scheduled' && meeting.state !== 'open')
    throw refused('state', 'meeting_not_open', 'attendance is recorded before or during the meeting');
  if (!board.members.some((m) => m.user_id === b.userId))
    throw refused('userId', 'not_a_member', 'only members of the board attend');
  if (b.present)
    await scope.shared
      .insertInto('meeting_attendance')
      .values({ meeting_id: meetingId, tenant_id: scope.principal.tenantId, user_id: b.userId })
      .onConflict((oc) => oc.columns(['meeting_id', 'user_id']).doNothing())
      .execute();
  else
    await scope.shared
      .deleteFrom('meeting_attendance')
      .where('meeting_id', '=', meetingId)
      .where('user_id', '=', b.userId)
      .execute();
  await scope.audit.append({
    action: 'board.attendance',
    entityType: 'board_meeting',
    entityId: meetingId,
    details: { present: b.present },
  });
}

/** Members present at a meeting. */
export async function presentAt(scope: Scope, meetingId: string): Promise<Set<string>> {
  const rows = await scope.shared
    .selectFrom('meeting_attendance')
    .select('user_id')
    .where('tenant_id', '=', scope.principal.tenantId)
    .where('meeting_id', '=', meetingId)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

/** The meeting's quorum ignoring recusals (each item applies its own). */
export function meetingQuorum(board: BoardRecord, present: ReadonlySet<string>) {
  return quorumOf(
    { minMembers: board.quorum_min, requiredRoles: board.required_roles as BoardRole[] },
    board.members.map((m) => ({ userId: m.user_id, role: m.role })),
    present,
  );
}

/** Adds a correction to signed minutes; the signed record is kept as it was. */
export async function addAmendment(
  scope: Scope,
  services: Services,
  meetingId: string,
  b: AmendmentRequest,
): Promise<void> {
  const { meeting, board } = await visibleMeeting(scope, meetingId, { forUpdate: true });
  if (!mayRun(scope, board)) throw new AppError('FORBIDDEN', 'only the chair or a board manager amends the minutes');
  if (meeting.state !== 'signed')
    throw refused('state', 'not_signed', 'until the chair signs, the minutes are corrected in place');
  const id = crypto.randomUUID();
  const text = await services.fields.encrypt(
    { tenantId: scope.principal.tenantId, table: 'meeting_amendments', field: 'text', rowId: id },
    b.text,
    scope.shared,
  );
  await scope.shared
    .insertInto('meeting_amendments')
    .values({
      id,
      tenant_id: scope.principal.tenantId,
      meeting_id: meetingId,
      text,
      created_by: scope.principal.userId,
    })
    .execute();
  await scope.audit.append({ action: 'board.amend', entityType: 'board_meeting', entityId: meetingId });
}

/** The amendments of a meeting, oldest first, decrypted. */
export async function amendmentsOf(scope: Scope, services: Services, meetingId: string) {
  const rows = await scope.shared
    .selectFrom('meeting_amendments as a')
    .innerJoin('users as u', 'u.id', 'a.created_by')
    .select(['a.id', 'a.text', 'a.created_at', 'u.display_name'])
    .where('a.tenant_id', '=', scope.principal.tenantId)
    .where('a.meeting_id', '=', meetingId)
    .orderBy('a.created_at')
    .execute();
  return Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      text: await services.fields.decrypt(
        { tenantId: scope.principal.tenantId, table: 'meeting_amendments', field: 'text', rowId: r.id },
        r.text,
        scope.shared,
      ),
      by: r.display_name,
      at: r.created_at.toISOString(),
    })),
  );
}
