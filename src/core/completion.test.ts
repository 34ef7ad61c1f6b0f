import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeProgress, type CompletionRules, type LearningEvent } from './completion.ts';

const rules: CompletionRules = {
  unlock: 'sequential',
  moduleWeeks: 2,
  quiz: { attempts: 2, passMark: 70, grading: 'highest' },
  modules: [
    { id: 'm1', lessons: ['m1-l1', 'm1-l2'], assignment: false },
    { id: 'm2', lessons: ['m2-l1'], assignment: true },
    { id: 'm3', lessons: ['m3-l1'], assignment: false },
  ],
};
const START = '2026-01-01T00:00:00.000Z';
const NOW = '2026-01-10T00:00:00.000Z';
const at = (d: number, h = 0) => new Date(Date.parse(START) + d * 86_400_000 + h * 3_600_000).toISOString();
const lesson = (module: string, l: string, t: string): LearningEvent => ({
  kind: 'lesson_completed',
  at: t,
  module,
  lesson: l,
});
const quiz = (module: string, score: number, t: string, id = `q-${module}-${t}`): LearningEvent => ({
  kind: 'quiz_graded',
  at: t,
  module,
  attemptId: id,
  score,
});
const m1Done = [lesson('m1', 'm1-l1', at(1)), lesson('m1', 'm1-l2', at(1, 1)), quiz('m1', 80, at(1, 2))];

test('a new learner has module 1 open and module 2 locked with the reason naming what remains', () => {
  const p = computeProgress(rules, [], START, NOW);
  assert.deepEqual(
    p.modules.map((m) => m.state),
    ['open', 'locked', 'locked'],
  );
  assert.equal(p.current, 'm1');
  const why = p.modules[1]!.requirements[0]!;
  assert.equal(why.code, 'previous_module');
  assert.deepEqual(why.code === 'previous_module' && why.missing.map((r) => r.code), ['lesson', 'lesson', 'quiz_pass']);
  assert.equal(
    p.modules[2]!.requirements[0]!.code === 'previous_module' && p.modules[2]!.requirements[0]!.module,
    'm2',
  );
});

test('the moment the last requirement is met the next module opens (no stale block)', () => {
  const p = computeProgress(rules, m1Done, START, NOW);
  assert.equal(p.modules[0]!.state, 'complete');
  assert.equal(p.modules[0]!.completedAt, at(1, 2));
  assert.equal(p.modules[1]!.state, 'open');
  assert.equal(p.modules[1]!.openedAt, at(1, 2));
  // Requirements met in any order complete it: quiz first, lessons after.
  const reordered = computeProgress(
    rules,
    [quiz('m1', 90, at(1)), lesson('m1', 'm1-l2', at(2)), lesson('m1', 'm1-l1', at(3))],
    START,
    NOW,
  );
  assert.equal(reordered.modules[0]!.completedAt, at(3));
  assert.equal(reordered.modules[1]!.state, 'open');
});

test('the result does not depend on the order events are given in (deterministic)', () => {
  const events = [
    ...m1Done,
    lesson('m2', 'm2-l1', at(2)),
    quiz('m2', 75, at(2, 1)),
    { kind: 'assignment_graded', at: at(3), module: 'm2', submissionId: 's1', passed: true } as LearningEvent,
  ];
  const a = computeProgress(rules, events, START, NOW);
  const b = computeProgress(rules, [...events].reverse(), START, NOW);
  assert.deepEqual(a, b);
  assert.deepEqual(
    a.modules.map((m) => m.state),
    ['complete', 'complete', 'open'],
  );
});

test('gates gate: work on a locked module before it opened does not count', () => {
  const early = [
    lesson('m2', 'm2-l1', at(0, 1)),
    quiz('m2', 100, at(0, 2)),
    { kind: 'assignment_graded', at: at(0, 3), module: 'm2', submissionId: 's', passed: true } as LearningEvent,
  ];
  const p = computeProgress(rules, [...early, ...m1Done], START, NOW);
  assert.equal(p.modules[1]!.state, 'open', 'm2 opens only after m1');
  assert.deepEqual(p.modules[1]!.lessonsDone, []);
  assert.equal(p.modules[1]!.quiz.attempts, 0);
});

