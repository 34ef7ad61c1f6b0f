import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BankItem } from './academy.ts';
import { checkAnswer, drawQuiz, gradeAttempt, learnerView } from './quiz.ts';

const t = (s: string) => ({ en: s, ar: s, ur: s, fr: s });
const fb = { correct: t('yes'), incorrect: t('no') };
const bank: BankItem[] = [
  {
    id: 'q-single',
    kind: 'single',
    tags: ['l1'],
    stem: t('s'),
    feedback: fb,
    options: [
      { id: 'a', text: t('A'), correct: true },
      { id: 'b', text: t('B'), correct: false },
      { id: 'c', text: t('C'), correct: false },
    ],
  },
  {
    id: 'q-multi',
    kind: 'multiple',
    tags: ['l2'],
    stem: t('m'),
    feedback: fb,
    options: [
      { id: 'a', text: t('A'), correct: true },
      { id: 'b', text: t('B'), correct: true },
      { id: 'c', text: t('C'), correct: false },
      { id: 'd', text: t('D'), correct: false },
    ],
  },
  { id: 'q-tf', kind: 'truefalse', tags: ['l3'], stem: t('tf'), feedback: fb, answer: false },
  {
    id: 'q-match',
    kind: 'matching',
    tags: ['l1'],
    stem: t('match'),
    feedback: fb,
    pairs: [
      { id: 'p1', left: t('1'), right: t('one') },
      { id: 'p2', left: t('2'), right: t('two') },
      { id: 'p3', left: t('3'), right: t('three') },
      { id: 'p4', left: t('4'), right: t('four') },
    ],
  },
  {
    id: 'q-scen',
    kind: 'scenario',
    tags: ['l2'],
    stem: t('sc'),
    scenario: t('story'),
    feedback: fb,
    options: [
      { id: 'a', text: t('A'), correct: false },
      { id: 'b', text: t('B'), correct: true },
      { id: 'c', text: t('C'), correct: false },
    ],
  },
];
function seeded(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31), s / 2 ** 31);
}

test('a draw takes N distinct items spread over the lessons, and the same seed gives the same draw', () => {
  const a = drawQuiz(bank, 3, seeded(1));
  assert.equal(a.length, 3);
  assert.equal(new Set(a.map((i) => i.id)).size, 3);
  const tags = new Set(a.map((i) => bank.find((b) => b.id === i.id)!.tags[0]));
  assert.equal(tags.size, 3, 'one from each lesson before any lesson twice');
  assert.deepEqual(drawQuiz(bank, 3, seeded(1)), a);
  assert.equal(drawQuiz(bank, 99, seeded(2)).length, bank.length);
});

test('options and matching sides are shuffled across draws', () => {
  const orders = new Set<string>();
  for (let s = 1; s < 40; s++)
    orders.add(
      drawQuiz(bank, 5, seeded(s))
        .find((i) => i.id === 'q-match')!
        .rights!.map((r) => r.id)
        .join(),
    );
  assert.ok(orders.size > 3);
});

test('the learner view carries no key and no feedback', () => {
  const view = JSON.stringify(learnerView(drawQuiz(bank, 5, seeded(3))));
  assert.doesNotMatch(view, /correct|answer|feedback/);
});

/** Answers an item through its snapshot (what the server knows), right or wrong. */
function answerFor(i: ReturnType<typeof drawQuiz>[number], right: boolean, shiftPairs = 0) {
  if (i.kind === 'truefalse') return { value: right ? i.answer! : !i.answer };
  if (i.kind === 'multiple') return { choices: i.options!.filter((o) => o.correct === right).map((o) => o.id) };
  if (i.kind === 'matching')
    return {
      pairs: Object.fromEntries(
        i.lefts!.map((l, k) => [
          l.id,
          i.rights!.find((r) => r.pair === i.lefts![(k + shiftPairs) % i.lefts!.length]!.pair)!.id,
        ]),
      ),
    };
  return { choice: i.options!.find((o) => o.correct === right)!.id };
}

test('grading: exact choices, all-or-nothing multiple, per-pair matching; bad shapes score nothing', () => {
  const items = drawQuiz(bank, 5, seeded(4));
  const right = gradeAttempt(items, Object.fromEntries(items.map((i) => [i.id, answerFor(i, true)])));
  assert.equal(right.score, 100);
  const wrong = gradeAttempt(items, Object.fromEntries(items.map((i) => [i.id, answerFor(i, false, 1)])));
  assert.equal(wrong.score, 0);
  const single = items.find((i) => i.id === 'q-single')!;
  assert.equal(checkAnswer(single, { choice: 'z' }), 'invalid_choice');
  assert.equal(
    checkAnswer(
      items.find((i) => i.id === 'q-multi')!,
      { choices: ['a', 'a'] },
    ),
    'invalid_choices',
  );
  assert.equal(gradeAttempt(items, { 'q-single': { value: true } }).score, 0);
});

test('what the learner sees gives nothing away: fresh ids per attempt, right sides never share a left id', () => {
  for (let seed = 1; seed < 30; seed++) {
    const items = drawQuiz(bank, 5, seeded(seed));
    const view = learnerView(items);
    for (const v of view) {
      if (v.options)
        assert.ok(
          v.options.every((o) => !/^[a-f]$/.test(o.id)),
          'bank option ids are not shown',
        );
      if (v.lefts) {
        const lefts = new Set(v.lefts.map((l) => l.id));
        assert.ok(v.rights!.every((r) => !lefts.has(r.id)));
        // The naive guess (pair each left with the right of the same id) scores nothing.
        const item = items.find((i) => i.id === v.id)!;
        assert.equal(
          gradeAttempt([item], { [v.id]: { pairs: Object.fromEntries(v.lefts.map((l) => [l.id, l.id])) } }).score,
          0,
        );
      }
    }
  }
});
