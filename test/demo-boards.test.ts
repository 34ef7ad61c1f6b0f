/**
 * The demo's review boards: after seeding the demo tenant (on a database of its own: demo data never
 * sits beside real tenants), the demo board member sits on one board per program, sees both boards'
 * meetings, and reads the past meeting's decisions with their dissent and recusal; the upcoming
 * meeting has cases that wait on a board; the approved decision meets the case's board gate.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { call, freshDatabase } from './helpers.ts';
import { createApp } from '../src/server/app.ts';
import { demoEmail, ensureDemo } from '../src/server/demo/seed.ts';
import { clearBoards } from '../src/server/demo/boards.ts';
import { clearCasework } from '../src/server/demo/casework.ts';
import { bindTenant } from '../src/server/access/tenant.ts';
import { createLoginSession } from '../src/server/modules/auth/login-sessions.ts';

let fresh: Awaited<ReturnType<typeof freshDatabase>>;
let app: ReturnType<typeof createApp>;

before(async () => {
  fresh = await freshDatabase();
  await ensureDemo(fresh.services, { quiet: true });
  app = createApp(fresh.services);
});
after(async () => {
  await fresh?.drop();
});

/** A signed-in session of a demo account. */
async function cookieOf(local: string): Promise<string> {
  const s = fresh.services;
  const u = await s.db
    .selectFrom('users')
    .select(['id', 'tenant_id'])
    .where('email', '=', demoEmail(local))
    .executeTakeFirstOrThrow();
  const token = await s.db
    .transaction()
    .execute((tx) => createLoginSession(tx, s.config, { id: u.id, tenant_id: u.tenant_id }, { mfaPassed: true }));
  return `sanad_session=${token}`;
}

interface MeetingSummary {
  id: string;
  boardId: string;
  state: string;
  scheduledFor: string;
  items: number;
}

test('the demo board member sees both demo boards, a signed past meeting and an upcoming one on each', async () => {
  const board = await cookieOf('board');
  const r = await call(app, 'GET', '/api/v1/boards', { cookie: board });
  assert.equal(r.status, 200, r.text);
  const boards = r.body.boards as {
    id: string;
    programId: string;
    members: { role: string; chair: boolean }[];
    mine: { member: boolean };
    quorum: { minMembers: number; requiredRoles: string[] };
  }[];
  assert.equal(boards.length, 2, 'one board per demo program');
  assert.equal(new Set(boards.map((b) => b.programId)).size, 2);
  for (const b of boards) {
    assert.deepEqual(b.mine, { member: true, chair: false });
    assert.deepEqual(b.quorum, { minMembers: 3, requiredRoles: ['psychologist'] });
    assert.equal(b.members.filter((m) => m.chair).length, 1);
    const meetings = (r.body.meetings as MeetingSummary[]).filter((m) => m.boardId === b.id);
    const past = meetings.find((m) => m.state === 'signed');
    const next = meetings.find((m) => m.state === 'scheduled');
    assert.ok(past && new Date(past.scheduledFor).getTime() < Date.now(), 'a past, signed meeting');
    assert.ok(next && new Date(next.scheduledFor).getTime() > Date.now() + 4 * 86_400_000, 'a meeting in five days');
    assert.equal(past.items, 2);
    assert.equal(next.items, 2);
  }
  // The chairs: the supervisor for the custodial program's board, the director for the community one.
  for (const [local, n] of [
    ['supervisor', 1],
    ['director', 2],
  ] as const) {
    const mine = await call(app, 'GET', '/api/v1/boards', { cookie: await cookieOf(local) });
    assert.equal(mine.status, 200, mine.text);
    const chaired = (mine.body.boards as { mine: { chair: boolean } }[]).filter((b) => b.mine.chair);
    assert.equal(chaired.length, 1, `${local} chairs one board`);
    assert.ok(mine.body.boards.length >= n);
  }
});

