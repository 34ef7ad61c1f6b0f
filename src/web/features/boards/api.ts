/**
 * The review-board feature's reads and writes: boards and their meetings, attendance, the agenda,
 * conflicts of interest, votes, decisions, amendments and the evidence pack. Writes refresh the meeting
 * they touch (and the boards list, whose meeting rows carry state and item counts).
 */
import type { z } from 'zod';
import { useGet, useWrite, type WriteOptions } from '../../api/hooks';
import type {
  AddAgendaItemRequest,
  AgendaCandidates,
  AgendaItem,
  Board,
  BoardList,
  BoardStaff,
  CreateBoardRequest,
  CreateMeetingRequest,
  Decision,
  DecisionRequest,
  EvidencePack,
  Meeting,
  MeetingSummary,
  VoteRequest,
} from '../../../server/modules/boards/schema';
import type { ParticipantList } from '../../../server/modules/participants/schema';

export type { AgendaItem, Board, BoardList, Decision, EvidencePack, Meeting, MeetingSummary };
export type CreateBoardInput = z.input<typeof CreateBoardRequest>;
export type MeetingInput = z.input<typeof CreateMeetingRequest>;
export type AgendaInput = z.input<typeof AddAgendaItemRequest>;
export type VoteInput = z.input<typeof VoteRequest>;
export type DecisionInput = z.input<typeof DecisionRequest>;

const V = '/api/v1';

export const boardKeys = {
  list: ['boards'] as const,
  meeting: (id: string) => ['board-meeting', id] as const,
  candidates: (id: string) => ['board-meeting', id, 'candidates'] as const,
  pack: (itemId: string) => ['agenda-item', itemId, 'pack'] as const,
  staff: ['boards', 'staff'] as const,
};

export const useBoards = () => useGet<BoardList>(boardKeys.list, `${V}/boards`);
export const useMeeting = (id: string) => useGet<Meeting>(boardKeys.meeting(id), `${V}/board-meetings/${id}`);
export const useCandidates = (id: string, enabled: boolean) =>
  useGet<AgendaCandidates>(boardKeys.candidates(id), `${V}/board-meetings/${id}/candidates`, { enabled });
export const usePack = (itemId: string, enabled: boolean) =>
  useGet<EvidencePack>(boardKeys.pack(itemId), `${V}/agenda-items/${itemId}/pack`, { enabled, retry: false });

/** The user's caseload (first page), for the "add a case by hand" picker. */
export const useCaseload = (enabled: boolean) =>
  useGet<ParticipantList>(['participants', 'board-picker'], `${V}/participants?limit=50`, { enabled });

/** A person a board manager can seat on a board. */
export interface Staff {
  userId: string;
  displayName: string;
}

/** The staff a board manager can seat on a board (GET /boards/staff: active staff of the tenant, by name). */
export function useStaff(enabled: boolean): Staff[] {
  const read = useGet<BoardStaff>(boardKeys.staff, `${V}/boards/staff`, { enabled, staleTime: 60_000 });
  return (read.data?.items ?? []).map((u) => ({ userId: u.userId, displayName: u.displayName }));
}

/** POST /boards. */
export function useCreateBoard(options?: WriteOptions<CreateBoardInput, { id: string }>) {
  return useWrite<CreateBoardInput, { id: string }>(
    { method: 'POST', path: () => `${V}/boards`, body: (v) => v, invalidates: () => [boardKeys.list] },
    options,
  );
}

/** POST /boards/{id}/meetings. */
export function useScheduleMeeting(options?: WriteOptions<{ boardId: string; body: MeetingInput }, { id: string }>) {
  return useWrite<{ boardId: string; body: MeetingInput }, { id: string }>(
    {
      method: 'POST',
      path: (v) => `${V}/boards/${v.boardId}/meetings`,
      body: (v) => v.body,
      invalidates: () => [boardKeys.list],
    },
    options,
  );
}

const touches = (meetingId: string) => () => [boardKeys.meeting(meetingId), boardKeys.list];

