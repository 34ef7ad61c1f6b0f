/**
 * A meeting's agenda of cases: putting a case to the board with a question, conflicts of interest,
 * votes with their reasons, and the board's decision with its dissent kept beside it. Agenda items,
 * votes and decisions are case data: read and written through the Scope (entities `agendaItems`,
 * `boardDecisions`, children `agendaRecusals`, `boardVotes`). No HTTP.
 */
import { decisionRefusal, quorumOf, tally, voteRefusal, type BoardRole } from '../../../core/boards.ts';
import { AppError } from '../../../core/errors.ts';
import { agendaItems, agendaRecusals, boardDecisions, boardVotes, participants } from '../../access/entities.ts';
import type { Scope, Visible } from '../../access/scope.ts';
import type { Services } from '../../services.ts';
import type {
  AddAgendaItemRequest,
  AgendaItem,
  Decision,
  DecisionRequest,
  Meeting,
  RecusalRequest,
  VoteRequest,
} from './schema.ts';
import { amendmentsOf, meetingQuorum, presentAt } from './meetings.ts';
import { boardView, visibleMeeting, type BoardRecord, refused } from './service.ts';

/** The row key of a vote or recusal (their tables have no id): encryption context of its reason. */
const rowKey = (itemId: string, userId: string) => `${itemId}:${userId}`;

export function decisionView(d: Visible<'board_decisions'>): Decision {
  return {
    id: d.id,
    itemId: d.item_id,
    participantId: d.participant_id,
    meetingId: d.meeting_id,
    question: d.question,
    outcome: d.outcome,
    phaseKey: d.phase_key,
    wording: d.wording ?? '',
    reasons: d.reasons ?? null,
    conditions: d.conditions ? (JSON.parse(d.conditions) as string[]) : [],
    nextReviewOn: d.next_review_on ? String(d.next_review_on) : null,
    conditionsAppliedAt: d.conditions_applied_at?.toISOString() ?? null,
    tally: { agree: d.agree, disagree: d.disagree, abstain: d.abstain },
    decidedAt: d.created_at.toISOString(),
    version: d.version,
  };
}

