/** Grading (facilitators and coordinators): the queue of assignment answers, and grading one with the rubric. */
import '../../styles/academy.css';
import { useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ConflictNotice } from '../../components/conflict-notice';
import { DateTime } from '../../components/date-time';
import { describedBy, FieldShell, TextAreaField } from '../../components/field';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page';
import { EmptyState, ErrorAlert, Loading, ReadState, useFieldMessage } from '../../components/states';
import { useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { RubricList, SubmissionStatus } from './assignment-page';
import { AcademyError, AssignmentBrief, GraderFeedback, usePercent } from './bits';
import { SortHeader, useSorted } from '../../components/sort';
import { useGradeSubmission, useGradingQueue, useSubmission } from './staff-api';
import type { GradeResult, GradingItem, SubmissionForGrading } from './types';

const COLUMNS = {
  learner: (r: GradingItem) => r.learner,
  cohort: (r: GradingItem) => r.cohort.name,
  module: (r: GradingItem) => r.moduleId,
  submittedAt: (r: GradingItem) => r.submittedAt,
};

/** The /cohorts/grading page. */
export function GradingPage() {
  const t = useT();
  const queue = useGradingQueue();
  const { sorted, sort, toggle } = useSorted(queue.data?.items ?? [], COLUMNS, { key: 'submittedAt', dir: 'asc' });
  return (
    <>
      <p className="back-link">
        <Link to="/cohorts">{t('academy.back.cohorts')}</Link>
      </p>
      <PageHeader title={t('nav.grading')} lead={t('academy.grading.lead')} />
      <ReadState
        read={queue}
        empty={(data) =>
          data.items.length === 0 && (
            <EmptyState title={t('academy.grading.empty')}>
              <p>{t('academy.grading.emptyBody')}</p>
            </EmptyState>
          )
        }
      >
        {(data) => (
          <>
            <div className="table-wrap" role="region" tabIndex={0} aria-label={t('nav.grading')}>
              <table className="table">
                <caption className="visually-hidden">{t('nav.grading')}</caption>
                <thead>
                  <tr>
                    <SortHeader id="learner" label={t('academy.grading.learner')} sort={sort} onSort={toggle} />
                    <SortHeader id="cohort" label={t('academy.grading.cohort')} sort={sort} onSort={toggle} />
                    <SortHeader id="module" label={t('academy.grading.module')} sort={sort} onSort={toggle} />
                    <SortHeader id="submittedAt" label={t('academy.grading.submitted')} sort={sort} onSort={toggle} />
                    <th scope="col">
                      <span className="visually-hidden">{t('academy.grading.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {sorted.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">
                        <bdi>{r.learner}</bdi>
                      </th>
                      <td>
                        <Link to={`/cohorts/${r.cohort.id}`}>
                          <bdi>{r.cohort.name}</bdi>
                        </Link>
                      </td>
                      <td>
                        <bdi className="code">{r.moduleId}</bdi>
                      </td>
                      <td>
                        <DateTime value={r.submittedAt} />
                      </td>
                      <td className="row-actions">
                        <Link className="btn btn-small btn-primary" to={`/cohorts/grading/${r.id}`}>
                          {t('academy.grading.open')}
                          <span className="visually-hidden">
                            {' '}
                            <bdi>{r.learner}</bdi>
                          </span>
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="muted small">{t('academy.grading.count', { count: data.items.length })}</p>
          </>
        )}
      </ReadState>
    </>
  );
}

/** The grading form: one number per rubric criterion, feedback, and a live pass/fail preview. */
function GradeForm({
  s,
  onReload,
  reloading,
  onGraded,
}: {
  s: SubmissionForGrading;
  onReload: () => void;
  reloading: boolean;
  onGraded: (r: GradeResult) => void;
}) {
  const t = useT();
  const text = useLabel();
  const code = useFieldMessage('academy');
  const percent = usePercent();
  const formId = useId();
  const [points, setPoints] = useState<Record<string, string>>(() =>
    Object.fromEntries(s.assignment.rubric.map((r) => [r.id, ''])),
  );
  const [feedback, setFeedback] = useState('');
  const [missing, setMissing] = useState<string[]>([]);
  const grade = useGradeSubmission(s, { onSuccess: onGraded });
  const errs = grade.fieldErrors;
  const max = s.assignment.rubric.reduce((sum, r) => sum + r.maxPoints, 0);
  const filled = s.assignment.rubric.every((r) => points[r.id] !== '');
  const total = s.assignment.rubric.reduce((sum, r) => sum + (Number(points[r.id]) || 0), 0);
  const needed = Math.ceil(max * s.passRatio - 1e-9);
  const wouldPass = total >= needed;
  const conflict = grade.conflict;

  return (
    <form
      className="card stack"
      aria-labelledby={`${formId}-h`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const empty = s.assignment.rubric
          .filter(
            (r) =>
              points[r.id] === '' ||
              Number(points[r.id]) < 0 ||
              Number(points[r.id]) > r.maxPoints ||
              !Number.isInteger(Number(points[r.id])),
          )
          .map((r) => r.id);
        if (!feedback.trim()) empty.push('feedback');
        setMissing(empty);
        if (empty.length) {
          document.getElementById(`${formId}-${empty[0]}`)?.focus();
          return;
        }
        grade.mutate({
          rubric: Object.fromEntries(s.assignment.rubric.map((r) => [r.id, Number(points[r.id])])),
          feedback: feedback.trim(),
        });
      }}
    >
      <h2 id={`${formId}-h`}>{t('academy.grade.form')}</h2>
      {conflict ? (
        <ConflictNotice
          onReload={() => {
            grade.reset();
            onReload();
          }}
          reloading={reloading}
        />
      ) : grade.isError ? (
        <AcademyError error={grade.error} fields={['rubric', 'feedback']} />
      ) : null}
      <fieldset className="rubric-inputs">
        <legend className="visually-hidden">{t('academy.assignment.rubric')}</legend>
        {s.assignment.rubric.map((r) => {
          const fid = `${formId}-${r.id}`;
          const serverErr = code(errs[`rubric.${r.id}`]);
          const err = missing.includes(r.id) ? t('academy.grade.pointsRange', { max: r.maxPoints }) : serverErr;
          return (
            <FieldShell key={r.id} id={fid} label={text(r.criterion)} error={err} className="rubric-input">
              <div className="points-entry">
                <input
                  id={fid}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={r.maxPoints}
                  step={1}
                  required
                  value={points[r.id] ?? ''}
                  aria-invalid={err ? true : undefined}
                  aria-describedby={describedBy(fid, null, err, `${fid}-max`)}
                  onChange={(e) => {
                    setPoints((p) => ({ ...p, [r.id]: e.target.value }));
                    setMissing((m) => m.filter((x) => x !== r.id));
                  }}
                />
                <span id={`${fid}-max`} className="muted">
                  {t('academy.rubric.max', { max: r.maxPoints })}
                </span>
              </div>
            </FieldShell>
          );
        })}
      </fieldset>
      <p
        className={`status-line ${filled ? (wouldPass ? 'status-ok' : 'status-warn') : 'status-neutral'}`}
        role="status"
        aria-live="polite"
      >
        <Icon name={filled ? (wouldPass ? 'check' : 'alert') : 'pending'} />
        {t('academy.grade.total', { points: total, max })}{' '}
        {filled
          ? wouldPass
            ? t('academy.grade.wouldPass')
            : t('academy.grade.wouldFail', { needed })
          : t('academy.grade.passNeeds', { needed, ratio: percent(Math.round(s.passRatio * 100)) })}
      </p>
      <TextAreaField
        id={`${formId}-feedback`}
        label={t('academy.grade.feedback')}
        hint={t('academy.grade.feedbackHint')}
        rows={6}
        maxLength={5000}
        value={feedback}
        error={missing.includes('feedback') ? t('field.required') : code(errs.feedback)}
        onChange={(e) => {
          setFeedback(e.target.value);
          setMissing((m) => m.filter((x) => x !== 'feedback'));
        }}
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={grade.isPending}>
          {grade.isPending ? t('state.loading') : t('academy.grade.submit')}
        </button>
      </div>
    </form>
  );
}

/** The /cohorts/grading/:submissionId page. */
export function GradePage() {
  const t = useT();
  const text = useLabel();
  const { submissionId = '' } = useParams();
  const sub = useSubmission(submissionId);
  const [graded, setGraded] = useState<GradeResult | null>(null);
  const back = (
    <p className="back-link">
      <Link to="/cohorts/grading">{t('academy.back.grading')}</Link>
    </p>
  );
  if (sub.isPending)
    return (
      <>
        {back}
        <Loading />
      </>
    );
  if (sub.isError)
    return (
      <>
        {back}
        <PageHeader title={t('academy.grade.title')} />
        <ErrorAlert error={sub.error} onRetry={() => void sub.refetch()} />
      </>
    );
  const s = sub.data;
  return (
    <>
      {back}
      <PageHeader
        title={text(s.assignment.title)}
        lead={
          <>
            <bdi>{s.learner}</bdi> · {t('academy.assignment.submittedOn')} <DateTime value={s.submittedAt} />
          </>
        }
        actions={<SubmissionStatus s={s} />}
      />
      <details className="card" open>
        <summary className="strong">{t('academy.grade.assignment')}</summary>
        <AssignmentBrief assignment={s.assignment} />
      </details>
      <section className="card" aria-labelledby="answer-head">
        <h2 id="answer-head">{t('academy.grade.answer')}</h2>
        <p className="prose answer-text" dir="auto">
          {s.body}
        </p>
      </section>
      {graded ? (
        <div className={`alert ${graded.passed ? 'alert-success' : 'alert-warning'}`} role="status">
          <p className="alert-title">
            {graded.passed
              ? t('academy.grade.donePassed', { points: graded.points, max: graded.max })
              : t('academy.grade.doneFailed', { points: graded.points, max: graded.max })}
          </p>
          {graded.certificateId ? <p>{t('academy.grade.certificateIssued')}</p> : null}
          <p>
            <Link className="btn" to="/cohorts/grading">
              {t('academy.grade.next')}
            </Link>
          </p>
        </div>
      ) : null}
      {s.status === 'graded' ? (
        <section className="card" aria-labelledby="graded-head">
          <h2 id="graded-head">{t('academy.grade.already')}</h2>
          <RubricList rubric={s.assignment.rubric} points={s.rubric} />
          <GraderFeedback feedback={s.feedback} />
        </section>
      ) : (
        <GradeForm
          key={s.id}
          s={s}
          onGraded={setGraded}
          reloading={sub.isFetching}
          onReload={() => {
            void sub.refetch();
          }}
        />
      )}
    </>
  );
}
