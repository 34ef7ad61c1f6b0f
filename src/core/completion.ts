/**
 * The academy's one completion function: from a learner's events (lessons completed, quizzes
 * graded, assignments graded, attempts granted) it computes, deterministically, which modules are
 * open, complete or locked — and why. Nothing is cached: progress is always recomputed from events,
 * so a met prerequisite can never keep blocking and a gate can never be skipped.
 *
 * Rules
 * - A module opens at the cohort's start (unlock "open"), or when the previous module is complete
 *   (unlock "sequential"). Events for a module before it opened do not count.
 * - A module is complete at the first moment all of these hold: every lesson completed; the quiz
 *   passed (grade ≥ pass mark, grade = highest or last attempt); the assignment, if any, graded as
 *   passed. Completion is kept once reached (a later, lower attempt does not undo it).
 * - A module is overdue when its due date (cohort start + module weeks × position) has passed and
 *   it is not complete.
 */

export type LearningEvent =
  | { kind: 'lesson_completed'; at: string; module: string; lesson: string }
  | { kind: 'quiz_graded'; at: string; module: string; attemptId: string; score: number }
  | { kind: 'assignment_graded'; at: string; module: string; submissionId: string; passed: boolean }
  | { kind: 'attempts_granted'; at: string; module: string; count: number };

export interface CompletionRules {
  unlock: 'sequential' | 'open';
  moduleWeeks: number;
  quiz: { attempts: number; passMark: number; grading: 'highest' | 'last' };
  modules: { id: string; lessons: string[]; assignment: boolean }[];
}

/** Something still to do, or the reason a module is locked. */
export type Requirement =
  | { code: 'lesson'; lesson: string }
  | { code: 'quiz_pass'; passMark: number }
  | { code: 'quiz_attempts_exhausted' }
  | { code: 'assignment_pass' }
  | { code: 'cohort_not_started'; startsAt: string }
  | { code: 'previous_module'; module: string; missing: Requirement[] };

export interface ModuleProgress {
  id: string;
  state: 'locked' | 'open' | 'complete';
  openedAt: string | null;
  completedAt: string | null;
  dueAt: string;
  overdue: boolean;
  lessonsDone: string[];
  quiz: { attempts: number; attemptsLeft: number; grade: number | null; passed: boolean };
  assignment: { required: boolean; graded: boolean; passed: boolean };
  /** Why it is locked (when locked) or what remains (when open). */
  requirements: Requirement[];
}

export interface CourseProgress {
  modules: ModuleProgress[];
  complete: boolean;
  completedAt: string | null;
  /** The module to continue with: the first open, incomplete one. */
  current: string | null;
}

const KIND_ORDER: Record<LearningEvent['kind'], number> = {
  attempts_granted: 0,
  lesson_completed: 1,
  quiz_graded: 2,
  assignment_graded: 3,
};
const WEEK = 7 * 86_400_000;

function eventKey(e: LearningEvent): string {
  return e.kind === 'lesson_completed'
    ? e.lesson
    : e.kind === 'quiz_graded'
      ? e.attemptId
      : e.kind === 'assignment_graded'
        ? e.submissionId
        : String(e.count);
}

/** Sorts events into one canonical order (time, then kind, then id) so the result never depends on input order. */
function canonical(events: readonly LearningEvent[]): LearningEvent[] {
  return [...events].sort(
    (a, b) =>
      a.at.localeCompare(b.at) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || eventKey(a).localeCompare(eventKey(b)),
  );
}

/** Computes a learner's progress through a course. Pure and deterministic. */
export function computeProgress(
  rules: CompletionRules,
  events: readonly LearningEvent[],
  cohortStart: string,
  now: string,
): CourseProgress {
  const sorted = canonical(events);
  const start = new Date(cohortStart).toISOString();
  const out: ModuleProgress[] = [];
  let previousDone: string | null = start;
  let previous: ModuleProgress | null = null;

  rules.modules.forEach((m, index) => {
    const dueAt = new Date(Date.parse(start) + (index + 1) * rules.moduleWeeks * WEEK).toISOString();
    const openedAt = rules.unlock === 'open' ? start : previousDone;
    const lessons = new Set<string>();
    const grades: number[] = [];
    let granted = 0;
    let assignmentGraded = false;
    let assignmentPassed = false;
    let completedAt: string | null = null;
    const grade = () =>
      grades.length === 0 ? null : rules.quiz.grading === 'highest' ? Math.max(...grades) : grades[grades.length - 1]!;
    const missing = (): Requirement[] => {
      const r: Requirement[] = m.lessons
        .filter((l) => !lessons.has(l))
        .map((lesson) => ({ code: 'lesson' as const, lesson }));
      const g = grade();
      if (g === null || g < rules.quiz.passMark)
        r.push(
          grades.length >= rules.quiz.attempts + granted
            ? { code: 'quiz_attempts_exhausted' }
            : { code: 'quiz_pass', passMark: rules.quiz.passMark },
        );
      if (m.assignment && !assignmentPassed) r.push({ code: 'assignment_pass' });
      return r;
    };
    if (openedAt !== null) {
      for (const e of sorted) {
        if (e.module !== m.id || e.at < openedAt) continue;
        if (e.kind === 'lesson_completed') {
          if (m.lessons.includes(e.lesson)) lessons.add(e.lesson);
        } else if (e.kind === 'quiz_graded') grades.push(e.score);
        else if (e.kind === 'assignment_graded') {
          assignmentGraded = true;
          assignmentPassed = e.passed;
        } else granted += e.count;
        if (completedAt === null && missing().length === 0) completedAt = e.at;
      }
    }
    const g = grade();
    const notStarted = openedAt !== null && now < openedAt;
    const locked = openedAt === null || notStarted;
    const state: ModuleProgress['state'] = completedAt ? 'complete' : locked ? 'locked' : 'open';
    const requirements: Requirement[] =
      state === 'complete'
        ? []
        : notStarted
          ? [{ code: 'cohort_not_started', startsAt: start }]
          : openedAt === null
            ? [{ code: 'previous_module', module: previous!.id, missing: previous!.requirements }]
            : missing();
    const p: ModuleProgress = {
      id: m.id,
      state,
      openedAt: locked ? null : openedAt,
      completedAt,
      dueAt,
      overdue: state !== 'complete' && now > dueAt,
      lessonsDone: m.lessons.filter((l) => lessons.has(l)),
      quiz: {
        attempts: grades.length,
        attemptsLeft: Math.max(0, rules.quiz.attempts + granted - grades.length),
        grade: g,
        passed: g !== null && g >= rules.quiz.passMark,
      },
      assignment: { required: m.assignment, graded: assignmentGraded, passed: assignmentPassed },
      requirements,
    };
    out.push(p);
    previous = p;
    previousDone = completedAt;
  });

  const complete = out.length > 0 && out.every((m) => m.state === 'complete');
  return {
    modules: out,
    complete,
    completedAt: complete
      ? out
          .map((m) => m.completedAt!)
          .sort()
          .at(-1)!
      : null,
    current: out.find((m) => m.state === 'open')?.id ?? null,
  };
}
