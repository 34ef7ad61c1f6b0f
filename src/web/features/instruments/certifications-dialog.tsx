/** A user's instrument certifications: the list (valid, expired, revoked), granting one with an expiry, revoking. */
import '../../styles/instruments.css';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { ApiError, isApiError } from '../../api/client';
import { useMe } from '../../api/queries';
import { DateTime } from '../../components/date-time';
import { Dialog } from '../../components/dialog';
import { Field, SelectField } from '../../components/field';
import { EmptyState, ErrorAlert, Loading, ReadState, Announcer } from '../../components/states';
import { useT } from '../../i18n/use-t';
import type { UserRow } from '../users/api';
import { useCertifications, useGrantCertification, useInstruments, useRevokeCertification } from './api';
import { useInstrumentText } from './bits';
import type { CertificationRow } from './types';

/** YYYY-MM-DD of a date in local time. */
function day(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The end of a local calendar day as an ISO time (a certification lasts through its last day). */
function endOfDay(value: string): string {
  return new Date(`${value}T23:59:59`).toISOString();
}

function StatusCell({ c }: { c: CertificationRow }) {
  const t = useT();
  if (c.revokedAt)
    return (
      <>
        <span className="chip chip-disabled">{t('instruments.cert.revoked')}</span>{' '}
        <span className="small muted">
          <DateTime value={c.revokedAt} mode="date" />
        </span>
      </>
    );
  if (c.valid) return <span className="chip chip-ok">{t('instruments.cert.valid')}</span>;
  return <span className="chip chip-disabled">{t('instruments.cert.expired')}</span>;
}

function GrantForm({ user, onGranted }: { user: UserRow; onGranted: (certification: string) => void }) {
  const t = useT();
  const text = useInstrumentText();
  const certId = useId();
  const instruments = useInstruments();
  const grant = useGrantCertification(user.id);
  const tomorrow = day(new Date(Date.now() + 86_400_000));
  const [certification, setCertification] = useState('');
  const [expires, setExpires] = useState(() => {
    const d = new Date();
    d.setFullYear(d.getFullYear() + 1);
    return day(d);
  });
  const [local, setLocal] = useState<{ certification?: string; expires?: string }>({});

  // Certification keys, each with the instruments (active versions first) that need it.
  const options = useMemo(() => {
    const by = new Map<string, Set<string>>();
    for (const i of instruments.data?.items ?? []) {
      if (!i.certification) continue;
      const titles = by.get(i.certification) ?? new Set<string>();
      titles.add(text(i.title)?.text ?? i.key);
      by.set(i.certification, titles);
    }
    return [...by.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, titles]) => ({ key, titles: [...titles].join(', ') }));
  }, [instruments.data, text]);

  const serverField =
    grant.error instanceof ApiError
      ? grant.error.details.find((d) => d.path === 'expiresAt' || d.path === 'certification')
      : undefined;
  const expiresError =
    local.expires ?? (serverField?.path === 'expiresAt' ? t('instruments.cert.expiresFuture') : undefined);
  const certError =
    local.certification ?? (serverField?.path === 'certification' ? t('instruments.cert.pick') : undefined);

  if (instruments.isPending) return <Loading />;
  if (instruments.isError) return <ErrorAlert error={instruments.error} onRetry={() => void instruments.refetch()} />;
  if (options.length === 0) return <p className="muted">{t('instruments.cert.noneNeeded')}</p>;

  return (
    <form
      className="stack grant-form"
      noValidate
      aria-labelledby={`${certId}-legend`}
      onSubmit={(e) => {
        e.preventDefault();
        const problems: typeof local = {};
        if (!certification) problems.certification = t('instruments.cert.pick');
        if (!expires || expires < tomorrow) problems.expires = t('instruments.cert.expiresFuture');
        setLocal(problems);
        if (problems.certification || problems.expires) return;
        grant.mutate(
          { certification, expiresAt: endOfDay(expires) },
          {
            onSuccess: () => {
              onGranted(certification);
              setCertification('');
              grant.reset();
            },
          },
        );
      }}
    >
      <h3 id={`${certId}-legend`}>{t('instruments.cert.grant.title')}</h3>
      {grant.isError && !serverField ? (
        <ErrorAlert
          error={grant.error}
          message={isApiError(grant.error, 'FORBIDDEN') ? t('instruments.cert.self') : undefined}
        />
      ) : null}
      <div className="form-grid-2">
        <SelectField
          id={certId}
          label={t('instruments.cert.certification')}
          value={certification}
          error={certError}
          onChange={(e) => setCertification(e.target.value)}
        >
          <option value="">{t('instruments.cert.choose')}</option>
          {options.map((o) => (
            <option key={o.key} value={o.key}>
              {t('instruments.cert.option', { key: o.key, titles: o.titles })}
            </option>
          ))}
        </SelectField>
        <Field
          label={t('instruments.cert.expires')}
          type="date"
          min={tomorrow}
          value={expires}
          error={expiresError}
          hint={
            expires ? (
              <>
                {t('instruments.cert.expiresHint')} <DateTime value={endOfDay(expires)} mode="date" />
              </>
            ) : (
              t('instruments.cert.expiresHint.empty')
            )
          }
          onChange={(e) => setExpires(e.target.value)}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={grant.isPending}>
          {t('instruments.cert.grant')}
        </button>
      </div>
    </form>
  );
}

