/** Routes of the web app, with session and role guards; pages are code-split with React.lazy. */
import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { useCan } from './api/abilities';
import { useMe } from './api/queries';
import type { Me } from './api/types';
import { ErrorAlert, Loading } from './components/states';
import { canSee, homePath } from './layout/nav';
import { PreferenceSync } from './layout/preference-sync';
import { SessionWatch, type LoginState } from './layout/session-watch';
import { Shell } from './layout/shell';

const LoginPage = lazy(() => import('./features/auth/login-page').then((m) => ({ default: m.LoginPage })));
const InvitePage = lazy(() => import('./features/auth/invite-page').then((m) => ({ default: m.InvitePage })));
const ComingSoonPage = lazy(() => import('./layout/coming-soon-page').then((m) => ({ default: m.ComingSoonPage })));
const CasesPage = lazy(() => import('./features/participants/cases-page').then((m) => ({ default: m.CasesPage })));
const IntakePage = lazy(() => import('./features/participants/intake-page').then((m) => ({ default: m.IntakePage })));
const ParticipantPage = lazy(() =>
  import('./features/participants/participant-page').then((m) => ({ default: m.ParticipantPage })),
);
const AssessmentPage = lazy(() =>
  import('./features/assessments/assessment-page').then((m) => ({ default: m.AssessmentPage })),
);
const ReconciliationPage = lazy(() =>
  import('./features/assessments/reconciliation-page').then((m) => ({ default: m.ReconciliationPage })),
);
const WorkPage = lazy(() => import('./features/casework/work-page').then((m) => ({ default: m.WorkPage })));
const ProgramsPage = lazy(() => import('./features/programs/programs-page').then((m) => ({ default: m.ProgramsPage })));
const ProgramEditPage = lazy(() =>
  import('./features/programs/program-edit-page').then((m) => ({ default: m.ProgramEditPage })),
);
const InstrumentsPage = lazy(() =>
  import('./features/instruments/instruments-page').then((m) => ({ default: m.InstrumentsPage })),
);
const InstrumentDetailPage = lazy(() =>
  import('./features/instruments/detail-page').then((m) => ({ default: m.InstrumentDetailPage })),
);
const UsersPage = lazy(() => import('./features/users/users-page').then((m) => ({ default: m.UsersPage })));
const AuditPage = lazy(() => import('./features/audit/audit-page').then((m) => ({ default: m.AuditPage })));
const ProfilePage = lazy(() => import('./features/auth/profile-page').then((m) => ({ default: m.ProfilePage })));
const MfaPage = lazy(() => import('./features/auth/mfa-page').then((m) => ({ default: m.MfaPage })));
const LoginSessionsPage = lazy(() =>
  import('./features/auth/login-sessions-page').then((m) => ({ default: m.LoginSessionsPage })),
);
const PasswordPage = lazy(() => import('./features/auth/password-page').then((m) => ({ default: m.PasswordPage })));
const MyLearningPage = lazy(() =>
  import('./features/academy/my-learning-page').then((m) => ({ default: m.MyLearningPage })),
);
const CoursePage = lazy(() => import('./features/academy/course-page').then((m) => ({ default: m.CoursePage })));
const QuizPage = lazy(() => import('./features/academy/quiz-page').then((m) => ({ default: m.QuizPage })));
const AssignmentPage = lazy(() =>
  import('./features/academy/assignment-page').then((m) => ({ default: m.AssignmentPage })),
);
const CertificatesPage = lazy(() =>
  import('./features/academy/certificates-page').then((m) => ({ default: m.CertificatesPage })),
);
const CohortsPage = lazy(() => import('./features/academy/cohorts-page').then((m) => ({ default: m.CohortsPage })));
const CohortPage = lazy(() => import('./features/academy/cohort-page').then((m) => ({ default: m.CohortPage })));
const GradingPage = lazy(() => import('./features/academy/grading-page').then((m) => ({ default: m.GradingPage })));
const GradePage = lazy(() => import('./features/academy/grading-page').then((m) => ({ default: m.GradePage })));
const BoardsPage = lazy(() => import('./features/boards/boards-page').then((m) => ({ default: m.BoardsPage })));
const MeetingPage = lazy(() => import('./features/boards/meeting-page').then((m) => ({ default: m.MeetingPage })));
const NotFoundPage = lazy(() => import('./layout/not-found-page').then((m) => ({ default: m.NotFoundPage })));
const ForbiddenPage = lazy(() => import('./layout/not-found-page').then((m) => ({ default: m.ForbiddenPage })));

/** Renders the signed-in shell, or sends the visitor to the login page. */
function Authenticated() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading />;
  if (me.isError)
    return (
      <main id="main" className="public-main">
        <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />
      </main>
    );
  if (!me.data || !me.data.session.mfaPassed) {
    const state: LoginState = { from: location.pathname + location.search };
    return <Navigate to="/login" replace state={state} />;
  }
  return <Shell me={me.data} />;
}

