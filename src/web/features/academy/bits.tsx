/** Small pieces shared by the academy screens: localised course text, day dates, countries, module state, lock reasons, error codes. */
import { useCallback, useMemo } from 'react';
import { useIntl } from 'react-intl';
import type { AssignmentDef, Lateness, ModuleProgress, OutlineModule, Requirement } from './types';
import { ApiError } from '../../api/client';
import { Icon } from '../../components/icons';
import { ErrorAlert, useFieldMessage } from '../../components/states';
import { useI18n } from '../../i18n/i18n-provider';
import { useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';

/** A calendar day (YYYY-MM-DD or an ISO time) in the user's calendar, never shifted by time zone; the other calendar on hover. */
export function DayDate({ value }: { value: string | null | undefined }) {
  const intl = useIntl();
  const { locale, calendar } = useI18n();
  if (!value) return <span className="muted">—</span>;
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime())) return <bdi>{value}</bdi>;
  const zone = /^\d{4}-\d{2}-\d{2}$/.test(value) ? 'UTC' : undefined;
  const other = calendar === 'gregory' ? 'islamic-umalqura' : 'gregory';
  let title: string;
  try {
    title = new Intl.DateTimeFormat(`${locale}-u-ca-${other}`, { dateStyle: 'long', timeZone: zone }).format(d);
  } catch {
    title = value;
  }
  return (
    <time dateTime={value.slice(0, 10)} title={title}>
      {intl.formatDate(d, { dateStyle: 'medium', calendar, timeZone: zone })}
    </time>
  );
}

/** ISO 3166-1 alpha-2 codes (for the member-state picker; names come from Intl.DisplayNames). */
export const COUNTRY_CODES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ ' +
  'DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
  'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ ' +
  'OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ ' +
  'UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

/** The localised name of a two-letter country code (the code itself when the browser has no name). */
export function useCountryName(): (code: string) => string {
  const { locale } = useI18n();
  const names = useMemo(() => {
    try {
      return new Intl.DisplayNames([locale], { type: 'region' });
    } catch {
      return null;
    }
  }, [locale]);
  return useCallback(
    (code: string) => {
      try {
        return names?.of(code) ?? code;
      } catch {
        return code;
      }
    },
    [names],
  );
}

/** A whole percentage (0–100) in the user's locale. */
export function usePercent(): (n: number) => string {
  const intl = useIntl();
  return useCallback((n: number) => intl.formatNumber(n / 100, { style: 'percent', maximumFractionDigits: 0 }), [intl]);
}

/** A module's state as an icon and words (never colour alone). */
export function ModuleStateChip({ state }: { state: ModuleProgress['state'] }) {
  const t = useT();
  const icon = state === 'complete' ? 'check' : state === 'locked' ? 'lock' : 'pending';
  return (
    <span className={`chip chip-icon chip-module-${state}`}>
      <Icon name={icon} />
      {t(`academy.state.${state}`)}
    </span>
  );
}

/** "3 of 6 modules complete" with a progress bar. */
export function ModulesProgress({ done, total }: { done: number; total: number }) {
  const t = useT();
  const label = t('academy.progress.modules', { done, total });
  return (
    <div className="progress-row">
      <progress max={Math.max(total, 1)} value={done} aria-label={label} />
      <span className="small nowrap">{label}</span>
    </div>
  );
}

/** "3 of 6 steps done" for one module (lessons, the quiz, the assignment), with a bar. */
export function ModuleSteps({ p, lessons }: { p: ModuleProgress; lessons: number }) {
  const t = useT();
  const total = lessons + 1 + (p.assignment.required ? 1 : 0);
  const done = p.lessonsDone.length + (p.quiz.passed ? 1 : 0) + (p.assignment.required && p.assignment.passed ? 1 : 0);
  const label = t('academy.module.steps', { done, total });
  return (
    <div className="progress-row module-steps">
      <progress max={total} value={done} aria-label={label} />
      <span className="small nowrap">{label}</span>
    </div>
  );
}

/** What is late in a module and since when: "Overdue: the quiz (due 3 Nov 2026, 12 days late)". */
export function useLateText(): (late: Lateness) => string {
  const t = useT();
  const intl = useIntl();
  const { calendar } = useI18n();
  return useCallback(
    (late: Lateness) => {
      const parts: string[] = [];
      if (late.lessons > 0) parts.push(t('academy.late.lessons', { count: late.lessons }));
      if (late.quiz) parts.push(t('academy.late.quiz'));
      if (late.assignment) parts.push(t('academy.late.assignment'));
      return t('academy.late', {
        what: intl.formatList(parts, { type: 'conjunction' }),
        date: intl.formatDate(new Date(late.dueAt), { dateStyle: 'medium', calendar, timeZone: 'UTC' }),
        days: late.daysLate,
      });
    },
    [t, intl, calendar],
  );
}

/** The lateness of a module, said in words (never the chip alone). */
export function LateNote({ late, module }: { late: Lateness; module?: number }) {
  const t = useT();
  const text = useLateText();
  return (
    <p className="late-note">
      <Icon name="alert" />
      <span>
        {module ? <strong>{t('academy.module.number', { n: module })} — </strong> : null}
        {text(late)}
      </span>
    </p>
  );
}

const TASKS = new Set<Requirement['code']>(['lesson', 'quiz_pass', 'quiz_attempts_exhausted', 'assignment_pass']);

