/**
 * The case-work feature's reads and writes: plan and goals, case sessions, phases and gates, consents,
 * the case team and handovers, timeline, access log and the work queue. Writes refresh the case they touch.
 */
import { useGet, useRefresh, useReload, useWrite, type WriteOptions } from '../../api/hooks';
import { usePagedList } from '../../api/use-paged-list';
import { caseKeys } from '../participants/api';
import type {
  AccessLogEntry,
  CaseSession,
  CaseSessionInput,
  CaseTeam,
  Consent,
  CreateConsentRequest,
  GateStatus,
  Goal,
  GoalInput,
  Handover,
  Plan,
  PlanVersion,
  TimelineEntry,
  Transition,
  TransitionInput,
  WorkQueue,
} from './types';

const V = '/api/v1';
const P = (id: string) => `${V}/participants/${id}`;

export const keys = {
  ...caseKeys,
  plan: (id: string) => ['participant', id, 'plan'] as const,
  caseSessions: (id: string) => ['participant', id, 'case-sessions'] as const,
  gates: (id: string) => ['participant', id, 'gates'] as const,
  transitions: (id: string) => ['participant', id, 'transitions'] as const,
  consents: (id: string) => ['participant', id, 'consents'] as const,
  team: (id: string) => ['participant', id, 'team'] as const,
  timeline: (id: string) => ['participant', id, 'timeline'] as const,
  access: (id: string) => ['participant', id, 'access'] as const,
  workView: (view: string) => ['work', view] as const,
};

/** Refreshes everything cached about one case (after someone else changed it). */
export const useRefreshCase = (id: string) => useRefresh(keys.participant(id));
/** Refreshes the case's consents. */
export const useRefreshConsents = (id: string) => useRefresh(keys.consents(id));

export const usePlan = (id: string) => useGet<Plan>(keys.plan(id), `${P(id)}/plan`);
export const useGates = (id: string, enabled = true) =>
  useGet<GateStatus>(keys.gates(id), `${P(id)}/gates`, { enabled });
export const useTransitions = (id: string) =>
  useGet<{ items: Transition[] }>(keys.transitions(id), `${P(id)}/transitions`);
export const useConsents = (id: string) => useGet<{ items: Consent[] }>(keys.consents(id), `${P(id)}/consents`);
export const useCaseTeam = (id: string) => useGet<CaseTeam>(keys.team(id), `${P(id)}/team`);
export const useTimeline = (id: string) => useGet<{ items: TimelineEntry[] }>(keys.timeline(id), `${P(id)}/timeline`);
export const useAccessLog = (id: string) => useGet<{ items: AccessLogEntry[] }>(keys.access(id), `${P(id)}/access-log`);
export const useWork = (view: 'mine' | 'supervised', enabled = true) =>
  useGet<WorkQueue>(keys.workView(view), `${V}/work?view=${view}`, { enabled });
/** GET /participants/{id}/sessions: the participant's case sessions, newest first. */
export const useCaseSessions = (id: string) =>
  usePagedList<CaseSession>(keys.caseSessions(id), `${P(id)}/sessions`, {}, 20);

/** POST /goals/{id}/notes. */
export function useAddGoalNote(participantId: string, options?: { onSuccess?: () => unknown }) {
  return useWrite<{ goalId: string; note: string }, unknown>(
    {
      method: 'POST',
      path: (v) => `${V}/goals/${v.goalId}/notes`,
      body: (v) => ({ note: v.note }),
      invalidates: () => [keys.participant(participantId)],
    },
    options,
  );
}

/** POST /participants/{id}/goals (a new goal) or PATCH /goals/{id} with If-Match (a change). */
export function useSaveGoal(participantId: string, options?: { onSuccess?: () => unknown }) {
  return useWrite<{ goal: Goal | null; body: GoalInput }, Goal>(
    {
      method: (v) => (v.goal ? 'PATCH' : 'POST'),
      path: (v) => (v.goal ? `${V}/goals/${v.goal.id}` : `${P(participantId)}/goals`),
      body: (v) => v.body,
      version: (v) => v.goal?.version,
      invalidates: () => [keys.participant(participantId), keys.list],
    },
    options,
  );
}

