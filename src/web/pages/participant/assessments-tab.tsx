/** Assessments: the participant's assessments (instrument, status, finalised date) and "start assessment". */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { assessmentKeys, useAssessments, useInstruments, type Assessment, type InstrumentItem } from '../../api/assessments';
import { api } from '../../api/client';
import { DateTime } from '../../components/date-time';
import { Dialog } from '../../components/dialog';
import { EmptyState, ErrorAlert, Loading } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { useLabel } from '../cases/labels';
import type { CaseContext } from './context';

const idOf = (i: InstrumentItem) => `${i.key}@${i.version}`;
/** Whether the user may use an instrument: no certification needed, or they hold it. */
const usable = (i: InstrumentItem) => i.status === 'active' && (!i.certification || i.certified);

function StartDialog({ participantId, open, onClose }: { participantId: string; open: boolean; onClose: () => void }) {
  const t = useT();
  const pick = useLabel();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const instruments = useInstruments();
  const [choice, setChoice] = useState('');
  useEffect(() => {
    if (open) setChoice('');
  }, [open]);
  const list = (instruments.data?.items ?? []).filter((i) => i.status === 'active');
  const chosen = list.find((i) => idOf(i) === choice);
  const start = useMutation({
    mutationFn: (i: InstrumentItem) =>
      api<Assessment>('POST', `/api/v1/participants/${participantId}/assessments`, { body: { instrumentKey: i.key, instrumentVersion: i.version } }),
    onSuccess: (a) => {
      void qc.invalidateQueries({ queryKey: assessmentKeys.list(participantId) });
      qc.setQueryData(assessmentKeys.one(a.id), a);
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
          if (chosen && usable(chosen)) start.mutate(chosen);
        }}
      >
        {instruments.isPending ? <Loading /> : null}
        {instruments.isError ? <ErrorAlert error={instruments.error} onRetry={() => void instruments.refetch()} /> : null}
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
                    <input type="radio" name="instrument" value={idOf(i)} checked={choice === idOf(i)} disabled={!ok} aria-describedby={hintId} onChange={() => setChoice(idOf(i))} />
                    <span>
                      {pick(i.title, i.key)} <span className="muted">· {t('assess.version', { version: i.version })}</span>
                    </span>
                  </label>
                  <div id={hintId} className="instrument-hints">
                    {i.notice ? <p className="notice-not-validated">{pick(i.notice)}</p> : null}
                    {!ok ? <p className="muted">{t('assess.needsCertification', { certification: i.certification ?? '' })}</p> : null}
                  </div>
                </div>
              );
            })}
          </fieldset>
        ) : instruments.isSuccess ? (
          <p className="muted">{t('assess.noInstruments')}</p>
        ) : null}
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

/** The Assessments tab. */
export function AssessmentsTab({ ctx }: { ctx: CaseContext }) {
  const t = useT();
  const pick = useLabel();
  const id = ctx.participant.id;
  const list = useAssessments(id);
  const instruments = useInstruments();
  const [starting, setStarting] = useState(false);
  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />;
  const titleOf = (key: string, version: string) => {
    const i = instruments.data?.items.find((x) => x.key === key && x.version === version) ?? instruments.data?.items.find((x) => x.key === key);
    return i ? pick(i.title, key) : key;
  };
  const items = [...list.data.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
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
                    <span className={`chip chip-assessment-${a.status}`}>{a.status === 'final' ? t('assess.status.final') : t('assess.status.draft')}</span>
                  </td>
                  <td>
                    <DateTime value={a.createdAt} mode="date" />
                  </td>
                  <td>
                    <DateTime value={a.finalisedAt} mode="date" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <StartDialog participantId={id} open={starting} onClose={() => setStarting(false)} />
    </div>
  );
}
