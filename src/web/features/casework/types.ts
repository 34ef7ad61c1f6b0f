/**
 * Wire types of case work as the server's schemas say them (import type; z.infer): plan and goals,
 * case sessions, gates and transitions, consents, the case team and handovers, history, the work queue.
 */
import type { z } from 'zod';
import type { Gate } from '../../../core/program';
import type { CreateCaseSessionRequest } from '../../../server/modules/casework/case-sessions/schema';
import type { CreateGoalRequest, UpdateGoalRequest } from '../../../server/modules/casework/plan/schema';
import type {
  GateResult as GateResultSchema,
  GateStatus as GateStatusSchema,
  TransitionRequest,
} from '../../../server/modules/casework/phases/schema';

export type { CaseSession } from '../../../server/modules/casework/case-sessions/schema';
export type { Consent, CreateConsentRequest } from '../../../server/modules/casework/consents/schema';
export type { CaseTeam, Handover } from '../../../server/modules/casework/handovers/schema';
export type { Transition } from '../../../server/modules/casework/phases/schema';
export type { Goal, GoalNote, Plan, PlanVersion } from '../../../server/modules/casework/plan/schema';
export type { AccessLogEntry, TimelineEntry } from '../../../server/modules/casework/timeline/schema';
export type { WorkCaseRow, WorkItem, WorkQueue, WorkReason } from '../../../server/modules/casework/work/schema';

/** One exit gate's verdict; the gate itself as core types it (the schema leaves it open). */
export type GateResult = Omit<GateResultSchema, 'gate'> & { gate: Gate };
export type GateStatus = Omit<GateStatusSchema, 'results'> & { results: GateResult[] };

/** What a case session records (POST /sessions). */
export type CaseSessionInput = z.input<typeof CreateCaseSessionRequest>;
/** What saving a goal sends: a new goal (with its domain) or changes to one. */
export type GoalInput = z.input<typeof CreateGoalRequest> | z.input<typeof UpdateGoalRequest>;
/** What a phase move sends (POST /participants/{id}/transitions). */
export type TransitionInput = z.input<typeof TransitionRequest>;
