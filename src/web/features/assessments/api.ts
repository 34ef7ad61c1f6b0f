/** The assessments feature's reads and writes: a participant's assessments, one assessment, ratings, finalising, amending, teams. */
import type { QueryClient } from '@tanstack/react-query';
import { withQuery } from '../../api/client';
import { useGet, useReload, useWrite } from '../../api/hooks';
import type { Locale } from '../../api/types';
import { caseKeys } from '../participants/api';
import type { Assessment, AssessmentSummary, Comparison, Evidence, FinalInput, Reconciliation } from './types';

const V = '/api/v1';
const A = (id: string) => `${V}/assessments/${id}`;

export const assessmentKeys = {
  list: (participantId: string) => ['participant', participantId, 'assessments'] as const,
  one: (id: string) => ['assessment', id] as const,
  reconciliation: (id: string) => ['assessment', id, 'reconciliation'] as const,
  compare: (participantId: string, instrumentKey: string, scale: string) =>
    ['participant', participantId, 'assessments', 'compare', instrumentKey, scale] as const,
};

/** The report PDF of a finalised assessment, in a language (a download link). */
export const assessmentReportHref = (id: string, locale: Locale) => `${A(id)}/report.pdf?locale=${locale}`;

export const useAssessments = (participantId: string) =>
  useGet<{ items: AssessmentSummary[] }>(
    assessmentKeys.list(participantId),
    `${V}/participants/${participantId}/assessments`,
  );
export const useAssessment = (id: string, enabled = true) =>
  useGet<Assessment>(assessmentKeys.one(id), A(id), { enabled: enabled && Boolean(id) });
export const useReconciliation = (id: string, enabled = true) =>
  useGet<Reconciliation>(assessmentKeys.reconciliation(id), `${A(id)}/reconciliation`, { enabled });
export const useComparison = (participantId: string, instrumentKey: string | undefined, scale: string) =>
  useGet<Comparison>(
    assessmentKeys.compare(participantId, instrumentKey ?? '', scale),
    withQuery(`${V}/participants/${participantId}/assessments/compare`, { instrumentKey, scale }),
    { enabled: Boolean(instrumentKey) },
  );

/** Reads an assessment again past the cache (after a version conflict). */
export const useReloadAssessment = (id: string, options?: { onSuccess?: (a: Assessment) => unknown }) =>
  useReload<Assessment>(assessmentKeys.one(id), A(id), options);

/**
 * POST /participants/{id}/assessments: starts an assessment of an instrument version, or joins a
 * colleague's draft as a further assessor (a draft of one's own in the same group).
 */
export function useStartAssessment(participantId: string, options?: { onSuccess?: (a: Assessment) => unknown }) {
  return useWrite<{ instrumentKey: string; instrumentVersion: string; joinAssessmentId?: string }, Assessment>(
    {
      method: 'POST',
      path: () => `${V}/participants/${participantId}/assessments`,
      body: (v) => v,
      updates: (a) => [[assessmentKeys.one(a.id), a]],
      invalidates: () => [assessmentKeys.list(participantId)],
    },
    options,
  );
}

/** The newest version of an assessment the cache knows (saves follow each other, each with the version before). */
const latestVersion = (id: string, fallback: number) => (_v: unknown, qc: QueryClient) =>
  qc.getQueryData<Assessment>(assessmentKeys.one(id))?.version ?? fallback;

/**
 * PUT /assessments/{id}/items/{code}: one item's ratings and evidence (autosave). Saves of one
 * assessment queue up, each with the latest version as If-Match; `alsoRefresh` names a team
 * reconciliation to read again.
 */
export function useSaveItemRating(assessment: Pick<Assessment, 'id' | 'version'>, alsoRefresh?: string) {
  return useWrite<{ code: string; ratings: Record<string, string>; evidence: Evidence[] }, Assessment>({
    method: 'PUT',
    path: (v) => `${A(assessment.id)}/items/${encodeURIComponent(v.code)}`,
    body: (v) => ({ ratings: v.ratings, evidence: v.evidence }),
    queue: () => `assessment:${assessment.id}`,
    version: latestVersion(assessment.id, assessment.version),
    updates: (a) => [[assessmentKeys.one(a.id), a]],
    invalidates: () => (alsoRefresh ? [assessmentKeys.reconciliation(alsoRefresh)] : []),
  });
}

/** PATCH /assessments/{id}: formulation, scenarios, management plan, judgement and reasons (If-Match, latest version). */
export function useSaveFinalSection(
  assessment: Pick<Assessment, 'id' | 'version'>,
  options?: { onSuccess?: () => unknown },
) {
  return useWrite<FinalInput, Assessment>(
    {
      method: 'PATCH',
      path: () => A(assessment.id),
      body: (v) => v,
      queue: () => `assessment:${assessment.id}`,
      version: latestVersion(assessment.id, assessment.version),
      updates: (a) => [[assessmentKeys.one(a.id), a]],
    },
    options,
  );
}

/** POST /assessments/{id}/finalise with If-Match: locks the assessment, after any autosave still on its way. */
export function useFinaliseAssessment(assessment: Assessment, options?: { onSuccess?: () => unknown }) {
  return useWrite<void, Assessment>(
    {
      method: 'POST',
      path: () => `${A(assessment.id)}/finalise`,
      queue: () => `assessment:${assessment.id}`,
      version: latestVersion(assessment.id, assessment.version),
      updates: (a) => [[assessmentKeys.one(a.id), a]],
      invalidates: () => [
        assessmentKeys.list(assessment.participantId),
        caseKeys.participant(assessment.participantId),
      ],
    },
    options,
  );
}

/** POST /assessments/{id}/amend: a new draft that supersedes a finalised assessment. */
export function useAmendAssessment(
  participantId: string,
  assessmentId: string,
  options?: { onSuccess?: (a: Assessment) => unknown },
) {
  return useWrite<void, Assessment>(
    {
      method: 'POST',
      path: () => `${A(assessmentId)}/amend`,
      updates: (a) => [[assessmentKeys.one(a.id), a]],
      invalidates: () => [assessmentKeys.list(participantId)],
    },
    options,
  );
}
