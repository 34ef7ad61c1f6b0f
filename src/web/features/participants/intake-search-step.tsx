/** The first intake step: look for likely duplicates among the user's teams' cases before registering anyone. */
import { Link } from 'react-router';
import { Field } from '../../components/field';
import { ErrorAlert } from '../../components/states';
import { useI18n } from '../../i18n/i18n-provider';
import { useT } from '../../i18n/use-t';
import { useProgramIndex } from '../programs/program-index';
import type { SearchMatch } from './api';
import type { IntakeDraft } from './intake-draft';
import type { StepProps } from './intake-steps';

const STRENGTHS = ['strong', 'possible', 'weak'] as const;

/** What the search step shows below the fields. */
export type SearchState =
  /** Nothing searched yet for these values (or not enough to search with). */
  | { kind: 'idle'; needMore: boolean; stale: boolean }
  | { kind: 'searching' }
  | { kind: 'error'; error: unknown }
  | { kind: 'answered'; matches: SearchMatch[]; showWeak: boolean };

/** Step 1: look for the person among the user's teams' cases before registering them again. */
export function SearchStep({
  draft,
  update,
  state,
  onToggleWeak,
}: Omit<StepProps, 'err'> & {
  state: SearchState;
  onToggleWeak: () => void;
}) {
  const t = useT();
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
      <p className="small muted">{t('intake.search.enterHint')}</p>
      {/* Announced when the search answers (focus also moves to the results or the error). */}
      <div role="status" className="visually-hidden">
        {state.kind === 'searching'
          ? t('state.loading')
          : state.kind === 'answered'
            ? summary(t, state.matches.filter((m) => state.showWeak || m.strength !== 'weak').length)
            : ''}
      </div>
      {state.kind === 'idle' && state.needMore ? (
        <div id="search-feedback" tabIndex={-1} className="alert alert-error">
          <p>{t('intake.search.needMore')}</p>
        </div>
      ) : null}
      {state.kind === 'idle' && state.stale && !state.needMore ? (
        <div id="search-feedback" tabIndex={-1} className="alert alert-info">
          <p>{t('intake.search.stale')}</p>
        </div>
      ) : null}
      {state.kind === 'error' ? (
        <div id="search-feedback" tabIndex={-1}>
          <ErrorAlert error={state.error} />
        </div>
      ) : null}
      {state.kind === 'answered' ? (
        <SearchResults matches={state.matches} showWeak={state.showWeak} onToggleWeak={onToggleWeak} />
      ) : null}
    </>
  );
}

function summary(t: ReturnType<typeof useT>, count: number): string {
  return count === 0 ? t('intake.search.none') : t('intake.search.matches', { count });
}

/** The answer: matches grouped by strength, with why they matched and what tells them apart. */
function SearchResults({
  matches,
  showWeak,
  onToggleWeak,
}: {
  matches: SearchMatch[];
  showWeak: boolean;
  onToggleWeak: () => void;
}) {
  const t = useT();
  const { locale } = useI18n();
  const index = useProgramIndex();
  const list = new Intl.ListFormat(locale, { type: 'conjunction' });
  const month = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' });
  const shown = matches.filter((m) => showWeak || m.strength !== 'weak');
  const groups = STRENGTHS.map((k) => ({ k, items: shown.filter((m) => (m.strength ?? 'possible') === k) })).filter(
    (g) => g.items.length > 0,
  );
  return (
    <section
      className={`alert ${shown.length === 0 ? 'alert-success' : 'alert-warning'} stack`}
      aria-labelledby="search-results"
    >
      <h3 id="search-results" tabIndex={-1} className="alert-title">
        {summary(t, shown.length)}
      </h3>
      {groups.map((g) => (
        <div key={g.k}>
          <h4 className="search-group">{t(`intake.search.strength.${g.k}`)}</h4>
          <ul className="link-list">
            {g.items.map((m) => (
              <li key={m.id}>
                <Link to={`/cases/${m.id}`} aria-label={t('intake.search.open', { code: m.code })}>
                  <bdi className="code">{m.code}</bdi>
                </Link>{' '}
                <span className="muted">
                  {[
                    index.programName(m.programId),
                    index.phaseName(m.programId, m.phaseKey),
                    m.teamName ? t('intake.search.team', { team: m.teamName }) : null,
                    m.registeredMonth
                      ? t('intake.search.registered', {
                          month: month.format(new Date(`${m.registeredMonth}-01T00:00:00Z`)),
                        })
                      : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
                <br />
                <span className="small">
                  {t('intake.search.matchedOn', {
                    list: list.format((m.reasons ?? []).map((r) => t(`intake.search.reason.${r}`))),
                  })}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ))}
      <p>
        <button type="button" className="btn btn-quiet" aria-pressed={showWeak} onClick={onToggleWeak}>
          {t('intake.search.showWeak')}
        </button>
      </p>
    </section>
  );
}
