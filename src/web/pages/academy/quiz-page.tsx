/**
 * A quiz attempt: a countdown from the server's secondsLeft (the server is the source of truth; the
 * attempt is re-read on focus), one card per question, every answer saved as it is given, submit
 * with If-Match, then the review with per-question credit and feedback.
 */
import '../../styles/academy.css';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useIntl } from 'react-intl';
import { Link, useParams } from 'react-router';
import {
  academyKeys,
  academyPaths,
  useAttempt,
  useEnrolment,
  type Answer,
  type Attempt,
  type EnrolmentOutline,
  type QuizItem,
  type ReviewItem,
  type SubmitResult,
} from '../../api/academy';
import { api, ApiError } from '../../api/client';
import { Dialog } from '../../components/dialog';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page';
import { ErrorAlert, Loading } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { AcademyError, usePercent, useText } from './bits';

type SaveState = { state: 'saving' | 'saved' } | { state: 'error'; error: unknown };
const CLOSED_CODES = ['attempt_closed', 'attempt_expired'];
/** The server accepts answers for a few seconds after the deadline, then closes the attempt on the next read. */
const SERVER_GRACE_MS = 6_000;

function closedCode(e: unknown): string | null {
  if (!(e instanceof ApiError) || e.code !== 'VALIDATION_FAILED') return null;
  return e.details.find((d) => CLOSED_CODES.includes(d.code))?.code ?? null;
}

/** Whether an answer is complete enough to count as "answered". */
function isAnswered(item: QuizItem, a: Answer | undefined): boolean {
  if (!a) return false;
  if ('choice' in a) return Boolean(a.choice);
  if ('choices' in a) return a.choices.length > 0;
  if ('value' in a) return typeof a.value === 'boolean';
  return (item.lefts ?? []).every((l) => Boolean(a.pairs[l.id]));
}

/** mm:ss (or h:mm:ss), digits in the user's locale. */
function useClock(): (seconds: number) => string {
  const intl = useIntl();
  return useCallback(
    (seconds: number) => {
      const s = Math.max(0, Math.floor(seconds));
      const two = (n: number) => intl.formatNumber(n, { minimumIntegerDigits: 2, useGrouping: false });
      const h = Math.floor(s / 3600);
      const m = Math.floor((s % 3600) / 60);
      return h > 0 ? `${intl.formatNumber(h)}:${two(m)}:${two(s % 60)}` : `${two(m)}:${two(s % 60)}`;
    },
    [intl],
  );
}

