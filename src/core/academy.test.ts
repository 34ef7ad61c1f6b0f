import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bank, checkCourse, Module, type Course } from './academy.ts';

const t = (s: string) => ({ en: s, ar: s, ur: s, fr: s });
const item = (id: string, tags = ['m-l1']) => ({
  id,
  kind: 'truefalse' as const,
  tags,
  stem: t('s'),
  feedback: { correct: t('y'), incorrect: t('n') },
  answer: true,
});

test('every localised text must carry all four languages (the content check)', () => {
  const m = {
    id: 'm',
    topic: 1,
    title: t('T'),
    summary: t('S'),
    lessons: [{ id: 'm-l1', title: t('L'), summary: t('S'), minutes: 5 }],
  };
  assert.equal(Module.safeParse(m).success, true);
  const missing = Module.safeParse({ ...m, lessons: [{ ...m.lessons[0], title: { en: 'L', ar: 'L', fr: 'L' } }] });
  assert.equal(missing.success, false);
  assert.ok(!missing.success && missing.error.issues.some((i) => i.path.join('.') === 'lessons.0.title.ur'));
  const bank = Bank.safeParse({
    module: 'm',
    items: Array.from({ length: 15 }, (_, i) => ({
      ...item(`m-q${i}`),
      stem: i === 3 ? { en: 'x', ar: 'x', ur: 'x' } : t('s'),
    })),
  });
  assert.ok(!bank.success && bank.error.issues.some((i) => i.path.join('.') === 'items.3.stem.fr'));
});

test('question rules: one right option for single choice, two or more right and one wrong for multiple', () => {
  const opt = (id: string, correct: boolean) => ({ id, text: t(id), correct });
  const single = {
    id: 'q',
    kind: 'single',
    tags: ['m-l1'],
    stem: t('s'),
    feedback: { correct: t('y'), incorrect: t('n') },
    options: [opt('a', true), opt('b', true), opt('c', false)],
  };
  const multiple = {
    ...single,
    kind: 'multiple',
    options: [opt('a', true), opt('b', false), opt('c', false), opt('d', false)],
  };
  const items = [single, multiple, ...Array.from({ length: 13 }, (_, i) => item(`m-q${i}`))];
  const r = Bank.safeParse({ module: 'm', items });
  assert.equal(r.success, false);
  assert.deepEqual(!r.success && r.error.issues.map((i) => i.path.join('.')), ['items.0.options', 'items.1.options']);
});

test('cross-file rules: tags name the module’s lessons, ids are unique, banks are big enough to draw from', () => {
  const course = {
    settings: { quiz: { items: 2 } },
    modules: [
      { id: 'm', lessons: [{ id: 'm-l1' }], bank: [item('m-q1'), item('m-q1'), item('m-q2', ['other-l1'])] },
      { id: 'n', lessons: [{ id: 'n-l1' }], bank: [item('n-q1', ['n-l1'])] },
    ],
  } as unknown as Course;
  const problems = checkCourse(course);
  assert.ok(problems.some((p) => p.includes('duplicate id m-q1')));
  assert.ok(problems.some((p) => p.includes('tag other-l1 is not a lesson')));
  assert.ok(problems.some((p) => p.startsWith('n/bank: fewer items')));
});
