/** My learning (the learner's home): my enrolments with progress, where to continue, and certificates. */
import '../../styles/academy.css';
import '../../styles/academy-day.css';
import { Link } from 'react-router';
import { academyLinks, useEnrolment, useMyLearning } from './api';
import type { MyEnrolment } from './types';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page';
import { EmptyState, ReadState } from '../../components/states';
import { LOCALE_NAMES } from '../../i18n/locales';
import { useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { DayDate, LateNote, ModulesProgress, useCountryName } from './bits';

/** Where "Continue" leads: the lesson I stopped at (if not yet done), else the first unread lesson of the current module. */
function useContinue(e: MyEnrolment): { href: string; lesson: boolean } | null {
  const done = new Set(e.progress.modules.flatMap((m) => m.lessonsDone));
  const resumeOpen = e.resumeLesson !== null && !done.has(e.resumeLesson);
  const needOutline = !e.progress.complete && !resumeOpen && e.progress.current !== null;
  const outline = useEnrolment(e.id, needOutline);
  if (e.progress.complete || e.progress.current === null) return null;
  if (resumeOpen) return { href: academyLinks.lesson(e.id, e.resumeLesson!), lesson: true };
  const current = outline.data?.modules.find((m) => m.id === e.progress.current);
  const next = current?.lessons.find((l) => !done.has(l.id));
  if (next) return { href: academyLinks.lesson(e.id, next.id), lesson: true };
  return { href: `/learning/${e.id}`, lesson: false };
}

function EnrolmentCard({ e }: { e: MyEnrolment }) {
  const t = useT();
  const text = useLabel();
  const country = useCountryName();
  const go = useContinue(e);
  const mods = e.progress.modules;
  const done = mods.filter((m) => m.state === 'complete').length;
  const currentIndex = mods.findIndex((m) => m.id === e.progress.current);
  // The first module that is late says what and since when (a locked module is never late).
  const lateIndex = mods.findIndex((m) => m.late !== null);
  const late = lateIndex >= 0 ? mods[lateIndex]!.late : null;
  const notStarted = mods[0]?.requirements.find((r) => r.code === 'cohort_not_started');
  const titleId = `enrolment-${e.id}`;
  return (
    <li>
      <section className="card learn-card" aria-labelledby={titleId}>
        <div className="learn-card-head">
          <h2 id={titleId}>{text(e.title)}</h2>
          {e.progress.complete ? (
            <span className="chip chip-icon chip-module-complete">
              <Icon name="check" />
              {t('academy.course.complete')}
            </span>
          ) : late ? (
            <span className="chip chip-icon chip-overdue">
              <Icon name="alert" />
              {t('academy.overdue')}
            </span>
          ) : null}
        </div>
        <p className="muted small">
          <bdi>{e.cohort.name}</bdi> · {country(e.cohort.memberState)} ·{' '}
          <bdi lang={e.cohort.language}>{LOCALE_NAMES[e.cohort.language] ?? e.cohort.language}</bdi>
          <br />
          <DayDate value={e.cohort.startsOn} /> – <DayDate value={e.cohort.endsOn} />
        </p>
        <ModulesProgress done={done} total={mods.length} />
        {late && !e.progress.complete ? <LateNote late={late} module={lateIndex + 1} /> : null}
        {notStarted && notStarted.code === 'cohort_not_started' ? (
          <p>
            {t('academy.learning.startsOn')} <DayDate value={notStarted.startsAt} />
          </p>
        ) : currentIndex >= 0 ? (
          <p>{t('academy.learning.current', { n: currentIndex + 1, total: mods.length })}</p>
        ) : null}
        <div className="form-actions">
          {go ? (
            go.lesson ? (
              <a className="btn btn-primary" href={go.href}>
                {t('academy.learning.continue')}
                <span className="visually-hidden"> {text(e.title)}</span>
              </a>
            ) : (
              <Link className="btn btn-primary" to={go.href}>
                {t('academy.learning.continue')}
                <span className="visually-hidden"> {text(e.title)}</span>
              </Link>
            )
          ) : null}
          <Link className="btn" to={`/learning/${e.id}`}>
            {t('academy.learning.openCourse')}
            <span className="visually-hidden"> {text(e.title)}</span>
          </Link>
          {e.certificate ? (
            <Link className="btn btn-quiet" to="/learning/certificates">
              <Icon name="award" />
              {t('academy.learning.certificate')}
              <bdi className="code">{e.certificate.code}</bdi>
            </Link>
          ) : null}
        </div>
      </section>
    </li>
  );
}

/** The /learning page. */
export function MyLearningPage() {
  const t = useT();
  const me = useMyLearning();
  return (
    <>
      <PageHeader title={t('nav.learning')} lead={t('academy.learning.lead')} />
      <ReadState
        read={me}
        empty={(data) =>
          data.items.length === 0 && (
            <EmptyState title={t('academy.learning.empty')}>
              <p>{t('academy.learning.emptyBody')}</p>
            </EmptyState>
          )
        }
      >
        {(data) => (
          <ul className="plain-list">
            {data.items.map((e) => (
              <EnrolmentCard key={e.id} e={e} />
            ))}
          </ul>
        )}
      </ReadState>
    </>
  );
}