/** One question: radio buttons, check boxes or one <select> per matching row. */
function QuestionCard({
  item,
  index,
  total,
  answer,
  save,
  disabled,
  onChange,
}: {
  item: QuizItem;
  index: number;
  total: number;
  answer: Answer | undefined;
  save: SaveState | undefined;
  disabled: boolean;
  onChange: (a: Answer) => void;
}) {
  const t = useT();
  const text = useText();
  const hintId = useId();
  const name = `q-${item.id}`;
  const headId = `${name}-head`;
  const choice = answer && 'choice' in answer ? answer.choice : undefined;
  const choices = answer && 'choices' in answer ? answer.choices : [];
  const value = answer && 'value' in answer ? answer.value : undefined;
  const pairs = answer && 'pairs' in answer ? answer.pairs : {};
  const answered = isAnswered(item, answer);
  return (
    <li>
      <section className={`card quiz-item${answered ? ' quiz-answered' : ''}`} aria-labelledby={headId}>
        <div className="quiz-item-head">
          <h2 id={headId} className="quiz-item-num">
            {t('academy.quiz.question', { n: index + 1, total })}
          </h2>
          <span className="save-state" role="status" aria-live="polite">
            {save?.state === 'saving' ? (
              t('academy.quiz.saving')
            ) : save?.state === 'saved' ? (
              <>
                <Icon name="check" />
                {t('academy.quiz.saved')}
              </>
            ) : save?.state === 'error' ? (
              <span className="field-error">{t('academy.quiz.notSaved')}</span>
            ) : null}
          </span>
        </div>
        {item.scenario ? (
          <div className="quiz-scenario">
            <p className="small strong">{t('academy.quiz.scenario')}</p>
            <p>{text(item.scenario)}</p>
          </div>
        ) : null}
        <fieldset
          className="quiz-fieldset"
          disabled={disabled}
          aria-describedby={item.kind === 'multiple' || item.kind === 'matching' ? hintId : undefined}
        >
          <legend className="quiz-stem">{text(item.stem)}</legend>
          {item.kind === 'multiple' ? (
            <p className="hint" id={hintId}>
              {t('academy.quiz.chooseAll')}
            </p>
          ) : item.kind === 'matching' ? (
            <p className="hint" id={hintId}>
              {t('academy.quiz.matchHint')}
            </p>
          ) : null}
          {item.kind === 'single' || item.kind === 'scenario' ? (
            <div className="quiz-options">
              {(item.options ?? []).map((o) => (
                <label key={o.id} className="quiz-option">
                  <input
                    type="radio"
                    name={name}
                    value={o.id}
                    checked={choice === o.id}
                    onChange={() => onChange({ choice: o.id })}
                  />
                  <span>{text(o.text)}</span>
                </label>
              ))}
            </div>
          ) : item.kind === 'multiple' ? (
            <div className="quiz-options">
              {(item.options ?? []).map((o) => (
                <label key={o.id} className="quiz-option">
                  <input
                    type="checkbox"
                    name={name}
                    value={o.id}
                    checked={choices.includes(o.id)}
                    onChange={(e) =>
                      onChange({ choices: e.target.checked ? [...choices, o.id] : choices.filter((c) => c !== o.id) })
                    }
                  />
                  <span>{text(o.text)}</span>
                </label>
              ))}
            </div>
          ) : item.kind === 'truefalse' ? (
            <div className="quiz-options quiz-options-inline">
              {[true, false].map((v) => (
                <label key={String(v)} className="quiz-option">
                  <input
                    type="radio"
                    name={name}
                    value={String(v)}
                    checked={value === v}
                    onChange={() => onChange({ value: v })}
                  />
                  <span>{v ? t('academy.quiz.true') : t('academy.quiz.false')}</span>
                </label>
              ))}
            </div>
          ) : (
            <div className="match-rows">
              {(item.lefts ?? []).map((l) => {
                const sid = `${name}-${l.id}`;
                return (
                  <div key={l.id} className="match-row">
                    <label htmlFor={sid}>{text(l.text)}</label>
                    <select
                      id={sid}
                      value={pairs[l.id] ?? ''}
                      onChange={(e) => {
                        const next = { ...pairs };
                        if (e.target.value) next[l.id] = e.target.value;
                        else delete next[l.id];
                        onChange({ pairs: next });
                      }}
                    >
                      <option value="">{t('academy.quiz.choose')}</option>
                      {(item.rights ?? []).map((r) => (
                        <option key={r.id} value={r.id}>
                          {text(r.text)}
                        </option>
                      ))}
                    </select>
                  </div>
                );
              })}
            </div>
          )}
        </fieldset>
        {save?.state === 'error' ? <AcademyError error={save.error} /> : null}
      </section>
    </li>
  );
}

