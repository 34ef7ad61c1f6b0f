/** Consent: the purposes with their legal basis, recording a new one, withdrawing with a reason. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, isApiError } from '../../api/client';
import { CONSENT_PURPOSES, keys, LEGAL_BASES, useConsents, type Consent } from '../../api/casework';
import { DateTime } from '../../components/date-time';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';
import { EmptyState, ErrorAlert, Loading, useFieldMessage } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { pathErrors, SelectField, TextAreaField } from '../cases/form-bits';
import { useContentLabel } from '../cases/labels';
import type { CaseContext } from './context';

const today = () => new Date().toISOString().slice(0, 10);

function RecordForm({ participantId }: { participantId: string }) {
  const t = useT();
  const fm = useFieldMessage();
  const cl = useContentLabel();
  const qc = useQueryClient();
  const blank = { purpose: 'services', legalBasis: 'consent', givenOn: today(), source: '', expiresOn: '' };
  const [f, setF] = useState(blank);
  const [missing, setMissing] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      api<Consent>('POST', `/api/v1/participants/${participantId}/consents`, {
        body: {
          purpose: f.purpose,
          legalBasis: f.legalBasis,
          givenOn: f.givenOn,
          source: f.source.trim(),
          expiresOn: f.expiresOn || undefined,
        },
      }),
    onSuccess: () => {
      setF(blank);
      void qc.invalidateQueries({ queryKey: ['participant', participantId] });
      void qc.invalidateQueries({ queryKey: ['participants'] });
    },
  });
  const server = pathErrors(save.error);
  const set = (k: keyof typeof blank, v: string) => setF((x) => ({ ...x, [k]: v }));
  return (
    <form
      className="card stack"
      aria-labelledby="consent-form-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!f.source.trim()) {
          setMissing(true);
          return;
        }
        setMissing(false);
        save.mutate();
      }}
    >
      <h2 id="consent-form-title">{t('consent.record')}</h2>
      {save.isError ? <ErrorAlert error={save.error} /> : null}
      {save.isSuccess ? (
        <p className="alert alert-success" role="status">
          {t('consent.recorded')}
        </p>
      ) : null}
      <div className="form-grid">
        <SelectField
          label={t('consent.purpose')}
          value={f.purpose}
          error={fm(server.purpose)}
          onChange={(e) => set('purpose', e.target.value)}
        >
          {CONSENT_PURPOSES.map((p) => (
            <option key={p} value={p}>
              {cl('consent', p)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('consent.legalBasis')}
          value={f.legalBasis}
          error={fm(server.legalBasis)}
          onChange={(e) => set('legalBasis', e.target.value)}
        >
          {LEGAL_BASES.map((b) => (
            <option key={b} value={b}>
              {t(`consent.basis.${b}`)}
            </option>
          ))}
        </SelectField>
        <Field
          label={t('consent.givenOn')}
          type="date"
          required
          value={f.givenOn}
          error={fm(server.givenOn)}
          onChange={(e) => set('givenOn', e.target.value)}
        />
        <Field
          label={t('consent.expiresOn')}
          type="date"
          value={f.expiresOn}
          error={fm(server.expiresOn)}
          onChange={(e) => set('expiresOn', e.target.value)}
        />
        <Field
          label={t('consent.source')}
          hint={t('consent.source.hint')}
          dir="auto"
          required
          maxLength={200}
          value={f.source}
          error={fm(missing ? 'required' : server.source)}
          onChange={(e) => set('source', e.target.value)}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {t('consent.save')}
        </button>
      </div>
    </form>
  );
}

function WithdrawDialog({
  consent,
  participantId,
  onClose,
}: {
  consent: Consent | null;
  participantId: string;
  onClose: () => void;
}) {
  const t = useT();
  const fm = useFieldMessage();
  const cl = useContentLabel();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const go = useMutation({
    mutationFn: (c: Consent) =>
      api<Consent>('POST', `/api/v1/consents/${c.id}/withdraw`, {
        body: { reason: reason.trim() },
        version: c.version,
      }),
    onSuccess: () => {
      setReason('');
      void qc.invalidateQueries({ queryKey: ['participant', participantId] });
      onClose();
    },
  });
  const conflict = isApiError(go.error, 'VERSION_CONFLICT');
  return (
    <Dialog
      open={consent !== null}
      title={t('consent.withdraw.title', { purpose: cl('consent', consent?.purpose) })}
      onClose={onClose}
    >
      {consent ? (
        <form
          className="stack"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!reason.trim()) {
              setMissing(true);
              return;
            }
            setMissing(false);
            go.mutate(consent);
          }}
        >
          {conflict ? (
            <div className="alert alert-warning" role="alert">
              <p className="alert-title">{t('conflict.title')}</p>
              <p>{t('consent.withdraw.conflict')}</p>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => void qc.invalidateQueries({ queryKey: keys.consents(participantId) }).then(onClose)}
              >
                {t('conflict.reload')}
              </button>
            </div>
          ) : go.isError ? (
            <ErrorAlert error={go.error} />
          ) : null}
          <p>{t('consent.withdraw.lead')}</p>
          <TextAreaField
            label={t('consent.withdraw.reason')}
            maxLength={500}
            value={reason}
            error={fm(missing ? 'required' : pathErrors(go.error).reason)}
            onChange={(e) => setReason(e.target.value)}
          />
          <div className="form-actions">
            <button type="submit" className="btn btn-danger" disabled={go.isPending || conflict}>
              {t('consent.withdraw')}
            </button>
            <button type="button" className="btn btn-quiet" onClick={onClose}>
              {t('action.cancel')}
            </button>
          </div>
        </form>
      ) : null}
    </Dialog>
  );
}

/** The Consent tab. */
export function ConsentTab({ ctx }: { ctx: CaseContext }) {
  const t = useT();
  const cl = useContentLabel();
  const id = ctx.participant.id;
  const list = useConsents(id);
  const [withdrawing, setWithdrawing] = useState<Consent | null>(null);
  return (
    <div className="stack">
      <section aria-labelledby="consent-list-title">
        <h2 id="consent-list-title">{t('consent.list')}</h2>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <EmptyState title={t('consent.none')}>
            <p>{t('consent.none.body')}</p>
          </EmptyState>
        ) : (
          <div className="table-wrap" role="region" tabIndex={0} aria-label={t('consent.list')}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('consent.purpose')}</th>
                  <th scope="col">{t('consent.legalBasis')}</th>
                  <th scope="col">{t('consent.status')}</th>
                  <th scope="col">{t('consent.givenOn')}</th>
                  <th scope="col">{t('consent.expiresOn')}</th>
                  <th scope="col">{t('consent.source')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('users.col.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((c) => (
                  <tr key={c.id}>
                    <td>{cl('consent', c.purpose)}</td>
                    <td>{t(`consent.basis.${c.legalBasis as 'consent'}`)}</td>
                    <td>
                      <span className={`chip ${c.status === 'given' ? 'chip-ok' : 'chip-disabled'}`}>
                        {t(`consent.status.${c.status}`)}
                      </span>
                      {c.withdrawalReason ? (
                        <>
                          <br />
                          <bdi className="small">{c.withdrawalReason}</bdi>
                        </>
                      ) : null}
                    </td>
                    <td>
                      <DateTime value={c.givenOn} mode="date" />
                    </td>
                    <td>
                      <DateTime value={c.expiresOn} mode="date" />
                    </td>
                    <td>
                      <bdi>{c.source}</bdi>
                    </td>
                    <td className="row-actions">
                      {c.status === 'given' ? (
                        <button type="button" className="btn btn-small btn-quiet" onClick={() => setWithdrawing(c)}>
                          {t('consent.withdraw')}
                          <span className="visually-hidden">: {cl('consent', c.purpose)}</span>
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <RecordForm participantId={id} />
      <WithdrawDialog consent={withdrawing} participantId={id} onClose={() => setWithdrawing(null)} />
    </div>
  );
}
