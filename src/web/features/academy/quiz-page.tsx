/**
 * A quiz attempt: a countdown from the server's secondsLeft (the server is the source of truth; the
 * attempt is re-read on focus), one card per question, every answer saved as it is given, submit
 * with If-Match, then the review with per-question credit and feedback.
 */
import '../../styles/academy.css';
import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../components/page';
import { ErrorAlert, Loading } from '../../components/states';
import { useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { useAttempt, useEnrolment, useRefreshProgress } from './api';
import { QuizReview } from './quiz-review';
import { QuizRunner } from './quiz-runner';
import type { SubmitResult } from './types';

/** The /learning/:enrolmentId/quiz/:attemptId page. */
export function QuizPage() {
  const t = useT();
  const text = useLabel();
  const { enrolmentId = '', attemptId = '' } = useParams();
  const attempt = useAttempt(attemptId);
  const outline = useEnrolment(enrolmentId);
  const [certificateId, setCertificateId] = useState<string | null>(null);
  const { refetch } = attempt;
  const refreshProgress = useRefreshProgress(enrolmentId);
  // Read the attempt first (reading it closes it once its time ran out), then the progress it changed.
  const refresh = useCallback(() => {
    void refetch().finally(refreshProgress);
  }, [refetch, refreshProgress]);
  // The submit hook has put the graded attempt in the cache and refreshed the progress.
  const submitted = useCallback((r: SubmitResult) => setCertificateId(r.certificateId), []);
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
