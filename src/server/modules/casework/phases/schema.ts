/** What the phase API accepts and returns: exit gates and transitions (the source for OpenAPI and the web). */
import { z } from '@hono/zod-openapi';

export const GateResult = z.object({
  gate: z.record(z.string(), z.unknown()),
  met: z.boolean(),
  reason: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type GateResult = z.infer<typeof GateResult>;

export const GateStatus = z
  .object({
    phaseKey: z.string(),
    phaseIndex: z.number(),
    phaseCount: z.number(),
    phaseEnteredAt: z.string(),
    next: z.string().nullable(),
    back: z.array(z.string()),
    ready: z.boolean(),
    results: z.array(GateResult),
    participantVersion: z.number(),
  })
  .openapi('GateStatus');
export type GateStatus = z.infer<typeof GateStatus>;

export const TransitionRequest = z
  .strictObject({
    toPhase: z.string().max(40),
    reason: z.string().trim().min(3).max(2000),
    overrideReason: z.string().trim().min(10).max(2000).optional(),
  })
  .openapi('TransitionRequest');
export type TransitionRequest = z.infer<typeof TransitionRequest>;

export const Transition = z
  .object({
    id: z.string(),
    fromPhase: z.string(),
    toPhase: z.string(),
    direction: z.enum(['forward', 'back']),
    reason: z.string(),
    overrideReason: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .openapi('Transition');
export type Transition = z.infer<typeof Transition>;
export const TransitionList = z.object({ items: z.array(Transition) });
export type TransitionList = z.infer<typeof TransitionList>;