/**
 * Sentences that explain requirements: why a module is locked ("Opens when you finish module 1: read
 * “…”; pass the quiz (70%)"), or what is still to do in an open one.
 */
export function useRequirementText(modules: readonly OutlineModule[]) {
  const t = useT();
  const intl = useIntl();
  const text = useLabel();
  const percent = usePercent();
  const numberOf = useCallback((id: string) => modules.findIndex((m) => m.id === id) + 1, [modules]);
  const lessonTitle = useCallback(
    (id: string) => {
      for (const m of modules) for (const l of m.lessons) if (l.id === id) return text(l.title, id);
      return id;
    },
    [modules, text],
  );
  const task = useCallback(
    (r: Requirement): string => {
      switch (r.code) {
        case 'lesson':
          return t('academy.req.lesson', { title: lessonTitle(r.lesson) });
        case 'quiz_pass':
          return t('academy.req.quizPass', { mark: percent(r.passMark) });
        case 'quiz_attempts_exhausted':
          return t('academy.req.quizExhausted');
        case 'assignment_pass':
          return t('academy.req.assignment');
        default:
          return '';
      }
    },
    [t, lessonTitle, percent],
  );
  const list = useCallback(
    (rs: Requirement[]) => intl.formatList(rs.filter((r) => TASKS.has(r.code)).map(task), { type: 'conjunction' }),
    [intl, task],
  );

  /**
   * Why a locked module is locked: one sentence for the module it waits on and, when that one is
   * locked too, one for the module where the learner can act now (the root of the chain).
   */
  const lock = useCallback(
    (reqs: readonly Requirement[]): string[] => {
      const out: string[] = [];
      for (const r of reqs) {
        if (r.code === 'cohort_not_started') {
          out.push(
            t('academy.lock.cohortStart', {
              date: intl.formatDate(new Date(r.startsAt), { dateStyle: 'long', timeZone: 'UTC' }),
            }),
          );
        } else if (r.code === 'previous_module') {
          const n = numberOf(r.module);
          const tasks = r.missing.filter((x) => TASKS.has(x.code));
          if (tasks.length > 0) {
            out.push(t('academy.lock.after', { n, list: list(tasks) }));
            continue;
          }
          out.push(t('academy.lock.afterOnly', { n }));
          // Follow the chain down to the first module that is not waiting on another one.
          let cur: Requirement = r;
          while (cur.code === 'previous_module') {
            const next: Requirement | undefined = cur.missing.find(
              (x) => x.code === 'previous_module' || x.code === 'cohort_not_started',
            );
            if (!next || next.code !== 'previous_module') {
              const rootTasks = cur.missing.filter((x) => TASKS.has(x.code));
              if (next && next.code === 'cohort_not_started')
                out.push(
                  t('academy.lock.cohortStartOf', {
                    module: numberOf(cur.module),
                    date: intl.formatDate(new Date(next.startsAt), { dateStyle: 'long', timeZone: 'UTC' }),
                  }),
                );
              else if (rootTasks.length > 0 && numberOf(cur.module) !== n)
                out.push(t('academy.lock.root', { n: numberOf(cur.module), list: list(rootTasks) }));
              break;
            }
            cur = next;
          }
        }
      }
      return out;
    },
    [intl, t, numberOf, list],
  );

  /** What remains in an open module, or null when nothing does. */
  const remaining = useCallback(
    (reqs: readonly Requirement[]) => {
      const tasks = reqs.filter((r) => TASKS.has(r.code));
      return tasks.length ? t('academy.todo', { list: list(tasks) }) : null;
    },
    [t, list],
  );

  return { lock, remaining, numberOf };
}

/**
 * An API error, said as specifically as possible: a validation error about the request as a whole
 * (module locked, attempt closed, no attempts left …) shows the reason itself; anything else the
 * usual localised message. Field paths listed in `fields` are left to the form's inline errors.
 */
export function AcademyError({
  error,
  fields = [],
  onRetry,
}: {
  error: unknown;
  fields?: readonly string[];
  onRetry?: () => void;
}) {
  const code = useFieldMessage('academy');
  if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
    const general = error.details.filter((d) => {
      const path = String(d.path).replace(/^body\./, '');
      return !fields.some((f) => path === f || path.startsWith(`${f}.`));
    });
    if (general.length > 0 && general.length === error.details.length) {
      const messages = [...new Set(general.map((d) => code(d.code)!))];
      return <ErrorAlert error={error} message={messages.join(' ')} onRetry={onRetry} />;
    }
  }
  return <ErrorAlert error={error} onRetry={onRetry} />;
}

/** An assignment's scenario and task, as the learner and the grader read them. */
export function AssignmentBrief({
  assignment,
  headingId,
}: {
  assignment: Pick<AssignmentDef, 'scenario' | 'prompt'>;
  headingId?: string;
}) {
  const t = useT();
  const text = useLabel();
  return (
    <>
      <h2 id={headingId}>{t('academy.assignment.scenario')}</h2>
      <p className="prose">{text(assignment.scenario)}</p>
      <h2>{t('academy.assignment.task')}</h2>
      <p className="prose">{text(assignment.prompt)}</p>
    </>
  );
}

/** The grader's written feedback on a submission, when there is any. */
export function GraderFeedback({ feedback }: { feedback: string | null }) {
  const t = useT();
  if (!feedback) return null;
  return (
    <>
      <h3>{t('academy.assignment.feedback')}</h3>
      <p className="prose" dir="auto">
        {feedback}
      </p>
    </>
  );
}
