/**
 * A learner's and a facilitator's day in the academy: the overdue rule (a locked module is never
 * overdue; an overdue one says what is late and since when), the pending invitation that reports no
 * progress (and can be sent again), the lesson link that survives signing in, and the check of the
 * sign-in page's `next`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { computeProgress, type CompletionRules } from '../src/core/completion.ts';
import { settleOverdue } from '../src/core/enrolment.ts';
import { academy } from '../src/server/content.ts';
import { safeNextPath } from '../src/web/features/academy/next-path.ts';
import { call, closeShared, makeTenant, shared$ } from './helpers.ts';

const rules: CompletionRules = {
  unlock: 'sequential',
  moduleWeeks: 2,
  quiz: { attempts: 3, passMark: 70, grading: 'highest' },
  modules: [
    { id: 'm1', lessons: ['a', 'b', 'c'], assignment: true },
    { id: 'm2', lessons: ['d'], assignment: false },
    { id: 'm3', lessons: ['e'], assignment: false },
  ],
};

test('overdue: a locked module is never overdue, even long after its due date; the open one it waits on is', () => {
  const start = '2026-01-05T00:00:00.000Z';
  const now = '2026-03-01T12:00:00.000Z'; // all three due dates (19 Jan, 2 Feb, 16 Feb) have passed
  const raw = computeProgress(
    rules,
    [{ kind: 'lesson_completed', at: '2026-01-06T10:00:00.000Z', module: 'm1', lesson: 'a' }],
    start,
    now,
  );
  assert.equal(raw.modules[1]!.state, 'locked');
  assert.equal(raw.modules[1]!.overdue, true, 'the raw completion function still flags it (the defect)');
  const p = settleOverdue(raw, now);
  assert.deepEqual(
    p.modules.map((m) => [m.state, m.overdue, m.late === null]),
    [
      ['open', true, false],
      ['locked', false, true],
      ['locked', false, true],
    ],
  );
  // What is late and since when: two lessons unread, the quiz, the assignment; due 19 Jan, 41 whole days ago.
  assert.deepEqual(p.modules[0]!.late, {
    dueAt: '2026-01-19T00:00:00.000Z',
    daysLate: 41,
    lessons: 2,
    quiz: true,
    assignment: true,
  });
  // The lock reason is kept for the locked modules (what to finish first).
  assert.equal(p.modules[1]!.requirements[0]!.code, 'previous_module');
});

test('overdue: only what is missing is late; a day late counts as one; complete or not yet due is not late', () => {
  const start = '2026-01-05T00:00:00.000Z';
  const events = ['a', 'b', 'c'].map((lesson, i) => ({
    kind: 'lesson_completed' as const,
    at: `2026-01-0${6 + i}T10:00:00.000Z`,
    module: 'm1',
    lesson,
  }));
  const justLate = settleOverdue(
    computeProgress(rules, events, start, '2026-01-19T05:00:00.000Z'),
    '2026-01-19T05:00:00.000Z',
  );
  assert.deepEqual(justLate.modules[0]!.late, {
    dueAt: '2026-01-19T00:00:00.000Z',
    daysLate: 1,
    lessons: 0,
    quiz: true,
    assignment: true,
  });
  const early = settleOverdue(
    computeProgress(rules, events, start, '2026-01-10T00:00:00.000Z'),
    '2026-01-10T00:00:00.000Z',
  );
  assert.deepEqual(
    early.modules.map((m) => [m.overdue, m.late]),
    [
      [false, null],
      [false, null],
      [false, null],
    ],
  );
  const done = computeProgress(
    rules,
    [
      ...events,
      { kind: 'quiz_graded', at: '2026-01-09T10:00:00.000Z', module: 'm1', attemptId: 'x', score: 90 },
      { kind: 'assignment_graded', at: '2026-01-09T11:00:00.000Z', module: 'm1', submissionId: 's', passed: true },
    ],
    start,
    '2026-03-01T00:00:00.000Z',
  );
  const settled = settleOverdue(done, '2026-03-01T00:00:00.000Z');
  assert.equal(settled.modules[0]!.state, 'complete');
  assert.equal(settled.modules[0]!.late, null);
  assert.equal(settled.modules[1]!.state, 'open');
  assert.equal(settled.modules[1]!.late?.daysLate, 27, 'module 2 was due on 2 Feb');
});

test('next after sign-in: only a same-origin path with a single leading slash', () => {
  for (const ok of ['/learn/abc/lesson-1', '/learning', '/learn/e/l?lang=ar', '/verify/ABC#top', '/a%20b'])
    assert.equal(safeNextPath(ok), ok, ok);
  for (const bad of [
    null,
    undefined,
    '',
    'learn/x',
    '//evil.example/x',
    '/\\evil.example',
    '\\\\evil.example',
    '/\\/evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    '/%2F%2Fevil.example',
    '/%2fevil.example',
    '%2F%2Fevil.example',
    '/%5Cevil.example',
    '/%252F%252Fevil.example',
    '/%25252F%25252Fevil.example',
    '/x%0d%0aSet-Cookie:a=b',
    '/\tevil',
    ' /learning',
    '/learn ing',
    '/%E0%A4%A',
    `/${'a'.repeat(2001)}`,
  ])
    assert.equal(safeNextPath(bad), null, String(bad));
});

let ctx: Awaited<ReturnType<typeof shared$>>;
let t: Awaited<ReturnType<typeof makeTenant>>;
let cohortId: string;
before(async () => {
  ctx = await shared$();
  t = await makeTenant(ctx.services, {
    coord: { roles: ['coordinator'] },
    fac: { roles: ['facilitator'] },
    l1: { roles: ['learner'] },
  });
  const c = await call(ctx.app, 'POST', '/api/v1/academy/cohorts', {
    cookie: t.users.coord!.cookie,
    // Started long ago: every module's due date has passed.
    body: {
      name: 'Winter intake',
      memberState: 'JO',
      language: 'ar',
      startsOn: '2025-01-06',
      endsOn: '2025-12-20',
      capacity: 30,
      facilitatorIds: [t.users.fac!.id],
    },
  });
  assert.equal(c.status, 201, c.text);
  cohortId = c.body.id;
});
after(closeShared);

test('the learner API: the locked modules of a late learner are not overdue; the open one says what is late', async () => {
  const r = await call(ctx.app, 'POST', `/api/v1/academy/cohorts/${cohortId}/enrolments`, {
    cookie: t.users.coord!.cookie,
    body: { email: t.users.l1!.email, name: 'l1' },
  });
  assert.equal(r.status, 200, r.text);
  const me = await call(ctx.app, 'GET', '/api/v1/academy/me', { cookie: t.users.l1!.cookie });
  const mods = me.body.items[0].progress.modules as { state: string; overdue: boolean; late: unknown }[];
  assert.equal(mods[0]!.state, 'open');
  assert.equal(mods[0]!.overdue, true);
  assert.ok(mods[0]!.late, 'the open module says what is late');
  const first = academy().course.modules[0]!;
  assert.deepEqual(mods[0]!.late, {
    dueAt: '2025-01-20T00:00:00.000Z',
    daysLate: Math.floor((Date.now() - Date.parse('2025-01-20T00:00:00.000Z')) / 86_400_000),
    lessons: first.lessons.length,
    quiz: true,
    assignment: !!first.assignment,
  });
  for (const m of mods.slice(1)) {
    assert.equal(m.state, 'locked');
    assert.equal(m.overdue, false, 'a locked module is never overdue');
    assert.equal(m.late, null);
  }
});

test('a pending invitation reports no progress or scores to staff (even if events exist), and can be sent again', async () => {
  const inv = await call(ctx.app, 'POST', `/api/v1/academy/cohorts/${cohortId}/enrolments`, {
    cookie: t.users.coord!.cookie,
    body: { email: `pending-${Date.now()}@example.org`, name: 'Pending Person' },
  });
  assert.equal(inv.status, 200, inv.text);
  const cohort = await call(ctx.app, 'GET', `/api/v1/academy/cohorts/${cohortId}`, { cookie: t.users.fac!.cookie });
  const row = (cohort.body.learners as Record<string, unknown>[]).find((l) => l.name === 'Pending Person')!;
  // Events under the pending account (as demo data or an import could leave them): still nothing reported.
  const m = academy().course.modules[0]!;
  await ctx.services.db
    .insertInto('academy_events')
    .values({
      tenant_id: t.tenantId,
      enrolment_id: row.enrolmentId as string,
      kind: 'quiz_graded',
      module_id: m.id,
      ref: 'seeded-attempt',
      score: 88,
      at: new Date('2025-01-07T10:00:00Z'),
      passed: null,
      count: null,
    })
    .execute();
  const again = await call(ctx.app, 'GET', `/api/v1/academy/cohorts/${cohortId}`, { cookie: t.users.fac!.cookie });
  const pending = (again.body.learners as Record<string, unknown>[]).find((l) => l.name === 'Pending Person')!;
  assert.equal(pending.account, 'invited');
  assert.deepEqual(pending.grades, {}, 'no quiz scores');
  assert.equal(pending.modulesComplete, null, 'no progress');
  assert.equal(pending.current, null);
  assert.equal(pending.overdue, false);
  assert.equal(pending.complete, false);
  assert.match(String(pending.invitedAt), /^\d{4}-\d{2}-\d{2}T/);
  // An active learner keeps their progress.
  const active = (again.body.learners as Record<string, unknown>[]).find((l) => l.name !== 'Pending Person')!;
  assert.equal(active.account, 'active');
  assert.equal(typeof active.modulesComplete, 'number');
  assert.deepEqual(active.late, {
    module: academy().course.modules[0]!.id,
    dueAt: '2025-01-20T00:00:00.000Z',
    daysLate: Math.floor((Date.now() - Date.parse('2025-01-20T00:00:00.000Z')) / 86_400_000),
  });
  assert.equal(pending.late, null);
  // The CSV export has no score for the pending row either.
  const csv = await call(ctx.app, 'GET', `/api/v1/academy/cohorts/${cohortId}/progress.csv`, {
    cookie: t.users.fac!.cookie,
  });
  const line = csv.text.split('\r\n').find((l) => l.includes('Pending Person'))!;
  assert.ok(!line.includes('"88"'), line);

  // Sending it again: a facilitator may not (403), a coordinator gets a new link; an accepted one is 409.
  const enrolmentId = pending.enrolmentId as string;
  assert.equal(
    (
      await call(ctx.app, 'POST', `/api/v1/academy/enrolments/${enrolmentId}/invitation`, {
        cookie: t.users.fac!.cookie,
      })
    ).status,
    403,
  );
  const re = await call(ctx.app, 'POST', `/api/v1/academy/enrolments/${enrolmentId}/invitation`, {
    cookie: t.users.coord!.cookie,
  });
  assert.equal(re.status, 200, re.text);
  assert.match(re.body.link, /\/invite\/[A-Za-z0-9_-]{20,}$/);
  const token = String(re.body.link).split('/invite/')[1];
  assert.equal((await call(ctx.app, 'GET', `/api/v1/auth/invitations/${token}`)).status, 200, 'the new link works');
  const oldLink = (inv.body.results[0] as { link: string }).link.split('/invite/')[1];
  assert.equal((await call(ctx.app, 'GET', `/api/v1/auth/invitations/${oldLink}`)).status, 404, 'the old one does not');
  const notPending = await call(
    ctx.app,
    'POST',
    `/api/v1/academy/enrolments/${String(active.enrolmentId)}/invitation`,
    {
      cookie: t.users.coord!.cookie,
    },
  );
  assert.equal(notPending.status, 409);
  assert.equal(notPending.body.error.code, 'ALREADY_EXISTS');
  assert.equal(
    (
      await call(ctx.app, 'POST', `/api/v1/academy/enrolments/00000000-0000-4000-8000-000000000000/invitation`, {
        cookie: t.users.coord!.cookie,
      })
    ).status,
    404,
  );
});

test('a lesson link opened signed out goes to sign-in with next set to the lesson', async () => {
  const r = await call(ctx.app, 'GET', '/learn/some-enrolment/some-lesson?lang=ar');
  assert.equal(r.status, 303);
  const loc = r.headers.get('location')!;
  const next = new URL(loc, 'http://x').searchParams.get('next');
  assert.equal(next, '/learn/some-enrolment/some-lesson?lang=ar');
  assert.equal(safeNextPath(next), next);
});
