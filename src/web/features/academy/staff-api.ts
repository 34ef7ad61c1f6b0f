/** The academy's staff reads and writes: cohorts, enrolment (one invitation or a CSV file), reports, grading, extra attempts, revocation. */
import { useGet, useReload, useWrite } from '../../api/hooks';
import { A, academyKeys } from './api';
import type {
  CohortDetail,
  CohortInput,
  CohortItem,
  CountryRow,
  EnrolResponse,
  FacilitatorOption,
  GradeResult,
  GradingItem,
  SubmissionForGrading,
} from './types';

const e = encodeURIComponent;
const cohortPath = (id: string) => `${A}/cohorts/${e(id)}`;

export const useCohorts = () => useGet<{ items: CohortItem[] }>(academyKeys.cohorts, `${A}/cohorts`);
export const useCohort = (id: string) => useGet<CohortDetail>(academyKeys.cohort(id), cohortPath(id));
export const useFacilitators = (enabled = true) =>
  useGet<{ items: FacilitatorOption[] }>(academyKeys.facilitators, `${A}/facilitators`, { enabled });
export const useCountryReport = () => useGet<{ items: CountryRow[] }>(academyKeys.countries, `${A}/reports/countries`);
export const useGradingQueue = () => useGet<{ items: GradingItem[] }>(academyKeys.grading, `${A}/grading`);
export const useSubmission = (id: string) =>
  useGet<SubmissionForGrading>(academyKeys.submission(id), `${A}/submissions/${e(id)}`);

/** POST /cohorts. */
export function useCreateCohort(options?: { onSuccess?: (c: CohortItem) => unknown }) {
  return useWrite<CohortInput, CohortItem>(
    {
      method: 'POST',
      path: () => `${A}/cohorts`,
      body: (v) => v,
      invalidates: () => [academyKeys.cohorts, academyKeys.countries],
    },
    options,
  );
}

/** PATCH /cohorts/{id} with If-Match. */
export function useSaveCohort(
  cohortId: string,
  options?: { onSuccess?: () => unknown; onError?: (e: Error) => unknown },
) {
  return useWrite<{ body: CohortInput; version: number }, CohortItem>(
    {
      method: 'PATCH',
      path: () => cohortPath(cohortId),
      body: (v) => v.body,
      version: (v) => v.version,
      invalidates: () => [academyKeys.cohort(cohortId), academyKeys.cohorts, academyKeys.countries],
    },
    options,
  );
}

/** Reads the cohort again after a version conflict. */
export const useReloadCohort = (cohortId: string, options?: { onSuccess?: (c: CohortDetail) => unknown }) =>
  useReload<CohortDetail>(academyKeys.cohort(cohortId), cohortPath(cohortId), options);

/**
 * POST /cohorts/{id}/enrolments: one learner ({ email, name }), or a CSV file checked first
 * ({ csv, commit: false }) and then enrolled all at once ({ csv, commit: true }).
 */
export function useEnrol(cohortId: string) {
  return useWrite<{ email: string; name: string } | { csv: string; commit: boolean }, EnrolResponse>({
    method: 'POST',
    path: () => `${cohortPath(cohortId)}/enrolments`,
    body: (v) => v,
    invalidates: (v) =>
      'commit' in v
        ? v.commit
          ? [academyKeys.cohort(cohortId), academyKeys.cohorts, academyKeys.countries]
          : []
        : [academyKeys.cohort(cohortId), academyKeys.cohorts],
  });
}

/** POST /enrolments/{id}/grants { moduleId, count }: extra quiz attempts for one learner. */
export function useGrantAttempts(
  cohortId: string,
  enrolmentId: string,
  options?: { onSuccess?: (v: { moduleId: string; count: number }) => unknown },
) {
  return useWrite<{ moduleId: string; count: number }, unknown>(
    {
      method: 'POST',
      path: () => `${A}/enrolments/${e(enrolmentId)}/grants`,
      body: (v) => v,
      invalidates: () => [academyKeys.cohort(cohortId)],
    },
    { onSuccess: (_r, v) => options?.onSuccess?.(v) },
  );
}

/** POST /certificates/{id}/revoke { reason } (the cohort is read again whatever the outcome). */
export function useRevokeCertificate(cohortId: string, options?: { onSuccess?: () => unknown }) {
  return useWrite<{ id: string; reason: string }, void>(
    {
      method: 'POST',
      path: (v) => `${A}/certificates/${e(v.id)}/revoke`,
      body: (v) => ({ reason: v.reason }),
      refreshOnError: true,
      invalidates: () => [academyKeys.cohort(cohortId)],
    },
    options,
  );
}

/** POST /submissions/{id}/grade { rubric, feedback } with If-Match. */
export function useGradeSubmission(
  submission: Pick<SubmissionForGrading, 'id' | 'version'>,
  options?: { onSuccess?: (r: GradeResult) => unknown },
) {
  return useWrite<{ rubric: Record<string, number>; feedback: string }, GradeResult>(
    {
      method: 'POST',
      path: () => `${A}/submissions/${e(submission.id)}/grade`,
      body: (v) => v,
      version: () => submission.version,
      invalidates: () => [academyKeys.grading, academyKeys.submission(submission.id), academyKeys.cohorts],
    },
    options,
  );
}

/** POST /enrolments/{id}/invitation: a pending invitation sent again (a new link; earlier ones stop working). */
export function useResendInvitation(
  cohortId: string,
  options?: { onSuccess?: (r: { link: string; sentAt: string; expiresAt: string }) => unknown },
) {
  return useWrite<{ enrolmentId: string }, { link: string; sentAt: string; expiresAt: string }>(
    {
      method: 'POST',
      path: (v) => `${A}/enrolments/${e(v.enrolmentId)}/invitation`,
      invalidates: () => [academyKeys.cohort(cohortId)],
    },
    options,
  );
}
