import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  boardApprovedAt,
  canMoveMeeting,
  decisionRefusal,
  editable,
  outcomeMatchesVotes,
  quorumOf,
  tally,
  voteRefusal,
  type BoardMember,
  type QuorumRule,
} from './boards.ts';

const members: BoardMember[] = [
  { userId: 'chair', role: 'case_manager' },
  { userId: 'psy', role: 'psychologist' },
  { userId: 'rel', role: 'religious_counsellor' },
  { userId: 'sec', role: 'security' },
  { userId: 'law', role: 'legal' },
];
const rule: QuorumRule = { minMembers: 3, requiredRoles: ['psychologist', 'security'] };

test('quorum: enough members present and every required role held', () => {
  const q = quorumOf(rule, members, new Set(['chair', 'psy', 'sec']));
  assert.deepEqual(q, { met: true, present: 3, needed: 3, missingRoles: [] });
});

test('quorum: too few present, or a required role missing, is named', () => {
  assert.deepEqual(quorumOf(rule, members, new Set(['psy', 'sec'])), {
    met: false,
    present: 2,
    needed: 3,
    missingRoles: [],
  });
  assert.deepEqual(quorumOf(rule, members, new Set(['chair', 'rel', 'law', 'psy'])), {
    met: false,
    present: 4,
    needed: 3,
    missingRoles: ['security'],
  });
});

test('quorum per item: a recused member neither counts nor holds a required role; a non-member present never counts', () => {
  const present = new Set(['chair', 'psy', 'sec', 'visitor']);
  assert.equal(quorumOf(rule, members, present).present, 3);
  const q = quorumOf(rule, members, present, new Set(['psy']));
  assert.equal(q.met, false);
  assert.equal(q.present, 2);
  assert.deepEqual(q.missingRoles, ['psychologist']);
});

test('votes: refused with a reason for a closed meeting, a non-member, an absent, a recused member and a second vote', () => {
  const ok = { state: 'open' as const, isMember: true, present: true, recused: false, alreadyVoted: false };
  assert.equal(voteRefusal(ok), null);
  assert.equal(voteRefusal({ ...ok, state: 'scheduled' }), 'meeting_not_open');
  assert.equal(voteRefusal({ ...ok, state: 'signed' }), 'meeting_not_open');
  assert.equal(voteRefusal({ ...ok, isMember: false }), 'not_a_member');
  assert.equal(voteRefusal({ ...ok, present: false }), 'not_present');
  assert.equal(voteRefusal({ ...ok, recused: true }), 'recused');
  assert.equal(voteRefusal({ ...ok, alreadyVoted: true }), 'already_voted');
});

test('tally and the outcome it allows: approval needs a majority of those who took a side', () => {
  const t = tally([{ vote: 'agree' }, { vote: 'agree' }, { vote: 'disagree' }, { vote: 'abstain' }]);
  assert.deepEqual(t, { agree: 2, disagree: 1, abstain: 1 });
  assert.equal(outcomeMatchesVotes('approved', t), true);
  assert.equal(outcomeMatchesVotes('not_approved', t), false);
  assert.equal(outcomeMatchesVotes('deferred', t), true);
  const tie = tally([{ vote: 'agree' }, { vote: 'disagree' }]);
  assert.equal(outcomeMatchesVotes('approved', tie), false, 'a tie does not approve');
  assert.equal(outcomeMatchesVotes('not_approved', tie), true);
});

test('a decision needs an open meeting, quorum, votes and an outcome the votes bear', () => {
  const quorum = quorumOf(rule, members, new Set(['chair', 'psy', 'sec']));
  const t = { agree: 2, disagree: 1, abstain: 0 };
  assert.equal(decisionRefusal({ state: 'open', quorum, outcome: 'approved', tally: t }), null);
  assert.equal(decisionRefusal({ state: 'closed', quorum, outcome: 'approved', tally: t }), 'meeting_not_open');
  const thin = quorumOf(rule, members, new Set(['chair', 'psy']));
  assert.equal(decisionRefusal({ state: 'open', quorum: thin, outcome: 'approved', tally: t }), 'no_quorum');
  const none = { agree: 0, disagree: 0, abstain: 0 };
  assert.equal(decisionRefusal({ state: 'open', quorum, outcome: 'approved', tally: none }), 'no_votes');
  assert.equal(decisionRefusal({ state: 'open', quorum, outcome: 'deferred', tally: none }), null);
  assert.equal(
    decisionRefusal({ state: 'open', quorum, outcome: 'not_approved', tally: t }),
    'outcome_contradicts_votes',
  );
});

test('the gate reads the latest approved forward decision taken in the current phase', () => {
  const d = (days: number) => new Date(Date.UTC(2026, 0, 1 + days));
  const decisions = [
    { question: 'move_to_next_phase' as const, outcome: 'approved' as const, phaseKey: 'intensive', decidedAt: d(1) },
    { question: 'move_to_next_phase' as const, outcome: 'approved' as const, phaseKey: 'intensive', decidedAt: d(5) },
    { question: 'continue_in_phase' as const, outcome: 'approved' as const, phaseKey: 'intensive', decidedAt: d(9) },
    { question: 'exit_program' as const, outcome: 'not_approved' as const, phaseKey: 'intensive', decidedAt: d(10) },
    { question: 'move_to_next_phase' as const, outcome: 'approved' as const, phaseKey: 'intake', decidedAt: d(20) },
  ];
  assert.deepEqual(boardApprovedAt(decisions, 'intensive'), d(5));
  assert.deepEqual(boardApprovedAt(decisions, 'intake'), d(20));
  assert.equal(boardApprovedAt(decisions, 'step_down'), null);
  assert.equal(boardApprovedAt([], 'intensive'), null);
});

test('meetings move scheduled → open → closed → signed; a signed record is not edited in place', () => {
  assert.equal(canMoveMeeting('scheduled', 'open'), true);
  assert.equal(canMoveMeeting('open', 'closed'), true);
  assert.equal(canMoveMeeting('closed', 'open'), true, 'reopened before sign-off');
  assert.equal(canMoveMeeting('closed', 'signed'), true);
  assert.equal(canMoveMeeting('scheduled', 'signed'), false);
  assert.equal(canMoveMeeting('signed', 'open'), false);
  assert.equal(editable('closed'), true);
  assert.equal(editable('signed'), false);
});
