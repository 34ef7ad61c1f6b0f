/** Wire types and query hooks of the case-work API (participants, programs, plans, sessions, gates). */
import { useQuery } from '@tanstack/react-query';
import { api } from './client';

export type LocalLabel = { en: string; ar: string; ur: string; fr: string };
export type Alert =
  'no_session' | 'plan_not_approved' | 'plan_review_due' | 'consent_expiring' | 'gate_ready' | 'handover_pending';
export const FILTER_ALERTS = ['no_session', 'plan_not_approved', 'consent_expiring', 'handover_pending'] as const;
export const LEGAL_STATUSES = ['convicted', 'remand', 'surrendered', 'returnee', 'voluntary', 'juvenile'] as const;
export const DOMAINS = [
  'ideological',
  'psychological',
  'family_social',
  'education_vocational',
  'health',
  'legal',
  'economic',
] as const;
export const CONSENT_PURPOSES = ['services', 'referral', 'information_sharing', 'research'] as const;
export const LEGAL_BASES = ['consent', 'legal_obligation', 'court_order', 'vital_interests', 'public_task'] as const;
export const REVEAL_PURPOSES = [
  'case_work',
  'safeguarding',
  'family_contact',
  'legal_requirement',
  'referral',
] as const;
export const GOAL_STATUSES = ['not_started', 'in_progress', 'achieved', 'discontinued'] as const;
export const SESSION_KINDS = ['individual', 'group', 'family'] as const;
export const DISCIPLINES = [
  'case_manager',
  'psychologist',
  'religious_counsellor',
  'social_worker',
  'vocational_trainer',
  'mentor',
  'aftercare_officer',
  'supervisor',
  'program_director',
] as const;
export const ATTENDANCE = ['present', 'late', 'absent', 'excused'] as const;
export const FRAMEWORKS = ['custodial', 'juvenile', 'community', 'ddr'] as const;
export const GATE_KINDS = [
  'assessment_finalised',
  'plan_approved',
  'consents_recorded',
  'min_days_in_phase',
  'board_decision',
] as const;

export interface ParticipantItem {
  id: string;
  code: string;
  teamId: string;
  programId: string | null;
  phaseKey: string | null;
  phaseEnteredAt: string | null;
  legalStatus: string | null;
  referralSource: string | null;
  languages: string[];
  planStatus: string;
  planApprovedAt: string | null;
  lastSessionAt: string | null;
  status: string;
  notes?: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  alerts?: Alert[];
}

export interface Identity {
  givenName: string;
  familyName: string;
  otherNames?: string;
  dateOfBirth?: string;
  sex?: 'female' | 'male' | 'other' | 'unknown';
  nationalId?: string;
  nationality?: string;
}
export interface FamilyContact {
  name: string;
  relationship: string;
  phone?: string;
  address?: string;
  notes?: string;
}
export interface RevealResponse {
  identity: Identity;
  familyContacts: FamilyContact[];
  revealedAt: string;
  hideAfterSeconds: number;
}
export interface SearchMatch {
  id: string;
  code: string;
  programId: string | null;
  phaseKey: string | null;
  matchedOn: string[];
}

export type Gate =
  | { kind: 'assessment_finalised'; withinDays: number }
  | { kind: 'plan_approved' }
  | { kind: 'consents_recorded'; purposes: string[] }
  | { kind: 'min_days_in_phase'; days: number }
  | { kind: 'board_decision' };