/** The running attempt. */
function QuizRunner({
  attempt,
  syncedAt,
  enrolmentId,
  outline,
  onClosed,
  onSubmitted,
}: {
  attempt: Attempt;
  syncedAt: number;
  enrolmentId: string;
  outline: EnrolmentOutline | undefined;
  onClosed: () => void;
  onSubmitted: (r: SubmitResult) => void;
}) {
  const t = useT();
  const clock = useClock();
  const [answers, setAnswers] = useState<Record<string, Answer>>(() => ({ ...attempt.answers }));
  const [saves, setSaves] = useState<Record<string, SaveState>>({});
  const [confirming, setConfirming] = useState(false);
  const deadline = useRef(syncedAt + attempt.secondsLeft * 1000);
  const [now, setNow] = useState(() => Date.now());
  const inflight = useRef(new Map<string, Promise<void>>());
  const latest = useRef(new Map<string, Answer>());

  // The server's secondsLeft wins every time the attempt is read again (focus, reload).
  useEffect(() => {
    deadline.current = syncedAt + attempt.secondsLeft * 1000;
  }, [syncedAt, attempt.secondsLeft]);

  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, []);

  const left = Math.max(0, Math.round((deadline.current - now) / 1000));
  const timeUp = left <= 0;

  // When the time is up, read the attempt again once the server has closed it (again after each read that still finds it open).
  const closedRef = useRef(onClosed);
  closedRef.current = onClosed;
  useEffect(() => {
    if (!timeUp) return;
    const id = window.setTimeout(() => closedRef.current(), SERVER_GRACE_MS);
    return () => window.clearTimeout(id);
  }, [timeUp, syncedAt]);

  const save = (itemId: string, a: Answer) => {
    setAnswers((prev) => ({ ...prev, [itemId]: a }));
    latest.current.set(itemId, a);
    if (inflight.current.has(itemId)) return; // the running save picks up the latest answer
    const run = async () => {
      try {
        for (;;) {
          const sent = latest.current.get(itemId)!;
          setSaves((s) => ({ ...s, [itemId]: { state: 'saving' } }));
          const r = await api<{ saved: boolean; secondsLeft: number }>('PUT', academyPaths.answer(attempt.id, itemId), {
            body: sent,
          });
          deadline.current = Date.now() + r.secondsLeft * 1000;
          if (latest.current.get(itemId) === sent) break;
        }
        setSaves((s) => ({ ...s, [itemId]: { state: 'saved' } }));
      } catch (error) {
        setSaves((s) => ({ ...s, [itemId]: { state: 'error', error } }));
        if (closedCode(error)) onClosed();
      } finally {
        inflight.current.delete(itemId);
      }
    };
    inflight.current.set(itemId, run());
  };

  const submit = useMutation({
    mutationFn: async () => {
      await Promise.all([...inflight.current.values()]);
      return api<SubmitResult>('POST', academyPaths.submit(attempt.id), { version: attempt.version });
    },
    onSuccess: onSubmitted,
    onError: (e) => {
      if (closedCode(e) || (e instanceof ApiError && e.code === 'VERSION_CONFLICT')) onClosed();
    },
  });

  const unanswered = attempt.items.filter((i) => !isAnswered(i, answers[i.id])).length;
  const failed = Object.values(saves).filter((s) => s.state === 'error').length;
  const n = outline ? outline.modules.findIndex((m) => m.id === attempt.moduleId) + 1 : 0;
  const warn = left > 0 && left <= 60 ? 'one' : left > 0 && left <= 300 ? 'five' : null;

  return (
    <>
      <div className="quiz-bar" role="region" aria-label={t('academy.quiz.status')}>
        <p className={`quiz-timer${warn ? ' quiz-timer-low' : ''}`} role="timer">
          <Icon name="pending" />
          <span className="visually-hidden">{t('academy.quiz.timeLeft')} </span>
          <bdi dir="ltr">{clock(left)}</bdi>
        </p>
        <p className="quiz-count">
          {t('academy.quiz.answered', { done: attempt.items.length - unanswered, total: attempt.items.length })}
        </p>
        <button
          type="button"
          className="btn btn-primary"
          disabled={timeUp || submit.isPending}
          onClick={() => setConfirming(true)}
        >
          {t('academy.quiz.submit')}
        </button>
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {warn === 'one' ? t('academy.quiz.oneMinute') : warn === 'five' ? t('academy.quiz.fiveMinutes') : ''}
      </p>
      {timeUp ? (
        <div className="alert alert-warning" role="alert">
          <p className="alert-title">{t('academy.quiz.timeUp')}</p>
          <p>{t('academy.quiz.timeUpBody')}</p>
        </div>
      ) : null}
      {submit.isError && !closedCode(submit.error) ? <AcademyError error={submit.error} /> : null}
      <p className="muted">{t('academy.quiz.autosave', { attempt: attempt.attemptNo })}</p>
      <ol className="quiz-list">
        {attempt.items.map((item, i) => (
          <QuestionCard
            key={item.id}
            item={item}
            index={i}
            total={attempt.items.length}
            answer={answers[item.id]}
            save={saves[item.id]}
            disabled={timeUp || submit.isPending}
            onChange={(a) => save(item.id, a)}
          />
        ))}
      </ol>
      <div className="form-actions quiz-end">
        <button
          type="button"
          className="btn btn-primary"
          disabled={timeUp || submit.isPending}
          onClick={() => setConfirming(true)}
        >
          {t('academy.quiz.submit')}
        </button>
        <Link to={`/learning/${enrolmentId}`}>{t('academy.quiz.later')}</Link>
      </div>
      <Dialog open={confirming} title={t('academy.quiz.confirmTitle', { n })} onClose={() => setConfirming(false)}>
        <div className="stack">
          {unanswered > 0 ? <p className="strong">{t('academy.quiz.unanswered', { count: unanswered })}</p> : null}
          {failed > 0 ? <p className="field-error">{t('academy.quiz.unsaved', { count: failed })}</p> : null}
          <p>{t('academy.quiz.confirmBody')}</p>
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={submit.isPending || timeUp}
              onClick={() => {
                setConfirming(false);
                submit.mutate();
              }}
            >
              {submit.isPending ? t('state.loading') : t('academy.quiz.submitNow')}
            </button>
            <button type="button" className="btn btn-quiet" onClick={() => setConfirming(false)}>
              {t('academy.quiz.keepWorking')}
            </button>
          </div>
        </div>
      </Dialog>
    </>
  );
}

