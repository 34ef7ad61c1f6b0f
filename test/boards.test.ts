/**
 * Review boards through the API: a board with a chair and a quorum rule, a meeting with an agenda of
 * cases, attendance, a recusal, votes with a dissent, the decision and its effect on the phase's
 * `board_decision` gate — and the refusals: other tenants, members outside the case team, non-members,
 * recused or absent voters, a second vote, no quorum, stale versions, malformed bodies, a closed board.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, closeShared, intake, makeTenant, ownerDb, shared$ } from './helpers.ts';

let ctx: Awaited<ReturnType<typeof shared$>>;
let t: Awaited<ReturnType<typeof makeTenant>>;
let other: Awaited<ReturnType<typeof makeTenant>>;

before(async () => {
  ctx = await shared$();
  t = await makeTenant(ctx.services, {
    cm: { roles: ['case_manager'], team: 'a' },
    psy: { roles: ['psychologist'], team: 'a' },
    sup: { roles: ['supervisor'], team: 'a', supervisor: true },
    cmB: { roles: ['case_manager'], team: 'b' },
    // Board members outside team A: a security member and a legal member.
    sec: { roles: ['review_board'], team: 'none' },
    law: { roles: ['review_board'], team: 'none' },
    outsider: { roles: ['review_board'], team: 'none' },
    learner: { roles: ['learner'], team: 'none' },
  });
  other = await makeTenant(ctx.services, {
    sup: { roles: ['supervisor'], team: 'a', supervisor: true },
    board: { roles: ['review_board'], team: 'none' },
  });
});
after(closeShared);

const cookie = (k: string) => t.users[k]!.cookie;
const id = (k: string) => t.users[k]!.id;

/** A case of team A in the program's second phase (whose exit needs a board decision). */
async function caseAtBoardGate() {
  const r = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: cookie('cm'),
    body: intake({ teamId: t.teamA }),
  });
  assert.equal(r.status, 201, r.text);
  await ownerDb()
    .updateTable('participants')
    .set({ phase_key: 'assessment_agreement', phase_entered_at: new Date(Date.now() - 86_400_000) })
    .where('id', '=', r.body.id)
    .execute();
  return r.body as { id: string; code: string };
}

function boardBody(overrides: Record<string, unknown> = {}) {
  return {
    programId: t.programId,
    name: 'Community review board',
    quorum: { minMembers: 3, requiredRoles: ['psychologist', 'security'] },
    members: [
      { userId: id('sup'), role: 'case_manager', chair: true },
      { userId: id('psy'), role: 'psychologist' },
      { userId: id('sec'), role: 'security' },
      { userId: id('law'), role: 'legal' },
    ],
    ...overrides,
  };
}

async function newBoard() {
  const r = await call(ctx.app, 'POST', '/api/v1/boards', { cookie: cookie('sup'), body: boardBody() });
  assert.equal(r.status, 201, r.text);
  return r.body as { id: string; version: number };
}

async function newMeeting(boardId: string) {
  const r = await call(ctx.app, 'POST', `/api/v1/boards/${boardId}/meetings`, {
    cookie: cookie('sup'),
    body: { scheduledFor: new Date(Date.now() + 3_600_000).toISOString(), place: 'Room 2 (synthetic)' },
  });
  assert.equal(r.status, 201, r.text);
  return r.body.id as string;
}

async function meeting(meetingId: string, who = 'sup') {
  return call(ctx.app, 'GET', `/api/v1/board-meetings/${meetingId}`, { cookie: cookie(who) });
}

async function move(meetingId: string, to: string, who = 'sup') {
  const m = await meeting(meetingId, who);
  return call(ctx.app, 'POST', `/api/v1/board-meetings/${meetingId}/state`, {
    cookie: cookie(who),
    body: { to },
    headers: { 'if-match': String(m.body.version) },
  });
}

async function attend(meetingId: string, ...who: string[]) {
  for (const k of who) {
    const r = await call(ctx.app, 'POST', `/api/v1/board-meetings/${meetingId}/attendance`, {
      cookie: cookie('sup'),
      body: { userId: id(k), present: true },
    });
    assert.equal(r.status, 204, r.text);
  }
}

