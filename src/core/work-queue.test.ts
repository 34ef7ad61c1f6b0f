import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  consentFact,
  countByUrgency,
  groupByCase,
  urgencyOf,
  lastFinalised,
  reassessmentDueDates,
  workQueue,
  type FinalAssessment,
  type WorkCase,
  type WorkQueueInput,
} from './work-queue.ts';

const now = new Date('2026-06-30T12:00:00Z');
const days = (n: number) => new Date(now.getTime() - n * 86_400_000);
const label = { en: 'x', ar: 'x', ur: 'x', fr: 'x' };
const program = {
  framework: 'community',
  name: label,
  summary: label,
  domains: ['health'],
  phases: [
    { key: 'intake', name: label, exitGates: [{ kind: 'plan_approved' }], reviewEveryDays: 30 },
    { key: 'work', name: label, exitGates: [], reviewEveryDays: 30 },
  ],
};
const quiet = { noSession: false, consentExpiring: false, planNotApproved: false };

function aCase(over: Partial<WorkCase> = {}): WorkCase {
  return {
    id: 'p1',
    code: 'B-1',
    programId: 'prog',
    phaseKey: 'intake',
    phaseEnteredAt: days(10),
    createdAt: days(20),
    planStatus: 'draft',
    planApprovedAt: null,
    programDefinition: program,
    alerts: quiet,
    ...over,
  };
}

function input(over: Partial<WorkQueueInput> = {}): WorkQueueInput {
  return {
    view: 'mine',
    cases: [],
    consents: [],
    lastFinalisedAt: new Map(),
    reassessmentDue: new Map(),
    offers: [],
    now,
    ...over,
  };
}

test('a quiet case gives no work', () => {
  assert.deepEqual(workQueue(input({ cases: [aCase()] })), []);
});

test('gate ready when every exit gate is met, but never in the last phase', () => {
  const ready = aCase({ planStatus: 'approved', planApprovedAt: days(1) });
  assert.deepEqual(
    workQueue(input({ cases: [ready] })).map((i) => i.kind),
    ['gate_ready'],
  );
  const last = aCase({ phaseKey: 'work', planStatus: 'approved', planApprovedAt: days(1) });
  assert.deepEqual(workQueue(input({ cases: [last] })), []);
  // An unreadable program definition or an unknown phase gives no phase tasks.
  assert.deepEqual(workQueue(input({ cases: [aCase({ ...ready, programDefinition: { bad: true } })] })), []);
  assert.deepEqual(workQueue(input({ cases: [aCase({ ...ready, phaseKey: 'gone' })] })), []);
});

test('plan review due within 7 days of approval + the phase interval, with its date', () => {
  const soon = aCase({ phaseKey: 'work', planStatus: 'approved', planApprovedAt: days(25) });
  const items = workQueue(input({ cases: [soon] }));
  assert.deepEqual(
    items.map((i) => [i.kind, i.dueAt]),
    [['plan_review_due', new Date(days(25).getTime() + 30 * 86_400_000).toISOString()]],
  );
  const later = aCase({ phaseKey: 'work', planStatus: 'approved', planApprovedAt: days(10) });
  assert.deepEqual(workQueue(input({ cases: [later] })), []);
});

test('reassessment due within 14 days; plan awaiting approval only in the supervised view', () => {
  const c = aCase({ planStatus: 'submitted' });
  const due = new Date(now.getTime() + 10 * 86_400_000);
  assert.deepEqual(
    workQueue(input({ cases: [c], reassessmentDue: new Map([['p1', due]]) })).map((i) => [i.kind, i.dueAt]),
    [['reassessment_due', due.toISOString()]],
  );
  const far = new Date(now.getTime() + 20 * 86_400_000);
  assert.deepEqual(workQueue(input({ cases: [c], reassessmentDue: new Map([['p1', far]]) })), []);
  assert.deepEqual(
    workQueue(input({ view: 'supervised', cases: [c] })).map((i) => i.kind),
    ['plan_awaiting_approval'],
  );
});

test('row alerts: consent expiring, no session, and plan not approved only while a draft', () => {
  const alerts = { noSession: true, consentExpiring: true, planNotApproved: true };
  assert.deepEqual(
    workQueue(input({ cases: [aCase({ alerts })] })).map((i) => i.kind),
    ['consent_expiring', 'no_session', 'plan_not_approved'],
  );
  assert.deepEqual(
    workQueue(input({ cases: [aCase({ alerts, planStatus: 'submitted' })] })).map((i) => i.kind),
    ['consent_expiring', 'no_session'],
  );
});

test('sorted by kind (offers first), then by code', () => {
  const items = workQueue(
    input({
      cases: [
        aCase({ id: 'p2', code: 'B-2', alerts: { ...quiet, noSession: true } }),
        aCase({ id: 'p1', code: 'A-1', alerts: { ...quiet, noSession: true, consentExpiring: true } }),
      ],
      offers: [{ participantId: 'p9', code: 'Z-9', programId: null, phaseKey: null }],
    }),
  );
  assert.deepEqual(
    items.map((i) => `${i.kind}:${i.code}`),
    ['handover_to_accept:Z-9', 'consent_expiring:A-1', 'no_session:A-1', 'no_session:B-2'],
  );
});

