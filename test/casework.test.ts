/** Case work end to end through the API, with the adversarial checks of every route. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { call, closeShared, intake, makeTenant, shared$, ownerDb } from './helpers.ts';

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
    mentor: { roles: ['mentor'], team: 'a' },
  });
  other = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
});
after(closeShared);

async function newCase(identity?: Record<string, unknown>) {
  const r = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: intake({
      teamId: t.teamA,
      ...(identity ? { identity } : {}),
      familyContacts: [{ name: 'Synthetic Mother', relationship: 'mother', phone: '+000 1' }],
    }),
  });
  assert.equal(r.status, 201, r.text);
  return r.body as { id: string; code: string; version: number; phaseKey: string };
}

test('intake: search before create finds likely duplicates across spelling variants, within my teams only', async () => {
  const p = await newCase({
    givenName: 'أحمد',
    familyName: 'الحداد',
    dateOfBirth: '1990-01-02',
    nationalId: 'AB-123 45',
  });
  const s1 = await call(ctx.app, 'POST', '/api/v1/participants/search', {
    cookie: t.users.cm!.cookie,
    body: { givenName: 'احمد', familyName: 'الحدّاد' },
  });
  assert.equal(s1.status, 200);
  assert.ok(
    s1.body.items.some((i: { id: string; matchedOn: string[] }) => i.id === p.id && i.matchedOn.includes('name')),
    JSON.stringify(s1.body),
  );
  const s2 = await call(ctx.app, 'POST', '/api/v1/participants/search', {
    cookie: t.users.cm!.cookie,
    body: { nationalId: 'ab12345' },
  });
  assert.deepEqual(s2.body.items.find((i: { id: string }) => i.id === p.id)?.matchedOn, ['id_number']);
  for (const cookie of [t.users.cmB!.cookie, other.users.cm!.cookie]) {
    const s = await call(ctx.app, 'POST', '/api/v1/participants/search', { cookie, body: { nationalId: 'AB12345' } });
    assert.equal(s.status, 200);
    assert.ok(!s.body.items.some((i: { id: string }) => i.id === p.id), 'no match outside need-to-know');
  }
  const empty = await call(ctx.app, 'POST', '/api/v1/participants/search', { cookie: t.users.cm!.cookie, body: {} });
  assert.equal(empty.status, 400);
  // Identity is stored encrypted; the blind index holds keyed hashes, not the values.
  const row = await ownerDb()
    .selectFrom('participants')
    .select(['identity'])
    .where('id', '=', p.id)
    .executeTakeFirstOrThrow();
  assert.ok(!row.identity!.toString('utf8').includes('AB'));
});

test('intake refuses unknown programs, other teams, bad dates and oversize notes, writing nothing', async () => {
  const count = async () =>
    Number(
      (
        await ownerDb()
          .selectFrom('participants')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('tenant_id', '=', t.tenantId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const before = await count();
  const cases: [Record<string, unknown>, number, string][] = [
    [intake({ teamId: t.teamA, programId: other.programId }), 400, 'programId'],
    [intake({ teamId: t.teamB }), 400, 'teamId'],
    [
      intake({ teamId: t.teamA, identity: { givenName: 'A', familyName: 'B', dateOfBirth: '1990-02-30' } }),
      400,
      'identity.dateOfBirth',
    ],
    [intake({ teamId: t.teamA, legalStatus: 'fugitive' }), 400, 'legalStatus'],
    [intake({ teamId: t.teamA, notes: 'x'.repeat(20_001) }), 400, 'notes'],
    [intake({ teamId: t.teamA, languages: ['english'] }), 400, 'languages.0'],
  ];
  for (const [body, status, pathAt] of cases) {
    const r = await call(ctx.app, 'POST', '/api/v1/participants', { cookie: t.users.cm!.cookie, body });
    assert.equal(r.status, status, r.text);
    assert.equal(r.body.error.details[0].path, pathAt);
  }
  assert.equal(await count(), before);
});

test('identity is only shown through an audited reveal with a purpose', async () => {
  const p = await newCase();
  const plain = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}`, { cookie: t.users.cm!.cookie });
  assert.equal('identity' in plain.body, false);
  assert.ok(!plain.text.includes('Synthetic Mother'));
  const r = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/reveal`, {
    cookie: t.users.cm!.cookie,
    body: { purpose: 'family_contact', reason: 'arranging a family session' },
  });
  assert.equal(r.status, 200);
  assert.equal(r.body.familyContacts[0].name, 'Synthetic Mother');
  const ev = await ctx.services.db
    .selectFrom('audit_events')
    .select(['purpose', 'actor_id'])
    .where('action', '=', 'identity.reveal')
    .where('entity_id', '=', p.id)
    .execute();
  assert.deepEqual(ev, [{ purpose: 'family_contact: arranging a family session', actor_id: t.users.cm!.id }]);
  const psy = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/reveal`, {
    cookie: t.users.psy!.cookie,
    body: { purpose: 'case_work', reason: 'curious' },
  });
  assert.equal(psy.status, 403, 'psychologists do not need identity');
  const noPurpose = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/reveal`, {
    cookie: t.users.cm!.cookie,
    body: { reason: 'x' },
  });
  assert.equal(noPurpose.status, 400);
});

test('plan: goals per domain, submit, supervisor approval; changes need re-approval; stale versions get 409', async () => {
  const p = await newCase();
  const bad = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/goals`, {
    cookie: t.users.cm!.cookie,
    body: { domain: 'health', title: 'x' },
  });
  assert.equal(bad.status, 400, 'the community program does not work in health');
  assert.equal(bad.body.error.details[0].code, 'not_in_program');
  const notOnTeam = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/goals`, {
    cookie: t.users.cm!.cookie,
    body: { domain: 'economic', title: 'Find work', responsibleUserId: t.users.cmB!.id },
  });
  assert.equal(notOnTeam.body.error.details[0].code, 'not_on_team');
  const g = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/goals`, {
    cookie: t.users.cm!.cookie,
    body: {
      domain: 'economic',
      title: 'Find paid work',
      indicator: 'Signed contract',
      responsibleUserId: t.users.cm!.id,
      targetDate: '2027-06-30',
    },
  });
  assert.equal(g.status, 201, g.text);
  const note = await call(ctx.app, 'POST', `/api/v1/goals/${g.body.id}/notes`, {
    cookie: t.users.cm!.cookie,
    body: { note: 'Applied to two workshops (synthetic).' },
  });
  assert.equal(note.status, 201);
  const sub = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/plan/submit`, { cookie: t.users.cm!.cookie });
  assert.equal(sub.status, 201, sub.text);
  const cmApprove = await call(ctx.app, 'POST', `/api/v1/plan-versions/${sub.body.id}/decision`, {
    cookie: t.users.cm!.cookie,
    body: { decision: 'approve' },
    headers: { 'if-match': '1' },
  });
  assert.equal(cmApprove.status, 403, 'case managers do not approve plans');
  // The supervisor's work: the submitted plan is a decision awaited, the first group, with its count.
  const waiting = await call(ctx.app, 'GET', '/api/v1/work?view=supervised', { cookie: t.users.sup!.cookie });
  assert.equal(waiting.status, 200, waiting.text);
  const row = waiting.body.rows.find((r: { participantId: string }) => r.participantId === p.id);
  assert.equal(row?.urgency, 'decide');
  assert.equal(row?.reasons[0]?.kind, 'plan_awaiting_approval');
  assert.ok(waiting.body.counts.decide >= 1);
  assert.equal(waiting.body.rows[0]?.urgency, 'decide', 'decisions come before everything else');
  const ok = await call(ctx.app, 'POST', `/api/v1/plan-versions/${sub.body.id}/decision`, {
    cookie: t.users.sup!.cookie,
    body: { decision: 'approve', note: 'Good plan' },
    headers: { 'if-match': '1' },
  });
  assert.equal(ok.status, 200, ok.text);
  let plan = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/plan`, { cookie: t.users.psy!.cookie });
  assert.equal(plan.body.status, 'approved');
  assert.equal(plan.body.goals[0].title, 'Find paid work');
  assert.equal(plan.body.goals[0].notes[0].note, 'Applied to two workshops (synthetic).');
  // Reporting progress keeps the approval; changing what the plan says does not.
  const prog = await call(ctx.app, 'PATCH', `/api/v1/goals/${g.body.id}`, {
    cookie: t.users.cm!.cookie,
    body: { progress: 40, status: 'in_progress' },
    headers: { 'if-match': '1' },
  });
  assert.equal(prog.status, 200);
  assert.equal(
    (await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/plan`, { cookie: t.users.cm!.cookie })).body.status,
    'approved',
  );
  const stale = await call(ctx.app, 'PATCH', `/api/v1/goals/${g.body.id}`, {
    cookie: t.users.psy!.cookie,
    body: { title: 'Changed' },
    headers: { 'if-match': '1' },
  });
  assert.equal(stale.status, 409);
  const change = await call(ctx.app, 'PATCH', `/api/v1/goals/${g.body.id}`, {
    cookie: t.users.cm!.cookie,
    body: { title: 'Find paid work or an apprenticeship' },
    headers: { 'if-match': '2' },
  });
  assert.equal(change.status, 200);
  plan = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/plan`, { cookie: t.users.cm!.cookie });
  assert.equal(plan.body.status, 'draft');
  assert.equal(plan.body.versions.length, 1, 'history kept');
  // Goal text is encrypted at rest.
  const raw = await sql<{ t: string }>`select g::text as t from goals g where id = ${g.body.id}`.execute(ownerDb());
  assert.ok(!raw.rows[0]!.t.includes('apprenticeship'));
});

test('sessions: group sessions, attendance and engagement, goals; participants outside the team are refused with nothing written', async () => {
  const a = await newCase();
  const b = await newCase();
  const theirs = (
    await call(ctx.app, 'POST', '/api/v1/participants', {
      cookie: t.users.cmB!.cookie,
      body: intake({ teamId: t.teamB }),
    })
  ).body;
  const when = new Date(Date.now() - 3600_000).toISOString();
  const group = await call(ctx.app, 'POST', '/api/v1/sessions', {
    cookie: t.users.psy!.cookie,
    body: {
      kind: 'group',
      discipline: 'psychologist',
      occurredAt: when,
      durationMinutes: 90,
      attendees: [
        { participantId: a.id, attendance: 'present', engagement: 4 },
        { participantId: b.id, attendance: 'absent' },
      ],
      notes: 'Group on coping skills (synthetic).',
    },
  });
  assert.equal(group.status, 201, group.text);
  assert.equal(group.body.attendees.length, 2);
  const pa = await call(ctx.app, 'GET', `/api/v1/participants/${a.id}`, { cookie: t.users.cm!.cookie });
  assert.equal(pa.body.lastSessionAt, when);
  const pb = await call(ctx.app, 'GET', `/api/v1/participants/${b.id}`, { cookie: t.users.cm!.cookie });
  assert.equal(pb.body.lastSessionAt, null, 'absence is not a session');
  const before = Number(
    (
      await ownerDb()
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('tenant_id', '=', t.tenantId)
        .executeTakeFirstOrThrow()
    ).n,
  );
  const refused: [Record<string, unknown>, string][] = [
    [
      {
        kind: 'group',
        discipline: 'psychologist',
        occurredAt: when,
        durationMinutes: 60,
        attendees: [
          { participantId: a.id, attendance: 'present' },
          { participantId: theirs.id, attendance: 'present' },
        ],
      },
      'attendees.1.participantId',
    ],
    [
      {
        kind: 'individual',
        discipline: 'psychologist',
        occurredAt: new Date(Date.now() + 86_400_000).toISOString(),
        durationMinutes: 60,
        attendees: [{ participantId: a.id, attendance: 'present' }],
      },
      'occurredAt',
    ],
    [
      {
        kind: 'individual',
        discipline: 'psychologist',
        occurredAt: when,
        durationMinutes: 60,
        attendees: [{ participantId: a.id, attendance: 'absent', engagement: 3 }],
      },
      'attendees.0.engagement',
    ],
    [
      {
        kind: 'individual',
        discipline: 'psychologist',
        occurredAt: when,
        durationMinutes: 0,
        attendees: [{ participantId: a.id, attendance: 'present' }],
      },
      'durationMinutes',
    ],
    [
      {
        kind: 'individual',
        discipline: 'psychologist',
        occurredAt: when,
        durationMinutes: 30,
        attendees: [{ participantId: a.id, attendance: 'present', goalIds: ['7b0c3c4e-1d2f-4a5b-8c9d-0e1f2a3b4c5d'] }],
      },
      'attendees.0.goalIds.0',
    ],
    [
      {
        kind: 'individual',
        discipline: 'psychologist',
        occurredAt: when,
        durationMinutes: 30,
        attendees: [{ participantId: a.id, attendance: 'present' }],
        notes: 'x'.repeat(20_001),
      },
      'notes',
    ],
  ];
  for (const [body, at] of refused) {
    const r = await call(ctx.app, 'POST', '/api/v1/sessions', { cookie: t.users.psy!.cookie, body });
    assert.equal(r.status, 400, `${at}: ${r.text}`);
    assert.equal(r.body.error.details[0].path, at);
  }
  const after = Number(
    (
      await ownerDb()
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('tenant_id', '=', t.tenantId)
        .executeTakeFirstOrThrow()
    ).n,
  );
  assert.equal(after, before, 'no partial writes');
  const list = await call(ctx.app, 'GET', `/api/v1/participants/${a.id}/sessions`, { cookie: t.users.cm!.cookie });
  assert.equal(list.body.items.length, 1);
  assert.equal(list.body.items[0].notes, 'Group on coping skills (synthetic).');
  const mentorView = await call(ctx.app, 'GET', `/api/v1/sessions/${group.body.id}`, {
    cookie: t.users.mentor!.cookie,
  });
  assert.equal(mentorView.status, 200);
  assert.equal('notes' in mentorView.body, false, 'mentors do not read session notes');
});

test('phases: gates say what is unmet; forward needs gates or a supervisor override; back needs a reason', async () => {
  const p = await newCase();
  const g = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/gates`, { cookie: t.users.cm!.cookie });
  assert.equal(g.status, 200);
  assert.equal(g.body.phaseKey, 'first_contact_triage');
  assert.equal(g.body.ready, false);
  assert.deepEqual(
    g.body.results.map((r: { reason: string }) => r.reason),
    ['consent_missing'],
  );
  const blocked = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/transitions`, {
    cookie: t.users.cm!.cookie,
    body: { toPhase: g.body.next, reason: 'Ready to assess' },
    headers: { 'if-match': String(g.body.participantVersion) },
  });
  assert.equal(blocked.status, 400);
  assert.deepEqual(blocked.body.error.details, [{ path: 'gates.consents_recorded', code: 'consent_missing' }]);
  const cmOverride = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/transitions`, {
    cookie: t.users.cm!.cookie,
    body: { toPhase: g.body.next, reason: 'Ready', overrideReason: 'Court ordered assessment starts now' },
    headers: { 'if-match': String(g.body.participantVersion) },
  });
  assert.equal(cmOverride.status, 403);
  const c1 = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/consents`, {
    cookie: t.users.cm!.cookie,
    body: {
      purpose: 'services',
      legalBasis: 'consent',
      givenOn: '2026-01-10',
      source: 'Signed form',
      expiresOn: '2025-01-01',
    },
  });
  assert.equal(c1.status, 400, 'expiry before the date given');
  assert.equal(c1.body.error.details[0].path, 'expiresOn');
  const c2 = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/consents`, {
    cookie: t.users.cm!.cookie,
    body: { purpose: 'services', legalBasis: 'consent', givenOn: '2026-01-10', source: 'Signed form' },
  });
  assert.equal(c2.status, 201, c2.text);
  const ready = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/gates`, { cookie: t.users.cm!.cookie });
  assert.equal(ready.body.ready, true);
  const moved = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/transitions`, {
    cookie: t.users.cm!.cookie,
    body: { toPhase: ready.body.next, reason: 'Consent recorded; start assessment' },
    headers: { 'if-match': String(ready.body.participantVersion) },
  });
  assert.equal(moved.status, 201, moved.text);
  const stale = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/transitions`, {
    cookie: t.users.cm!.cookie,
    body: { toPhase: 'first_contact_triage', reason: 'Back' },
    headers: { 'if-match': String(ready.body.participantVersion) },
  });
  assert.equal(stale.status, 409);
  const next = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/gates`, { cookie: t.users.cm!.cookie });
  assert.equal(next.body.phaseKey, 'assessment_agreement');
  const override = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/transitions`, {
    cookie: t.users.sup!.cookie,
    body: { toPhase: next.body.next, reason: 'Moving on', overrideReason: 'Panel met informally; record to follow' },
    headers: { 'if-match': String(next.body.participantVersion) },
  });
  assert.equal(override.status, 201, override.text);
  assert.equal(override.body.overrideReason, 'Panel met informally; record to follow');
  const jump = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/transitions`, {
    cookie: t.users.sup!.cookie,
    body: { toPhase: 'closure', reason: 'Skip', overrideReason: 'Skipping phases is not allowed' },
    headers: { 'if-match': String(next.body.participantVersion + 1) },
  });
  assert.equal(jump.status, 400);
  assert.equal(jump.body.error.details[0].code, 'not_allowed');
  const back = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/transitions`, {
    cookie: t.users.cm!.cookie,
    body: { toPhase: 'assessment_agreement', reason: 'Breach of agreement; reassess' },
    headers: { 'if-match': String(next.body.participantVersion + 1) },
  });
  assert.equal(back.status, 201, back.text);
  const tl = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/timeline`, { cookie: t.users.cm!.cookie });
  assert.deepEqual(
    tl.body.items.filter((i: { kind: string }) => i.kind.startsWith('phase_')).map((i: { kind: string }) => i.kind),
    ['phase_back', 'phase_forward', 'phase_forward'],
  );
  assert.ok(tl.body.items.some((i: { kind: string }) => i.kind === 'consent_given'));
});

test('handover: offered by the team, seen and accepted by the receiving team, then gone from the first', async () => {
  const p = await newCase();
  const offer = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/handovers`, {
    cookie: t.users.cm!.cookie,
    body: { toTeamId: t.teamB, reason: 'Moving to the other district' },
  });
  assert.equal(offer.status, 201, offer.text);
  const work = await call(ctx.app, 'GET', '/api/v1/work', { cookie: t.users.cmB!.cookie });
  assert.ok(
    work.body.items.some(
      (i: { kind: string; participantId: string }) => i.kind === 'handover_to_accept' && i.participantId === p.id,
    ),
  );
  const wrongSide = await call(ctx.app, 'POST', `/api/v1/handovers/${offer.body.id}/decision`, {
    cookie: t.users.cm!.cookie,
    body: { decision: 'accept' },
    headers: { 'if-match': '1' },
  });
  assert.equal(wrongSide.status, 403);
  const acc = await call(ctx.app, 'POST', `/api/v1/handovers/${offer.body.id}/decision`, {
    cookie: t.users.cmB!.cookie,
    body: { decision: 'accept' },
    headers: { 'if-match': '1' },
  });
  assert.equal(acc.status, 200, acc.text);
  assert.equal(
    (await call(ctx.app, 'GET', `/api/v1/participants/${p.id}`, { cookie: t.users.cmB!.cookie })).body.teamId,
    t.teamB,
  );
  assert.equal(
    (await call(ctx.app, 'GET', `/api/v1/participants/${p.id}`, { cookie: t.users.cm!.cookie })).status,
    404,
  );
});

test('every case route answers 404 to another team and another tenant, identical to a missing record', async () => {
  const p = await newCase();
  const g = (
    await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/goals`, {
      cookie: t.users.cm!.cookie,
      body: { domain: 'economic', title: 'Work' },
    })
  ).body;
  const missing = '7b0c3c4e-1d2f-4a5b-8c9d-0e1f2a3b4c5d';
  const routes: [string, string, unknown?, Record<string, string>?][] = [
    ['GET', '/api/v1/participants/{id}'],
    ['GET', '/api/v1/participants/{id}/plan'],
    ['GET', '/api/v1/participants/{id}/sessions'],
    ['GET', '/api/v1/participants/{id}/consents'],
    ['GET', '/api/v1/participants/{id}/gates'],
    ['GET', '/api/v1/participants/{id}/transitions'],
    ['GET', '/api/v1/participants/{id}/timeline'],
    ['GET', '/api/v1/participants/{id}/access-log'],
    ['GET', '/api/v1/participants/{id}/team'],
    ['GET', '/api/v1/participants/{id}/summary.pdf'],
    ['POST', '/api/v1/participants/{id}/reveal', { purpose: 'case_work', reason: 'probing' }],
    ['PATCH', '/api/v1/participants/{id}', { referralSource: 'probe' }, { 'if-match': '1' }],
    ['POST', '/api/v1/participants/{id}/goals', { domain: 'economic', title: 'x' }],
    [
      'POST',
      '/api/v1/participants/{id}/consents',
      { purpose: 'research', legalBasis: 'consent', givenOn: '2026-01-01', source: 'x' },
    ],
    [
      'POST',
      '/api/v1/participants/{id}/transitions',
      { toPhase: 'closure', reason: 'probe', overrideReason: 'probing the gate engine' },
      { 'if-match': '1' },
    ],
    ['POST', '/api/v1/participants/{id}/handovers', { toTeamId: t.teamB, reason: 'probe' }],
  ];
  const norm = (r: { status: number; text: string }) => ({
    status: r.status,
    body: r.text.replace(/"requestId":"[^"]+"/, ''),
  });
  for (const cookie of [t.users.cmB!.cookie, other.users.cm!.cookie]) {
    for (const [method, url, body, headers] of routes) {
      const a = await call(ctx.app, method, url.replace('{id}', p.id), { cookie, body, headers });
      const b = await call(ctx.app, method, url.replace('{id}', missing), { cookie, body, headers });
      assert.equal(a.status, 404, `${method} ${url}: ${a.text}`);
      assert.deepEqual(norm(a), norm(b), `${method} ${url}`);
    }
    const goal = await call(ctx.app, 'PATCH', `/api/v1/goals/${g.id}`, {
      cookie,
      body: { title: 'x' },
      headers: { 'if-match': '1' },
    });
    assert.equal(goal.status, 404);
    const list = await call(ctx.app, 'GET', `/api/v1/participants?q=${p.code}`, { cookie });
    assert.equal(list.body.items.length, 0, 'code search finds nothing outside scope');
    const session = await call(ctx.app, 'POST', '/api/v1/sessions', {
      cookie,
      body: {
        kind: 'individual',
        discipline: 'case_manager',
        occurredAt: new Date().toISOString(),
        durationMinutes: 30,
        attendees: [{ participantId: p.id, attendance: 'present' }],
      },
    });
    assert.equal(session.status, 400);
    assert.equal(session.body.error.details[0].code, 'not_on_team');
  }
  const unchanged = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}`, { cookie: t.users.cm!.cookie });
  assert.equal(unchanged.body.version, 1);
  assert.equal(unchanged.body.referralSource, null);
});

test('caseload filters, sorts and alerts; the work queue lists what is due', async () => {
  const tt = await makeTenant(ctx.services, {
    cm: { roles: ['case_manager'], team: 'a' },
    sup: { roles: ['supervisor'], team: 'a', supervisor: true },
  });
  const ids: string[] = [];
  for (let i = 0; i < 4; i++)
    ids.push(
      (
        await call(ctx.app, 'POST', '/api/v1/participants', {
          cookie: tt.users.cm!.cookie,
          body: intake({ teamId: tt.teamA }),
        })
      ).body.id,
    );
  // One case has had no session for a long time.
  await sql`update participants set created_at = now() - interval '60 days' where id = ${ids[0]}`.execute(ownerDb());
  const noSession = await call(ctx.app, 'GET', '/api/v1/participants?alert=no_session', {
    cookie: tt.users.cm!.cookie,
  });
  assert.deepEqual(
    noSession.body.items.map((i: { id: string }) => i.id),
    [ids[0]],
  );
  assert.ok(noSession.body.items[0].alerts.includes('no_session'));
  const byCode = await call(ctx.app, 'GET', '/api/v1/participants?sort=code&limit=2', { cookie: tt.users.cm!.cookie });
  const next = await call(ctx.app, 'GET', `/api/v1/participants?sort=code&limit=2&cursor=${byCode.body.nextCursor}`, {
    cookie: tt.users.cm!.cookie,
  });
  const codes = [...byCode.body.items, ...next.body.items].map((i: { code: string }) => i.code);
  assert.deepEqual(codes, [...codes].sort());
  assert.equal(codes.length, 4);
  const phase = await call(ctx.app, 'GET', '/api/v1/participants?phase=first_contact_triage', {
    cookie: tt.users.cm!.cookie,
  });
  assert.equal(phase.body.items.length, 4);
  const none = await call(ctx.app, 'GET', '/api/v1/participants?phase=closure', { cookie: tt.users.cm!.cookie });
  assert.equal(none.body.items.length, 0);
  const work = await call(ctx.app, 'GET', '/api/v1/work?view=mine', { cookie: tt.users.cm!.cookie });
  assert.ok(
    work.body.items.some(
      (i: { kind: string; participantId: string }) => i.kind === 'no_session' && i.participantId === ids[0],
    ),
  );
  const sup = await call(ctx.app, 'GET', '/api/v1/work?view=supervised', { cookie: tt.users.sup!.cookie });
  assert.equal(sup.body.cases, 4);
  const bad = await call(ctx.app, 'GET', '/api/v1/participants?sort=colour', { cookie: tt.users.cm!.cookie });
  assert.equal(bad.status, 400);
});

test('case summary PDF in Arabic: a valid PDF, audited, shaped text rendered', async () => {
  const p = await newCase();
  const res = await ctx.app.request(`/api/v1/participants/${p.id}/summary.pdf?locale=ar`, {
    headers: { cookie: t.users.cm!.cookie },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  const buf = Buffer.from(await res.arrayBuffer());
  assert.equal(buf.subarray(0, 5).toString(), '%PDF-');
  const ev = await ctx.services.db
    .selectFrom('audit_events')
    .select('action')
    .where('entity_id', '=', p.id)
    .where('action', '=', 'participant.export_pdf')
    .execute();
  assert.equal(ev.length, 1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-pdf-'));
  try {
    fs.writeFileSync(path.join(dir, 's.pdf'), buf);
    try {
      const text = execFileSync('pdftotext', [path.join(dir, 's.pdf'), '-'], { encoding: 'utf8' });
      assert.ok(text.includes(p.code), 'the code is in the text, left to right');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('identity, family contacts, goal text, progress and session notes never reach the database or logs in plaintext', async () => {
  const canary = `CANARY${Date.now().toString(36)}`;
  const logged: string[] = [];
  const orig = process.stderr.write.bind(process.stderr);
  process.stderr.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    logged.push(String(chunk));
    return (orig as (...a: unknown[]) => boolean)(chunk, ...rest);
  };
  try {
    const p = await call(ctx.app, 'POST', '/api/v1/participants', {
      cookie: t.users.cm!.cookie,
      body: intake({
        teamId: t.teamA,
        identity: { givenName: `${canary}g`, familyName: `${canary}f`, nationalId: `${canary}id` },
        familyContacts: [{ name: `${canary}mother`, relationship: 'mother', address: `${canary} street` }],
        notes: `${canary} notes`,
      }),
    });
    assert.equal(p.status, 201, p.text);
    const g = await call(ctx.app, 'POST', `/api/v1/participants/${p.body.id}/goals`, {
      cookie: t.users.cm!.cookie,
      body: { domain: 'economic', title: `${canary} goal`, indicator: `${canary} indicator` },
    });
    await call(ctx.app, 'POST', `/api/v1/goals/${g.body.id}/notes`, {
      cookie: t.users.cm!.cookie,
      body: { note: `${canary} progress` },
    });
    const sub = await call(ctx.app, 'POST', `/api/v1/participants/${p.body.id}/plan/submit`, {
      cookie: t.users.cm!.cookie,
    });
    assert.equal(
      (
        await call(ctx.app, 'POST', `/api/v1/plan-versions/${sub.body.id}/decision`, {
          cookie: t.users.sup!.cookie,
          body: { decision: 'return', note: `${canary} decision` },
          headers: { 'if-match': '1' },
        })
      ).status,
      200,
    );
    await call(ctx.app, 'POST', '/api/v1/sessions', {
      cookie: t.users.cm!.cookie,
      body: {
        kind: 'individual',
        discipline: 'case_manager',
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
        durationMinutes: 30,
        attendees: [{ participantId: p.body.id, attendance: 'present' }],
        notes: `${canary} session`,
      },
    });
    const cons = await call(ctx.app, 'POST', `/api/v1/participants/${p.body.id}/consents`, {
      cookie: t.users.cm!.cookie,
      body: { purpose: 'research', legalBasis: 'consent', givenOn: '2026-01-01', source: 'form' },
    });
    assert.equal(
      (
        await call(ctx.app, 'POST', `/api/v1/consents/${cons.body.id}/withdraw`, {
          cookie: t.users.cm!.cookie,
          body: { reason: `${canary} withdrawal` },
          headers: { 'if-match': '1' },
        })
      ).status,
      200,
    );
    const gates = await call(ctx.app, 'GET', `/api/v1/participants/${p.body.id}/gates`, {
      cookie: t.users.sup!.cookie,
    });
    const moved = await call(ctx.app, 'POST', `/api/v1/participants/${p.body.id}/transitions`, {
      cookie: t.users.sup!.cookie,
      body: { toPhase: gates.body.next, reason: `${canary} transition`, overrideReason: `${canary} override reason` },
      headers: { 'if-match': String(gates.body.participantVersion) },
    });
    assert.equal(moved.status, 201, moved.text);
    const tl = await call(ctx.app, 'GET', `/api/v1/participants/${p.body.id}/timeline`, { cookie: t.users.cm!.cookie });
    assert.ok(
      tl.body.items.some((i: { data: { reason?: string } }) => i.data.reason === `${canary} transition`),
      'the timeline decrypts reasons',
    );
    assert.equal(
      (
        await call(ctx.app, 'POST', `/api/v1/participants/${p.body.id}/handovers`, {
          cookie: t.users.cm!.cookie,
          body: { toTeamId: t.teamB, reason: `${canary} handover` },
        })
      ).status,
      201,
    );
    await call(ctx.app, 'POST', `/api/v1/participants/${p.body.id}/reveal`, {
      cookie: t.users.cm!.cookie,
      body: { purpose: 'case_work', reason: 'canary check of the reveal' },
    });
    await call(ctx.app, 'POST', '/api/v1/participants/search', {
      cookie: t.users.cm!.cookie,
      body: { givenName: `${canary}g` },
    });
  } finally {
    process.stderr.write = orig;
  }
  assert.ok(!logged.join('').toLowerCase().includes(canary.toLowerCase()), 'canary in logs');
  for (const table of [
    'participants',
    'participant_blind_index',
    'goals',
    'goal_notes',
    'plan_versions',
    'sessions',
    'consents',
    'transitions',
    'handovers',
    'audit_events',
  ]) {
    const rows = await sql<{
      t: string;
    }>`select t::text as t from ${sql.table(table)} t where tenant_id = ${t.tenantId}`.execute(ctx.services.db);
    const hex = Buffer.from(canary.toLowerCase()).toString('hex');
    assert.ok(
      !rows.rows.some((r) => r.t.toLowerCase().includes(canary.toLowerCase()) || r.t.includes(hex)),
      `canary in ${table}`,
    );
  }
});

test('a pending handover shows the receiving team nothing of the case until it accepts; then the old team loses it', async () => {
  const p = await newCase();
  await call(ctx.app, 'POST', '/api/v1/sessions', {
    cookie: t.users.cm!.cookie,
    body: {
      kind: 'individual',
      discipline: 'case_manager',
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      durationMinutes: 30,
      attendees: [{ participantId: p.id, attendance: 'present' }],
      notes: 'history note',
    },
  });
  const offer = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/handovers`, {
    cookie: t.users.cm!.cookie,
    body: { toTeamId: t.teamB, reason: 'Moving district' },
  });
  assert.equal(offer.status, 201);
  const b = t.users.cmB!.cookie;
  assert.equal((await call(ctx.app, 'GET', `/api/v1/participants/${p.id}`, { cookie: b })).status, 404);
  assert.equal(
    (
      await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/reveal`, {
        cookie: b,
        body: { purpose: 'case_work', reason: 'before accepting' },
      })
    ).status,
    404,
  );
  assert.equal(
    (
      await call(ctx.app, 'PATCH', `/api/v1/participants/${p.id}`, {
        cookie: b,
        body: { referralSource: 'changed' },
        headers: { 'if-match': '1' },
      })
    ).status,
    404,
  );
  // Declining leaves the case untouched with its team.
  const dec = await call(ctx.app, 'POST', `/api/v1/handovers/${offer.body.id}/decision`, {
    cookie: b,
    body: { decision: 'decline' },
    headers: { 'if-match': '1' },
  });
  assert.equal(dec.status, 200, dec.text);
  const still = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}`, { cookie: t.users.cm!.cookie });
  assert.equal(still.body.teamId, t.teamA);
  assert.equal(still.body.referralSource, null);
  // A second offer, accepted: the session history moves with the case.
  const again = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/handovers`, {
    cookie: t.users.cm!.cookie,
    body: { toTeamId: t.teamB, reason: 'Moving district, confirmed' },
  });
  const acc = await call(ctx.app, 'POST', `/api/v1/handovers/${again.body.id}/decision`, {
    cookie: b,
    body: { decision: 'accept' },
    headers: { 'if-match': '1' },
  });
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.body.status, 'accepted');
  const hist = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/sessions`, { cookie: b });
  assert.equal(hist.body.items.length, 1);
  assert.equal(hist.body.items[0].notes, 'history note');
  const oldTeam = await call(ctx.app, 'GET', `/api/v1/sessions/${hist.body.items[0].id}`, {
    cookie: t.users.psy!.cookie,
  });
  assert.equal(oldTeam.status, 404, 'the old team no longer reads the session');
});

test('four eyes: a supervisor cannot approve a plan they submitted; only supervisors of the case team approve', async () => {
  const p = await newCase();
  await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/goals`, {
    cookie: t.users.sup!.cookie,
    body: { domain: 'economic', title: 'Work' },
  });
  const sub = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/plan/submit`, { cookie: t.users.sup!.cookie });
  assert.equal(sub.status, 201);
  const self = await call(ctx.app, 'POST', `/api/v1/plan-versions/${sub.body.id}/decision`, {
    cookie: t.users.sup!.cookie,
    body: { decision: 'approve' },
    headers: { 'if-match': '1' },
  });
  assert.equal(self.status, 403);
  assert.equal(self.body.error.details[0].code, 'four_eyes');
  const plan = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/plan`, { cookie: t.users.cm!.cookie });
  assert.equal(plan.body.status, 'submitted');
});

test('duplicate search needs a strong combination and the reveal right; each match is audited', async () => {
  const p = await newCase({ givenName: 'Rare', familyName: 'Searchname', dateOfBirth: '1987-03-04' });
  const weak = await call(ctx.app, 'POST', '/api/v1/participants/search', {
    cookie: t.users.cm!.cookie,
    body: { dateOfBirth: '1987-03-04' },
  });
  assert.equal(weak.status, 400);
  const psy = await call(ctx.app, 'POST', '/api/v1/participants/search', {
    cookie: t.users.psy!.cookie,
    body: { givenName: 'Rare', familyName: 'Searchname' },
  });
  assert.equal(psy.status, 403);
  const ok = await call(ctx.app, 'POST', '/api/v1/participants/search', {
    cookie: t.users.cm!.cookie,
    body: { givenName: 'Rare', dateOfBirth: '1987-03-04' },
  });
  assert.ok(ok.body.items.some((i: { id: string }) => i.id === p.id));
  const ev = await ctx.services.db
    .selectFrom('audit_events')
    .select('action')
    .where('subject_id', '=', p.id)
    .where('action', '=', 'participant.search_match')
    .execute();
  assert.equal(ev.length, 1);
});

test('duplicate search: strength and reasons; weak matches only when asked; exactly the returned ones audited', async () => {
  const strong = await newCase({ givenName: 'Zubair', familyName: 'Quillfeather', dateOfBirth: '1979-05-06' });
  const partial = await newCase({ givenName: 'Zubair', familyName: 'Otherwyn' });
  const search = (body: object) =>
    call(ctx.app, 'POST', '/api/v1/participants/search', { cookie: t.users.cm!.cookie, body });
  type M = {
    id: string;
    strength: string;
    reasons: string[];
    teamName: string | null;
    registeredMonth: string;
    phaseKey: string | null;
  };
  const s1 = await search({ givenName: 'zubair', familyName: 'QUILLFEATHER', dateOfBirth: '1979-05-06' });
  assert.equal(s1.status, 200, s1.text);
  const items1 = s1.body.items as M[];
  const hit = items1.find((i) => i.id === strong.id);
  assert.equal(hit?.strength, 'strong', JSON.stringify(s1.body));
  assert.deepEqual(hit?.reasons, ['full_name', 'date_of_birth']);
  assert.ok(hit?.teamName, 'team name as context');
  assert.match(hit?.registeredMonth ?? '', /^\d{4}-\d{2}$/);
  assert.ok(!items1.some((i) => i.id === partial.id), 'a name part alone is left out by default');
  assert.ok(items1.every((i) => i.strength !== 'weak'));
  // The full name without the birth date: possible.
  const s2 = await search({ givenName: 'Zubair', familyName: 'Quillfeather' });
  assert.equal((s2.body.items as M[]).find((i) => i.id === strong.id)?.strength, 'possible');
  assert.deepEqual((s2.body.items as M[]).find((i) => i.id === strong.id)?.reasons, ['full_name']);
  // Asked for, the weak one comes back, after the stronger ones, with its reason.
  const s3 = await search({ givenName: 'Zubair', familyName: 'Quillfeather', includeWeak: true });
  const items3 = s3.body.items as M[];
  const weak = items3.find((i) => i.id === partial.id);
  assert.equal(weak?.strength, 'weak', JSON.stringify(s3.body));
  assert.deepEqual(weak?.reasons, ['name_part']);
  assert.ok(items3.findIndex((i) => i.id === strong.id) < items3.findIndex((i) => i.id === partial.id));
  // Audited: the partial match only for the search that returned it.
  const audited = async (id: string) =>
    (
      await ctx.services.db
        .selectFrom('audit_events')
        .select('action')
        .where('subject_id', '=', id)
        .where('action', '=', 'participant.search_match')
        .execute()
    ).length;
  assert.equal(await audited(partial.id), 1);
  assert.equal(await audited(strong.id), 3);
});