/** The certifications dialog for one user (null = closed). */
export function CertificationsDialog({ user, onClose }: { user: UserRow | null; onClose: () => void }) {
  const t = useT();
  return (
    <Dialog
      open={user !== null}
      title={t('instruments.cert.title', { name: user?.displayName ?? '' })}
      onClose={onClose}
    >
      {user ? <CertificationsBody key={user.id} user={user} /> : null}
    </Dialog>
  );
}

function CertificationsBody({ user }: { user: UserRow }) {
  const t = useT();
  const me = useMe().data;
  const certs = useCertifications(user.id);
  const revoke = useRevokeCertification(user.id);
  const [confirming, setConfirming] = useState<CertificationRow | null>(null);
  const [announce, setAnnounce] = useState('');
  const confirmRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  const self = Boolean(me && me.user.id === user.id);

  return (
    <div className="stack cert-body">
      <p>{t('instruments.cert.lead')}</p>
      <Announcer text={announce} />
      <ReadState
        read={certs}
        empty={(data) =>
          data.items.length === 0 && (
            <EmptyState title={t('instruments.cert.empty')}>
              <p>{self ? t('instruments.cert.self') : t('instruments.cert.empty.body')}</p>
            </EmptyState>
          )
        }
      >
        {(data) => (
          <div className="table-wrap">
            <table className="table table-dense cert-table">
              <caption className="visually-hidden">{t('instruments.cert.caption', { name: user.displayName })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('instruments.cert.certification')}</th>
                  <th scope="col">{t('instruments.cert.granted')}</th>
                  <th scope="col">{t('instruments.cert.expires')}</th>
                  <th scope="col">{t('instruments.cert.status')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('instruments.col.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">
                      <code dir="ltr">{c.certification}</code>
                      <span className="small muted cert-source">
                        {t('instruments.cert.source', {
                          source:
                            c.source === 'academy'
                              ? t('instruments.cert.source.academy')
                              : t('instruments.cert.source.administrator'),
                        })}
                      </span>
                    </th>
                    <td>
                      <DateTime value={c.grantedAt} mode="date" />
                    </td>
                    <td>
                      {c.expiresAt ? (
                        <DateTime value={c.expiresAt} mode="date" />
                      ) : (
                        <span className="muted">{t('instruments.cert.noExpiry')}</span>
                      )}
                    </td>
                    <td>
                      <StatusCell c={c} />
                    </td>
                    <td className="row-actions">
                      {!c.revokedAt ? (
                        <button
                          type="button"
                          className="btn btn-small btn-danger"
                          onClick={() => {
                            revoke.reset();
                            setConfirming(c);
                          }}
                        >
                          {t('instruments.cert.revoke')}
                          <span className="visually-hidden"> {c.certification}</span>
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
      {confirming ? (
        <div
          className="alert alert-warning"
          ref={confirmRef}
          tabIndex={-1}
          role="group"
          aria-labelledby="revoke-confirm-title"
        >
          <p className="alert-title" id="revoke-confirm-title">
            {t('instruments.cert.revoke.title', { certification: confirming.certification, name: user.displayName })}
          </p>
          <p>{t('instruments.cert.revoke.body')}</p>
          {revoke.isError ? <ErrorAlert error={revoke.error} /> : null}
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-danger"
              disabled={revoke.isPending}
              onClick={() =>
                revoke.mutate(confirming.id, {
                  onSuccess: (r) => {
                    setConfirming(null);
                    setAnnounce(t('instruments.cert.revoked.done', { certification: r.certification }));
                  },
                })
              }
            >
              {t('instruments.cert.revoke.confirm')}
            </button>
            <button type="button" className="btn btn-quiet" onClick={() => setConfirming(null)}>
              {t('action.cancel')}
            </button>
          </div>
        </div>
      ) : null}
      {self ? (
        certs.data?.items.length ? (
          <p className="muted">{t('instruments.cert.self')}</p>
        ) : null
      ) : (
        <GrantForm
          user={user}
          onGranted={(c) => setAnnounce(t('instruments.cert.granted.done', { certification: c }))}
        />
      )}
    </div>
  );
}
