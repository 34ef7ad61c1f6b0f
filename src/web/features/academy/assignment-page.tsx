/** A module's case assignment for the learner: scenario, prompt, rubric, my answer, and my graded submissions. */
import '../../styles/academy.css';
import { useEffect, useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { DateTime } from '../../components/date-time';
import { describedBy, FieldShell } from '../../components/field';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page';
import { ErrorAlert, Loading, useFieldMessage } from '../../components/states';
import { useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { useAssignment, useEnrolment, useSubmitAssignment } from './api';
import { AcademyError, AssignmentBrief, GraderFeedback, usePercent, useRequirementText } from './bits';
import type { MySubmission, RubricCriterion } from './types';

const MIN_CHARS = 50;
const MAX_CHARS = 20_000;

/** A submission's status as icon and words. */
export function SubmissionStatus({ s }: { s: Pick<MySubmission, 'status' | 'passed'> }) {
  const t = useT();
  const key = s.status === 'submitted' ? 'waiting' : s.passed ? 'passed' : 'notPassed';
  return (
    <span className={`chip chip-icon chip-submission-${key}`}>
      <Icon name={key === 'waiting' ? 'pending' : key === 'passed' ? 'check' : 'alert'} />
      {t(`academy.submission.${key}`)}
    </span>
  );
}

/** The rubric: each criterion with its points (given, or the maximum only). */
export function RubricList({ rubric, points }: { rubric: RubricCriterion[]; points?: Record<string, number> | null }) {
  const t = useT();
  const text = useLabel();
  const total = rubric.reduce((s, r) => s + r.maxPoints, 0);
  const got = points ? rubric.reduce((s, r) => s + (points[r.id] ?? 0), 0) : null;
  return (
    <div className="table-wrap rubric-table">
      <table className="table table-dense">
        <thead>
          <tr>
            <th scope="col">{t('academy.rubric.criterion')}</th>
            <th scope="col">{t('academy.rubric.points')}</th>
          </tr>
        </thead>
        <tbody>
          {rubric.map((r) => (
            <tr key={r.id}>
              <td>{text(r.criterion)}</td>
              <td className="nowrap">
                {points
                  ? t('academy.rubric.pointsOf', { points: points[r.id] ?? 0, max: r.maxPoints })
                  : t('academy.rubric.max', { max: r.maxPoints })}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('academy.rubric.total')}</th>
            <td className="nowrap strong">
              {got !== null
                ? t('academy.rubric.pointsOf', { points: got, max: total })
                : t('academy.rubric.max', { max: total })}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function draftKey(enrolmentId: string, moduleId: string) {
  return `sanad.assignment.${enrolmentId}.${moduleId}`;
}

function AnswerForm({ enrolmentId, moduleId }: { enrolmentId: string; moduleId: string }) {
  const t = useT();
  const code = useFieldMessage('academy');
  const id = useId();
  const [body, setBody] = useState(() => {
    try {
      return sessionStorage.getItem(draftKey(enrolmentId, moduleId)) ?? '';
    } catch {
      return '';
    }
  });
  const [tooShort, setTooShort] = useState(false);
  useEffect(() => {
    try {
      if (body) sessionStorage.setItem(draftKey(enrolmentId, moduleId), body);
      else sessionStorage.removeItem(draftKey(enrolmentId, moduleId));
    } catch {
      /* storage may be unavailable */
    }
  }, [body, enrolmentId, moduleId]);
  const submit = useSubmitAssignment(enrolmentId, moduleId, { onSuccess: () => setBody('') });
  const count = body.trim().length;
  const fieldErr = tooShort ? t('academy.assignment.tooShort', { min: MIN_CHARS }) : code(submit.fieldErrors.body);
  return (
    <form
      className="card stack"
      aria-labelledby={`${id}-h`}
      onSubmit={(e) => {
        e.preventDefault();
        if (count < MIN_CHARS) {
          setTooShort(true);
          document.getElementById(id)?.focus();
          return;
        }
        setTooShort(false);
        submit.mutate(body);
      }}
    >
      <h2 id={`${id}-h`}>{t('academy.assignment.yourAnswer')}</h2>
      {submit.isError ? <AcademyError error={submit.error} fields={['body']} /> : null}
      {submit.isSuccess ? (
        <p className="alert alert-success" role="status">
          {t('academy.assignment.sent')}
        </p>
      ) : null}
      <FieldShell
        id={id}
        label={t('academy.assignment.answerLabel')}
        hint={t('academy.assignment.answerHint', { min: MIN_CHARS })}
        error={fieldErr}
      >
        <textarea
          id={id}
          dir="auto"
          rows={12}
          maxLength={MAX_CHARS}
          value={body}
          aria-invalid={fieldErr ? true : undefined}
          aria-describedby={describedBy(id, true, fieldErr, `${id}-count`)}
          onChange={(e) => {
            setBody(e.target.value);
            if (tooShort && e.target.value.trim().length >= MIN_CHARS) setTooShort(false);
          }}
        />
        <p className={`char-count${count < MIN_CHARS ? ' char-count-short' : ''}`} id={`${id}-count`}>
          {t('academy.assignment.count', { count, min: MIN_CHARS })}
        </p>
      </FieldShell>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={submit.isPending}>
          {submit.isPending ? t('state.loading') : t('academy.assignment.submit')}
        </button>
      </div>
    </form>
  );
}

/** The /learning/:enrolmentId/assignment/:moduleId page. */
export function AssignmentPage() {
  const t = useT();
  const text = useLabel();
  const percent = usePercent();
  const { enrolmentId = '', moduleId = '' } = useParams();
  const view = useAssignment(enrolmentId, moduleId);
  const outline = useEnrolment(enrolmentId);
  const reasons = useRequirementText(outline.data?.modules ?? []);
  const back = (
    <p className="back-link">
      <Link to={`/learning/${enrolmentId}`}>{t('academy.back.course')}</Link>
    </p>
  );
  if (view.isPending)
    return (
      <>
        {back}
        <Loading />
      </>
    );
  if (view.isError)
    return (
      <>
        {back}
        <PageHeader title={t('academy.assignment.title')} />
        <ErrorAlert error={view.error} onRetry={() => void view.refetch()} />
      </>
    );
  const { assignment, passRatio, submissions } = view.data;
  const n = outline.data ? outline.data.modules.findIndex((m) => m.id === moduleId) + 1 : 0;
  const p = outline.data?.progress.modules.find((m) => m.id === moduleId);
  const waiting = submissions.some((s) => s.status === 'submitted');
  const passed = p?.assignment.passed || submissions.some((s) => s.passed);
  return (
    <>
      {back}
      <PageHeader title={text(assignment.title)} lead={n > 0 ? t('academy.assignment.lead', { n }) : undefined} />
      <section className="card" aria-labelledby="as-scenario">
        <AssignmentBrief assignment={assignment} headingId="as-scenario" />
        <h2>{t('academy.assignment.rubric')}</h2>
        <p className="muted">{t('academy.assignment.passRule', { ratio: percent(Math.round(passRatio * 100)) })}</p>
        <RubricList rubric={assignment.rubric} />
      </section>

      {outline.isPending ? (
        <Loading />
      ) : p?.state === 'locked' ? (
        <div className="lock-reason" role="note">
          <Icon name="lock" />
          <div>
            {reasons.lock(p.requirements).map((s, i) => (
              <p key={i}>{s}</p>
            ))}
          </div>
        </div>
      ) : passed ? (
        <p className="alert alert-success" role="status">
          {t('academy.assignment.alreadyPassed')}
        </p>
      ) : waiting ? (
        <p className="alert alert-info" role="status">
          {t('academy.assignment.waiting')}
        </p>
      ) : (
        <AnswerForm enrolmentId={enrolmentId} moduleId={moduleId} />
      )}

      <section aria-labelledby="as-mine">
        <h2 id="as-mine">{t('academy.assignment.mine')}</h2>
        {submissions.length === 0 ? (
          <p className="muted">{t('academy.assignment.none')}</p>
        ) : (
          <ol className="plain-list">
            {submissions.map((s) => (
              <li key={s.id} className="card submission">
                <div className="module-head">
                  <p className="strong">
                    {t('academy.assignment.submittedOn')} <DateTime value={s.submittedAt} />
                  </p>
                  <SubmissionStatus s={s} />
                </div>
                {s.status === 'graded' ? (
                  <>
                    <RubricList rubric={assignment.rubric} points={s.rubric} />
                    <GraderFeedback feedback={s.feedback} />
                    {s.gradedAt ? (
                      <p className="small muted">
                        {t('academy.assignment.gradedOn')} <DateTime value={s.gradedAt} />
                      </p>
                    ) : null}
                  </>
                ) : null}
                <details>
                  <summary>{t('academy.assignment.showAnswer')}</summary>
                  <p className="prose" dir="auto">
                    {s.body}
                  </p>
                </details>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
