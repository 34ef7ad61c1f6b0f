/** What the work-queue API accepts and returns (the source for OpenAPI and the web's types). */
import { z } from '@hono/zod-openapi';
import { WORK_KINDS } from '../../../../core/work-queue.ts';

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

export const WorkQueue = z.object({ items: z.array(WorkItem), cases: z.number() });
export type WorkQueue = z.infer<typeof WorkQueue>;

export const WorkQuery = z.object({ view: z.enum(['mine', 'supervised']).default('mine') });
export type WorkQuery = z.infer<typeof WorkQuery>;
