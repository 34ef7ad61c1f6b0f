/**
 * Review boards: who sits on a board (one chair, a quorum rule), who may see it, creating, changing
 * and listing boards with their meetings. Boards hold no case data (the agenda does: agenda.ts);
 * meetings are meetings.ts. Through the Scope; no HTTP.
 */
import { sql } from 'kysely';
import type { BoardRole, MeetingState } from '../../../core/boards.ts';
import { AppError } from '../../../core/errors.ts';
import { isStaff } from '../../../core/roles.ts';
import { agendaItems } from '../../access/entities.ts';
import type { Scope } from '../../access/scope.ts';
import { isUuid } from '../../access/scope.ts';
import type { Board, BoardList, BoardStaff, CreateBoardRequest, MeetingSummary, UpdateBoardRequest } from './schema.ts';

type MemberInput = CreateBoardRequest['members'][number];

/** A board row with its members, as the service reads it. */
export interface BoardRecord {
  id: string;
  program_id: string;
  name: string;
  status: 'active' | 'closed';
  quorum_min: number;
  required_roles: string[];
  version: number;
  created_at: Date;
  members: { user_id: string; display_name: string; role: BoardRole; is_chair: boolean }[];
}

/** A meeting row, as the service reads it. */
export interface MeetingRecord {
  id: string;
  board_id: string;
  scheduled_for: Date;
  place: string | null;
  online: boolean;
  state: MeetingState;
  opened_at: Date | null;
  closed_at: Date | null;
  signed_at: Date | null;
  version: number;
}

/** A refusal of one field with a stable detail code (400 `VALIDATION_FAILED`), for every board operation. */
export function refused(path: string, code: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { details: [{ path, code }] });
}

/** The board as the API shows it, for the signed-in user. */
export function boardView(b: BoardRecord, userId: string): Board {
  const me = b.members.find((m) => m.user_id === userId);
  return {
    id: b.id,
    programId: b.program_id,
    name: b.name,
    status: b.status,
    quorum: { minMembers: b.quorum_min, requiredRoles: b.required_roles as BoardRole[] },
    members: b.members.map((m) => ({
      userId: m.user_id,
      displayName: m.display_name,
      role: m.role,
      chair: m.is_chair,
    })),
    mine: { member: !!me, chair: !!me?.is_chair },
    version: b.version,
    createdAt: b.created_at.toISOString(),
  };
}

/** Reads boards with their members (tenant-bound; the caller decides which the user may see). */
async function readBoards(scope: Scope, where: { ids?: string[] } = {}): Promise<BoardRecord[]> {
  const tx = scope.shared;
  let q = tx
    .selectFrom('boards')
    .select(['id', 'program_id', 'name', 'status', 'quorum_min', 'required_roles', 'version', 'created_at'])
    .where('tenant_id', '=', scope.principal.tenantId);
  if (where.ids) q = q.where('id', 'in', where.ids.length ? where.ids : ['00000000-0000-0000-0000-000000000000']);
  const boards = await q.orderBy('name').execute();
  if (!boards.length) return [];
  const members = await tx
    .selectFrom('board_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.board_id', 'm.user_id', 'u.display_name', 'm.role', 'm.is_chair'])
    .where('m.tenant_id', '=', scope.principal.tenantId)
    .where(
      'm.board_id',
      'in',
      boards.map((b) => b.id),
    )
    .orderBy('m.is_chair', 'desc')
    .orderBy('u.display_name')
    .execute();
  return boards.map((b) => ({ ...b, members: members.filter((m) => m.board_id === b.id) }));
}

/** Whether the user manages boards in this tenant (may change every board and run its meetings). */
function manages(scope: Scope): boolean {
  return scope.may('board.manage');
}

/**
 * Whether the user sees every board of the tenant: board managers, and those who put cases to boards
 * (case managers) — boards and meetings hold no case data; the agenda items they see are their own
 * cases' (the Scope). Others see only the boards they sit on.
 */
function seesAll(scope: Scope): boolean {
  return scope.may('board.manage') || scope.may('board.agenda');
}

/**
 * A board the principal may see: a member of it, or one who sees all boards. Anything else — another
 * tenant's board, a malformed id, a board one does not sit on — is the same 404.
 */