/** Several chosen options, one per line (option texts are full sentences). */
function OptionList({ texts }: { texts: string[] }) {
  if (texts.length === 1) return <>{texts[0]}</>;
  return (
    <ul className="answer-list">
      {texts.map((x, i) => (
        <li key={i}>{x}</li>
      ))}
    </ul>
  );
}

/** What the learner answered, in words. */
function useAnswerText() {
  const t = useT();
  const text = useText();
  return (item: QuizItem, a: Answer | undefined): ReactNode => {
    if (!a || !isAnswered(item, a)) return t('academy.review.noAnswer');
    const opt = (id: string) => text(item.options?.find((o) => o.id === id)?.text, id);
    if ('choice' in a) return opt(a.choice);
    if ('choices' in a) return <OptionList texts={a.choices.map(opt)} />;
    if ('value' in a) return a.value ? t('academy.quiz.true') : t('academy.quiz.false');
    return '';
  };
}

/** One reviewed question: the answer given, the credit, the correct answer and the feedback. */
function ReviewCard({
  item,
  index,
  total,
  answer,
  review,
}: {
  item: QuizItem;
  index: number;
  total: number;
  answer: Answer | undefined;
  review: ReviewItem | undefined;
}) {
  const t = useT();
  const text = useText();
  const percent = usePercent();
  const answerText = useAnswerText();
  const credit = review?.credit ?? 0;
  const verdict = credit >= 1 ? 'correct' : credit > 0 ? 'partial' : 'incorrect';
  const right = (id: string) => text(item.rights?.find((r) => r.id === id)?.text, '—');
  const correct = review?.correct;
  const headId = `review-${item.id}`;
  return (
    <li>
      <section className={`card review-item review-${verdict}`} aria-labelledby={headId}>
        <div className="quiz-item-head">
          <h3 id={headId} className="quiz-item-num">
            {t('academy.quiz.question', { n: index + 1, total })}
          </h3>
          <span className={`chip chip-icon chip-verdict-${verdict}`}>
            <Icon name={verdict === 'correct' ? 'check' : verdict === 'partial' ? 'pending' : 'cross'} />
            {verdict === 'partial'
              ? t('academy.review.partial', { credit: percent(Math.round(credit * 100)) })
              : t(`academy.review.${verdict}`)}
          </span>
        </div>
        {item.scenario ? <p className="quiz-scenario">{text(item.scenario)}</p> : null}
        <p className="quiz-stem">{text(item.stem)}</p>
        {item.kind === 'matching' ? (
          <div className="table-wrap">
            <table className="table table-dense">
              <thead>
                <tr>
                  <th scope="col">{t('academy.review.item')}</th>
                  <th scope="col">{t('academy.review.yourMatch')}</th>
                  <th scope="col">{t('academy.review.correctMatch')}</th>
                </tr>
              </thead>
              <tbody>
                {(item.lefts ?? []).map((l) => {
                  const mine = answer && 'pairs' in answer ? answer.pairs[l.id] : undefined;
                  const key =
                    correct && typeof correct === 'object' && !Array.isArray(correct) ? correct[l.id] : undefined;
                  return (
                    <tr key={l.id}>
                      <th scope="row">{text(l.text)}</th>
                      <td>
                        {mine ? right(mine) : <span className="muted">{t('academy.review.noAnswer')}</span>}
                        {mine && key ? (
                          <span className="visually-hidden">
                            {' '}
                            — {mine === key ? t('academy.review.correct') : t('academy.review.incorrect')}
                          </span>
                        ) : null}
                      </td>
                      <td>{key ? right(key) : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : (
          <dl className="kv">
            <dt>{t('academy.review.yourAnswer')}</dt>
            <dd>{answerText(item, answer)}</dd>
            {correct !== undefined ? (
              <>
                <dt>{t('academy.review.correctAnswer')}</dt>
                <dd>
                  {typeof correct === 'boolean' ? (
                    correct ? (
                      t('academy.quiz.true')
                    ) : (
                      t('academy.quiz.false')
                    )
                  ) : (
                    <OptionList
                      texts={(correct as string[]).map((id) => text(item.options?.find((o) => o.id === id)?.text, id))}
                    />
                  )}
                </dd>
              </>
            ) : null}
          </dl>
        )}
        {review?.feedback ? <p className="review-feedback">{text(review.feedback)}</p> : null}
      </section>
    </li>
  );
}

/** The closed attempt: score, pass or not, certificate if one was issued, and each question reviewed. */
function QuizReview({
  attempt,
  outline,
  certificateId,
  enrolmentId,
}: {
  attempt: Attempt;
  outline: EnrolmentOutline | undefined;
  certificateId: string | null;
  enrolmentId: string;
}) {
  const t = useT();
  const percent = usePercent();
  const headRef = useRef<HTMLHeadingElement>(null);
  const passMark = outline?.course.quiz.passMark ?? null;
  const score = attempt.score ?? 0;
  const passed = passMark !== null && score >= passMark;
  const p = outline?.progress.modules.find((m) => m.id === attempt.moduleId);
  useEffect(() => {
    headRef.current?.focus();
  }, []);
  return (
    <>
      {attempt.revealed === false ? <p className="alert alert-info">{t('academy.review.keyLater')}</p> : null}
      {certificateId ? (
        <div className="alert alert-success celebrate" role="status">
          <p className="alert-title">
            <Icon name="award" /> {t('academy.review.certificateTitle')}
          </p>
          <p>{t('academy.review.certificateBody')}</p>
          <p>
            <Link className="btn btn-primary" to="/learning/certificates">
              {t('academy.review.certificateLink')}
            </Link>
          </p>
        </div>
      ) : null}
      <section className="card quiz-result" aria-labelledby="quiz-result">
        <h2 id="quiz-result" ref={headRef} tabIndex={-1}>
          {t('academy.review.title', { attempt: attempt.attemptNo })}
        </h2>
        {attempt.status === 'expired' ? <p className="alert alert-warning">{t('academy.review.expired')}</p> : null}
        <p className="quiz-score">
          <span className="quiz-score-value">{percent(score)}</span>
          {passMark !== null ? (
            <span className={`status-line ${passed ? 'status-ok' : 'status-warn'}`}>
              <Icon name={passed ? 'check' : 'alert'} />
              {passed
                ? t('academy.review.passed', { mark: percent(passMark) })
                : t('academy.review.failed', { mark: percent(passMark) })}
            </span>
          ) : null}
        </p>
        {p && !p.quiz.passed && p.quiz.attemptsLeft > 0 ? (
          <p>{t('academy.quiz.attemptsLeft', { count: p.quiz.attemptsLeft })}</p>
        ) : null}
        {p && !p.quiz.passed && p.quiz.attemptsLeft <= 0 ? <p>{t('academy.quiz.noAttempts')}</p> : null}
        <p>
          <Link className="btn" to={`/learning/${enrolmentId}`}>
            {t('academy.back.course')}
          </Link>
        </p>
      </section>
      <h2>{t('academy.review.questions')}</h2>
      {attempt.review ? (
        <ol className="quiz-list">
          {attempt.items.map((item, i) => (
            <ReviewCard
              key={item.id}
              item={item}
              index={i}
              total={attempt.items.length}
              answer={attempt.answers[item.id]}
              review={attempt.review!.find((r) => r.id === item.id)}
            />
          ))}
        </ol>
      ) : null}
    </>
  );
}

/** The /learning/:enrolmentId/quiz/:attemptId page. */
export function QuizPage() {
  const t = useT();
  const text = useText();
  const qc = useQueryClient();
  const { enrolmentId = '', attemptId = '' } = useParams();
  const attempt = useAttempt(attemptId);
  const outline = useEnrolment(enrolmentId);
  const [certificateId, setCertificateId] = useState<string | null>(null);
  const { refetch } = attempt;
  // Read the attempt first (reading it closes it once its time ran out), then the progress it changed.
  const refresh = useCallback(() => {
    void refetch().finally(() => {
      void qc.invalidateQueries({ queryKey: academyKeys.enrolment(enrolmentId) });
      void qc.invalidateQueries({ queryKey: academyKeys.me });
    });
  }, [refetch, qc, enrolmentId]);
  const submitted = useCallback(
    (r: SubmitResult) => {
      const cert = r.certificateId;
      setCertificateId(cert);
      qc.setQueryData<Attempt>(academyKeys.attempt(r.id), r);
      void qc.invalidateQueries({ queryKey: academyKeys.enrolment(enrolmentId) });
      void qc.invalidateQueries({ queryKey: academyKeys.me });
      if (cert) void qc.invalidateQueries({ queryKey: academyKeys.certificates });
    },
    [qc, enrolmentId],
  );
  const module = outline.data?.modules.find((m) => m.id === attempt.data?.moduleId);
  const n = outline.data && module ? outline.data.modules.indexOf(module) + 1 : 0;
  const title = module ? t('academy.quiz.pageTitle', { n, title: text(module.title) }) : t('academy.quiz.title');
  return (
    <>
      <p className="back-link">
        <Link to={`/learning/${enrolmentId}`}>{t('academy.back.course')}</Link>
      </p>
      <PageHeader title={title} />
      {attempt.isPending ? (
        <Loading />
      ) : attempt.isError ? (
        <ErrorAlert error={attempt.error} onRetry={() => void attempt.refetch()} />
      ) : attempt.data.status === 'open' ? (
        <QuizRunner
          key={attempt.data.id}
          attempt={attempt.data}
          syncedAt={attempt.dataUpdatedAt}
          enrolmentId={enrolmentId}
          outline={outline.data}
          onClosed={refresh}
          onSubmitted={submitted}
        />
      ) : (
        <QuizReview
          attempt={attempt.data}
          outline={outline.data}
          certificateId={certificateId}
          enrolmentId={enrolmentId}
        />
      )}
    </>
  );
}
