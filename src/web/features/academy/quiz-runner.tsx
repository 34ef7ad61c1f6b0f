/** The running quiz attempt: the server's countdown, answers saved as they are given, submit with If-Match. */
import '../../styles/academy-day.css';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { Dialog } from '../../components/dialog';
import { Icon } from '../../components/icons';
import { useT } from '../../i18n/use-t';
import { useSaveAnswer, useSubmitAttempt } from './api';
import { AcademyError } from './bits';
import { QuestionCard } from './question-card';
import { closedCode, isAnswered, SERVER_GRACE_MS, useClock, type SaveState } from './quiz-bits';
import type { Answer, Attempt, EnrolmentOutline, SubmitResult } from './types';

/** The running attempt. */
export function QuizRunner({
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

  const saveAnswer = useSaveAnswer(attempt.id);
  const save = (itemId: string, a: Answer) => {
    setAnswers((prev) => ({ ...prev, [itemId]: a }));
    latest.current.set(itemId, a);
    if (inflight.current.has(itemId)) return; // the running save picks up the latest answer
    const run = async () => {
      try {
        for (;;) {
          const sent = latest.current.get(itemId)!;
          setSaves((s) => ({ ...s, [itemId]: { state: 'saving' } }));
          const r = await saveAnswer.mutateAsync({ itemId, answer: sent });
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

  // Submitting waits for the answers still being saved.
  const submit = useSubmitAttempt(attempt, enrolmentId, {
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
        {/* The one submit button, after the last question: it asks first only when something is unanswered or unsaved. */}
        <button
          type="button"
          className="btn btn-primary"
          disabled={timeUp || submit.isPending}
          onClick={() =>
            unanswered > 0 || failed > 0
              ? setConfirming(true)
              : submit.mutate({ after: [...inflight.current.values()] })
          }
        >
          {submit.isPending ? t('state.loading') : t('academy.quiz.submit')}
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
                submit.mutate({ after: [...inflight.current.values()] });
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
