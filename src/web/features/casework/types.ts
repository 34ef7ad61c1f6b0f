/** Wire types of case work: plan and goals, case sessions, gates and transitions, consents, the case team and handovers, history. */
import type { Gate } from '../../../core/program';
import type { GOAL_STATUSES } from './vocabulary';

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
/** A case session (individual, group or family work with participants), not a login session. */
export interface CaseSession {
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

/** What a case session records for one participant. */
export interface CaseSessionInput {
  kind: string;
  discipline: string;
  occurredAt: string;
  durationMinutes: number;
  attendees: { participantId: string; attendance: string; engagement: number | null; goalIds: string[] }[];
  notes?: string;
}