/** Reads the plan again (after a version conflict on one of its goals). */
export const useReloadPlan = (participantId: string) =>
  useReload<Plan>(keys.plan(participantId), `${P(participantId)}/plan`);

/** POST /participants/{id}/plan/submit: a new plan version for approval. */
export function useSubmitPlan(participantId: string, options?: WriteOptions<void, PlanVersion>) {
  return useWrite<void, PlanVersion>(
    {
      method: 'POST',
      path: () => `${P(participantId)}/plan/submit`,
      invalidates: () => [keys.participant(participantId), keys.work],
    },
    options,
  );
}

/** POST /plan-versions/{id}/decision { decision, note } with If-Match: approve or return. */
export function useDecidePlan(participantId: string) {
  return useWrite<{ version: PlanVersion; decision: 'approve' | 'return'; note?: string }, PlanVersion>({
    method: 'POST',
    path: (v) => `${V}/plan-versions/${v.version.id}/decision`,
    body: (v) => ({ decision: v.decision, note: v.note }),
    version: (v) => v.version.version,
    invalidates: () => [keys.participant(participantId), keys.list, keys.work],
  });
}

/** POST /sessions: records a case session with this participant. */
export function useRecordCaseSession(participantId: string, options?: { onSuccess?: () => unknown }) {
  return useWrite<CaseSessionInput, CaseSession>(
    {
      method: 'POST',
      path: () => `${V}/sessions`,
      body: (v) => v,
      invalidates: () => [keys.caseSessions(participantId), keys.participant(participantId), keys.list],
    },
    options,
  );
}

/** POST /participants/{id}/transitions with If-Match (the participant's version from the gates). */
export function useMovePhase(participantId: string, options?: { onSuccess?: () => unknown }) {
  return useWrite<TransitionInput & { participantVersion: number }, Transition>(
    {
      method: 'POST',
      path: () => `${P(participantId)}/transitions`,
      body: ({ participantVersion: _v, ...body }) => body,
      version: (v) => v.participantVersion,
      invalidates: () => [keys.participant(participantId), keys.list, keys.work],
    },
    options,
  );
}

/** POST /participants/{id}/consents. */
export function useRecordConsent(participantId: string, options?: { onSuccess?: () => unknown }) {
  return useWrite<CreateConsentRequest, Consent>(
    {
      method: 'POST',
      path: () => `${P(participantId)}/consents`,
      body: (v) => v,
      invalidates: () => [keys.participant(participantId), keys.list],
    },
    options,
  );
}

/** POST /consents/{id}/withdraw { reason } with If-Match. */
export function useWithdrawConsent(participantId: string, options?: { onSuccess?: () => unknown }) {
  return useWrite<{ consent: Consent; reason: string }, Consent>(
    {
      method: 'POST',
      path: (v) => `${V}/consents/${v.consent.id}/withdraw`,
      body: (v) => ({ reason: v.reason }),
      version: (v) => v.consent.version,
      invalidates: () => [keys.participant(participantId)],
    },
    options,
  );
}

/** POST /participants/{id}/handovers { toTeamId, reason }: offers the case to another team. */
export function useOfferHandover(participantId: string, options?: { onSuccess?: () => unknown }) {
  return useWrite<{ toTeamId: string; reason: string }, Handover>(
    {
      method: 'POST',
      path: () => `${P(participantId)}/handovers`,
      body: (v) => v,
      invalidates: () => [keys.participant(participantId)],
    },
    options,
  );
}

/** POST /handovers/{id}/decision { decision } with If-Match: accept, decline or cancel. */
export function useDecideHandover(participantId: string) {
  return useWrite<{ handover: Handover; decision: 'accept' | 'decline' | 'cancel' }, Handover>({
    method: 'POST',
    path: (v) => `${V}/handovers/${v.handover.id}/decision`,
    body: (v) => ({ decision: v.decision }),
    version: (v) => v.handover.version,
    invalidates: () => [keys.participant(participantId), keys.list, keys.work],
  });
}
