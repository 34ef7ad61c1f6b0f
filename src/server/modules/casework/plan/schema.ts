/** What the plan API accepts and returns: goals, progress notes, plan versions (the source for OpenAPI and the web). */
import { z } from '@hono/zod-openapi';
import { DomainKey, GOAL_STATUSES, IsoDate, NOTE_MAX } from '../../../../core/participant.ts';
import { safeText } from '../../../../core/text.ts';

export const GoalNote = z.object({ id: z.string(), note: z.string(), createdBy: z.string(), createdAt: z.string() });
export type GoalNote = z.infer<typeof GoalNote>;

export const Goal = z
  .object({
    id: z.string(),
    participantId: z.string(),
    domain: z.string(),
    title: z.string(),
    indicator: z.string().nullable(),
    interventions: z.string().nullable(),
    responsibleUserId: z.string().nullable(),
    targetDate: z.string().nullable(),
    status: z.enum(GOAL_STATUSES),
    progress: z.number(),
    version: z.number(),
    notes: z.array(GoalNote).optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Goal');
export type Goal = z.infer<typeof Goal>;

export const PLAN_VERSION_STATUSES = ['submitted', 'approved', 'returned'] as const;
export const PlanVersion = z
  .object({
    id: z.string(),
    number: z.number(),
    status: z.enum(PLAN_VERSION_STATUSES),
    createdBy: z.string(),
    createdAt: z.string(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionNote: z.string().nullable(),
    version: z.number(),
  })
  .openapi('PlanVersion');
export type PlanVersion = z.infer<typeof PlanVersion>;

export const Plan = z
  .object({
    participantId: z.string(),
    status: z.enum(['draft', 'submitted', 'approved']),
    approvedAt: z.string().nullable(),
    participantVersion: z.number(),
    goals: z.array(Goal),
    versions: z.array(PlanVersion),
  })
  .openapi('Plan');
export type Plan = z.infer<typeof Plan>;

const GoalFields = {
  title: safeText(300),
  indicator: z.string().trim().max(1000).nullable().optional(),
  interventions: z.string().trim().max(2000).nullable().optional(),
  responsibleUserId: z.string().uuid().nullable().optional(),
  targetDate: IsoDate.nullable().optional(),
};
export const CreateGoalRequest = z.strictObject({ domain: DomainKey, ...GoalFields }).openapi('CreateGoalRequest');
export type CreateGoalRequest = z.infer<typeof CreateGoalRequest>;
export const UpdateGoalRequest = z
  .strictObject({
    ...GoalFields,
    title: GoalFields.title.optional(),
    status: z.enum(GOAL_STATUSES).optional(),
    progress: z.number().int().min(0).max(100).optional(),
  })
  .openapi('UpdateGoalRequest');
export type UpdateGoalRequest = z.infer<typeof UpdateGoalRequest>;

export const GoalNoteRequest = z
  .strictObject({ note: z.string().trim().min(1).max(NOTE_MAX) })
  .openapi('GoalNoteRequest');
export type GoalNoteRequest = z.infer<typeof GoalNoteRequest>;
export const GoalNoteCreated = z.object({ id: z.string(), createdAt: z.string() });
export type GoalNoteCreated = z.infer<typeof GoalNoteCreated>;

export const PlanDecisionRequest = z
  .strictObject({ decision: z.enum(['approve', 'return']), note: z.string().trim().max(2000).optional() })
  .openapi('PlanDecisionRequest');
export type PlanDecisionRequest = z.infer<typeof PlanDecisionRequest>;
