/** Wire types and query hooks of the academy API (learners: my learning, quizzes, assignments, certificates; staff: cohorts, enrolment, grading). */
import { useQuery } from '@tanstack/react-query';
import type { Locale } from './types';
import { api } from './client';

const A = '/api/v1/academy';

/** A text in every UI language (course content is written in all four). */
export type LocalText = Record<Locale, string>;

// Progress and its reasons have the shapes of the one completion function (src/core/completion.ts).
import type { CourseProgress } from '../../core/completion';
export type { CourseProgress, ModuleProgress, Requirement } from '../../core/completion';

export interface CohortRef {
  id: string;
  name: string;
  memberState: string;
  language: Locale;
  startsOn: string;
  endsOn: string;
}

export interface MyEnrolment {
  id: string;
  cohort: CohortRef;
  courseId: string;
  title: LocalText;
  resumeLesson: string | null;
  certificate: { id: string; code: string } | null;
  progress: CourseProgress;
}

export interface QuizSettings {
  items: number;
  minutes: number;
  attempts: number;
  passMark: number;
  grading: 'highest' | 'last';
}

export interface OutlineLesson {
  id: string;
  title: LocalText;
  summary: LocalText;
  minutes: number;
  /** Languages the lesson text exists in (others fall back to English). */
  locales: Locale[];
}

export interface OutlineModule {
  id: string;
  topic: number;
  title: LocalText;
  summary: LocalText;
  lessons: OutlineLesson[];
  assignment: { id: string; title: LocalText } | null;
  /** Note: snake_case as the server sends it. */
  latestSubmission: { moduleId: string; status: SubmissionStatus; passed: boolean | null; submittedAt: string } | null;
  openAttempt: { id: string; moduleId: string; deadlineAt: string } | null;
}

export interface EnrolmentOutline {
  id: string;
  cohort: CohortRef;
  course: { id: string; title: LocalText; summary: LocalText; quiz: QuizSettings };
  resumeLesson: string | null;
  certificate: { id: string; code: string } | null;
  progress: CourseProgress;
  modules: OutlineModule[];
}

export type ItemKind = 'single' | 'multiple' | 'truefalse' | 'matching' | 'scenario';

export interface QuizItem {
  id: string;
  kind: ItemKind;
  stem: LocalText;
  scenario?: LocalText;
  options?: { id: string; text: LocalText }[];
  lefts?: { id: string; text: LocalText }[];
  rights?: { id: string; text: LocalText }[];
}

export type Answer =
  { choice: string } | { choices: string[] } | { value: boolean } | { pairs: Record<string, string> };

export interface ReviewItem {
  id: string;
  credit: number;
  /** Shown only once the quiz is passed or no attempt is left (with `correct`). */
  feedback?: LocalText;
  /** Option ids (choice kinds), the true/false key, or left id → right id (matching). */
  correct?: string[] | boolean | Record<string, string>;
}

export interface Attempt {
  id: string;
  moduleId: string;
  attemptNo: number;
  status: 'open' | 'submitted' | 'expired';
  startedAt: string;
  deadlineAt: string;
  secondsLeft: number;
  version: number;
  items: QuizItem[];
  answers: Record<string, Answer>;
  score: number | null;
  /** Whether the review carries the key and explanations (passed, or no attempt left). */
  revealed?: boolean;
  review: ReviewItem[] | null;
}

export interface SubmitResult extends Attempt {
  progress: CourseProgress;
  certificateId: string | null;
}

export type SubmissionStatus = 'submitted' | 'graded';

export interface RubricCriterion {
  id: string;
  criterion: LocalText;
  maxPoints: number;
}

export interface AssignmentDef {
  id: string;
  title: LocalText;
  scenario: LocalText;
  prompt: LocalText;
  rubric: RubricCriterion[];
}

