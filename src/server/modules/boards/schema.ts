/** What the review-board API accepts and returns (the source for OpenAPI and the web's types). */
import { z } from '@hono/zod-openapi';
import { AGENDA_SOURCES, BOARD_QUESTIONS, BOARD_ROLES, MEETING_STATES, OUTCOMES, VOTES } from '../../../core/boards.ts';
import { DomainKey, IsoDate } from '../../../core/participant.ts';
import { safeText } from '../../../core/text.ts';

const Uuid = z.string().uuid();

export const BoardMember = z.object({
  userId: z.string(),
  displayName: z.string(),
  role: z.enum(BOARD_ROLES),
  chair: z.boolean(),
});

export const Quorum = z.object({
  minMembers: z.number().int(),
  requiredRoles: z.array(z.enum(BOARD_ROLES)),
});

export const Board = z
  .object({
    id: z.string(),
    programId: z.string(),
    name: z.string(),
    status: z.enum(['active', 'closed']),
    quorum: Quorum,
    members: z.array(BoardMember),
    /** Whether the signed-in user sits on this board, and chairs it. */
    mine: z.object({ member: z.boolean(), chair: z.boolean() }),
    version: z.number(),
    createdAt: z.string(),
  })
  .openapi('Board');
export type Board = z.infer<typeof Board>;

export const MeetingSummary = z.object({
  id: z.string(),
  boardId: z.string(),
  boardName: z.string(),
  scheduledFor: z.string(),
  place: z.string().nullable(),
  online: z.boolean(),
  state: z.enum(MEETING_STATES),
  items: z.number().int(),
  version: z.number(),
});
export type MeetingSummary = z.infer<typeof MeetingSummary>;

export const BoardList = z.object({ boards: z.array(Board), meetings: z.array(MeetingSummary) }).openapi('BoardList');
export type BoardList = z.infer<typeof BoardList>;

const MemberInput = z.strictObject({ userId: Uuid, role: z.enum(BOARD_ROLES), chair: z.boolean().default(false) });

const QuorumInput = z.strictObject({
  minMembers: z.number().int().min(1).max(50),
  requiredRoles: z.array(z.enum(BOARD_ROLES)).max(BOARD_ROLES.length).default([]),
});

export const CreateBoardRequest = z
  .strictObject({
    programId: Uuid,
    name: safeText(200),
    quorum: QuorumInput,
    members: z.array(MemberInput).min(1).max(30),
  })
  .openapi('CreateBoardRequest');
export type CreateBoardRequest = z.infer<typeof CreateBoardRequest>;

export const UpdateBoardRequest = z
  .strictObject({
    name: safeText(200).optional(),
    quorum: QuorumInput.optional(),
    members: z.array(MemberInput).min(1).max(30).optional(),
    status: z.enum(['active', 'closed']).optional(),
  })
  .openapi('UpdateBoardRequest');
export type UpdateBoardRequest = z.infer<typeof UpdateBoardRequest>;

export const CreateMeetingRequest = z
  .strictObject({
    scheduledFor: z.string().datetime({ offset: true }),
    place: safeText(200).optional(),
    online: z.boolean().default(false),
  })
  .openapi('CreateMeetingRequest');
export type CreateMeetingRequest = z.infer<typeof CreateMeetingRequest>;

export const MeetingStateRequest = z
  .strictObject({ to: z.enum(['open', 'closed', 'signed']) })
  .openapi('MeetingStateRequest');
export type MeetingStateRequest = z.infer<typeof MeetingStateRequest>;

export const AttendanceRequest = z.strictObject({ userId: Uuid, present: z.boolean() }).openapi('AttendanceRequest');
export type AttendanceRequest = z.infer<typeof AttendanceRequest>;