/** Shows a section only to users whose abilities open it (the server still refuses what they may not do). */
function Section({ id, me, children }: { id: string; me: Me | null | undefined; children: ReactNode }) {
  const can = useCan();
  if (!me) return null;
  return canSee(can, id) ? <>{children}</> : <ForbiddenPage />;
}

function Home() {
  const me = useMe();
  const can = useCan();
  if (!me.data) return null;
  return <Navigate to={homePath(can)} replace />;
}

function AppRoutes() {
  const me = useMe().data;
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/invite/:token" element={<InvitePage />} />
      <Route element={<Authenticated />}>
        <Route index element={<Home />} />
        <Route
          path="work"
          element={
            <Section id="work" me={me}>
              <WorkPage />
            </Section>
          }
        />
        <Route
          path="overview"
          element={
            <Section id="overview" me={me}>
              <ComingSoonPage section="overview" />
            </Section>
          }
        />
        <Route
          path="boards"
          element={
            <Section id="boards" me={me}>
              <BoardsPage />
            </Section>
          }
        />
        <Route
          path="boards/meetings/:id"
          element={
            <Section id="boards" me={me}>
              <MeetingPage />
            </Section>
          }
        />
        <Route
          path="learning"
          element={
            <Section id="learning" me={me}>
              <MyLearningPage />
            </Section>
          }
        />
        <Route
          path="learning/certificates"
          element={
            <Section id="certificates" me={me}>
              <CertificatesPage />
            </Section>
          }
        />
        <Route
          path="learning/:enrolmentId"
          element={
            <Section id="learning" me={me}>
              <CoursePage />
            </Section>
          }
        />
        <Route
          path="learning/:enrolmentId/quiz/:attemptId"
          element={
            <Section id="learning" me={me}>
              <QuizPage />
            </Section>
          }
        />
        <Route
          path="learning/:enrolmentId/assignment/:moduleId"
          element={
            <Section id="learning" me={me}>
              <AssignmentPage />
            </Section>
          }
        />
        <Route
          path="cohorts"
          element={
            <Section id="cohorts" me={me}>
              <CohortsPage />
            </Section>
          }
        />
        <Route
          path="cohorts/grading"
          element={
            <Section id="grading" me={me}>
              <GradingPage />
            </Section>
          }
        />
        <Route
          path="cohorts/grading/:submissionId"
          element={
            <Section id="grading" me={me}>
              <GradePage />
            </Section>
          }
        />
        <Route
          path="cohorts/:id"
          element={
            <Section id="cohorts" me={me}>
              <CohortPage />
            </Section>
          }
        />
        <Route
          path="statistics"
          element={
            <Section id="statistics" me={me}>
              <ComingSoonPage section="statistics" />
            </Section>
          }
        />
        <Route
          path="cases"
          element={
            <Section id="cases" me={me}>
              <CasesPage />
            </Section>
          }
        />
        <Route
          path="cases/new"
          element={
            <Section id="cases" me={me}>
              <IntakePage />
            </Section>
          }
        />
        <Route
          path="cases/:id"
          element={
            <Section id="cases" me={me}>
              <ParticipantPage />
            </Section>
          }
        />
        <Route
          path="cases/:id/assessments/:assessmentId"
          element={
            <Section id="cases" me={me}>
              <AssessmentPage />
            </Section>
          }
        />
        <Route
          path="cases/:id/assessments/:assessmentId/reconciliation"
          element={
            <Section id="cases" me={me}>
              <ReconciliationPage />
            </Section>
          }
        />
        <Route
          path="admin/programs"
          element={
            <Section id="programs" me={me}>
              <ProgramsPage />
            </Section>
          }
        />
        <Route
          path="admin/programs/:id"
          element={
            <Section id="programs" me={me}>
              <ProgramEditPage />
            </Section>
          }
        />
        <Route
          path="admin/instruments"
          element={
            <Section id="instruments" me={me}>
              <InstrumentsPage />
            </Section>
          }
        />
        <Route
          path="admin/instruments/:key/:version"
          element={
            <Section id="instruments" me={me}>
              <InstrumentDetailPage />
            </Section>
          }
        />
        <Route
          path="admin/users"
          element={
            <Section id="users" me={me}>
              <UsersPage />
            </Section>
          }
        />
        <Route
          path="audit"
          element={
            <Section id="audit" me={me}>
              <AuditPage />
            </Section>
          }
        />
        <Route path="profile" element={<ProfilePage />} />
        <Route path="profile/mfa" element={<MfaPage />} />
        <Route path="profile/sessions" element={<LoginSessionsPage />} />
        <Route path="profile/password" element={<PasswordPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

/** The whole app inside the router. */
export function App() {
  return (
    <BrowserRouter>
      <SessionWatch />
      <PreferenceSync />
      <Suspense fallback={<Loading />}>
        <AppRoutes />
      </Suspense>
    </BrowserRouter>
  );
}