/** Display names of users of the tenant, by id. */
async function names(scope: Scope, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await scope.shared
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('tenant_id', '=', scope.principal.tenantId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

interface ItemFacts {
  votes: { item_id: string; user_id: string; vote: 'agree' | 'disagree' | 'abstain'; reason: string | null }[];
  recusals: { item_id: string; user_id: string; reason: string | null }[];
}

/** Votes and recusals of the given (visible) items, reasons decrypted. */
async function itemFacts(scope: Scope, itemIds: readonly string[]): Promise<ItemFacts> {
  if (!itemIds.length) return { votes: [], recusals: [] };
  const votes = await scope
    .children(boardVotes)
    .select(['board_votes.item_id', 'board_votes.user_id', 'board_votes.vote', 'board_votes.reason'])
    .where('board_votes.item_id', 'in', [...itemIds])
    .orderBy('board_votes.created_at')
    .execute();
  const recusals = await scope
    .children(agendaRecusals)
    .select(['agenda_recusals.item_id', 'agenda_recusals.user_id', 'agenda_recusals.reason'])
    .where('agenda_recusals.item_id', 'in', [...itemIds])
    .execute();
  return {
    votes: await Promise.all(
      votes.map(async (v) => ({
        ...v,
        reason: v.reason
          ? await scope.decryptChild(boardVotes, 'reason', rowKey(v.item_id, v.user_id), v.reason)
          : null,
      })),
    ),
    recusals: await Promise.all(
      recusals.map(async (r) => ({
        ...r,
        reason: r.reason
          ? await scope.decryptChild(agendaRecusals, 'reason', rowKey(r.item_id, r.user_id), r.reason)
          : null,
      })),
    ),
  };
}

function itemQuorum(board: BoardRecord, present: ReadonlySet<string>, recused: ReadonlySet<string>) {
  return quorumOf(
    { minMembers: board.quorum_min, requiredRoles: board.required_roles as BoardRole[] },
    board.members.map((m) => ({ userId: m.user_id, role: m.role })),
    present,
    recused,
  );
}

/** One meeting with its board, attendance, quorum, the agenda items the user may see, votes and decisions. */
export async function getMeeting(scope: Scope, services: Services, meetingId: string): Promise<Meeting> {
  const { meeting, board } = await visibleMeeting(scope, meetingId);
  const present = await presentAt(scope, meetingId);
  const items = await scope.listFull(agendaItems, (q) =>
    q
      .where('agenda_items.meeting_id', '=', meetingId)
      .orderBy('agenda_items.position')
      .orderBy('agenda_items.created_at'),
  );
  const ids = items.map((i) => i.id);
  const facts = await itemFacts(scope, ids);
  const decisions = ids.length
    ? await scope.listFull(boardDecisions, (q) => q.where('board_decisions.item_id', 'in', ids))
    : [];
  const who = await names(scope, [...facts.votes.map((v) => v.user_id), ...facts.recusals.map((r) => r.user_id)]);
  // Reading the agenda of a meeting is one audited view, with the meeting as its purpose.
  await scope.audit.append({
    action: 'board.meeting.read',
    entityType: 'board_meeting',
    entityId: meetingId,
    purpose: 'board_meeting',
    details: { items: items.length },
  });
  return {
    id: meeting.id,
    board: boardView(board, scope.principal.userId),
    scheduledFor: meeting.scheduled_for.toISOString(),
    place: meeting.place,
    online: meeting.online,
    state: meeting.state,
    openedAt: meeting.opened_at?.toISOString() ?? null,
    closedAt: meeting.closed_at?.toISOString() ?? null,
    signedAt: meeting.signed_at?.toISOString() ?? null,
    present: [...present],
    quorum: meetingQuorum(board, present),
    items: items.map((i): AgendaItem => {
      const recused = facts.recusals.filter((r) => r.item_id === i.id);
      const votes = facts.votes.filter((v) => v.item_id === i.id);
      const d = decisions.find((x) => x.item_id === i.id);
      return {
        id: i.id,
        participantId: i.participant_id,
        code: i.code,
        phaseKey: i.phase_key,
        question: i.question,
        source: i.source,
        reason: i.reason ?? null,
        discussion: i.discussion ?? null,
        quorum: itemQuorum(board, present, new Set(recused.map((r) => r.user_id))),
        recused: recused.map((r) => ({ userId: r.user_id, displayName: who.get(r.user_id) ?? '', reason: r.reason })),
        votes: votes.map((v) => ({
          userId: v.user_id,
          displayName: who.get(v.user_id) ?? '',
          vote: v.vote,
          reason: v.reason,
        })),
        myVote: votes.find((v) => v.user_id === scope.principal.userId)?.vote ?? null,
        decision: d ? decisionView(d) : null,
        version: i.version,
      };
    }),
    amendments: await amendmentsOf(scope, services, meetingId),
    version: meeting.version,
  };
}

/**
 * Puts a case to the board: the case must be visible to the user (its case team or supervisor) and
 * in the board's program; the meeting not yet closed. The case's code and phase are kept with it.
 */
export async function addAgendaItem(scope: Scope, meetingId: string, b: AddAgendaItemRequest): Promise<string> {
  scope.require('board.agenda', { type: 'agenda_item' });
  const { meeting, board } = await visibleMeeting(scope, meetingId, { forUpdate: true });
  if (meeting.state !== 'scheduled' && meeting.state !== 'open')
    throw refused('meetingId', 'meeting_not_open', 'the agenda of a closed meeting cannot change');
  const [p] = await scope.list(participants, (q) => q.where('participants.id', '=', b.participantId));
  if (!p) throw new AppError('NOT_FOUND', 'not found');
  if (p.program_id !== board.program_id)
    throw refused('participantId', 'wrong_program', "the case is not in the board's program");
  const taken = await scope.list(agendaItems, (q) =>
    q
      .where('agenda_items.meeting_id', '=', meetingId)
      .where('agenda_items.participant_id', '=', p.id)
      .where('agenda_items.question', '=', b.question),
  );
  if (taken.length)
    throw new AppError('ALREADY_EXISTS', 'the case is already on this agenda with that question', {
      details: [{ path: 'participantId', code: 'already_on_agenda' }],
    });
  const count = (await scope.list(agendaItems, (q) => q.where('agenda_items.meeting_id', '=', meetingId))).length;
  const item = await scope.create(
    agendaItems,
    {
      meeting_id: meetingId,
      participant_id: p.id,
      code: p.code,
      question: b.question,
      source: b.source,
      reason: b.reason ?? null,
      board_notes: b.boardNotes ?? null,
    },
    { details: { question: b.question, source: b.source } },
  );
  await scope.setOwned(agendaItems, item.id, { phase_key: p.phase_key, position: count });
  return item.id;
}

/** The item (locked), its meeting and board, for a change by a member. */
async function itemForChange(scope: Scope, itemId: string) {
  const item = await scope.get(agendaItems, itemId, { forUpdate: true, purpose: 'board_meeting' });
  const { meeting, board } = await visibleMeeting(scope, item.meeting_id);
  return { item, meeting, board };
}

function member(board: BoardRecord, userId: string) {
  return board.members.find((m) => m.user_id === userId);
}

async function decided(scope: Scope, itemId: string): Promise<boolean> {
  return (await scope.list(boardDecisions, (q) => q.where('board_decisions.item_id', '=', itemId))).length > 0;
}

/** A member declares a conflict of interest on an item and takes no part in it. */
export async function recuse(scope: Scope, itemId: string, b: RecusalRequest): Promise<void> {
  scope.require('board.vote', { type: 'agenda_item', id: itemId });
  const { item, meeting, board } = await itemForChange(scope, itemId);
  const me = scope.principal.userId;
  if (!member(board, me))
    throw new AppError('FORBIDDEN', 'only members of the board declare a conflict', {
      details: [{ path: 'userId', code: 'not_a_member' }],
    });
  if (meeting.state !== 'scheduled' && meeting.state !== 'open')
    throw refused('state', 'meeting_not_open', 'the meeting is over');
  if (await decided(scope, itemId)) throw refused('itemId', 'already_decided', 'the board has decided this item');
  const facts = await itemFacts(scope, [itemId]);
  if (facts.votes.some((v) => v.user_id === me))
    throw refused('itemId', 'already_voted', 'you voted on this item; a conflict is declared before voting');
  if (facts.recusals.some((r) => r.user_id === me))
    throw new AppError('ALREADY_EXISTS', 'you already declared a conflict on this item', {
      details: [{ path: 'itemId', code: 'recused' }],
    });
  await scope.insertChildren(agendaRecusals, [
    {
      item_id: item.id,
      user_id: me,
      reason: await scope.encryptChild(agendaRecusals, 'reason', rowKey(item.id, me), b.reason),
    },
  ]);
  await scope.audit.append({
    action: 'board.recuse',
    entityType: 'agenda_item',
    entityId: item.id,
    subjectId: item.participant_id,
    purpose: 'board_meeting',
  });
}

/** A present, non-recused member votes once on an item of an open meeting. */
export async function castVote(scope: Scope, itemId: string, b: VoteRequest): Promise<void> {
  scope.require('board.vote', { type: 'agenda_item', id: itemId });
  const { item, meeting, board } = await itemForChange(scope, itemId);
  const me = scope.principal.userId;
  const facts = await itemFacts(scope, [itemId]);
  const present = await presentAt(scope, meeting.id);
  const why = voteRefusal({
    state: meeting.state,
    isMember: !!member(board, me),
    present: present.has(me),
    recused: facts.recusals.some((r) => r.user_id === me),
    alreadyVoted: facts.votes.some((v) => v.user_id === me),
  });
  if (why === 'not_a_member')
    throw new AppError('FORBIDDEN', 'only members of the board vote', { details: [{ path: 'userId', code: why }] });
  if (why === 'already_voted')
    throw new AppError('ALREADY_EXISTS', 'you have voted on this item', { details: [{ path: 'vote', code: why }] });
  if (why) throw refused(why === 'meeting_not_open' ? 'state' : 'userId', why, `you cannot vote: ${why}`);
  if (await decided(scope, itemId)) throw refused('itemId', 'already_decided', 'the board has decided this item');
  await scope.insertChildren(boardVotes, [
    {
      item_id: item.id,
      user_id: me,
      vote: b.vote,
      reason: b.reason ? await scope.encryptChild(boardVotes, 'reason', rowKey(item.id, me), b.reason) : null,
    },
  ]);
  await scope.audit.append({
    action: 'board.vote',
    entityType: 'agenda_item',
    entityId: item.id,
    subjectId: item.participant_id,
    purpose: 'board_meeting',
    details: { vote: b.vote },
  });
}

/** The chair records the board's decision on an item of an open meeting with quorum. */
export async function decide(scope: Scope, itemId: string, b: DecisionRequest): Promise<Decision> {
  scope.require('board.decide', { type: 'agenda_item', id: itemId });
  const { item, meeting, board } = await itemForChange(scope, itemId);
  if (!member(board, scope.principal.userId)?.is_chair)
    throw new AppError('FORBIDDEN', 'the chair records the decision', {
      details: [{ path: 'userId', code: 'not_chair' }],
    });
  if (await decided(scope, itemId))
    throw new AppError('ALREADY_EXISTS', 'the board has decided this item', {
      details: [{ path: 'itemId', code: 'already_decided' }],
    });
  const facts = await itemFacts(scope, [itemId]);
  const present = await presentAt(scope, meeting.id);
  const t = tally(facts.votes);
  const why = decisionRefusal({
    state: meeting.state,
    quorum: itemQuorum(board, present, new Set(facts.recusals.map((r) => r.user_id))),
    outcome: b.outcome,
    tally: t,
  });
  if (why) throw refused(why === 'outcome_contradicts_votes' ? 'outcome' : 'state', why, `no decision: ${why}`);
  const d = await scope.create(
    boardDecisions,
    {
      item_id: item.id,
      participant_id: item.participant_id,
      meeting_id: meeting.id,
      question: item.question,
      outcome: b.outcome,
      wording: b.wording,
      reasons: b.reasons ?? null,
      conditions: b.conditions.length ? JSON.stringify(b.conditions) : null,
      next_review_on: b.nextReviewOn ?? null,
    },
    { purpose: 'board_meeting', details: { outcome: b.outcome, question: item.question } },
  );
  await scope.setOwned(boardDecisions, d.id, { phase_key: item.phase_key, ...t });
  if (b.discussion) await scope.update(agendaItems, item.id, item.version, { discussion: b.discussion });
  const [after] = await scope.listFull(boardDecisions, (q) => q.where('board_decisions.id', '=', d.id));
  return decisionView(after!);
}
