/** The academy's learner reads and writes: my learning, the course outline, quiz attempts, assignments, certificates. */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useGet, useWrite } from '../../api/hooks';
import type {
  Answer,
  AssignmentView,
  Attempt,
  Certificate,
  Credential,
  EnrolmentOutline,
  MyEnrolment,
  SubmitResult,
} from './types';

export const A = '/api/v1/academy';
const e = encodeURIComponent;

/** Query keys of the academy, so writes can refresh precisely. */
export const academyKeys = {
  me: ['academy', 'me'] as const,
  enrolment: (id: string) => ['academy', 'enrolment', id] as const,
  attempt: (id: string) => ['academy', 'attempt', id] as const,
  assignment: (enrolmentId: string, moduleId: string) => ['academy', 'assignment', enrolmentId, moduleId] as const,
  certificates: ['academy', 'certificates'] as const,
  cohorts: ['academy', 'cohorts'] as const,
  cohort: (id: string) => ['academy', 'cohort', id] as const,
  facilitators: ['academy', 'facilitators'] as const,
  countries: ['academy', 'countries'] as const,
  grading: ['academy', 'grading'] as const,
  submission: (id: string) => ['academy', 'submission', id] as const,
};

/** Addresses the browser opens itself: downloads and server-rendered pages. */
export const academyLinks = {
  certificatePdf: (id: string) => `${A}/certificates/${e(id)}/pdf`,
  progressCsv: (cohortId: string) => `${A}/cohorts/${e(cohortId)}/progress.csv`,
  /** The learner's own transcript (PDF download). */
  transcriptPdf: (enrolmentId: string) => `${A}/enrolments/${e(enrolmentId)}/transcript.pdf`,
  /** The server-rendered lesson reader (a full page, outside the SPA). */
  lesson: (enrolmentId: string, lessonId: string) => `/learn/${e(enrolmentId)}/${e(lessonId)}`,
  /** The public verification page (server-rendered). */
  verify: (code: string) => `/verify/${e(code)}`,
};

const modulePath = (enrolmentId: string, moduleId: string) =>
  `${A}/enrolments/${e(enrolmentId)}/modules/${e(moduleId)}`;

export const useMyLearning = () => useGet<{ items: MyEnrolment[] }>(academyKeys.me, `${A}/me`);
export const useEnrolment = (id: string, enabled = true) =>
  useGet<EnrolmentOutline>(academyKeys.enrolment(id), `${A}/enrolments/${e(id)}`, { enabled });
/** An attempt, read again on focus: the server's clock is the one that counts. */
export const useAttempt = (id: string) =>
  useGet<Attempt>(academyKeys.attempt(id), `${A}/attempts/${e(id)}`, { refetchOnWindowFocus: true, staleTime: 0 });
export const useAssignment = (enrolmentId: string, moduleId: string) =>
  useGet<AssignmentView>(
    academyKeys.assignment(enrolmentId, moduleId),
    `${modulePath(enrolmentId, moduleId)}/assignment`,
  );
export const useCertificates = () => useGet<{ items: Certificate[] }>(academyKeys.certificates, `${A}/certificates`);

/** Refreshes the course outline and my learning (after an attempt closed by its timer). */
export function useRefreshProgress(enrolmentId: string) {
  const qc = useQueryClient();
  return useCallback(() => {
    void qc.invalidateQueries({ queryKey: academyKeys.enrolment(enrolmentId) });
    void qc.invalidateQueries({ queryKey: academyKeys.me });
  }, [qc, enrolmentId]);
}

/** POST …/modules/{id}/attempts: starts (or resumes) a quiz attempt; its timer runs from now. */
export function useStartAttempt(enrolmentId: string, options?: { onSuccess?: (a: Attempt) => unknown }) {
  return useWrite<string, Attempt>(
    {
      method: 'POST',
      path: (moduleId) => `${modulePath(enrolmentId, moduleId)}/attempts`,
      updates: (a) => [[academyKeys.attempt(a.id), a]],
      invalidates: () => [academyKeys.enrolment(enrolmentId)],
    },
    options,
  );
}

/** PUT /attempts/{id}/answers/{item}: saves one answer as it is given; the answer says how long is left. */
export function useSaveAnswer(attemptId: string) {
  return useWrite<{ itemId: string; answer: Answer }, { saved: boolean; secondsLeft: number }>({
    method: 'PUT',
    path: (v) => `${A}/attempts/${e(attemptId)}/answers/${e(v.itemId)}`,
    body: (v) => v.answer,
  });
}

/** POST /attempts/{id}/submit with If-Match, once the answers still being saved are in. */
export function useSubmitAttempt(
  attempt: Pick<Attempt, 'id' | 'version'>,
  enrolmentId: string,
  options?: { onSuccess?: (r: SubmitResult) => unknown; onError?: (e: Error) => unknown },
) {
  return useWrite<{ after: Promise<unknown>[] }, SubmitResult>(
    {
      method: 'POST',
      path: () => `${A}/attempts/${e(attempt.id)}/submit`,
      before: (v) => Promise.all(v.after),
      version: () => attempt.version,
      updates: (r) => [[academyKeys.attempt(r.id), r]],
      invalidates: (_v, r) => [
        academyKeys.enrolment(enrolmentId),
        academyKeys.me,
        ...(r.certificateId ? [academyKeys.certificates] : []),
      ],
    },
    options,
  );
}

/** POST …/modules/{id}/submissions { body }: an answer to the module's case assignment. */
export function useSubmitAssignment(enrolmentId: string, moduleId: string, options?: { onSuccess?: () => unknown }) {
  return useWrite<string, { id: string }>(
    {
      method: 'POST',
      path: () => `${modulePath(enrolmentId, moduleId)}/submissions`,
      body: (body) => ({ body }),
      invalidates: () => [academyKeys.assignment(enrolmentId, moduleId), academyKeys.enrolment(enrolmentId)],
    },
    options,
  );
}

/** GET /certificates/{id}/credential: the signed Open Badge, fetched to be saved as a file. */
export function useCredential(certificateId: string, options?: { onSuccess?: (c: Credential) => unknown }) {
  return useWrite<void, Credential>(
    { method: 'GET', path: () => `${A}/certificates/${e(certificateId)}/credential` },
    options,
  );
}
