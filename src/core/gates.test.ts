import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowedMoves, evaluateExit, evaluateGate, type GateFacts } from './gates.ts';
import type { Gate, Phase } from './program.ts';

const now = new Date('2026-06-30T12:00:00Z');
const days = (n: number) => new Date(now.getTime() - n * 86_400_000);
const base: GateFacts = {
  phaseEnteredAt: days(10),
  lastAssessmentFinalisedAt: null,
  planApproved: false,
  consents: [],
  boardApprovedAt: null,
};
const label = { en: 'x', ar: 'x', ur: 'x', fr: 'x' };

test('assessment within N days: none, too old, fresh', () => {
  const g = { kind: 'assessment_finalised', withinDays: 30 } as const;
  assert.equal(evaluateGate(g, base, now).reason, 'no_assessment');
  const old = evaluateGate(g, { ...base, lastAssessmentFinalisedAt: days(31) }, now);
  assert.deepEqual([old.met, old.reason, old.params.ageDays], [false, 'assessment_too_old', 31]);
  assert.equal(
    evaluateGate(g, { ...base, lastAssessmentFinalisedAt: days(30) }, now).met,
    true,
    'the boundary day counts',
  );
});

test('minimum time in phase says how many days remain', () => {
  const r = evaluateGate({ kind: 'min_days_in_phase', days: 84 }, base, now);
  assert.deepEqual([r.met, r.reason, r.params.remaining], [false, 'too_early', 74]);
  assert.equal(evaluateGate({ kind: 'min_days_in_phase', days: 10 }, base, now).met, true);
});

test('consents: each purpose must be given and unexpired; withdrawn does not count', () => {
  const g: Gate = { kind: 'consents_recorded', purposes: ['services', 'information_sharing'] };
  const facts: GateFacts = {
    ...base,
    consents: [
      { purpose: 'services', status: 'given', expiresAt: null },
      { purpose: 'information_sharing', status: 'withdrawn', expiresAt: null },
    ],
  };
  const r = evaluateGate(g, facts, now);
  assert.deepEqual([r.met, r.params.missing], [false, 'information_sharing']);
  const expired = evaluateGate(
    g,
    {
      ...base,
      consents: [
        { purpose: 'services', status: 'given', expiresAt: days(1) },
        { purpose: 'information_sharing', status: 'given', expiresAt: null },
      ],
    },
    now,
  );
  assert.deepEqual([expired.met, expired.params.missing], [false, 'services']);
  assert.equal(
    evaluateGate(
      g,
      {
        ...base,
        consents: [
          { purpose: 'services', status: 'given', expiresAt: days(-5) },
          { purpose: 'information_sharing', status: 'given', expiresAt: null },
        ],
      },
      now,
    ).met,
    true,
  );
});

test('a board decision counts only if taken after entering the phase', () => {
  const g = { kind: 'board_decision' } as const;
  assert.equal(evaluateGate(g, { ...base, boardApprovedAt: days(11) }, now).met, false);
  const met = evaluateGate(g, { ...base, boardApprovedAt: days(2) }, now);
  assert.equal(met.met, true);
  // A met board gate says when the board approved, for the phase tab.
  assert.deepEqual([met.reason, met.params], ['board_approved', { decidedAt: days(2).toISOString() }]);
});

test('a phase is ready only when every gate is met, and with no gates it is ready', () => {
  const phase: Phase = {
    key: 'assessment',
    name: label,
    exitGates: [{ kind: 'plan_approved' }, { kind: 'min_days_in_phase', days: 5 }],
  };
  const a = evaluateExit(phase, base, now);
  assert.equal(a.ready, false);
  assert.deepEqual(
    a.results.map((r) => r.met),
    [false, true],
  );
  assert.equal(evaluateExit(phase, { ...base, planApproved: true }, now).ready, true);
  assert.equal(evaluateExit({ ...phase, exitGates: [] }, base, now).ready, true);
});

test('moves: forward to the next phase only, back to any earlier one', () => {
  const phases: Phase[] = ['intake', 'assessment', 'intervention', 'closure'].map((key) => ({
    key,
    name: label,
    exitGates: [],
  }));
  assert.deepEqual(allowedMoves(phases, 'assessment'), { forward: 'intervention', back: ['intake'] });
  assert.deepEqual(allowedMoves(phases, 'closure'), { forward: null, back: ['intake', 'assessment', 'intervention'] });
  assert.deepEqual(allowedMoves(phases, 'nope'), { forward: null, back: [] });
});
