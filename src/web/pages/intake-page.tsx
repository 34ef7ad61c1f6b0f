/** Intake wizard (/cases/new): search for likely duplicates first, then register a participant. */
import '../styles/casework.css';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client';
import { LEGAL_STATUSES, useTeams, type ParticipantItem, type SearchMatch } from '../api/casework';
import { Field } from '../components/field';
import { PageHeader } from '../components/page';
import { EmptyState, ErrorAlert, Loading, useFieldMessage } from '../components/states';
import { useI18n } from '../i18n/i18n-provider';
import { useDynamicT, useT } from '../i18n/use-t';
import { pathErrors, SelectField, TextAreaField } from './cases/form-bits';
import { emptyDraft, useIntakeDraft, type IntakeDraft } from './cases/intake-draft';
import { useContentLabel, useLabel, useProgramIndex } from './cases/labels';

const STEPS = ['search', 'program', 'identity', 'family', 'notes', 'review'] as const;
const LANGS = ['ar', 'en', 'ur', 'fr', 'ps', 'fa', 'so', 'ha', 'tr', 'ru', 'id', 'ms'];
const SEXES = ['female', 'male', 'other', 'unknown'] as const;

/** The /cases/new page. */
export function IntakePage() {
  const t = useT();
  const dt = useDynamicT();
  const { locale } = useI18n();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const fm = useFieldMessage();
  const pick = useLabel();
  const cl = useContentLabel();
  const index = useProgramIndex();
  const teams = useTeams();
  const { draft, setDraft, clear } = useIntakeDraft();
  const [local, setLocal] = useState<Record<string, string>>({});
  const step = Math.min(Math.max(draft.step, 0), STEPS.length - 1);
  const update = (patch: Partial<IntakeDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const go = (n: number) => {
    setLocal({});
    update({ step: n });
    window.setTimeout(() => document.getElementById('step-title')?.focus(), 0);
  };

  const search = useMutation({
    mutationFn: () => {
      const s = draft.search;
      const body = Object.fromEntries(
        Object.entries(s)
          .filter(([, v]) => v.trim() !== '')
          .map(([k, v]) => [k, v.trim()]),
      );
      return api<{ items: SearchMatch[] }>('POST', '/api/v1/participants/search', { body });
    },
  });
  const create = useMutation({
    mutationFn: () => {
      const id = Object.fromEntries(
        Object.entries(draft.identity).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
      );
      return api<ParticipantItem>('POST', '/api/v1/participants', {
        body: {
          programId: draft.programId,
          teamId: draft.teamId,
          legalStatus: draft.legalStatus,
          referralSource: draft.referralSource.trim() || undefined,
          languages: draft.languages,
          identity: id,
          familyContacts: draft.familyContacts
            .filter((c) => c.name.trim())
            .map((c) =>
              Object.fromEntries(Object.entries(c).filter(([, v]) => typeof v === 'string' && v.trim() !== '')),
            ),
          notes: draft.notes.trim() || undefined,
        },
      });
    },
    onSuccess: (p) => {
      clear();
      void qc.invalidateQueries({ queryKey: ['participants'] });
      void qc.invalidateQueries({ queryKey: ['work'] });
      navigate(`/cases/${p.id}`, { replace: true });
    },
  });
  const server = pathErrors(create.error);
  const err = (path: string) => fm(local[path] ?? server[path]);

  const myTeams = (teams.data?.items ?? []).filter((x) => x.mine);
  if (!draft.teamId && myTeams.length === 1) update({ teamId: myTeams[0]!.id });

  const requireAll = (paths: [string, string][]) => {
    const missing: Record<string, string> = {};
    for (const [p, v] of paths) if (!v.trim()) missing[p] = 'required';
    setLocal(missing);
    return Object.keys(missing).length === 0;
  };

  const langName = (code: string) => {
    try {
      return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
    } catch {
      return code;
    }
  };
  const program = index.byId.get(draft.programId);
  const teamName = (teams.data?.items ?? []).find((x) => x.id === draft.teamId)?.name;

  const next = (e: FormEvent) => {
    e.preventDefault();
    if (
      step === 1 &&
      !requireAll([
        ['programId', draft.programId],
        ['teamId', draft.teamId],
        ['legalStatus', draft.legalStatus],
      ])
    )
      return;
    if (
      step === 2 &&
      !requireAll([
        ['identity.givenName', draft.identity.givenName],
        ['identity.familyName', draft.identity.familyName],
      ])
    )
      return;
    if (step === STEPS.length - 1) {
      create.mutate();
      return;
    }
    if (step === 0) {
      const s = draft.search;
      const i = draft.identity;
      update({
        identity: {
          ...i,
          givenName: i.givenName || s.givenName.trim(),
          familyName: i.familyName || s.familyName.trim(),
          dateOfBirth: i.dateOfBirth || s.dateOfBirth || undefined,
          nationalId: i.nationalId || s.nationalId.trim() || undefined,
        },
      });
    }
    go(step + 1);
  };

  let body: ReactNode = null;
  if (step === 0) {
    const s = draft.search;
    const setS = (k: keyof IntakeDraft['search'], v: string) => update({ search: { ...s, [k]: v } });
    body = (
      <>
        <p>{t('intake.search.lead')}</p>
        <div className="form-grid">
          <Field
            label={t('identity.givenName')}
            dir="auto"
            value={s.givenName}
            onChange={(e) => setS('givenName', e.target.value)}
            autoComplete="off"
          />
          <Field
            label={t('identity.familyName')}
            dir="auto"
            value={s.familyName}
            onChange={(e) => setS('familyName', e.target.value)}
            autoComplete="off"
          />
          <Field
            label={t('identity.dateOfBirth')}
            type="date"
            value={s.dateOfBirth}
            onChange={(e) => setS('dateOfBirth', e.target.value)}
          />
          <Field
            label={t('identity.nationalId')}
            dir="ltr"
            value={s.nationalId}
            onChange={(e) => setS('nationalId', e.target.value)}
            autoComplete="off"
          />
        </div>
        <p>
          <button type="button" className="btn" onClick={() => search.mutate()} disabled={search.isPending}>
            {search.isPending ? t('state.loading') : t('intake.search.run')}
          </button>
        </p>
        {search.isError ? <ErrorAlert error={search.error} /> : null}
        {search.data ? (
          search.data.items.length === 0 ? (
            <div className="alert alert-success" role="status">
              <p>{t('intake.search.none')}</p>
            </div>
          ) : (
            <div className="alert alert-warning" role="status">
              <p className="alert-title">{t('intake.search.matches', { count: search.data.items.length })}</p>
              <ul className="link-list">
                {search.data.items.map((m) => (
                  <li key={m.id}>
                    <Link to={`/cases/${m.id}`}>
                      <bdi className="code">{m.code}</bdi>
                    </Link>{' '}
                    <span className="muted">
                      {index.programName(m.programId)} · {index.phaseName(m.programId, m.phaseKey)}
                    </span>
                    <br />
                    <span className="small">
                      {t('intake.search.matchedOn', {
                        list: new Intl.ListFormat(locale, { type: 'conjunction' }).format(
                          m.matchedOn.map((k) => dt(`match.${k}`, 'match.other')),
                        ),
                      })}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          )
        ) : null}
      </>
    );
  } else if (step === 1) {
    body = (
      <div className="form-grid">
        <SelectField
          label={t('intake.program')}
          value={draft.programId}
          error={err('programId')}
          onChange={(e) => update({ programId: e.target.value })}
        >
          <option value="">{t('intake.choose')}</option>
          {index.list
            .filter((p) => p.status === 'active')
            .map((p) => (
              <option key={p.id} value={p.id}>
                {pick(p.definition.name)}
              </option>
            ))}
        </SelectField>
        <SelectField
          label={t('intake.team')}
          value={draft.teamId}
          error={err('teamId')}
          onChange={(e) => update({ teamId: e.target.value })}
        >
          <option value="">{t('intake.choose')}</option>
          {myTeams.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('intake.legalStatus')}
          value={draft.legalStatus}
          error={err('legalStatus')}
          onChange={(e) => update({ legalStatus: e.target.value })}
        >
          <option value="">{t('intake.choose')}</option>
          {LEGAL_STATUSES.map((s) => (
            <option key={s} value={s}>
              {cl('legal', s)}
            </option>
          ))}
        </SelectField>
        <Field
          label={t('intake.referral')}
          hint={t('intake.referral.hint')}
          dir="auto"
          maxLength={200}
          value={draft.referralSource}
          error={err('referralSource')}
          onChange={(e) => update({ referralSource: e.target.value })}
        />
        <fieldset className="choice-group span-all">
          <legend>{t('intake.languages')}</legend>
          <div className="choice-grid">
            {LANGS.map((l) => (
              <label key={l} className="choice">
                <input
                  type="checkbox"
                  checked={draft.languages.includes(l)}
                  onChange={(e) =>
                    update({
                      languages: e.target.checked ? [...draft.languages, l] : draft.languages.filter((x) => x !== l),
                    })
                  }
                />
                <span>{langName(l)}</span>
              </label>
            ))}
          </div>
        </fieldset>
        {program ? <p className="muted span-all">{pick(program.definition.summary)}</p> : null}
      </div>
    );
  } else if (step === 2) {
    const id = draft.identity;
    const setI = (k: string, v: string) => update({ identity: { ...id, [k]: v } });
    body = (
      <>
        <p className="muted">{t('intake.identity.lead')}</p>
        <div className="form-grid">
          <Field
            label={t('identity.givenName')}
            dir="auto"
            required
            maxLength={100}
            value={id.givenName}
            error={err('identity.givenName')}
            onChange={(e) => setI('givenName', e.target.value)}
            autoComplete="off"
          />
          <Field
            label={t('identity.familyName')}
            dir="auto"
            required
            maxLength={100}
            value={id.familyName}
            error={err('identity.familyName')}
            onChange={(e) => setI('familyName', e.target.value)}
            autoComplete="off"
          />
          <Field
            label={t('identity.otherNames')}
            dir="auto"
            maxLength={200}
            value={id.otherNames ?? ''}
            error={err('identity.otherNames')}
            onChange={(e) => setI('otherNames', e.target.value)}
            autoComplete="off"
          />
          <Field
            label={t('identity.dateOfBirth')}
            type="date"
            value={id.dateOfBirth ?? ''}
            error={err('identity.dateOfBirth')}
            onChange={(e) => setI('dateOfBirth', e.target.value)}
          />
          <SelectField label={t('identity.sex')} value={id.sex ?? ''} onChange={(e) => setI('sex', e.target.value)}>
            <option value="">{t('intake.choose')}</option>
            {SEXES.map((s) => (
              <option key={s} value={s}>
                {t(`sex.${s}`)}
              </option>
            ))}
          </SelectField>
          <Field
            label={t('identity.nationalId')}
            dir="ltr"
            maxLength={50}
            value={id.nationalId ?? ''}
            error={err('identity.nationalId')}
            onChange={(e) => setI('nationalId', e.target.value)}
            autoComplete="off"
          />
          <Field
            label={t('identity.nationality')}
            dir="auto"
            maxLength={100}
            value={id.nationality ?? ''}
            error={err('identity.nationality')}
            onChange={(e) => setI('nationality', e.target.value)}
            autoComplete="off"
          />
        </div>
      </>
    );
  } else if (step === 3) {
    const list = draft.familyContacts;
    const setC = (i: number, k: string, v: string) =>
      update({ familyContacts: list.map((c, j) => (j === i ? { ...c, [k]: v } : c)) });
    body = (
      <>
        <p className="muted">{t('intake.family.lead')}</p>
        {list.length === 0 ? <p>{t('intake.family.none')}</p> : null}
        {list.map((c, i) => (
          <fieldset key={i} className="card">
            <legend>{t('intake.family.contact', { n: i + 1 })}</legend>
            <div className="form-grid">
              <Field
                label={t('family.name')}
                dir="auto"
                maxLength={200}
                value={c.name}
                error={err(`familyContacts.${i}.name`)}
                onChange={(e) => setC(i, 'name', e.target.value)}
                autoComplete="off"
              />
              <Field
                label={t('family.relationship')}
                dir="auto"
                maxLength={100}
                value={c.relationship}
                error={err(`familyContacts.${i}.relationship`)}
                onChange={(e) => setC(i, 'relationship', e.target.value)}
              />
              <Field
                label={t('family.phone')}
                type="tel"
                dir="ltr"
                maxLength={50}
                value={c.phone ?? ''}
                onChange={(e) => setC(i, 'phone', e.target.value)}
                autoComplete="off"
              />
              <Field
                label={t('family.address')}
                dir="auto"
                maxLength={500}
                value={c.address ?? ''}
                onChange={(e) => setC(i, 'address', e.target.value)}
                autoComplete="off"
              />
            </div>
            <button
              type="button"
              className="btn btn-quiet btn-small"
              onClick={() => update({ familyContacts: list.filter((_, j) => j !== i) })}
            >
              {t('intake.family.remove', { n: i + 1 })}
            </button>
          </fieldset>
        ))}
        <p>
          <button
            type="button"
            className="btn"
            onClick={() => update({ familyContacts: [...list, { name: '', relationship: '' }] })}
          >
            {t('intake.family.add')}
          </button>
        </p>
      </>
    );
  } else if (step === 4) {
    body = (
      <TextAreaField
        label={t('intake.notes')}
        hint={t('intake.notes.hint')}
        rows={6}
        maxLength={20000}
        value={draft.notes}
        error={err('notes')}
        onChange={(e) => update({ notes: e.target.value })}
      />
    );
  } else {
    const id = draft.identity;
    body = (
      <>
        {create.isError ? <ErrorAlert error={create.error} /> : null}
        <dl className="kv">
          <dt>{t('intake.program')}</dt>
          <dd>{program ? pick(program.definition.name) : '—'}</dd>
          <dt>{t('intake.team')}</dt>
          <dd>{teamName ? <bdi>{teamName}</bdi> : '—'}</dd>
          <dt>{t('intake.legalStatus')}</dt>
          <dd>{cl('legal', draft.legalStatus)}</dd>
          <dt>{t('intake.referral')}</dt>
          <dd>{draft.referralSource ? <bdi>{draft.referralSource}</bdi> : '—'}</dd>
          <dt>{t('intake.languages')}</dt>
          <dd>{draft.languages.length ? new Intl.ListFormat(locale).format(draft.languages.map(langName)) : '—'}</dd>
          <dt>{t('intake.identity')}</dt>
          <dd>
            <bdi>
              {id.givenName} {id.familyName}
            </bdi>
            {id.dateOfBirth ? (
              <>
                {' · '}
                <bdi dir="ltr">{id.dateOfBirth}</bdi>
              </>
            ) : null}
          </dd>
          <dt>{t('intake.family')}</dt>
          <dd>{t('intake.family.count', { count: draft.familyContacts.filter((c) => c.name.trim()).length })}</dd>
          <dt>{t('intake.notes')}</dt>
          <dd>{draft.notes.trim() ? t('intake.notes.present') : '—'}</dd>
        </dl>
        {Object.keys(server).length > 0 ? (
          <ul className="field-error">
            {Object.entries(server).map(([p, code]) => (
              <li key={p}>
                <code dir="ltr">{p}</code>: {fm(code)}
              </li>
            ))}
          </ul>
        ) : null}
      </>
    );
  }

  if (index.programs.isPending || teams.isPending) return <Loading />;
  if (index.programs.isError)
    return <ErrorAlert error={index.programs.error} onRetry={() => void index.programs.refetch()} />;

  return (
    <>
      <PageHeader title={t('intake.title')} lead={t('intake.lead')} />
      {index.list.length === 0 ? (
        <EmptyState title={t('intake.noPrograms')}>
          <p>{t('intake.noPrograms.body')}</p>
        </EmptyState>
      ) : (
        <div className="wizard">
          <ol className="wizard-steps" aria-label={t('intake.steps')}>
            {STEPS.map((s, i) => (
              <li key={s} aria-current={i === step ? 'step' : undefined} className={i < step ? 'done' : undefined}>
                <span className="wizard-num" aria-hidden="true">
                  {(i + 1).toLocaleString(locale)}
                </span>
                <span>{t(`intake.step.${s}`)}</span>
              </li>
            ))}
          </ol>
          <form className="card stack" onSubmit={next} noValidate>
            <h2 id="step-title" tabIndex={-1}>
              {t('intake.stepOf', { n: step + 1, total: STEPS.length })} {t(`intake.step.${STEPS[step]!}`)}
            </h2>
            {Object.keys(local).length > 0 ? (
              <div className="alert alert-error" role="alert">
                <p>{t('error.VALIDATION_FAILED')}</p>
              </div>
            ) : null}
            {body}
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" disabled={create.isPending}>
                {step === 0
                  ? t('intake.search.continue')
                  : step === STEPS.length - 1
                    ? create.isPending
                      ? t('state.loading')
                      : t('intake.create')
                    : t('intake.next')}
              </button>
              {step > 0 ? (
                <button type="button" className="btn" onClick={() => go(step - 1)}>
                  {t('intake.back')}
                </button>
              ) : null}
              <button
                type="button"
                className="btn btn-quiet"
                onClick={() => {
                  clear();
                  setDraft(emptyDraft());
                  navigate('/cases');
                }}
              >
                {t('intake.discard')}
              </button>
            </div>
          </form>
        </div>
      )}
    </>
  );
}
