/** Intake wizard (/cases/new): search for likely duplicates first, then register a participant. */
import '../../styles/casework.css';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useInvalidFocus } from '../../components/form-focus';
import { PageHeader } from '../../components/page';
import { EmptyState, ErrorAlert, Loading, useFieldMessage } from '../../components/states';
import { useI18n } from '../../i18n/i18n-provider';
import { useT } from '../../i18n/use-t';
import { useProgramIndex } from '../programs/program-index';
import {
  useCreateParticipant,
  useSearchParticipants,
  useTeams,
  type IntakeInput,
  type ParticipantSearchRequest,
} from './api';
import { emptyDraft, useIntakeDraft, type IntakeDraft } from './intake-draft';
import { SearchStep, type SearchState } from './intake-search-step';
import { FamilyStep, IdentityStep, NotesStep, ProgramStep, ReviewStep } from './intake-steps';

const STEPS = ['search', 'program', 'identity', 'family', 'notes', 'review'] as const;

/** Only the fields that were filled in, trimmed. */
function filled(o: object): Record<string, string> {
  return Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => typeof v === 'string' && v.trim() !== '')
      .map(([k, v]) => [k, (v as string).trim()]),
  );
}

/** The search terms a result answers, without the weak-matches switch. */
function termsKey(v: object | undefined): string | null {
  if (!v) return null;
  const { includeWeak: _w, ...terms } = v as { includeWeak?: boolean };
  return JSON.stringify(terms);
}

/** Whether the terms are a combination the server searches with (as its schema requires). */
function searchable(s: Record<string, string>): boolean {
  return !!s.nationalId || (!!s.givenName && !!s.familyName) || (!!s.dateOfBirth && (!!s.givenName || !!s.familyName));
}

/** A text field as sent: left out when blank. */
const given = (v: string | undefined) => (v && v.trim() !== '' ? v : undefined);

/** What the draft sends to POST /participants (null until a legal status is chosen). */
function intakeInput(draft: IntakeDraft): IntakeInput | null {
  if (!draft.legalStatus) return null;
  const id = draft.identity;
  return {
    programId: draft.programId,
    teamId: draft.teamId,
    legalStatus: draft.legalStatus,
    referralSource: draft.referralSource.trim() || undefined,
    languages: draft.languages,
    identity: {
      givenName: id.givenName,
      familyName: id.familyName,
      otherNames: given(id.otherNames),
      dateOfBirth: given(id.dateOfBirth),
      sex: id.sex || undefined,
      nationalId: given(id.nationalId),
      nationality: given(id.nationality),
    },
    familyContacts: draft.familyContacts
      .filter((c) => c.name.trim())
      .map((c) => ({
        name: c.name,
        relationship: c.relationship,
        phone: given(c.phone),
        address: given(c.address),
        notes: given(c.notes),
      })),
    notes: draft.notes.trim() || undefined,
  };
}

/** The /cases/new page. */
export function IntakePage() {
  const t = useT();
  const { locale } = useI18n();
  const navigate = useNavigate();
  const fm = useFieldMessage();
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

  const search = useSearchParticipants();
  const [showWeak, setShowWeak] = useState(false);
  const [needMore, setNeedMore] = useState(false);
  // Each answer (or refusal to search) moves focus to what it says, once drawn.
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    if (asked === 0 || search.isPending) return;
    document.getElementById(search.isSuccess ? 'search-results' : 'search-feedback')?.focus();
  }, [asked, search.isPending, search.isSuccess]);
  const terms = filled(draft.search);
  const currentKey = JSON.stringify(terms);
  // Moving on is possible only once the search for exactly these values has answered.
  const answered = search.isSuccess && termsKey(search.variables) === currentKey;
  const runSearch = (includeWeak: boolean) => {
    if (!searchable(terms)) {
      search.reset();
      setNeedMore(true);
      setAsked((n) => n + 1);
      return;
    }
    setNeedMore(false);
    setAsked((n) => n + 1);
    search.mutate({ ...(terms as ParticipantSearchRequest), ...(includeWeak ? { includeWeak: true } : {}) });
  };
  const searchState: SearchState = search.isPending
    ? { kind: 'searching' }
    : answered
      ? { kind: 'answered', matches: search.data.items, showWeak }
      : search.isError && termsKey(search.variables) === currentKey
        ? { kind: 'error', error: search.error }
        : { kind: 'idle', needMore, stale: search.isSuccess };
  const create = useCreateParticipant({
    onSuccess: (p) => {
      clear();
      void navigate(`/cases/${p.id}`, { replace: true });
    },
  });
  const server = create.fieldErrors;
  const focus = useInvalidFocus(create.error);
  const err = (path: string) => fm(local[path] ?? server[path]);

  const myTeams = (teams.data?.items ?? []).filter((x) => x.mine);
  if (!draft.teamId && myTeams.length === 1) update({ teamId: myTeams[0]!.id });

  const requireAll = (paths: [string, string][]) => {
    const missing: Record<string, string> = {};
    for (const [p, v] of paths) if (!v.trim()) missing[p] = 'required';
    setLocal(missing);
    const ok = Object.keys(missing).length === 0;
    if (!ok) focus.refused();
    return ok;
  };
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
      const input = intakeInput(draft);
      if (input) create.mutate(input);
      return;
    }
    if (step === 0) {
      // Enter in a field and the button both search first; only an answer for these values lets the user on.
      if (search.isPending) return;
      if (!answered) {
        runSearch(showWeak);
        return;
      }
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

  const props = { draft, update, err };
  const body: ReactNode = [
    <SearchStep
      key="search"
      draft={draft}
      update={(patch) => {
        setNeedMore(false);
        update(patch);
      }}
      state={searchState}
      onToggleWeak={() => {
        const next = !showWeak;
        setShowWeak(next);
        // The weak ones are fetched (and audited) only when asked for.
        if (next && search.variables?.includeWeak !== true) runSearch(true);
      }}
    />,
    <ProgramStep key="program" {...props} myTeams={myTeams} />,
    <IdentityStep key="identity" {...props} />,
    <FamilyStep key="family" {...props} />,
    <NotesStep key="notes" {...props} />,
    <ReviewStep
      key="review"
      draft={draft}
      teamName={teamName}
      error={create.error}
      serverErrors={server}
      message={fm}
    />,
  ][step];

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
          <form ref={focus.ref} className="card stack" onSubmit={next} noValidate>
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
              <button type="submit" className="btn btn-primary" disabled={create.isPending || search.isPending}>
                {step === 0
                  ? search.isPending
                    ? t('state.loading')
                    : answered
                      ? t('intake.search.continue')
                      : t('intake.search.run')
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
                  void navigate('/cases');
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