async function vote(itemId: string, who: string, v: string, reason?: string) {
  return call(ctx.app, 'POST', `/api/v1/agenda-items/${itemId}/votes`, {
    cookie: cookie(who),
    body: { vote: v, ...(reason ? { reason } : {}) },
  });
}

async function count(table: 'board_votes' | 'board_decisions' | 'agenda_items' | 'boards') {
  const r = await ownerDb()
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', t.tenantId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

test('a board is created with one chair and a quorum its members can meet; bad boards are refused with the field at fault', async () => {
  const b = await newBoard();
  const got = await call(ctx.app, 'GET', `/api/v1/boards/${b.id}`, { cookie: cookie('sec') });
  assert.equal(got.status, 200, got.text);
  assert.deepEqual(got.body.mine, { member: true, chair: false });
  assert.equal(got.body.members.filter((m: { chair: boolean }) => m.chair).length, 1);
  const before = await count('boards');
  const cases: [Record<string, unknown>, string, string][] = [
    [{ members: boardBody().members.map((m) => ({ ...m, chair: false })) }, 'members', 'one_chair'],
    [{ quorum: { minMembers: 9, requiredRoles: [] } }, 'quorum.minMembers', 'max'],
    [{ quorum: { minMembers: 2, requiredRoles: ['judge'] } }, 'quorum.requiredRoles.0', 'role_not_held'],
    [
      { members: [...boardBody().members, { userId: other.users.board!.id, role: 'legal' }] },
      'members.4.userId',
      'unknown_user',
    ],
    [{ members: [...boardBody().members, { userId: id('psy'), role: 'other' }] }, 'members.4.userId', 'duplicate'],
    [{ programId: other.programId }, 'programId', 'unknown_program'],
  ];
  for (const [patch, path, code] of cases) {
    const r = await call(ctx.app, 'POST', '/api/v1/boards', { cookie: cookie('sup'), body: boardBody(patch) });
    assert.equal(r.status, 400, `${code}: ${r.text}`);
    assert.deepEqual(
      r.body.error.details.map((d: { path: string; code: string }) => [d.path, d.code]),
      [[path, code]],
    );
  }
  const unknownField = await call(ctx.app, 'POST', '/api/v1/boards', {
    cookie: cookie('sup'),
    body: { ...boardBody(), colour: 'red' },
  });
  assert.equal(unknownField.status, 400);
  // Only board managers create boards; a board member or case manager cannot.
  for (const who of ['cm', 'sec', 'learner']) {
    const r = await call(ctx.app, 'POST', '/api/v1/boards', { cookie: cookie(who), body: boardBody() });
    assert.equal(r.status, 403, `${who}: ${r.text}`);
  }
  assert.equal(await count('boards'), before, 'nothing written');
});

test('boards and meetings of another tenant, or a board one does not sit on, are 404', async () => {
  const b = await newBoard();
  const m = await newMeeting(b.id);
  for (const c of [other.users.sup!.cookie, other.users.board!.cookie, cookie('outsider')]) {
    assert.equal((await call(ctx.app, 'GET', `/api/v1/boards/${b.id}`, { cookie: c })).status, 404);
    assert.equal((await call(ctx.app, 'GET', `/api/v1/board-meetings/${m}`, { cookie: c })).status, 404);
  }
  assert.equal(
    (await call(ctx.app, 'GET', `/api/v1/board-meetings/not-a-uuid`, { cookie: cookie('sup') })).status,
    404,
  );
  const list = await call(ctx.app, 'GET', '/api/v1/boards', { cookie: cookie('outsider') });
  assert.equal(list.status, 200);
  assert.ok(!list.body.boards.some((x: { id: string }) => x.id === b.id));
  assert.equal((await call(ctx.app, 'GET', '/api/v1/boards', { cookie: cookie('learner') })).status, 403);
});

test('a meeting: agenda from the case team, attendance and quorum, a recusal, votes with a dissent, the decision meets the gate', async () => {
  const p = await caseAtBoardGate();
  const gatesBefore = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/gates`, { cookie: cookie('cm') });
  assert.equal(gatesBefore.status, 200, gatesBefore.text);
  const boardGate = (g: { results: { gate: { kind: string }; met: boolean; reason: string }[] }) =>
    g.results.find((x) => x.gate.kind === 'board_decision');
  assert.equal(boardGate(gatesBefore.body)?.reason, 'no_board_decision');

  const b = await newBoard();
  const m = await newMeeting(b.id);
  // A case manager of another team cannot put this case on the agenda (not visible: 404).
  const foreign = await call(ctx.app, 'POST', `/api/v1/board-meetings/${m}/agenda`, {
    cookie: cookie('cmB'),
    body: { participantId: p.id, question: 'move_to_next_phase', reason: 'Ready (synthetic)' },
  });
  assert.equal(foreign.status, 404, foreign.text);
  // By hand needs a reason.
  const noReason = await call(ctx.app, 'POST', `/api/v1/board-meetings/${m}/agenda`, {
    cookie: cookie('cm'),
    body: { participantId: p.id, question: 'move_to_next_phase' },
  });
  assert.equal(noReason.status, 400);
  assert.equal(noReason.body.error.details[0].path, 'reason');
  const add = await call(ctx.app, 'POST', `/api/v1/board-meetings/${m}/agenda`, {
    cookie: cookie('cm'),
    body: {
      participantId: p.id,
      question: 'move_to_next_phase',
      reason: 'Plan approved and assessment final (synthetic)',
      boardNotes: 'Engaged well in sessions (synthetic).',
    },
  });
  assert.equal(add.status, 201, add.text);
  const itemId = add.body.id as string;
  const again = await call(ctx.app, 'POST', `/api/v1/board-meetings/${m}/agenda`, {
    cookie: cookie('cm'),
    body: { participantId: p.id, question: 'move_to_next_phase', reason: 'Again' },
  });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.details[0].code, 'already_on_agenda');

  // The board member outside the case team sees the item (code and question) on the agenda.
  const seen = await meeting(m, 'sec');
  assert.equal(seen.status, 200, seen.text);
  assert.equal(seen.body.items[0].code, p.code);
  assert.equal(seen.body.items[0].quorum.met, false);

  // Before the meeting opens nobody votes.
  assert.equal((await vote(itemId, 'psy', 'agree')).body.error.details[0].code, 'meeting_not_open');
  assert.equal((await move(m, 'open')).status, 200);
  await attend(m, 'sup', 'psy', 'sec');
  // Not present, not a member, another tenant.
  assert.equal((await vote(itemId, 'law', 'agree')).body.error.details[0].code, 'not_present');
  const cmVote = await vote(itemId, 'cm', 'agree');
  assert.equal(cmVote.status, 403, 'a case manager who is not on the board does not vote');
  const foreignVote = await call(ctx.app, 'POST', `/api/v1/agenda-items/${itemId}/votes`, {
    cookie: other.users.board!.cookie,
    body: { vote: 'agree' },
  });
  assert.equal(foreignVote.status, 404);
  // A dissent gives its reason.
  assert.equal((await vote(itemId, 'sec', 'disagree')).status, 400);

  // The legal member arrives, then declares a conflict: quorum counts only the others.
  await attend(m, 'law');
  const rec = await call(ctx.app, 'POST', `/api/v1/agenda-items/${itemId}/recusal`, {
    cookie: cookie('law'),
    body: { reason: 'Represented the person in 2019 (synthetic).' },
  });
  assert.equal(rec.status, 204, rec.text);
  assert.equal((await vote(itemId, 'law', 'agree')).body.error.details[0].code, 'recused');

  // Votes race: the same member twice in parallel → one vote.
  const twice = await Promise.all([vote(itemId, 'psy', 'agree'), vote(itemId, 'psy', 'agree')]);
  assert.deepEqual(twice.map((r) => r.status).sort(), [204, 409]);
  assert.equal((await vote(itemId, 'sup', 'agree')).status, 204);
  assert.equal((await vote(itemId, 'sec', 'disagree', 'Too early for community steps (synthetic).')).status, 204);

  // Only the chair decides; the outcome must follow the votes.
  const notChair = await call(ctx.app, 'POST', `/api/v1/agenda-items/${itemId}/decision`, {
    cookie: cookie('psy'),
    body: { outcome: 'approved', wording: 'Move on' },
  });
  assert.equal(notChair.status, 403);
  const contradicts = await call(ctx.app, 'POST', `/api/v1/agenda-items/${itemId}/decision`, {
    cookie: cookie('sup'),
    body: { outcome: 'not_approved', wording: 'Stay' },
  });
  assert.equal(contradicts.body.error.details[0].code, 'outcome_contradicts_votes');
  const nextReview = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
  const dec = await call(ctx.app, 'POST', `/api/v1/agenda-items/${itemId}/decision`, {
    cookie: cookie('sup'),
    body: {
      outcome: 'approved',
      wording: 'Move to active disengagement (synthetic).',
      reasons: 'Plan approved, assessment final, good engagement (synthetic).',
      conditions: ['Weekly check-ins for 3 months'],
      nextReviewOn: nextReview,
      discussion: 'Security member dissents on timing (synthetic).',
    },
  });
  assert.equal(dec.status, 201, dec.text);
  assert.deepEqual(dec.body.tally, { agree: 2, disagree: 1, abstain: 0 });
  assert.deepEqual(dec.body.conditions, ['Weekly check-ins for 3 months']);
  // Its conditions become plan goals in one step, once; the board member without plan rights cannot.
  const toGoals = (who: string) =>
    call(ctx.app, 'POST', `/api/v1/board-decisions/${dec.body.id}/goals`, {
      cookie: cookie(who),
      body: { domain: 'family_social' },
    });
  assert.equal((await toGoals('sec')).status, 403);
  assert.equal((await toGoals('cmB')).status, 404);
  const [g1, g2] = await Promise.all([toGoals('cm'), toGoals('cm')]);
  assert.deepEqual([g1.status, g2.status].sort(), [201, 409]);
  const plan = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/plan`, { cookie: cookie('cm') });
  assert.deepEqual(
    plan.body.goals.map((g: { title: string }) => g.title),
    ['Weekly check-ins for 3 months'],
  );
  const second = await call(ctx.app, 'POST', `/api/v1/agenda-items/${itemId}/decision`, {
    cookie: cookie('sup'),
    body: { outcome: 'approved', wording: 'Again' },
  });
  assert.equal(second.status, 409);

  // The decision satisfies the gate; the dissent is kept beside it, and the review date is a task.
  const gates = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/gates`, { cookie: cookie('cm') });
  assert.equal(boardGate(gates.body)?.met, true);
  assert.equal(boardGate(gates.body)?.reason, 'board_approved', 'the phase tab can say when the board approved');
  // The case manager sees the meeting and their own case on it; a case manager of another team sees
  // the meeting but not this case.
  const mine = await meeting(m, 'cm');
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.body.items.length, 1);
  const theirs = await meeting(m, 'cmB');
  assert.equal(theirs.status, 200, theirs.text);
  assert.equal(theirs.body.items.length, 0, 'another team does not see the case on the agenda');
  const full = await meeting(m);
  const item = full.body.items[0];
  assert.deepEqual(
    item.votes.map((v: { vote: string; reason: string | null }) => [v.vote, v.reason]),
    [
      ['agree', null],
      ['agree', null],
      ['disagree', 'Too early for community steps (synthetic).'],
    ],
  );
  assert.equal(item.recused[0].reason, 'Represented the person in 2019 (synthetic).');
  assert.equal(item.discussion, 'Security member dissents on timing (synthetic).');
  const work = await call(ctx.app, 'GET', '/api/v1/work?view=mine', { cookie: cookie('cm') });
  const row = work.body.rows.find((r: { participantId: string }) => r.participantId === p.id);
  assert.ok(
    row?.reasons.some((x: { kind: string; dueAt: string }) => x.kind === 'board_review_due'),
    JSON.stringify(row),
  );

  // Reasons, discussion and decision wording are stored encrypted.
  const raw = await ownerDb()
    .selectFrom('board_decisions')
    .select(['wording', 'reasons'])
    .where('item_id', '=', itemId)
    .executeTakeFirstOrThrow();
  assert.ok(!raw.wording.toString('utf8').includes('Move to active'));
  // Every view of the meeting is audited with the meeting as its purpose.
  const views = await ownerDb()
    .selectFrom('audit_events')
    .select(['actor_id', 'purpose'])
    .where('tenant_id', '=', t.tenantId)
    .where('action', '=', 'board.meeting.read')
    .where('entity_id', '=', m)
    .execute();
  assert.ok(views.some((v) => v.actor_id === id('sec') && v.purpose === 'board_meeting'));
});

test('no quorum, no decision; a closed meeting takes no votes; after sign-off only amendments; stale versions 409', async () => {
  const p = await caseAtBoardGate();
  const b = await newBoard();
  const m = await newMeeting(b.id);
  const add = await call(ctx.app, 'POST', `/api/v1/board-meetings/${m}/agenda`, {
    cookie: cookie('cm'),
    body: { participantId: p.id, question: 'continue_in_phase', reason: 'Review (synthetic)' },
  });
  assert.equal(add.status, 201, add.text);
  const itemId = add.body.id as string;
  assert.equal((await move(m, 'open')).status, 200);
  await attend(m, 'sup', 'psy');
  assert.equal((await vote(itemId, 'psy', 'agree')).status, 204);
  const before = await count('board_decisions');
  const thin = await call(ctx.app, 'POST', `/api/v1/agenda-items/${itemId}/decision`, {
    cookie: cookie('sup'),
    body: { outcome: 'approved', wording: 'Continue' },
  });
  assert.equal(thin.status, 400);
  assert.equal(thin.body.error.details[0].code, 'no_quorum');
  assert.equal(await count('board_decisions'), before);

  // A stale If-Match on the state change.
  const stale = await call(ctx.app, 'POST', `/api/v1/board-meetings/${m}/state`, {
    cookie: cookie('sup'),
    body: { to: 'closed' },
    headers: { 'if-match': '1' },
  });
  assert.equal(stale.status, 409);
  const noMatch = await call(ctx.app, 'POST', `/api/v1/board-meetings/${m}/state`, {
    cookie: cookie('sup'),
    body: { to: 'closed' },
  });
  assert.equal(noMatch.status, 428);
  assert.equal((await move(m, 'closed')).status, 200);
  assert.equal((await vote(itemId, 'sup', 'agree')).body.error.details[0].code, 'meeting_not_open');
  // Only the chair signs; then the record is amended, never edited.
  assert.equal((await move(m, 'signed', 'psy')).status, 403, 'a member who is not the chair does not sign');
  const amendEarly = await call(ctx.app, 'POST', `/api/v1/board-meetings/${m}/amendments`, {
    cookie: cookie('sup'),
    body: { text: 'Correction (synthetic).' },
  });
  assert.equal(amendEarly.body.error.details[0].code, 'not_signed');
  assert.equal((await move(m, 'signed')).status, 200);
  assert.equal((await move(m, 'open')).body.error.details[0].code, 'not_allowed');
  const amend = await call(ctx.app, 'POST', `/api/v1/board-meetings/${m}/amendments`, {
    cookie: cookie('sup'),
    body: { text: 'The review date was agreed as the 3rd (synthetic).' },
  });
  assert.equal(amend.status, 204, amend.text);
  const signed = await meeting(m);
  assert.equal(signed.body.state, 'signed');
  assert.equal(signed.body.amendments[0].text, 'The review date was agreed as the 3rd (synthetic).');
  const addLate = await call(ctx.app, 'POST', `/api/v1/board-meetings/${m}/agenda`, {
    cookie: cookie('cm'),
    body: { participantId: p.id, question: 'exit_program', reason: 'Late' },
  });
  assert.equal(addLate.body.error.details[0].code, 'meeting_not_open');

  // A closed board schedules nothing.
  const board = await call(ctx.app, 'GET', `/api/v1/boards/${b.id}`, { cookie: cookie('sup') });
  const closed = await call(ctx.app, 'PATCH', `/api/v1/boards/${b.id}`, {
    cookie: cookie('sup'),
    body: { status: 'closed' },
    headers: { 'if-match': String(board.body.version) },
  });
  assert.equal(closed.status, 200, closed.text);
  const sched = await call(ctx.app, 'POST', `/api/v1/boards/${b.id}/meetings`, {
    cookie: cookie('sup'),
    body: { scheduledFor: new Date().toISOString() },
  });
  assert.equal(sched.body.error.details[0].code, 'board_closed');
});

test('the evidence pack: the case team at any time; a board member outside it only while the meeting is open; audited', async () => {
  const p = await caseAtBoardGate();
  const g = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/goals`, {
    cookie: cookie('cm'),
    body: { domain: 'economic', title: 'Find paid work (synthetic)' },
  });
  assert.equal(g.status, 201, g.text);
  const b = await newBoard();
  const m = await newMeeting(b.id);
  const add = await call(ctx.app, 'POST', `/api/v1/board-meetings/${m}/agenda`, {
    cookie: cookie('cm'),
    body: {
      participantId: p.id,
      question: 'move_to_next_phase',
      reason: 'Ready (synthetic)',
      boardNotes: 'Attends every session (synthetic).',
    },
  });
  assert.equal(add.status, 201, add.text);
  const item = add.body.id as string;
  const pack = (who: string, c = cookie(who)) =>
    call(ctx.app, 'GET', `/api/v1/agenda-items/${item}/pack`, { cookie: c });

  // Before the meeting opens: the case team reads it, the security member (not on the team) does not.
  const team = await pack('cm');
  assert.equal(team.status, 200, team.text);
  assert.equal(team.body.code, p.code);
  assert.equal(team.body.boardNotes, 'Attends every session (synthetic).');
  assert.deepEqual(
    team.body.plan.goals.map((x: { title: string }) => x.title),
    ['Find paid work (synthetic)'],
  );
  assert.equal((await pack('sec')).status, 404, 'not before the meeting opens');
  await move(m, 'open');
  const open = await pack('sec');
  assert.equal(open.status, 200, open.text);
  assert.equal(open.body.plan.goals[0].title, 'Find paid work (synthetic)');
  // Never for a non-member, another team, or another tenant — even while open.
  assert.equal((await pack('outsider')).status, 404);
  assert.equal((await pack('cmB')).status, 404);
  assert.equal((await pack('x', other.users.board!.cookie)).status, 404);
  await move(m, 'closed');
  assert.equal((await pack('sec')).status, 404, 'closed again once the meeting is over');
  assert.equal((await pack('cm')).status, 200);
  const reads = await ownerDb()
    .selectFrom('audit_events')
    .select(['actor_id', 'purpose', 'subject_id', 'outcome'])
    .where('tenant_id', '=', t.tenantId)
    .where('action', '=', 'board.pack.read')
    .where('entity_id', '=', item)
    .execute();
  assert.ok(reads.some((r) => r.actor_id === id('sec') && r.purpose === 'board_meeting' && r.subject_id === p.id));
  assert.ok(
    reads.some((r) => r.actor_id === id('sec') && r.outcome === 'denied'),
    'refused views are audited too',
  );
});

