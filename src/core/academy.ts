/**
 * The academy's course as data (content/academy, see FORMAT.md): course settings, modules with
 * lessons and an assignment, and each module's question bank. Validated at start; a malformed
 * file stops the server. Pure: no I/O here (the loader is in server/content.ts).
 */
import { z } from 'zod';

export const LOCALES = ['en', 'ar', 'ur', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

const text = (max: number) =>
  z.strictObject({
    en: z.string().min(1).max(max),
    ar: z.string().min(1).max(max),
    ur: z.string().min(1).max(max),
    fr: z.string().min(1).max(max),
  });
export const ShortText = text(300);
export const LongText = text(4000);
export type LocalText = z.infer<typeof LongText>;
const Id = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/);

export const Lesson = z.strictObject({
  id: Id,
  title: ShortText,
  summary: LongText,
  minutes: z.number().int().min(1).max(120),
});

export const Assignment = z.strictObject({
  id: Id,
  title: ShortText,
  scenario: LongText,
  prompt: LongText,
  rubric: z
    .array(z.strictObject({ id: Id, criterion: LongText, maxPoints: z.number().int().min(1).max(10) }))
    .min(2)
    .max(6),
});

export const Module = z.strictObject({
  id: Id,
  topic: z.number().int().min(1).max(20),
  title: ShortText,
  summary: LongText,
  lessons: z.array(Lesson).min(1).max(10),
  assignment: Assignment.optional(),
});
export type Module = z.infer<typeof Module>;

const Option = z.strictObject({ id: z.string().regex(/^[a-f]$/), text: LongText, correct: z.boolean() });
const base = {
  id: Id,
  tags: z.array(Id).min(1).max(5),
  stem: LongText,
  feedback: z.strictObject({ correct: LongText, incorrect: LongText }),
};

export const BankItem = z
  .discriminatedUnion('kind', [
    z.strictObject({ ...base, kind: z.literal('single'), options: z.array(Option).min(3).max(5) }),
    z.strictObject({ ...base, kind: z.literal('multiple'), options: z.array(Option).min(4).max(6) }),
    z.strictObject({ ...base, kind: z.literal('truefalse'), answer: z.boolean() }),
    z.strictObject({
      ...base,
      kind: z.literal('matching'),
      pairs: z
        .array(z.strictObject({ id: Id, left: LongText, right: LongText }))
        .min(3)
        .max(5),
    }),
    z.strictObject({
      ...base,
      kind: z.literal('scenario'),
      scenario: LongText,
      options: z.array(Option).min(3).max(5),
    }),
  ])
  .superRefine((item, ctx) => {
    if (!('options' in item)) return;
    const right = item.options.filter((o) => o.correct).length;
    if ((item.kind === 'single' || item.kind === 'scenario') && right !== 1)
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'exactly one option must be correct' });
    if (item.kind === 'multiple' && (right < 2 || right === item.options.length))
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'at least two correct and one wrong option' });
    if (new Set(item.options.map((o) => o.id)).size !== item.options.length)
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'option ids must be unique' });
  });
export type BankItem = z.infer<typeof BankItem>;

export const Bank = z.strictObject({ module: Id, items: z.array(BankItem).min(15).max(200) });

export const CourseSettings = z.strictObject({
  id: Id,
  version: z.string().regex(/^\d+\.\d+$/),
  title: ShortText,
  summary: LongText,
  modules: z.array(Id).min(1).max(20),
  /** sequential: module N opens when module N−1 is complete; open: every module is open. */
  unlock: z.enum(['sequential', 'open']),
  /** Weeks allowed per module from the cohort's start; later than that a learner is overdue. */
  moduleWeeks: z.number().int().min(1).max(52),
  quiz: z.strictObject({
    items: z.number().int().min(1).max(50),
    minutes: z.number().int().min(1).max(240),
    attempts: z.number().int().min(1).max(10),
    passMark: z.number().int().min(1).max(100),
    grading: z.enum(['highest', 'last']),
  }),
  assignment: z.strictObject({ passRatio: z.number().min(0.1).max(1) }),
  certificate: z.strictObject({ validityMonths: z.number().int().min(1).max(120) }),
  /** Completing the course grants these instrument certifications (assessment licence gating). */
  accreditation: z
    .array(
      z.strictObject({
        certification: z.string().regex(/^[a-z][a-z0-9_.-]{0,59}$/),
        validityMonths: z.number().int().min(1).max(120),
      }),
    )
    .max(10),
});
export type CourseSettings = z.infer<typeof CourseSettings>;

/** The whole course: settings, modules in order with their banks, and which lessons have French text. */
export interface Course {
  settings: CourseSettings;
  modules: (Module & { bank: BankItem[] })[];
}

/** Cross-file rules: banks belong to their module, tags name the module's lessons, ids unique. */
export function checkCourse(course: Course): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const seen = (id: string, where: string) =>
    ids.has(id) ? problems.push(`${where}: duplicate id ${id}`) : ids.add(id);
  for (const m of course.modules) {
    seen(m.id, 'module');
    const lessons = new Set(m.lessons.map((l) => l.id));
    m.lessons.forEach((l) => seen(l.id, m.id));
    if (m.assignment) seen(m.assignment.id, m.id);
    for (const it of m.bank) {
      seen(it.id, `${m.id}/bank`);
      for (const t of it.tags)
        if (!lessons.has(t)) problems.push(`${m.id}/bank ${it.id}: tag ${t} is not a lesson of this module`);
    }
    if (m.bank.length < course.settings.quiz.items) problems.push(`${m.id}/bank: fewer items than a quiz draws`);
  }
  return problems;
}