export interface MySubmission {
  id: string;
  body: string;
  submittedAt: string;
  status: SubmissionStatus;
  rubric: Record<string, number> | null;
  feedback: string | null;
  passed: boolean | null;
  gradedAt: string | null;
}

export interface AssignmentView {
  assignment: AssignmentDef;
  passRatio: number;
  submissions: MySubmission[];
}

export type CertificateStatus = 'valid' | 'expired' | 'revoked';

export interface Certificate {
  id: string;
  code: string;
  courseId: string;
  title: LocalText;
  holderName: string;
  issuedAt: string;
  expiresAt: string;
  status: CertificateStatus;
}

export interface Credential {
  format: 'vc+jwt';
  jws: string;
  credential: Record<string, unknown>;
}

export interface CohortItem {
  id: string;
  courseId: string;
  name: string;
  memberState: string;
  language: Locale;
  startsOn: string;
  endsOn: string;
  capacity: number;
  version: number;
  enrolled: number;
  completed: number;
  overdue: number;
}

export interface LearnerRow {
  enrolmentId: string;
  name: string;
  email: string;
  account: 'active' | 'invited' | 'disabled';
  memberState: string;
  modulesComplete: number;
  modulesTotal: number;
  current: string | null;
  overdue: boolean;
  grades: Record<string, number | null>;
  complete: boolean;
  /** The certificate's verification code (null when none was issued). */
  certificate: string | null;
  /** The certificate's id, for revoking it (null when none was issued). */
  certificateId: string | null;
  certificateRevoked: boolean;
}

export interface CohortDetail extends Omit<CohortItem, 'enrolled' | 'completed' | 'overdue'> {
  facilitators: { id: string; name: string }[];
  learners: LearnerRow[];
  modules: { id: string; title: LocalText }[];
}

/** An active user with the facilitator role, to choose for a cohort. */
export interface FacilitatorOption {
  id: string;
  name: string;
}

export interface CountryRow {
  memberState: string;
  cohorts: number;
  learners: number;
  completed: number;
  overdue: number;
}

export interface CohortInput {
  name: string;
  memberState: string;
  language: Locale;
  startsOn: string;
  endsOn: string;
  capacity: number;
  facilitatorIds: string[];
}

export interface EnrolResultRow {
  line: number;
  email: string;
  outcome: 'enrol' | 'invite' | 'error';
  code?: string;
  link?: string;
}

export interface EnrolResponse {
  committed: boolean;
  rows: number;
  ok: number;
  errors: number;
  enrolled: number;
  invited: number;
  results: EnrolResultRow[];
}

export interface GradingItem {
  id: string;
  moduleId: string;
  submittedAt: string;
  learner: string;
  cohort: { id: string; name: string };
}

export interface SubmissionForGrading {
  id: string;
  moduleId: string;
  learner: string;
  body: string;
  submittedAt: string;
  status: SubmissionStatus;
  rubric: Record<string, number> | null;
  feedback: string | null;
  passed: boolean | null;
  version: number;
  assignment: AssignmentDef;
  passRatio: number;
}

export interface GradeResult {
  id: string;
  passed: boolean;
  points: number;
  max: number;
  certificateId: string | null;
}

/** Query keys of the academy, so mutations can invalidate precisely. */
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

function useGet<T>(
  key: readonly unknown[],
  path: string,
  opts: { enabled?: boolean; refetchOnWindowFocus?: boolean; staleTime?: number } = {},
) {
  return useQuery({ queryKey: key, queryFn: ({ signal }) => api<T>('GET', path, { signal }), ...opts });
}

export const useMyLearning = () => useGet<{ items: MyEnrolment[] }>(academyKeys.me, `${A}/me`);
export const useEnrolment = (id: string, enabled = true) =>
  useGet<EnrolmentOutline>(academyKeys.enrolment(id), `${A}/enrolments/${encodeURIComponent(id)}`, { enabled });
