/** A closed quiz attempt: the score, pass or not, a certificate if one was issued, and each question reviewed. */
import { useEffect, useRef, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Icon } from '../../components/icons';
import { useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { usePercent } from './bits';
import { isAnswered } from './quiz-bits';
import type { Answer, Attempt, EnrolmentOutline, QuizItem, ReviewItem } from './types';

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
  const text = useLabel();
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
  const text = useLabel();
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
export function QuizReview({
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
