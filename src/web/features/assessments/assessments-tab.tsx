/**
 * Assessments: the participant's assessments (instrument, status, team, finalised date), "start
 * assessment", joining a colleague's draft as a further assessor (team assessment), and the
 * comparison over time (its chart is a separate chunk, loaded when shown).
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { DateTime } from '../../components/date-time';
import { Dialog } from '../../components/dialog';
import { EmptyState, ErrorAlert, Loading } from '../../components/states';
import { useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { useCaseTeam } from '../casework/api';
import { useInstruments } from '../instruments/api';
import type { InstrumentItem } from '../instruments/types';
import type { CaseContext } from '../participants/case-context';
import { useAssessments, useStartAssessment } from './api';
import type { AssessmentSummary } from './types';

const AssessmentComparison = lazy(() =>
  import('./assessment-compare').then((m) => ({ default: m.AssessmentComparison })),
);

const idOf = (i: InstrumentItem) => `${i.key}@${i.version}`;
/** Whether the user may use an instrument: no certification needed, or they hold it. */
const usable = (i: InstrumentItem) => i.status === 'active' && (!i.certification || i.certified);

function StartDialog({ participantId, open, onClose }: { participantId: string; open: boolean; onClose: () => void }) {
  const t = useT();
  const pick = useLabel();
  const navigate = useNavigate();
  const instruments = useInstruments();
  const [choice, setChoice] = useState('');
  useEffect(() => {
    if (open) setChoice('');
  }, [open]);
  const list = (instruments.data?.items ?? []).filter((i) => i.status === 'active');
  const chosen = list.find((i) => idOf(i) === choice);
  const start = useStartAssessment(participantId, {
    onSuccess: (a) => {
      onClose();
      void navigate(`/cases/${participantId}/assessments/${a.id}`);
    },
  });
  return (
    <Dialog open={open} title={t('assess.start')} onClose={onClose}>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (chosen && usable(chosen)) start.mutate({ instrumentKey: chosen.key, instrumentVersion: chosen.version });
        }}
      >
        {instruments.isPending ? <Loading /> : null}
        {instruments.isError ? (
          <ErrorAlert error={instruments.error} onRetry={() => void instruments.refetch()} />
        ) : null}
        {start.isError ? <ErrorAlert error={start.error} /> : null}
        {list.length > 0 ? (
          <fieldset className="choice-group">
            <legend>{t('assess.instrument')}</legend>
            {list.map((i) => {
              const ok = usable(i);
              const hintId = `inst-hint-${i.key}-${i.version}`;
              return (
                <div key={idOf(i)} className="instrument-choice">
                  <label className="choice">
                    <input
                      type="radio"
                      name="instrument"
                      value={idOf(i)}
                      checked={choice === idOf(i)}
                      disabled={!ok}
                      aria-describedby={hintId}
                      onChange={() => setChoice(idOf(i))}
                    />
                    <span>
                      {pick(i.title, i.key)}{' '}
                      <span className="muted">· {t('assess.version', { version: i.version })}</span>
                    </span>
                  </label>
                  <div id={hintId} className="instrument-hints">
                    {i.notice ? <p className="notice-not-validated">{pick(i.notice)}</p> : null}
                    {!ok ? (
                      <p className="muted">
                        {t('assess.needsCertification', { certification: i.certification ?? '' })}
                      </p>
                    ) : null}
                  </div>
                </div>
              );
            })}
          </fieldset>
        ) : instruments.isSuccess ? (
          <p className="muted">{t('assess.noInstruments')}</p>
        ) : null}
        <p className="muted small">{t('team.startHint')}</p>
        {chosen?.notice ? (
          <div className="alert alert-warning" role="status">
            <p className="alert-title">{t('assess.notValidated')}</p>
            <p>{pick(chosen.notice)}</p>
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={!chosen || !usable(chosen) || start.isPending}>
            {t('assess.start.confirm')}
          </button>
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            {t('action.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Confirms joining a colleague's draft as a further assessor: a draft of one's own in the same group. */
function JoinDialog({
  participantId,
  target,
  title,
  lead,
  onClose,
}: {
  participantId: string;
  target: AssessmentSummary | null;
  title: string;
  lead: string;
  onClose: () => void;
}) {
  const t = useT();
  const navigate = useNavigate();
  const join = useStartAssessment(participantId, {
    onSuccess: (a) => {
      onClose();
      void navigate(`/cases/${participantId}/assessments/${a.id}`);
    },
  });
  useEffect(() => {
    if (target) join.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [target]);
  return (
    <Dialog open={target !== null} title={t('team.join.title')} onClose={onClose}>
      <div className="stack">
        {join.isError ? <ErrorAlert error={join.error} /> : null}
        <p>{t('team.join.body', { instrument: title, lead })}</p>
        <p className="muted small">{t('team.join.independent')}</p>
        <div className="form-actions">
          <button
            type="button"
            className="btn btn-primary"
            disabled={join.isPending || !target}
            onClick={() =>
              target &&
              join.mutate({
                instrumentKey: target.instrumentKey,
                instrumentVersion: target.instrumentVersion,
                joinAssessmentId: target.id,
              })
            }
          >
            {t('team.join.confirm')}
          </button>
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            {t('action.cancel')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}

/** The Assessments tab. */
export function AssessmentsTab({ ctx }: { ctx: CaseContext }) {
  const t = useT();
  const pick = useLabel();
  const id = ctx.participant.id;
  const list = useAssessments(id);
  const instruments = useInstruments();
  const team = useCaseTeam(id);
  const [starting, setStarting] = useState(false);
  const [joining, setJoining] = useState<AssessmentSummary | null>(null);
  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />;
  const titleOf = (key: string, version: string) => {
    const i =
      instruments.data?.items.find((x) => x.key === key && x.version === version) ??
      instruments.data?.items.find((x) => x.key === key);
    return i ? pick(i.title, key) : key;
  };
  const items = [...list.data.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const nameOf = (userId: string) =>
    team.data?.members.find((m) => m.userId === userId)?.displayName ?? t('team.someone');
  const instrumentOf = (a: AssessmentSummary) =>
    instruments.data?.items.find((x) => x.key === a.instrumentKey && x.version === a.instrumentVersion);
  /** A draft started by someone else, not a joined one, that the user has not joined yet and may rate with. */
  const joinable = (a: AssessmentSummary) => {
    const inst = instrumentOf(a);
    return (
      a.status === 'draft' &&
      a.createdBy !== ctx.userId &&
      (a.groupId === null || a.groupId === a.id) &&
      !items.some((x) => x.createdBy === ctx.userId && x.groupId === a.id) &&
      Boolean(inst && usable(inst))
    );
  };
  const finals = items.filter((a) => a.status === 'final');
  return (
    <div className="stack">
      <div className="plan-head">
        <h2>{t('assess.title')}</h2>
        <div className="form-actions">
          <button type="button" className="btn btn-primary" onClick={() => setStarting(true)}>
            {t('assess.start')}
          </button>
        </div>
      </div>
      {items.length === 0 ? (
        <EmptyState title={t('assess.empty')}>
          <p>{t('assess.empty.body')}</p>
        </EmptyState>
      ) : (
        <div className="table-wrap" role="region" tabIndex={0} aria-label={t('assess.title')}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('assess.instrument')}</th>
                <th scope="col">{t('assess.status')}</th>
                <th scope="col">{t('assess.startedAt')}</th>
                <th scope="col">{t('assess.finalisedAt')}</th>
                <th scope="col">{t('team.column')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link to={`/cases/${id}/assessments/${a.id}`}>{titleOf(a.instrumentKey, a.instrumentVersion)}</Link>
                    {a.supersedesId ? <span className="muted"> · {t('assess.amendment')}</span> : null}
                  </td>
                  <td>
                    <span className={`chip chip-assessment-${a.status}`}>
                      {a.status === 'final' ? t('assess.status.final') : t('assess.status.draft')}
                    </span>
                  </td>
                  <td>
                    <DateTime value={a.createdAt} mode="date" />
                  </td>
                  <td>
                    <DateTime value={a.finalisedAt} mode="date" />
                  </td>
                  <td>
                    {a.groupId ? (
                      <span className="chip chip-team">
                        {a.groupId === a.id ? t('team.chip.lead') : t('team.chip.member')}
                      </span>
                    ) : null}
                    {a.groupId || joinable(a) ? (
                      <span className="muted small team-by"> {t('team.by', { name: nameOf(a.createdBy) })}</span>
                    ) : null}
                    {joinable(a) ? (
                      <div>
                        <button type="button" className="btn btn-small" onClick={() => setJoining(a)}>
                          {t('team.join')}
                          <span className="visually-hidden"> — {titleOf(a.instrumentKey, a.instrumentVersion)}</span>
                        </button>
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {finals.length > 0 ? (
        <Suspense fallback={<Loading />}>
          <AssessmentComparison participantId={id} finals={finals} />
        </Suspense>
      ) : null}
      <StartDialog participantId={id} open={starting} onClose={() => setStarting(false)} />
      <JoinDialog
        participantId={id}
        target={joining}
        title={joining ? titleOf(joining.instrumentKey, joining.instrumentVersion) : ''}
        lead={joining ? nameOf(joining.createdBy) : ''}
        onClose={() => setJoining(null)}
      />
    </div>
  );
}