export const AddAgendaItemRequest = z
  .strictObject({
    participantId: Uuid,
    question: z.enum(BOARD_QUESTIONS),
    source: z.enum(AGENDA_SOURCES).default('by_hand'),
    reason: safeText(1000, { multiline: true }).optional(),
    boardNotes: safeText(4000, { multiline: true }).optional(),
  })
  .refine((b) => b.source !== 'by_hand' || !!b.reason, {
    path: ['reason'],
    message: 'say why the case is put to the board',
  })
  .openapi('AddAgendaItemRequest');
export type AddAgendaItemRequest = z.infer<typeof AddAgendaItemRequest>;

export const RecusalRequest = z.strictObject({ reason: safeText(500, { multiline: true }) }).openapi('RecusalRequest');
export type RecusalRequest = z.infer<typeof RecusalRequest>;

export const VoteRequest = z
  .strictObject({ vote: z.enum(VOTES), reason: safeText(1000, { multiline: true }).optional() })
  .refine((b) => b.vote !== 'disagree' || !!b.reason, {
    path: ['reason'],
    message: 'a dissent gives its reason',
  })
  .openapi('VoteRequest');
export type VoteRequest = z.infer<typeof VoteRequest>;

export const DecisionRequest = z
  .strictObject({
    outcome: z.enum(OUTCOMES),
    wording: safeText(2000, { multiline: true }),
    reasons: safeText(4000, { multiline: true }).optional(),
    conditions: z.array(safeText(300)).max(20).default([]),
    nextReviewOn: IsoDate.optional(),
    discussion: safeText(8000, { multiline: true }).optional(),
  })
  .refine((b) => !b.nextReviewOn || b.nextReviewOn >= new Date().toISOString().slice(0, 10), {
    path: ['nextReviewOn'],
    message: 'cannot be in the past',
  })
  .openapi('DecisionRequest');
export type DecisionRequest = z.infer<typeof DecisionRequest>;

export const AmendmentRequest = z
  .strictObject({ text: safeText(4000, { multiline: true }) })
  .openapi('AmendmentRequest');
export type AmendmentRequest = z.infer<typeof AmendmentRequest>;

export const Decision = z
  .object({
    id: z.string(),
    itemId: z.string(),
    participantId: z.string(),
    meetingId: z.string(),
    question: z.enum(BOARD_QUESTIONS),
    outcome: z.enum(OUTCOMES),
    phaseKey: z.string().nullable(),
    wording: z.string(),
    reasons: z.string().nullable(),
    conditions: z.array(z.string()),
    nextReviewOn: z.string().nullable(),
    /** When the conditions were turned into plan goals, if they were. */
    conditionsAppliedAt: z.string().nullable(),
    tally: z.object({ agree: z.number(), disagree: z.number(), abstain: z.number() }),
    decidedAt: z.string(),
    version: z.number(),
  })
  .openapi('BoardDecision');
export type Decision = z.infer<typeof Decision>;

export const VoteView = z.object({
  userId: z.string(),
  displayName: z.string(),
  vote: z.enum(VOTES),
  reason: z.string().nullable(),
});

export const AgendaItem = z.object({
  id: z.string(),
  participantId: z.string(),
  code: z.string(),
  phaseKey: z.string().nullable(),
  question: z.enum(BOARD_QUESTIONS),
  source: z.enum(AGENDA_SOURCES),
  reason: z.string().nullable(),
  discussion: z.string().nullable(),
  /** Quorum for this item: members present, minus the recused. */
  quorum: z.object({
    met: z.boolean(),
    present: z.number(),
    needed: z.number(),
    missingRoles: z.array(z.enum(BOARD_ROLES)),
  }),
  recused: z.array(z.object({ userId: z.string(), displayName: z.string(), reason: z.string().nullable() })),
  votes: z.array(VoteView),
  /** The signed-in user's vote, if any. */
  myVote: z.enum(VOTES).nullable(),
  decision: Decision.nullable(),
  version: z.number(),
});
export type AgendaItem = z.infer<typeof AgendaItem>;