export const useAttempt = (id: string) =>
  useGet<Attempt>(academyKeys.attempt(id), `${A}/attempts/${encodeURIComponent(id)}`, {
    refetchOnWindowFocus: true,
    staleTime: 0,
  });
export const useAssignment = (enrolmentId: string, moduleId: string) =>
  useGet<AssignmentView>(
    academyKeys.assignment(enrolmentId, moduleId),
    `${A}/enrolments/${encodeURIComponent(enrolmentId)}/modules/${encodeURIComponent(moduleId)}/assignment`,
  );
export const useCertificates = () => useGet<{ items: Certificate[] }>(academyKeys.certificates, `${A}/certificates`);
export const useCohorts = () => useGet<{ items: CohortItem[] }>(academyKeys.cohorts, `${A}/cohorts`);
export const useCohort = (id: string) =>
  useGet<CohortDetail>(academyKeys.cohort(id), `${A}/cohorts/${encodeURIComponent(id)}`);
export const useFacilitators = (enabled = true) =>
  useGet<{ items: FacilitatorOption[] }>(academyKeys.facilitators, `${A}/facilitators`, { enabled });
export const useCountryReport = () => useGet<{ items: CountryRow[] }>(academyKeys.countries, `${A}/reports/countries`);
export const useGradingQueue = () => useGet<{ items: GradingItem[] }>(academyKeys.grading, `${A}/grading`);
export const useSubmission = (id: string) =>
  useGet<SubmissionForGrading>(academyKeys.submission(id), `${A}/submissions/${encodeURIComponent(id)}`);

export const academyPaths = {
  startAttempt: (enrolmentId: string, moduleId: string) =>
    `${A}/enrolments/${encodeURIComponent(enrolmentId)}/modules/${encodeURIComponent(moduleId)}/attempts`,
  answer: (attemptId: string, itemId: string) =>
    `${A}/attempts/${encodeURIComponent(attemptId)}/answers/${encodeURIComponent(itemId)}`,
  submit: (attemptId: string) => `${A}/attempts/${encodeURIComponent(attemptId)}/submit`,
  submissions: (enrolmentId: string, moduleId: string) =>
    `${A}/enrolments/${encodeURIComponent(enrolmentId)}/modules/${encodeURIComponent(moduleId)}/submissions`,
  certificatePdf: (id: string) => `${A}/certificates/${encodeURIComponent(id)}/pdf`,
  credential: (id: string) => `${A}/certificates/${encodeURIComponent(id)}/credential`,
  cohorts: `${A}/cohorts`,
  cohort: (cohortId: string) => `${A}/cohorts/${encodeURIComponent(cohortId)}`,
  enrolments: (cohortId: string) => `${A}/cohorts/${encodeURIComponent(cohortId)}/enrolments`,
  progressCsv: (cohortId: string) => `${A}/cohorts/${encodeURIComponent(cohortId)}/progress.csv`,
  grade: (submissionId: string) => `${A}/submissions/${encodeURIComponent(submissionId)}/grade`,
  grants: (enrolmentId: string) => `${A}/enrolments/${encodeURIComponent(enrolmentId)}/grants`,
  revokeCertificate: (certificateId: string) => `${A}/certificates/${encodeURIComponent(certificateId)}/revoke`,
  /** The learner's own transcript (PDF download). */
  transcriptPdf: (enrolmentId: string) => `${A}/enrolments/${encodeURIComponent(enrolmentId)}/transcript.pdf`,
  /** The server-rendered lesson reader (a full page, outside the SPA). */
  lesson: (enrolmentId: string, lessonId: string) =>
    `/learn/${encodeURIComponent(enrolmentId)}/${encodeURIComponent(lessonId)}`,
  /** The public verification page (server-rendered). */
  verify: (code: string) => `/verify/${encodeURIComponent(code)}`,
};

/** Roles that run cohorts; coordinators also create cohorts and enrol learners. */
export const COHORT_ROLES = ['coordinator', 'facilitator'];