test('a failing quiz does not complete; attempts run out; a grant gives another; highest grade counts', () => {
  const fail = [
    lesson('m1', 'm1-l1', at(1)),
    lesson('m1', 'm1-l2', at(1)),
    quiz('m1', 60, at(2), 'a1'),
    quiz('m1', 50, at(3), 'a2'),
  ];
  const p = computeProgress(rules, fail, START, NOW);
  assert.equal(p.modules[0]!.state, 'open');
  assert.deepEqual(p.modules[0]!.quiz, { attempts: 2, attemptsLeft: 0, grade: 60, passed: false });
  assert.deepEqual(p.modules[0]!.requirements, [{ code: 'quiz_attempts_exhausted' }]);
  const granted = computeProgress(
    rules,
    [...fail, { kind: 'attempts_granted', at: at(4), module: 'm1', count: 1 }, quiz('m1', 70, at(5), 'a3')],
    START,
    NOW,
  );
  assert.equal(granted.modules[0]!.state, 'complete', 'exactly the pass mark passes');
});

test('"last" grading uses the latest attempt, but completion once reached is kept', () => {
  const last: CompletionRules = { ...rules, quiz: { ...rules.quiz, attempts: 3, grading: 'last' } };
  const p = computeProgress(last, [...m1Done, quiz('m1', 40, at(2), 'later')], START, NOW);
  assert.equal(p.modules[0]!.quiz.grade, 40);
  assert.equal(p.modules[0]!.state, 'complete');
  assert.equal(p.modules[1]!.state, 'open', 'a later lower attempt does not relock the next module');
});

test('an assignment returned as not passed keeps the module open until a passing grade', () => {
  const m2 = [lesson('m2', 'm2-l1', at(2)), quiz('m2', 100, at(2, 1))];
  const graded = (passed: boolean, d: number): LearningEvent => ({
    kind: 'assignment_graded',
    at: at(d),
    module: 'm2',
    submissionId: `s${d}`,
    passed,
  });
  const p = computeProgress(rules, [...m1Done, ...m2, graded(false, 3)], START, NOW);
  assert.deepEqual(p.modules[1]!.requirements, [{ code: 'assignment_pass' }]);
  assert.equal(
    computeProgress(rules, [...m1Done, ...m2, graded(false, 3), graded(true, 4)], START, NOW).modules[1]!.state,
    'complete',
  );
});

test('a cohort that has not started locks everything and says when it starts; overdue after the due date', () => {
  const p = computeProgress(rules, [], '2026-02-01T00:00:00.000Z', NOW);
  assert.equal(p.modules[0]!.state, 'locked');
  assert.deepEqual(p.modules[0]!.requirements, [{ code: 'cohort_not_started', startsAt: '2026-02-01T00:00:00.000Z' }]);
  const late = computeProgress(rules, [], START, '2026-01-20T00:00:00.000Z');
  assert.equal(late.modules[0]!.overdue, true, 'module 1 was due after 2 weeks');
  assert.equal(late.modules[1]!.overdue, false);
});

test('the course completes when every module does, at the last completion; open unlock opens all', () => {
  const all: LearningEvent[] = [
    ...m1Done,
    lesson('m2', 'm2-l1', at(2)),
    quiz('m2', 70, at(2)),
    { kind: 'assignment_graded', at: at(3), module: 'm2', submissionId: 's', passed: true },
    lesson('m3', 'm3-l1', at(4)),
    quiz('m3', 99, at(5)),
  ];
  const p = computeProgress(rules, all, START, NOW);
  assert.equal(p.complete, true);
  assert.equal(p.completedAt, at(5));
  assert.equal(p.current, null);
  const open = computeProgress({ ...rules, unlock: 'open' }, [], START, NOW);
  assert.deepEqual(
    open.modules.map((m) => m.state),
    ['open', 'open', 'open'],
  );
  assert.equal(
    computeProgress(rules, [lesson('m1', 'not-a-lesson', at(1)), ...m1Done.slice(1)], START, NOW).modules[0]!.state,
    'open',
    'unknown lessons do not count',
  );
});