export const Amendment = z.object({
  id: z.string(),
  text: z.string(),
  by: z.string(),
  at: z.string(),
});

export const Meeting = z
  .object({
    id: z.string(),
    board: Board,
    scheduledFor: z.string(),
    place: z.string().nullable(),
    online: z.boolean(),
    state: z.enum(MEETING_STATES),
    openedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    signedAt: z.string().nullable(),
    present: z.array(z.string()),
    quorum: z.object({
      met: z.boolean(),
      present: z.number(),
      needed: z.number(),
      missingRoles: z.array(z.enum(BOARD_ROLES)),
    }),
    items: z.array(AgendaItem),
    amendments: z.array(Amendment),
    version: z.number(),
  })
  .openapi('Meeting');
export type Meeting = z.infer<typeof Meeting>;

export const AgendaCandidate = z.object({
  participantId: z.string(),
  code: z.string(),
  phaseKey: z.string().nullable(),
  source: z.enum(AGENDA_SOURCES),
  question: z.enum(BOARD_QUESTIONS),
});
export const AgendaCandidates = z.object({ items: z.array(AgendaCandidate) }).openapi('AgendaCandidates');
export type AgendaCandidates = z.infer<typeof AgendaCandidates>;

/**
 * The evidence pack behind an agenda item, assembled from the case: open to the case team, and to a
 * board member outside it only while the meeting is open (every view audited with the meeting as purpose).
 */
export const EvidencePack = z
  .object({
    itemId: z.string(),
    participantId: z.string(),
    code: z.string(),
    programId: z.string().nullable(),
    phaseKey: z.string().nullable(),
    phaseEnteredAt: z.string().nullable(),
    question: z.enum(BOARD_QUESTIONS),
    reason: z.string().nullable(),
    /** Notes the case team wrote for the board. */
    boardNotes: z.string().nullable(),
    plan: z.object({
      status: z.enum(['draft', 'submitted', 'approved']),
      approvedAt: z.string().nullable(),
      goals: z.array(
        z.object({
          domain: z.string(),
          title: z.string(),
          status: z.enum(['not_started', 'in_progress', 'achieved', 'discontinued']),
          progress: z.number(),
        }),
      ),
    }),
    attendance: z.object({
      /** Sessions with this person in the last 90 days, by attendance. */
      last90Days: z.object({ present: z.number(), late: z.number(), absent: z.number(), excused: z.number() }),
      lastSessionAt: z.string().nullable(),
    }),
    /** The latest finalised assessment: instrument, date and the assessor's final judgement (terms of the instrument). */
    assessment: z
      .object({
        instrumentKey: z.string(),
        instrumentVersion: z.string(),
        finalisedAt: z.string(),
        judgement: z.record(z.string(), z.string()),
      })
      .nullable(),
    /** Earlier board decisions on the case, newest first. */
    decisions: z.array(
      z.object({
        question: z.enum(BOARD_QUESTIONS),
        outcome: z.enum(OUTCOMES),
        phaseKey: z.string().nullable(),
        decidedAt: z.string(),
      }),
    ),
  })
  .openapi('EvidencePack');
export type EvidencePack = z.infer<typeof EvidencePack>;

export const ConditionsToGoalsRequest = z
  .strictObject({ domain: DomainKey, targetDate: IsoDate.optional() })
  .openapi('ConditionsToGoalsRequest');
export type ConditionsToGoalsRequest = z.infer<typeof ConditionsToGoalsRequest>;
export const ConditionsToGoalsResult = z
  .object({ participantId: z.string(), goalIds: z.array(z.string()) })
  .openapi('ConditionsToGoalsResult');
export type ConditionsToGoalsResult = z.infer<typeof ConditionsToGoalsResult>;

export const BoardStaff = z
  .object({ items: z.array(z.object({ userId: z.string(), displayName: z.string(), roles: z.array(z.string()) })) })
  .openapi('BoardStaff');
export type BoardStaff = z.infer<typeof BoardStaff>;
