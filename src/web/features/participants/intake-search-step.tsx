/** The first intake step: look for likely duplicates among the user's teams' cases before registering anyone. */
import { Link } from 'react-router';
import { Field } from '../../components/field';
import { ErrorAlert } from '../../components/states';
import { useI18n } from '../../i18n/i18n-provider';
import { useDynamicT, useT } from '../../i18n/use-t';
import { useProgramIndex } from '../programs/program-index';
import type { SearchMatch } from './api';
import type { IntakeDraft } from './intake-draft';
import type { StepProps } from './intake-steps';

/** Step 1: look for the person among the user's teams' cases before registering them again. */
export function SearchStep({
  draft,
  update,
  onSearch,
  searching,
  error,
  matches,
}: Omit<StepProps, 'err'> & {
  onSearch: () => void;
  searching: boolean;
  error: unknown;
  matches: SearchMatch[] | undefined;
}) {
  const t = useT();
  const dt = useDynamicT();
  const { locale } = useI18n();
  const index = useProgramIndex();
  const s = draft.search;
  const setS = (k: keyof IntakeDraft['search'], v: string) => update({ search: { ...s, [k]: v } });
  return (
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
        <button type="button" className="btn" onClick={onSearch} disabled={searching}>
          {searching ? t('state.loading') : t('intake.search.run')}
        </button>
      </p>
      {error ? <ErrorAlert error={error} /> : null}
      {matches ? (
        matches.length === 0 ? (
          <div className="alert alert-success" role="status">
            <p>{t('intake.search.none')}</p>
          </div>
        ) : (
          <div className="alert alert-warning" role="status">
            <p className="alert-title">{t('intake.search.matches', { count: matches.length })}</p>
            <ul className="link-list">
              {matches.map((m) => (
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
}