export interface Phase {
  key: string;
  name: LocalLabel;
  exitGates: Gate[];
  reviewEveryDays?: number;
}
export interface ProgramDefinition {
  framework: string;
  name: LocalLabel;
  summary: LocalLabel;
  domains: string[];
  phases: Phase[];
  noSessionAlertDays?: number;
  sources?: string[];
}
export interface Program {
  id: string;
  framework: string;
  status: 'active' | 'archived';
  definition: ProgramDefinition;
  version: number;
  createdAt: string;
  updatedAt: string;
}
export interface FrameworkTemplate {
  framework: string;
  definition: ProgramDefinition;
}
export interface Team {
  id: string;
  name: string;
  mine: boolean;
}
export interface Consent {
  id: string;
  participantId: string;
  purpose: string;
  legalBasis: string;
  status: 'given' | 'withdrawn';
  givenOn: string;
  source: string;
  expiresOn: string | null;
  withdrawnAt: string | null;
  withdrawalReason: string | null;
  version: number;
  createdAt: string;
}
export interface GoalNote {
  id: string;
  note: string;
  createdBy: string;
  createdAt: string;
}
export interface Goal {
  id: string;
  participantId: string;
  domain: string;
  title: string;
  indicator: string | null;
  interventions: string | null;
  responsibleUserId: string | null;
  targetDate: string | null;
  status: (typeof GOAL_STATUSES)[number];
  progress: number;
  version: number;
  notes?: GoalNote[];
  createdAt: string;
  updatedAt: string;
}
export interface PlanVersion {
  id: string;
  number: number;
  status: 'submitted' | 'approved' | 'returned';
  createdBy: string;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  version: number;
}
export interface Plan {
  participantId: string;
  status: 'draft' | 'submitted' | 'approved';
  approvedAt: string | null;
  participantVersion: number;
  goals: Goal[];
  versions: PlanVersion[];
}
export interface Session {
  id: string;
  teamId: string;
  kind: string;
  discipline: string;
  occurredAt: string;
  durationMinutes: number;
  notes?: string | null;
  createdBy: string;
  createdAt: string;
  version: number;
  attendees: {
    participantId: string;
    code: string;
    attendance: string;
    engagement: number | null;
    goalIds: string[];
  }[];
}
export interface GateResult {
  gate: Gate;
  met: boolean;
  reason: string;
  params: Record<string, string | number>;
}
export interface GateStatus {
  phaseKey: string;
  phaseIndex: number;
  phaseCount: number;
  phaseEnteredAt: string;
  next: string | null;
  back: string[];
  ready: boolean;
  results: GateResult[];
  participantVersion: number;
}
export interface Transition {
  id: string;
  fromPhase: string;
  toPhase: string;
  direction: 'forward' | 'back';
  reason: string;
  overrideReason: string | null;
  createdBy: string;
  createdAt: string;
}
export interface Handover {
  id: string;
  participantId: string;
  fromTeamId: string;
  toTeamId: string;
  status: 'pending' | 'accepted' | 'declined' | 'cancelled';
  reason: string;
  createdBy: string;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  version: number;
}
export interface CaseTeam {
  teamId: string;
  teamName: string;
  members: { userId: string; displayName: string; membership: string; discipline: string | null }[];
  handovers: Handover[];
}
export interface TimelineEntry {
  at: string;
  kind: string;
  actorId: string | null;
  ref: string | null;
  data: Record<string, unknown>;
}
export interface AccessLogEntry {
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  outcome: string;
  purpose: string | null;
}
export interface WorkItem {
  participantId: string;
  code: string;
  programId: string | null;
  phaseKey: string | null;
  kind: string;
  dueAt: string | null;
}

const P = '/api/v1';
export const keys = {
  participant: (id: string) => ['participant', id] as const,
  plan: (id: string) => ['participant', id, 'plan'] as const,
  sessions: (id: string) => ['participant', id, 'sessions'] as const,
  gates: (id: string) => ['participant', id, 'gates'] as const,
  transitions: (id: string) => ['participant', id, 'transitions'] as const,
  consents: (id: string) => ['participant', id, 'consents'] as const,
  team: (id: string) => ['participant', id, 'team'] as const,
  timeline: (id: string) => ['participant', id, 'timeline'] as const,
  access: (id: string) => ['participant', id, 'access'] as const,
};

function useGet<T>(key: readonly unknown[], path: string, enabled = true) {
  return useQuery({ queryKey: key, queryFn: ({ signal }) => api<T>('GET', path, { signal }), enabled });
}

export const usePrograms = () => useGet<{ items: Program[] }>(['programs'], `${P}/programs`);
export const useTeams = () => useGet<{ items: Team[] }>(['teams'], `${P}/teams`);
export const useTemplates = () =>
  useGet<{ items: FrameworkTemplate[] }>(['framework-templates'], `${P}/framework-templates`);
export const useParticipant = (id: string) => useGet<ParticipantItem>(keys.participant(id), `${P}/participants/${id}`);
export const usePlan = (id: string) => useGet<Plan>(keys.plan(id), `${P}/participants/${id}/plan`);
export const useGates = (id: string, enabled = true) =>
  useGet<GateStatus>(keys.gates(id), `${P}/participants/${id}/gates`, enabled);
export const useTransitions = (id: string) =>
  useGet<{ items: Transition[] }>(keys.transitions(id), `${P}/participants/${id}/transitions`);
export const useConsents = (id: string) =>
  useGet<{ items: Consent[] }>(keys.consents(id), `${P}/participants/${id}/consents`);
export const useCaseTeam = (id: string) => useGet<CaseTeam>(keys.team(id), `${P}/participants/${id}/team`);
export const useTimeline = (id: string) =>
  useGet<{ items: TimelineEntry[] }>(keys.timeline(id), `${P}/participants/${id}/timeline`);
export const useAccessLog = (id: string) =>
  useGet<{ items: AccessLogEntry[] }>(keys.access(id), `${P}/participants/${id}/access-log`);
export const useWork = (view: 'mine' | 'supervised') =>
  useGet<{ items: WorkItem[]; cases: number }>(['work', view], `${P}/work?view=${view}`);

/** Roles that may register participants. */
export const CREATOR_ROLES = ['case_manager', 'supervisor', 'program_director'];
/** Roles that may approve plans and override gates. */
export const LEAD_ROLES = ['supervisor', 'program_director'];