export async function visibleBoard(scope: Scope, boardId: string): Promise<BoardRecord> {
  scope.require('board.read', { type: 'board', id: boardId });
  if (!isUuid(boardId)) throw new AppError('NOT_FOUND', 'not found');
  const [b] = await readBoards(scope, { ids: [boardId] });
  if (!b || (!seesAll(scope) && !b.members.some((m) => m.user_id === scope.principal.userId)))
    throw new AppError('NOT_FOUND', 'not found');
  return b;
}

/** The meeting and its board, if the principal may see the board. */
export async function visibleMeeting(
  scope: Scope,
  meetingId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<{ meeting: MeetingRecord; board: BoardRecord }> {
  scope.require('board.read', { type: 'board_meeting', id: meetingId });
  if (!isUuid(meetingId)) throw new AppError('NOT_FOUND', 'not found');
  let q = scope.shared
    .selectFrom('board_meetings')
    .select([
      'id',
      'board_id',
      'scheduled_for',
      'place',
      'online',
      'state',
      'opened_at',
      'closed_at',
      'signed_at',
      'version',
    ])
    .where('tenant_id', '=', scope.principal.tenantId)
    .where('id', '=', meetingId);
  if (opts.forUpdate) q = q.forUpdate();
  const meeting = await q.executeTakeFirst();
  if (!meeting) throw new AppError('NOT_FOUND', 'not found');
  const board = await visibleBoard(scope, meeting.board_id);
  return { meeting, board };
}

/** The chair of the meeting's board, or a board manager (who runs meetings on the board's behalf). */
export function mayRun(scope: Scope, board: BoardRecord): boolean {
  return manages(scope) || board.members.some((m) => m.user_id === scope.principal.userId && m.is_chair);
}

/** Checks a membership list: known active users of the tenant, each once, one chair, required roles held. */
async function checkMembers(
  scope: Scope,
  members: readonly MemberInput[],
  quorum: { minMembers: number; requiredRoles: readonly string[] },
): Promise<void> {
  const ids = members.map((m) => m.userId);
  const dup = ids.findIndex((id, i) => ids.indexOf(id) !== i);
  if (dup >= 0) throw refused(`members.${dup}.userId`, 'duplicate', 'a member is listed twice');
  const chairs = members.filter((m) => m.chair).length;
  if (chairs !== 1) throw refused('members', 'one_chair', 'name exactly one chair');
  const known = await scope.shared
    .selectFrom('users')
    .select('id')
    .where('tenant_id', '=', scope.principal.tenantId)
    .where('status', '=', 'active')
    .where('id', 'in', ids)
    .execute();
  const unknown = members.findIndex((m) => !known.some((k) => k.id === m.userId));
  if (unknown >= 0) throw refused(`members.${unknown}.userId`, 'unknown_user', 'no such active user');
  if (quorum.minMembers > members.length)
    throw refused('quorum.minMembers', 'max', `at most the number of members (${members.length})`);
  const missing = quorum.requiredRoles.findIndex((r) => !members.some((m) => m.role === r));
  if (missing >= 0)
    throw refused(`quorum.requiredRoles.${missing}`, 'role_not_held', 'no member holds this required role');
}

async function writeMembers(scope: Scope, boardId: string, members: readonly MemberInput[]): Promise<void> {
  await scope.shared.deleteFrom('board_members').where('board_id', '=', boardId).execute();
  await scope.shared
    .insertInto('board_members')
    .values(
      members.map((m) => ({
        board_id: boardId,
        tenant_id: scope.principal.tenantId,
        user_id: m.userId,
        role: m.role,
        is_chair: m.chair,
      })),
    )
    .execute();
}

/** Creates a board for a program of the tenant. */
export async function createBoard(scope: Scope, b: CreateBoardRequest): Promise<Board> {
  scope.require('board.manage', { type: 'board' });
  const program = await scope.shared
    .selectFrom('programs')
    .select(['id', 'status'])
    .where('tenant_id', '=', scope.principal.tenantId)
    .where('id', '=', b.programId)
    .executeTakeFirst();
  if (!program) throw refused('programId', 'unknown_program', 'no such program');
  if (program.status !== 'active') throw refused('programId', 'archived', 'the program is archived');
  await checkMembers(scope, b.members, b.quorum);
  const row = await scope.shared
    .insertInto('boards')
    .values({
      tenant_id: scope.principal.tenantId,
      program_id: b.programId,
      name: b.name,
      quorum_min: b.quorum.minMembers,
      required_roles: [...b.quorum.requiredRoles],
      created_by: scope.principal.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeMembers(scope, row.id, b.members);
  await scope.audit.append({
    action: 'board.create',
    entityType: 'board',
    entityId: row.id,
    details: { members: b.members.length, quorum: b.quorum.minMembers },
  });
  return boardView((await readBoards(scope, { ids: [row.id] }))[0]!, scope.principal.userId);
}

/** Changes a board's name, quorum rule, members or status (If-Match). */
export async function updateBoard(
  scope: Scope,
  boardId: string,
  version: number,
  b: UpdateBoardRequest,
): Promise<Board> {
  scope.require('board.manage', { type: 'board', id: boardId });
  const cur = await visibleBoard(scope, boardId);
  const locked = await scope.shared
    .selectFrom('boards')
    .select('version')
    .where('id', '=', boardId)
    .where('tenant_id', '=', scope.principal.tenantId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (locked.version !== version)
    throw new AppError('VERSION_CONFLICT', 'this board changed since you opened it', {
      details: [{ path: 'version', code: `current:${locked.version}` }],
    });
  const members: MemberInput[] =
    b.members ?? cur.members.map((m) => ({ userId: m.user_id, role: m.role, chair: m.is_chair }));
  const quorum = b.quorum ?? { minMembers: cur.quorum_min, requiredRoles: cur.required_roles as BoardRole[] };
  if (b.members || b.quorum) await checkMembers(scope, members, quorum);
  await scope.shared
    .updateTable('boards')
    .set({
      ...(b.name ? { name: b.name } : {}),
      ...(b.status ? { status: b.status } : {}),
      quorum_min: quorum.minMembers,
      required_roles: [...quorum.requiredRoles],
      version: sql`version + 1`,
      updated_at: new Date(),
    })
    .where('id', '=', boardId)
    .where('tenant_id', '=', scope.principal.tenantId)
    .execute();
  if (b.members) await writeMembers(scope, boardId, members);
  await scope.audit.append({
    action: 'board.update',
    entityType: 'board',
    entityId: boardId,
    details: { fields: Object.keys(b).sort().join(',') },
  });
  return boardView((await readBoards(scope, { ids: [boardId] }))[0]!, scope.principal.userId);
}

/** The boards the user sits on (all of the tenant's for those who see all) and their meetings. */
export async function listBoards(scope: Scope): Promise<BoardList> {
  scope.require('board.read', { type: 'board' });
  const all = await readBoards(scope);
  const boards = seesAll(scope) ? all : all.filter((b) => b.members.some((m) => m.user_id === scope.principal.userId));
  const meetings = boards.length
    ? await scope.shared
        .selectFrom('board_meetings')
        .select(['id', 'board_id', 'scheduled_for', 'place', 'online', 'state', 'version'])
        .where('tenant_id', '=', scope.principal.tenantId)
        .where(
          'board_id',
          'in',
          boards.map((b) => b.id),
        )
        .orderBy('scheduled_for', 'desc')
        .limit(200)
        .execute()
    : [];
  // Items the user can see (a member: every item of their boards' meetings), counted per meeting.
  const items = meetings.length
    ? await scope.list(agendaItems, (q) =>
        q.where(
          'agenda_items.meeting_id',
          'in',
          meetings.map((m) => m.id),
        ),
      )
    : [];
  const name = new Map(boards.map((b) => [b.id, b.name]));
  return {
    boards: boards.map((b) => boardView(b, scope.principal.userId)),
    meetings: meetings.map((m): MeetingSummary => ({
      id: m.id,
      boardId: m.board_id,
      boardName: name.get(m.board_id) ?? '',
      scheduledFor: m.scheduled_for.toISOString(),
      place: m.place,
      online: m.online,
      state: m.state,
      items: items.filter((i) => i.meeting_id === m.id).length,
      version: m.version,
    })),
  };
}

/**
 * The staff a board manager can seat on a board: active users of the tenant with a staff role (not
 * learners only), by name, with their roles — names and roles only, at most 500.
 */
export async function boardStaff(scope: Scope): Promise<BoardStaff> {
  scope.require('board.manage', { type: 'board' });
  const rows = await scope.shared
    .selectFrom('users')
    .select(['id', 'display_name', 'roles'])
    .where('tenant_id', '=', scope.principal.tenantId)
    .where('status', '=', 'active')
    .orderBy('display_name')
    .limit(500)
    .execute();
  return {
    items: rows
      .filter((r) => isStaff(r.roles))
      .map((r) => ({ userId: r.id, displayName: r.display_name, roles: r.roles })),
  };
}