test('the past meeting shows its decisions with a dissent and a recusal; the approved one meets the gate; the agenda waits on the board', async () => {
  const board = await cookieOf('board');
  const list = await call(app, 'GET', '/api/v1/boards', { cookie: board });
  const meetings = list.body.meetings as MeetingSummary[];
  for (const summary of meetings.filter((m) => m.state === 'signed')) {
    const r = await call(app, 'GET', `/api/v1/board-meetings/${summary.id}`, { cookie: board });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.state, 'signed');
    assert.ok(r.body.signedAt);
    assert.ok(r.body.quorum.met);
    const items = r.body.items as {
      participantId: string;
      phaseKey: string;
      recused: { displayName: string; reason: string | null }[];
      votes: { vote: string; reason: string | null }[];
      discussion: string | null;
      decision: {
        outcome: string;
        phaseKey: string;
        wording: string;
        conditions: string[];
        tally: { agree: number; disagree: number; abstain: number };
      } | null;
    }[];
    assert.deepEqual(items.map((i) => i.decision?.outcome).sort(), ['approved', 'deferred']);
    const approved = items.find((i) => i.decision?.outcome === 'approved')!;
    const dissent = approved.votes.filter((v) => v.vote === 'disagree');
    assert.equal(dissent.length, 1);
    assert.match(dissent[0]!.reason ?? '', /\(synthetic\)/);
    assert.equal(approved.decision!.tally.disagree, 1);
    assert.ok(approved.decision!.tally.agree > approved.decision!.tally.disagree);
    assert.equal(approved.recused.length, 1);
    assert.match(approved.recused[0]!.reason ?? '', /\(synthetic\)/, 'the encrypted reason reads back');
    assert.match(approved.decision!.wording, /\(synthetic\)/);
    assert.ok(approved.decision!.conditions.length > 0);
    assert.match(approved.discussion ?? '', /\(synthetic\)/);
    assert.equal(approved.decision!.phaseKey, approved.phaseKey);

    // The case's board gate reads the decision (seen by the case team's supervisor or the director).
    const gates = await call(app, 'GET', `/api/v1/participants/${approved.participantId}/gates`, {
      cookie: await cookieOf('director'),
    });
    assert.equal(gates.status, 200, gates.text);
    const gate = (gates.body.results as { gate: { kind: string }; met: boolean }[]).find(
      (g) => g.gate.kind === 'board_decision',
    );
    assert.equal(gate?.met, true, JSON.stringify(gates.body));

    // The minutes of the demo meeting print for the board member.
    const pdf = await app.request(`/api/v1/board-meetings/${summary.id}/minutes.pdf?locale=ar`, {
      headers: { origin: 'http://localhost:3999', cookie: board },
    });
    assert.equal(pdf.status, 200);
    const bytes = Buffer.from(await pdf.arrayBuffer());
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    // Kept for a person to look at (test-results/demo-minutes-<meeting>.pdf).
    fs.mkdirSync('test-results', { recursive: true });
    fs.writeFileSync(`test-results/demo-minutes-${summary.id.slice(0, 8)}.pdf`, bytes);
  }
  let waitingFromQueue = 0;
  for (const summary of meetings.filter((m) => m.state === 'scheduled')) {
    const r = await call(app, 'GET', `/api/v1/board-meetings/${summary.id}`, { cookie: board });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.items.length, 2);
    for (const item of r.body.items as {
      decision: unknown;
      question: string;
      source: string;
      participantId: string;
    }[]) {
      assert.ok(['gate_waiting', 'by_hand'].includes(item.source), item.source);
      assert.equal(item.decision, null);
      assert.notEqual(item.question, 'continue_in_phase');
      // Each case waits on a board: its board gate is not met.
      const gates = await call(app, 'GET', `/api/v1/participants/${item.participantId}/gates`, {
        cookie: await cookieOf('director'),
      });
      assert.equal(gates.status, 200, gates.text);
      const gate = (gates.body.results as { gate: { kind: string }; met: boolean }[]).find(
        (g) => g.gate.kind === 'board_decision',
      );
      assert.equal(gate?.met, false);
      // Put there by the work queue: every other gate of the phase is met, and only the board is awaited.
      if (item.source === 'gate_waiting') {
        waitingFromQueue += 1;
        for (const g of gates.body.results as { gate: { kind: string }; met: boolean }[])
          if (g.gate.kind !== 'board_decision') assert.equal(g.met, true, JSON.stringify(g));
      }
    }
  }
  assert.ok(waitingFromQueue >= 1, 'at least one upcoming case comes from the work queue');
});

test('a reseed can clear the demo boards before the case files they name (clearBoards, then clearCasework)', async () => {
  const s = fresh.services;
  const tenant = await s.db.selectFrom('tenants').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow();
  const rollback = new Error('rollback');
  await assert.rejects(
    s.db.transaction().execute(async (tx) => {
      await bindTenant(tx, tenant.id);
      await clearBoards(tx, tenant.id);
      await clearCasework(tx, tenant.id);
      const left = await tx.selectFrom('boards').select('id').where('tenant_id', '=', tenant.id).execute();
      assert.equal(left.length, 0);
      throw rollback;
    }),
    (e) => e === rollback,
  );
  // Rolled back: the demo is as seeded.
  const boards = await s.db.selectFrom('boards').select('id').where('tenant_id', '=', tenant.id).execute();
  assert.equal(boards.length, 2);
});

test('the demo reseeds over its own boards: the boards are cleared with the case files and seeded again', async () => {
  const s = fresh.services;
  await ensureDemo(s, { quiet: true, reseed: true });
  const tenant = await s.db.selectFrom('tenants').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow();
  const boards = await s.db.selectFrom('boards').select('id').where('tenant_id', '=', tenant.id).execute();
  assert.equal(boards.length, 2);
  const r = await call(app, 'GET', '/api/v1/boards', { cookie: await cookieOf('board') });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.boards.length, 2);
});