test('board managers pick members from the staff of their own tenant (names and roles, no learners); others may not list them', async () => {
  const r = await call(ctx.app, 'GET', '/api/v1/boards/staff', { cookie: cookie('sup') });
  assert.equal(r.status, 200, r.text);
  const ids = (r.body.items as { userId: string; roles: string[] }[]).map((u) => u.userId);
  for (const k of ['sec', 'law', 'psy', 'cm']) assert.ok(ids.includes(id(k)), k);
  assert.ok(!ids.includes(id('learner')), 'learners are not staff');
  assert.ok(!ids.includes(other.users.board!.id), 'another tenant never appears');
  assert.deepEqual(Object.keys(r.body.items[0]).sort(), ['displayName', 'roles', 'userId']);
  for (const who of ['cm', 'sec', 'learner'])
    assert.equal((await call(ctx.app, 'GET', '/api/v1/boards/staff', { cookie: cookie(who) })).status, 403, who);
});

test('a board member outside the case team gets the same 404 as for a missing record on every case route', async () => {
  const p = await caseAtBoardGate();
  const missing = '00000000-0000-4000-8000-000000000000';
  for (const route of ['', '/consents', '/plan', '/gates', '/timeline', '/assessments', '/sessions', '/transitions']) {
    for (const target of [p.id, missing]) {
      const r = await call(ctx.app, 'GET', `/api/v1/participants/${target}${route}`, { cookie: cookie('sec') });
      assert.equal(r.status, 404, `${route || '/'} ${target === missing ? '(missing)' : '(exists)'}: ${r.text}`);
    }
  }
  // The case list shows a board member nothing of anyone's caseload.
  const list = await call(ctx.app, 'GET', '/api/v1/participants', { cookie: cookie('sec') });
  assert.equal(list.status, 403);
});
