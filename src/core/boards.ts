/**
 * Review boards: the pure rules of a multidisciplinary decision. Who may vote on an item, whether a
 * meeting can decide (quorum: enough members present and the required disciplines among them, the
 * recused not counted), the tally with its dissent, and which decisions satisfy a phase's
 * `board_decision` gate. The caller gathers the facts; nothing here reads or writes.
 */

/** Board roles: the seat a member holds, which is also the discipline counted for quorum. */
export const BOARD_ROLES = [
  'case_manager',
  'psychologist',
  'religious_counsellor',
  'social_worker',
  'security',
  'legal',
  'judge',
  'prosecutor',
  'community',
  'other',
] as const;
export type BoardRole = (typeof BOARD_ROLES)[number];

/** The question put to the board for one agenda item. */
export const BOARD_QUESTIONS = [
  'move_to_next_phase',
  'recommend_conditional_release',
  'exit_program',
  'continue_in_phase',
] as const;
export type BoardQuestion = (typeof BOARD_QUESTIONS)[number];

/** Questions whose approval lets the case leave its phase (and so meets a `board_decision` gate). */
export const FORWARD_QUESTIONS: readonly BoardQuestion[] = [
  'move_to_next_phase',
  'recommend_conditional_release',
  'exit_program',
];

export const VOTES = ['agree', 'disagree', 'abstain'] as const;
export type Vote = (typeof VOTES)[number];

/** What the board decided on an item: the question approved, not approved, or deferred to a later meeting. */
export const OUTCOMES = ['approved', 'not_approved', 'deferred'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A meeting's life: scheduled → open (deciding) → closed (minutes drafted) → signed by the chair. */
export const MEETING_STATES = ['scheduled', 'open', 'closed', 'signed'] as const;
export type MeetingState = (typeof MEETING_STATES)[number];

/** Why an agenda item is there. */
export const AGENDA_SOURCES = ['gate_waiting', 'plan_review', 'assessment_review', 'transition', 'by_hand'] as const;
export type AgendaSource = (typeof AGENDA_SOURCES)[number];

export interface QuorumRule {
  /** At least this many voting members present (recused members not counted). */
  minMembers: number;
  /** Board roles that must each be present at least once. */
  requiredRoles: readonly BoardRole[];
}

export interface BoardMember {
  userId: string;
  role: BoardRole;
}

export interface QuorumState {
  met: boolean;
  present: number;
  needed: number;
  /** Required roles with nobody present (and not recused) to hold them. */
  missingRoles: BoardRole[];
}

/**
 * Quorum for one item: the members present minus those recused on it, against the board's rule.
 * A member counts once whatever their role; a required role is held by any present, non-recused
 * member in that role.
 */
export function quorumOf(
  rule: QuorumRule,
  members: readonly BoardMember[],
  present: ReadonlySet<string>,
  recused: ReadonlySet<string> = new Set(),
): QuorumState {
  const voting = members.filter((m) => present.has(m.userId) && !recused.has(m.userId));
  const count = new Set(voting.map((m) => m.userId)).size;
  const missingRoles = rule.requiredRoles.filter((r) => !voting.some((m) => m.role === r));
  return {
    met: count >= rule.minMembers && missingRoles.length === 0,
    present: count,
    needed: rule.minMembers,
    missingRoles: [...new Set(missingRoles)],
  };
}

/** Why a member may not vote on an item (stable codes for the API's detail), or null when they may. */
export type VoteRefusal = 'not_a_member' | 'not_present' | 'recused' | 'already_voted' | 'meeting_not_open';

export function voteRefusal(input: {
  state: MeetingState;
  isMember: boolean;
  present: boolean;
  recused: boolean;
  alreadyVoted: boolean;
}): VoteRefusal | null {
  if (input.state !== 'open') return 'meeting_not_open';
  if (!input.isMember) return 'not_a_member';
  if (!input.present) return 'not_present';
  if (input.recused) return 'recused';
  if (input.alreadyVoted) return 'already_voted';
  return null;
}

export interface Tally {
  agree: number;
  disagree: number;
  abstain: number;
}

export function tally(votes: readonly { vote: Vote }[]): Tally {
  const out: Tally = { agree: 0, disagree: 0, abstain: 0 };
  for (const v of votes) out[v.vote] += 1;
  return out;
}

/**
 * Whether a decision with this outcome agrees with the votes: "approved" needs more agree than
 * disagree votes, "not approved" needs at least as many disagree as agree; "deferred" is always
 * open to the board. The board decides in words; this only stops minutes that contradict the vote.
 */
export function outcomeMatchesVotes(outcome: Outcome, t: Tally): boolean {
  if (outcome === 'deferred') return true;
  if (outcome === 'approved') return t.agree > t.disagree;
  return t.disagree >= t.agree;
}

/** Why the meeting may not record a decision on an item, or null when it may. */
export type DecisionRefusal = 'meeting_not_open' | 'no_quorum' | 'no_votes' | 'outcome_contradicts_votes';

export function decisionRefusal(input: {
  state: MeetingState;
  quorum: QuorumState;
  outcome: Outcome;
  tally: Tally;
}): DecisionRefusal | null {
  if (input.state !== 'open') return 'meeting_not_open';
  if (!input.quorum.met) return 'no_quorum';
  if (input.outcome !== 'deferred' && input.tally.agree + input.tally.disagree + input.tally.abstain === 0)
    return 'no_votes';
  if (!outcomeMatchesVotes(input.outcome, input.tally)) return 'outcome_contradicts_votes';
  return null;
}

/** A decision as the gate engine sees it. */
export interface BoardDecisionFact {
  question: BoardQuestion;
  outcome: Outcome;
  /** The phase the case was in when the board decided. */
  phaseKey: string | null;
  decidedAt: Date;
}

/**
 * When the board last approved leaving `phaseKey` (a forward question, approved, taken while the case
 * was in that phase), or null. The gate engine then requires it to be after entering the phase.
 */
export function boardApprovedAt(decisions: readonly BoardDecisionFact[], phaseKey: string | null): Date | null {
  let best: Date | null = null;
  for (const d of decisions) {
    if (d.outcome !== 'approved' || !FORWARD_QUESTIONS.includes(d.question) || d.phaseKey !== phaseKey) continue;
    if (!best || d.decidedAt > best) best = d.decidedAt;
  }
  return best;
}

/** The moves a meeting may make: open it, close it (reopen before sign-off), and the chair's sign-off. */
const MOVES: Record<MeetingState, readonly MeetingState[]> = {
  scheduled: ['open'],
  open: ['closed'],
  closed: ['open', 'signed'],
  signed: [],
};

export function canMoveMeeting(from: MeetingState, to: MeetingState): boolean {
  return MOVES[from].includes(to);
}

/** Whether a meeting's record may still be edited in place; after sign-off only amendments are added. */
export function editable(state: MeetingState): boolean {
  return state !== 'signed';
}
