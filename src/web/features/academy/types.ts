/** Wire types of the academy API (learners: my learning, quizzes, assignments, certificates; staff: cohorts, enrolment, grading). */
import type { z } from 'zod';
import type { Assignment, BankItem, CourseSettings, LocalText } from '../../../core/academy';
import type { CertificateStatus } from '../../../core/certificate';
import type { EnrolResult, Lateness, SettledModule, SettledProgress } from '../../../core/enrolment';
import type {
  CohortInput as CohortInputSchema,
  CredentialResponse,
  Facilitators,
} from '../../../server/modules/academy/schema';
import type { Answer } from '../../../core/quiz';
import type { Locale } from '../../api/types';

// Course texts, progress and its reasons, and answers have the shapes core gives them.
// The server settles the overdue rule (core/enrolment.ts): a module says what is late and since when.
export type CourseProgress = SettledProgress;
export type ModuleProgress = SettledModule;
export type { LocalText, Answer, CertificateStatus, Lateness };
export type { Requirement } from '../../../core/completion';

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

export type QuizSettings = CourseSettings['quiz'];

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

export type ItemKind = BankItem['kind'];

export interface QuizItem {
  id: string;
  kind: ItemKind;
  stem: LocalText;
  scenario?: LocalText;
  options?: { id: string; text: LocalText }[];
  lefts?: { id: string; text: LocalText }[];
  rights?: { id: string; text: LocalText }[];
}

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

export type AssignmentDef = z.infer<typeof Assignment>;
export type RubricCriterion = AssignmentDef['rubric'][number];

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

export type Credential = z.infer<typeof CredentialResponse>;

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
  /** Null while the invitation is pending (no progress is reported then). */
  modulesComplete: number | null;
  modulesTotal: number;
  current: string | null;
  overdue: boolean;
  /** The first late module: which, due when, how many days late. */
  late: { module: string; dueAt: string; daysLate: number } | null;
  grades: Record<string, number | null>;
  complete: boolean;
  /** The certificate's verification code (null when none was issued). */
  certificate: string | null;
  /** The certificate's id, for revoking it (null when none was issued). */
  certificateId: string | null;
  certificateRevoked: boolean;
  /** When the (latest) invitation was sent, for a learner who has not accepted it yet. */
  invitedAt: string | null;
}

export interface CohortDetail extends Omit<CohortItem, 'enrolled' | 'completed' | 'overdue'> {
  facilitators: { id: string; name: string }[];
  learners: LearnerRow[];
  modules: { id: string; title: LocalText }[];
}

/** An active user with the facilitator role, to choose for a cohort. */
export type FacilitatorOption = z.infer<typeof Facilitators>['items'][number];

export interface CountryRow {
  memberState: string;
  cohorts: number;
  learners: number;
  completed: number;
  overdue: number;
}

export type CohortInput = z.input<typeof CohortInputSchema>;

export type EnrolResultRow = EnrolResult;

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
