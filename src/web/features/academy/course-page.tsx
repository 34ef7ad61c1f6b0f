/** A course as one learner sees it: modules in order with state, lock reasons, lessons, quiz and assignment. */
import '../../styles/academy.css';
import '../../styles/academy-day.css';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Dialog } from '../../components/dialog';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page';
import { ErrorAlert, Loading } from '../../components/states';
import { useI18n } from '../../i18n/i18n-provider';
import { useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { academyLinks, useEnrolment, useStartAttempt } from './api';
import {
  AcademyError,
  DayDate,
  LateNote,
  ModuleStateChip,
  ModuleSteps,
  ModulesProgress,
  useCountryName,
  usePercent,
  useRequirementText,
} from './bits';
import type { EnrolmentOutline, ModuleProgress, OutlineModule } from './types';

/** Whether an open attempt can still be resumed (its timer has not run out). */
function resumable(m: OutlineModule): boolean {
  return m.openAttempt !== null && new Date(m.openAttempt.deadlineAt).getTime() > Date.now();
}

function QuizBlock({
  outline,
  m,
  p,
  n,
  onStart,
}: {
  outline: EnrolmentOutline;
  m: OutlineModule;
  p: ModuleProgress;
  n: number;
  onStart: () => void;
}) {
  const t = useT();
  const percent = usePercent();
  const q = outline.course.quiz;
  const total = p.quiz.attempts + p.quiz.attemptsLeft;
  return (
    <div className="module-block">
      <h3>{t('academy.quiz.title')}</h3>
      <dl className="kv kv-compact">
        <dt>{t('academy.quiz.attempts')}</dt>
        <dd>{t('academy.quiz.attemptsUsed', { used: p.quiz.attempts, total })}</dd>
        <dt>{t('academy.quiz.grade')}</dt>
        <dd>
          {p.quiz.grade === null ? <span className="muted">{t('academy.quiz.noGrade')}</span> : percent(p.quiz.grade)}
        </dd>
        <dt>{t('academy.quiz.passMark')}</dt>
        <dd>{percent(q.passMark)}</dd>
      </dl>
      {p.quiz.passed ? (
        <p className="status-line status-ok">
          <Icon name="check" />
          {t('academy.quiz.passed')}
        </p>
      ) : null}
      {p.state === 'locked' ? null : resumable(m) ? (
        <Link className="btn btn-primary" to={`/learning/${outline.id}/quiz/${m.openAttempt!.id}`}>
          {t('academy.quiz.resume')}
          <span className="visually-hidden"> {t('academy.module.number', { n })}</span>
        </Link>
      ) : p.quiz.passed ? null : p.quiz.attemptsLeft <= 0 ? (
        <p className="status-line status-warn">
          <Icon name="alert" />
          {t('academy.quiz.noAttempts')}
        </p>
      ) : (
        <button type="button" className="btn btn-primary" onClick={onStart}>
          {t('academy.quiz.start')}
          <span className="visually-hidden"> {t('academy.module.number', { n })}</span>
        </button>
      )}
    </div>
  );
}

function AssignmentBlock({
  outline,
  m,
  p,
  n,
}: {
  outline: EnrolmentOutline;
  m: OutlineModule;
  p: ModuleProgress;
  n: number;
}) {
  const t = useT();
  const text = useLabel();
  if (!m.assignment) return null;
  const latest = m.latestSubmission;
  const status = p.assignment.passed
    ? 'passed'
    : latest?.status === 'submitted'
      ? 'waiting'
      : latest
        ? 'notPassed'
        : 'notSubmitted';
  return (
    <div className="module-block">
      <h3>{t('academy.assignment.title')}</h3>
      <p>{text(m.assignment.title)}</p>
      <p className={`status-line status-${status === 'passed' ? 'ok' : status === 'notPassed' ? 'warn' : 'neutral'}`}>
        <Icon
          name={
            status === 'passed'
              ? 'check'
              : status === 'waiting'
                ? 'pending'
                : status === 'notPassed'
                  ? 'alert'
                  : 'grade'
          }
        />
        {t(`academy.assignment.status.${status}`)}
      </p>
      {p.state === 'locked' ? null : (
        <Link className="btn" to={`/learning/${outline.id}/assignment/${m.id}`}>
          {t('academy.assignment.open')}
          <span className="visually-hidden"> {t('academy.module.number', { n })}</span>
        </Link>
      )}
    </div>
  );
}

/** Whether a module's details are shown: open modules by default, locked and completed ones on demand; remembered per module for the session. */
function useExpanded(enrolmentId: string, moduleId: string, byDefault: boolean): [boolean, () => void] {
  const key = `academy.expanded.${enrolmentId}.${moduleId}`;
  const [open, setOpen] = useState<boolean>(() => {
    try {
      const v = sessionStorage.getItem(key);
      return v === null ? byDefault : v === '1';
    } catch {
      return byDefault;
    }
  });
  const toggle = () =>
    setOpen((was) => {
      try {
        sessionStorage.setItem(key, was ? '0' : '1');
      } catch {
        // Private browsing without storage: the choice lasts as long as the page.
      }
      return !was;
    });
  return [open, toggle];
}

function ModuleCard({
  outline,
  m,
  n,
  onStart,
}: {
  outline: EnrolmentOutline;
  m: OutlineModule;
  n: number;
  onStart: (m: OutlineModule) => void;
}) {
  const t = useT();
  const text = useLabel();
  const { locale } = useI18n();
  const reasons = useRequirementText(outline.modules);
  const p = outline.progress.modules.find((x) => x.id === m.id);
  // The current module (and any other open one) is shown; locked and completed ones are folded.
  const [expanded, toggle] = useExpanded(outline.id, m.id, p?.state === 'open');
  if (!p) return null;
  const headId = `module-${m.id}`;
  const bodyId = `module-body-${m.id}`;
  const done = new Set(p.lessonsDone);
  const locked = p.state === 'locked';
  const remaining = p.state === 'open' ? reasons.remaining(p.requirements) : null;
  const current = outline.progress.current === m.id;
  const lockLines = locked ? reasons.lock(p.requirements) : [];
  return (
    <li>
      <section className={`card module module-${p.state}${current ? ' module-current' : ''}`} aria-labelledby={headId}>
        <div className="module-head">
          <h2 id={headId}>
            <button
              type="button"
              className="module-toggle"
              aria-expanded={expanded}
              aria-controls={bodyId}
              onClick={toggle}
            >
              <Icon name="chevron" />
              <span>
                <span className="module-num">
                  {t('academy.module.number', { n })}
                  {current ? <> · {t('academy.module.current')}</> : null}
                </span>{' '}
                {text(m.title)}
              </span>
            </button>
          </h2>
          <span className="module-chips">
            <ModuleStateChip state={p.state} />
            {p.late ? (
              <span className="chip chip-icon chip-overdue">
                <Icon name="alert" />
                {t('academy.overdue')}
              </span>
            ) : null}
          </span>
        </div>
        <ModuleSteps p={p} lessons={m.lessons.length} />
        {locked ? (
          <div className="lock-reason" role="note">
            <Icon name="lock" />
            <div>
              {/* What to finish first is always in view; where to act now, when elsewhere, with the details. */}
              {lockLines.slice(0, expanded ? undefined : 1).map((s, i) => (
                <p key={i}>{s}</p>
              ))}
            </div>
          </div>
        ) : p.late ? (
          <LateNote late={p.late} />
        ) : (
          <p className="small muted">
            {p.state === 'complete' && p.completedAt ? (
              <>
                {t('academy.module.completedOn')} <DayDate value={p.completedAt} />
              </>
            ) : (
              <>
                {t('academy.module.due')} <DayDate value={p.dueAt} />
              </>
            )}
          </p>
        )}
        <div id={bodyId} hidden={!expanded}>
          <p className="module-summary">{text(m.summary)}</p>
          {remaining ? <p className="todo">{remaining}</p> : null}
          <div className="module-body">
            <div className="module-block">
              <h3>{t('academy.lessons.title')}</h3>
              <ul className="lesson-list">
                {m.lessons.map((l) => {
                  const isDone = done.has(l.id);
                  return (
                    <li key={l.id} className={isDone ? 'lesson-done' : undefined}>
                      <span className="lesson-tick" aria-hidden="true">
                        {isDone ? <Icon name="check" /> : null}
                      </span>
                      <span>
                        {locked ? (
                          <span>{text(l.title)}</span>
                        ) : (
                          <a href={academyLinks.lesson(outline.id, l.id)}>{text(l.title)}</a>
                        )}
                        <span className="visually-hidden">
                          {' '}
                          — {isDone ? t('academy.lesson.done') : t('academy.lesson.notDone')}
                        </span>
                        <br />
                        <span className="small muted">
                          {t('academy.lesson.minutes', { minutes: l.minutes })}
                          {l.locales.includes(locale) ? null : <> · {t('academy.lesson.inEnglish')}</>}
                          {outline.resumeLesson === l.id && !isDone ? <> · {t('academy.lesson.resume')}</> : null}
                        </span>
                      </span>
                    </li>
                  );
                })}
              </ul>
            </div>
            <QuizBlock outline={outline} m={m} p={p} n={n} onStart={() => onStart(m)} />
            <AssignmentBlock outline={outline} m={m} p={p} n={n} />
          </div>
        </div>
      </section>
    </li>
  );
}

/** The confirmation before a quiz timer starts; starts (or resumes) the attempt and opens it. */
function StartQuizDialog({
  outline,
  module,
  onClose,
}: {
  outline: EnrolmentOutline;
  module: OutlineModule | null;
  onClose: () => void;
}) {
  const t = useT();
  const navigate = useNavigate();
  const percent = usePercent();
  const start = useStartAttempt(outline.id, {
    onSuccess: (a) => void navigate(`/learning/${outline.id}/quiz/${a.id}`),
  });
  const p = module ? outline.progress.modules.find((x) => x.id === module.id) : undefined;
  const n = module ? outline.modules.indexOf(module) + 1 : 0;
  const q = outline.course.quiz;
  const close = () => {
    start.reset();
    onClose();
  };
  return (
    <Dialog open={module !== null} title={t('academy.quiz.startTitle', { n })} onClose={close}>
      <div className="stack">
        <p>{t('academy.quiz.startBody', { items: q.items, minutes: q.minutes, mark: percent(q.passMark) })}</p>
        <p>{t('academy.quiz.startTimer')}</p>
        {p ? <p className="strong">{t('academy.quiz.attemptsLeft', { count: p.quiz.attemptsLeft })}</p> : null}
        {start.isError ? <AcademyError error={start.error} /> : null}
        <div className="form-actions">
          <button
            type="button"
            className="btn btn-primary"
            disabled={start.isPending || !module}
            onClick={() => module && start.mutate(module.id)}
          >
            {start.isPending ? t('state.loading') : t('academy.quiz.startNow')}
          </button>
          <button type="button" className="btn btn-quiet" onClick={close}>
            {t('action.cancel')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}

/** The /learning/:enrolmentId page. */
export function CoursePage() {
  const t = useT();
  const text = useLabel();
  const country = useCountryName();
  const percent = usePercent();
  const { enrolmentId = '' } = useParams();
  const outline = useEnrolment(enrolmentId);
  const [starting, setStarting] = useState<OutlineModule | null>(null);
  if (outline.isPending) return <Loading />;
  if (outline.isError)
    return (
      <>
        <PageHeader title={t('academy.course.title')} />
        <ErrorAlert error={outline.error} onRetry={() => void outline.refetch()} />
      </>
    );
  const o = outline.data;
  const done = o.progress.modules.filter((m) => m.state === 'complete').length;
  const q = o.course.quiz;
  return (
    <>
      <p className="back-link">
        <Link to="/learning">{t('academy.back.learning')}</Link>
      </p>
      <PageHeader
        title={text(o.course.title)}
        lead={
          <>
            <bdi>{o.cohort.name}</bdi> · {country(o.cohort.memberState)} · <DayDate value={o.cohort.startsOn} /> –{' '}
            <DayDate value={o.cohort.endsOn} />
          </>
        }
      />
      <section className="card" aria-labelledby="course-progress">
        <h2 id="course-progress">{t('academy.course.progress')}</h2>
        <ModulesProgress done={done} total={o.modules.length} />
        {o.progress.complete ? (
          <div className="alert alert-success" role="status">
            <p className="alert-title">{t('academy.course.completeTitle')}</p>
            {o.certificate ? (
              <p>
                <Link to="/learning/certificates">{t('academy.course.certificateLink')}</Link>{' '}
                <bdi className="code">{o.certificate.code}</bdi>
              </p>
            ) : null}
          </div>
        ) : null}
        <p className="muted">{text(o.course.summary)}</p>
        <p className="transcript-link">
          <a className="btn" href={academyLinks.transcriptPdf(o.id)} download>
            <Icon name="download" />
            {t('academy.transcript.download')}
          </a>{' '}
          <span className="small muted">{t('academy.transcript.hint')}</span>
        </p>
        <p className="small muted">
          {t('academy.course.rules', {
            items: q.items,
            minutes: q.minutes,
            mark: percent(q.passMark),
            attempts: q.attempts,
          })}{' '}
          {q.grading === 'highest' ? t('academy.course.gradingHighest') : t('academy.course.gradingLast')}
        </p>
      </section>
      <ol className="module-list">
        {o.modules.map((m, i) => (
          <ModuleCard key={m.id} outline={o} m={m} n={i + 1} onStart={setStarting} />
        ))}
      </ol>
      <StartQuizDialog outline={o} module={starting} onClose={() => setStarting(null)} />
    </>
  );
}
