/** Consent: the purposes with their legal basis, recording a new one, withdrawing with a reason. */
import { useState, type ReactNode } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ConflictNotice } from '../../components/conflict-notice';
import { DateTime } from '../../components/date-time';
import { Code, useRichT } from '../../components/rich-text';
import { chosen, Field, SelectField } from '../../components/field';
import { useInvalidFocus } from '../../components/form-focus';
import { Announcer, EmptyState, ErrorAlert, ReadState, useFieldMessage } from '../../components/states';
import { useContentLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import type { CaseContext } from '../participants/case-context';
import { useConsents, useRecordConsent, useRefreshConsents, useWithdrawConsent } from './api';
import type { Consent } from './types';
import { CONSENT_PURPOSES, LEGAL_BASES } from './vocabulary';

const today = () => new Date().toISOString().slice(0, 10);

function RecordForm({ participantId }: { participantId: string }) {
  const t = useT();
  const fm = useFieldMessage();
  const cl = useContentLabel();
  const blank = {
    purpose: 'services' as (typeof CONSENT_PURPOSES)[number],
    legalBasis: 'consent' as (typeof LEGAL_BASES)[number],
    givenOn: today(),
    source: '',
    expiresOn: '',
  };
  const [f, setF] = useState(blank);
  const [missing, setMissing] = useState(false);
  const save = useRecordConsent(participantId, { onSuccess: () => setF(blank) });
  const focus = useInvalidFocus(save.error);
  const server = save.fieldErrors;
  const set = <K extends keyof typeof blank>(k: K, v: (typeof blank)[K]) => setF((x) => ({ ...x, [k]: v }));
  return (
    <form
      ref={focus.ref}
      className="card stack"
      aria-labelledby="consent-form-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!f.source.trim()) {
          setMissing(true);
          focus.refused();
          return;
        }
        setMissing(false);
        save.mutate({
          purpose: f.purpose,
          legalBasis: f.legalBasis,
          givenOn: f.givenOn,
          source: f.source.trim(),
          expiresOn: f.expiresOn || undefined,
        });
      }}
    >
      <h2 id="consent-form-title">{t('consent.record')}</h2>
      {save.isError ? <ErrorAlert error={save.error} highlighted={Object.keys(server).length > 0} /> : null}
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
          onChange={(e) => set('purpose', chosen(CONSENT_PURPOSES, e.target.value) ?? 'services')}
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
          onChange={(e) => set('legalBasis', chosen(LEGAL_BASES, e.target.value) ?? 'consent')}
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
  code,
  onClose,
  onDone,
}: {
  consent: Consent | null;
  participantId: string;
  code: string;
  onClose: () => void;
  onDone: (message: ReactNode) => void;
}) {
  const t = useT();
  const rt = useRichT();
  const cl = useContentLabel();
  const go = useWithdrawConsent(participantId);
  const refresh = useRefreshConsents(participantId);
  const purpose = cl('consent', consent?.purpose);
  const cancel = () => {
    go.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={consent !== null}
      title={t('consent.withdraw.title', { purpose })}
      confirmLabel={t('consent.withdraw')}
      tone="danger"
      note={{ label: t('consent.withdraw.reason'), required: true, maxLength: 500, error: go.fieldErrors.reason }}
      pending={go.isPending}
      error={go.error}
      conflict={
        go.conflict ? (
          <ConflictNotice message={t('consent.withdraw.conflict')} onReload={() => void refresh().then(cancel)} />
        ) : undefined
      }
      onCancel={cancel}
      onConfirm={(reason) => {
        if (!consent) return;
        go.mutate(
          { consent, reason },
          {
            onSuccess: () => {
              go.reset();
              onClose();
              onDone(rt('casework.consent.done', { purpose, code: <Code>{code}</Code> }));
            },
          },
        );
      }}
    >
      <p>{rt('casework.consent.confirm.what', { purpose, code: <Code>{code}</Code> })}</p>
      <p>{t('consent.withdraw.lead')}</p>
    </ConfirmDialog>
  );
}

/** The Consent tab. */
export function ConsentTab({ ctx }: { ctx: CaseContext }) {
  const t = useT();
  const cl = useContentLabel();
  const id = ctx.participant.id;
  const list = useConsents(id);
  const [withdrawing, setWithdrawing] = useState<Consent | null>(null);
  const [done, setDone] = useState<ReactNode>(null);
  return (
    <div className="stack">
      <section>
        <h2 id="consent-list-title">{t('consent.list')}</h2>
        <Announcer text={done} />
        <ReadState
          read={list}
          empty={(data) =>
            data.items.length === 0 && (
              <EmptyState title={t('consent.none')}>
                <p>{t('consent.none.body')}</p>
              </EmptyState>
            )
          }
        >
          {(data) => (
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
                  {data.items.map((c) => (
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
        </ReadState>
      </section>
      <RecordForm participantId={id} />
      <WithdrawDialog
        consent={withdrawing}
        participantId={id}
        code={ctx.participant.code}
        onClose={() => setWithdrawing(null)}
        onDone={setDone}
      />
    </div>
  );
}