/** POST /board-meetings/{id}/state with If-Match. */
export function useMoveMeeting(
  meetingId: string,
  options?: WriteOptions<{ to: 'open' | 'closed' | 'signed'; version: number }, unknown>,
) {
  return useWrite<{ to: 'open' | 'closed' | 'signed'; version: number }, unknown>(
    {
      method: 'POST',
      path: () => `${V}/board-meetings/${meetingId}/state`,
      body: (v) => ({ to: v.to }),
      version: (v) => v.version,
      invalidates: touches(meetingId),
      refreshOnError: true,
    },
    options,
  );
}

/** POST /board-meetings/{id}/attendance. */
export function useAttendance(meetingId: string) {
  return useWrite<{ userId: string; present: boolean }, unknown>({
    method: 'POST',
    path: () => `${V}/board-meetings/${meetingId}/attendance`,
    body: (v) => v,
    queue: () => `attendance:${meetingId}`,
    invalidates: touches(meetingId),
    refreshOnError: true,
  });
}

/** POST /board-meetings/{id}/agenda. */
export function useAddAgendaItem(meetingId: string, options?: WriteOptions<AgendaInput, unknown>) {
  return useWrite<AgendaInput, unknown>(
    {
      method: 'POST',
      path: () => `${V}/board-meetings/${meetingId}/agenda`,
      body: (v) => v,
      invalidates: () => [boardKeys.meeting(meetingId), boardKeys.candidates(meetingId), boardKeys.list],
    },
    options,
  );
}

/** POST /board-meetings/{id}/amendments. */
export function useAddAmendment(meetingId: string, options?: WriteOptions<{ text: string }, unknown>) {
  return useWrite<{ text: string }, unknown>(
    {
      method: 'POST',
      path: () => `${V}/board-meetings/${meetingId}/amendments`,
      body: (v) => v,
      invalidates: touches(meetingId),
    },
    options,
  );
}

/** POST /agenda-items/{id}/recusal. */
export function useRecuse(meetingId: string, options?: WriteOptions<{ itemId: string; reason: string }, unknown>) {
  return useWrite<{ itemId: string; reason: string }, unknown>(
    {
      method: 'POST',
      path: (v) => `${V}/agenda-items/${v.itemId}/recusal`,
      body: (v) => ({ reason: v.reason }),
      invalidates: touches(meetingId),
    },
    options,
  );
}

/** POST /agenda-items/{id}/votes. */
export function useVote(meetingId: string, options?: WriteOptions<{ itemId: string; body: VoteInput }, unknown>) {
  return useWrite<{ itemId: string; body: VoteInput }, unknown>(
    {
      method: 'POST',
      path: (v) => `${V}/agenda-items/${v.itemId}/votes`,
      body: (v) => v.body,
      invalidates: touches(meetingId),
    },
    options,
  );
}

/** POST /agenda-items/{id}/decision (the chair). */
export function useDecide(
  meetingId: string,
  options?: WriteOptions<{ itemId: string; body: DecisionInput }, Decision>,
) {
  return useWrite<{ itemId: string; body: DecisionInput }, Decision>(
    {
      method: 'POST',
      path: (v) => `${V}/agenda-items/${v.itemId}/decision`,
      body: (v) => v.body,
      invalidates: touches(meetingId),
    },
    options,
  );
}

/** POST /board-decisions/{id}/goals: the decision's conditions become plan goals (once). */
export function useConditionsToGoals(
  meetingId: string,
  participantId: string,
  options?: WriteOptions<{ decisionId: string; domain: string }, { goalIds: string[] }>,
) {
  return useWrite<{ decisionId: string; domain: string }, { goalIds: string[] }>(
    {
      method: 'POST',
      path: (v) => `${V}/board-decisions/${v.decisionId}/goals`,
      body: (v) => ({ domain: v.domain }),
      invalidates: () => [boardKeys.meeting(meetingId), boardKeys.list, ['participant', participantId]],
    },
    options,
  );
}
