/** What the work-queue API accepts and returns (the source for OpenAPI and the web's types). */
import { z } from '@hono/zod-openapi';
import { URGENCIES, WORK_KINDS } from '../../../../core/work-queue.ts';

export const WorkItem = z
  .object({
    participantId: z.string(),
    code: z.string(),
    programId: z.string().nullable(),
    phaseKey: z.string().nullable(),
    kind: z.enum(WORK_KINDS),
    dueAt: z.string().nullable(),
  })
  .openapi('WorkItem');
export type WorkItem = z.infer<typeof WorkItem>;

/** A reason on a case row: the item with its urgency (and whole days late when overdue). */
export const WorkReason = WorkItem.extend({
  urgency: z.enum(URGENCIES),
  daysLate: z.number().int().nullable(),
}).openapi('WorkReason');
export type WorkReason = z.infer<typeof WorkReason>;

/** One case with all its reasons, most urgent first; the row takes its most urgent reason's urgency. */
export const WorkCaseRow = z
  .object({
    participantId: z.string(),
    code: z.string(),
    programId: z.string().nullable(),
    phaseKey: z.string().nullable(),
    urgency: z.enum(URGENCIES),
    daysLate: z.number().int().nullable(),
    reasons: z.array(WorkReason),
  })
  .openapi('WorkCaseRow');
export type WorkCaseRow = z.infer<typeof WorkCaseRow>;

export const WorkQueue = z.object({
  items: z.array(WorkItem),
  /** How many active cases were checked. */
  cases: z.number(),
  /** The items grouped by case, most urgent first. */
  rows: z.array(WorkCaseRow),
  /** Case rows per urgency group. */
  counts: z.object({
    decide: z.number().int(),
    overdue: z.number().int(),
    due_soon: z.number().int(),
    open: z.number().int(),
  }),
});
export type WorkQueue = z.infer<typeof WorkQueue>;

export const WorkQuery = z.object({ view: z.enum(['mine', 'supervised']).default('mine') });
export type WorkQuery = z.infer<typeof WorkQuery>;