test('gate facts: consents count until the end of their expiry day, and the latest final assessment', () => {
  const gated = {
    ...program,
    phases: [
      { key: 'intake', name: label, exitGates: [{ kind: 'consents_recorded', purposes: ['services'] }] },
      { key: 'work', name: label, exitGates: [] },
    ],
  };
  const c = aCase({ programDefinition: gated });
  const consent = { participantId: 'p1', purpose: 'services' as const, status: 'given' as const, expiresOn: null };
  assert.deepEqual(
    workQueue(input({ cases: [c], consents: [consent] })).map((i) => i.kind),
    ['gate_ready'],
  );
  assert.deepEqual(workQueue(input({ cases: [c], consents: [{ ...consent, participantId: 'other' }] })), []);
  assert.equal(
    consentFact({ ...consent, expiresOn: '2026-07-01' }).expiresAt?.toISOString(),
    '2026-07-01T23:59:59.000Z',
  );
  const finals: FinalAssessment[] = [
    { participantId: 'p1', instrumentKey: 'a', instrumentVersion: '1', finalisedAt: days(100) },
    { participantId: 'p1', instrumentKey: 'a', instrumentVersion: '1', finalisedAt: days(5) },
    { participantId: 'p1', instrumentKey: 'b', instrumentVersion: '2', finalisedAt: days(50) },
  ];
  assert.deepEqual(lastFinalised(finals).get('p1'), days(5));
});

test('reassessment due: the latest assessment per instrument plus its interval, earliest wins', () => {
  const finals: FinalAssessment[] = [
    { participantId: 'p1', instrumentKey: 'a', instrumentVersion: '1', finalisedAt: days(100) },
    { participantId: 'p1', instrumentKey: 'a', instrumentVersion: '1', finalisedAt: days(5) },
    { participantId: 'p1', instrumentKey: 'b', instrumentVersion: '2', finalisedAt: days(50) },
    { participantId: 'p2', instrumentKey: 'c', instrumentVersion: '1', finalisedAt: days(5) },
  ];
  const due = reassessmentDueDates(
    finals,
    new Map([
      ['a@1', 90],
      ['b@2', 60],
    ]),
  );
  // a: 5 days ago + 90 = in 85 days; b: 50 days ago + 60 = in 10 days; c has no interval.
  assert.deepEqual(due.get('p1'), new Date(days(50).getTime() + 60 * 86_400_000));
  assert.equal(due.has('p2'), false);
});

test('urgency: an awaited decision first; a past due date is overdue with whole days late, a future one due soon, none open', () => {
  assert.deepEqual(urgencyOf({ kind: 'reassessment_due', dueAt: days(61).toISOString() }, now), {
    urgency: 'overdue',
    daysLate: 61,
  });
  assert.deepEqual(urgencyOf({ kind: 'plan_review_due', dueAt: days(-3).toISOString() }, now), {
    urgency: 'due_soon',
    daysLate: null,
  });
  assert.deepEqual(urgencyOf({ kind: 'consent_expiring', dueAt: null }, now), { urgency: 'due_soon', daysLate: null });
  assert.deepEqual(urgencyOf({ kind: 'plan_awaiting_approval', dueAt: null }, now), {
    urgency: 'decide',
    daysLate: null,
  });
  // An hour late counts as one day late.
  assert.equal(
    urgencyOf({ kind: 'plan_review_due', dueAt: new Date(now.getTime() - 3_600_000).toISOString() }, now).daysLate,
    1,
  );
});

test('a reassessment due two months ago comes out of the queue as overdue', () => {
  const items = workQueue(input({ cases: [aCase({ id: 'p1' })], reassessmentDue: new Map([['p1', days(60)]]) }));
  const [row] = groupByCase(items, now);
  assert.equal(row?.urgency, 'overdue');
  assert.equal(row?.daysLate, 60);
  assert.equal(row?.reasons[0]?.kind, 'reassessment_due');
});

test('grouped by case: one row per case with its reasons most urgent first; decisions awaited first, then by urgency and code', () => {
  const base = { programId: 'prog', phaseKey: 'intake' };
  const rows = groupByCase(
    [
      { ...base, participantId: 'a', code: 'A-1', kind: 'plan_awaiting_approval', dueAt: null },
      { ...base, participantId: 'a', code: 'A-1', kind: 'no_session', dueAt: null },
      { ...base, participantId: 'a', code: 'A-1', kind: 'reassessment_due', dueAt: days(5).toISOString() },
      { ...base, participantId: 'b', code: 'B-1', kind: 'consent_expiring', dueAt: null },
      { ...base, participantId: 'c', code: 'C-1', kind: 'plan_review_due', dueAt: days(20).toISOString() },
      { ...base, participantId: 'd', code: 'D-1', kind: 'handover_to_accept', dueAt: null },
      { ...base, participantId: 'd', code: 'D-1', kind: 'handover_to_accept', dueAt: null },
    ],
    now,
  );
  assert.deepEqual(
    rows.map((r) => [r.code, r.urgency, r.daysLate]),
    [
      ['A-1', 'decide', null],
      ['D-1', 'decide', null],
      ['C-1', 'overdue', 20],
      ['B-1', 'due_soon', null],
    ],
  );
  assert.deepEqual(
    rows[0]?.reasons.map((r) => [r.kind, r.daysLate]),
    [
      ['plan_awaiting_approval', null],
      ['reassessment_due', 5],
      ['no_session', null],
    ],
  );
  assert.equal(rows[1]?.reasons.length, 1, 'the same kind twice on a case is one reason');
  assert.deepEqual(countByUrgency(rows), { decide: 2, overdue: 1, due_soon: 1, open: 0 });
});
