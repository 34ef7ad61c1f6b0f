/** What the case-team and handover API accepts and returns (the source for OpenAPI and the web's types). */
import { z } from '@hono/zod-openapi';

export const Handover = z
  .object({
    id: z.string(),
    participantId: z.string(),
    fromTeamId: z.string(),
    toTeamId: z.string(),
    status: z.enum(['pending', 'accepted', 'declined', 'cancelled']),
    reason: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    version: z.number(),
  })
  .openapi('Handover');
export type Handover = z.infer<typeof Handover>;

export const HandoverRequest = z
  .strictObject({ toTeamId: z.string().uuid(), reason: z.string().trim().min(3).max(2000) })
  .openapi('HandoverRequest');
export type HandoverRequest = z.infer<typeof HandoverRequest>;

export const HandoverDecisionRequest = z
  .strictObject({ decision: z.enum(['accept', 'decline', 'cancel']) })
  .openapi('HandoverDecisionRequest');
export type HandoverDecisionRequest = z.infer<typeof HandoverDecisionRequest>;

export const CaseTeam = z.object({
  teamId: z.string(),
  teamName: z.string(),
  members: z.array(
    z.object({
      userId: z.string(),
      displayName: z.string(),
      membership: z.string(),
      discipline: z.string().nullable(),
    }),
  ),
  handovers: z.array(Handover),
});
export type CaseTeam = z.infer<typeof CaseTeam>;

export const TeamList = z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), mine: z.boolean() })) });
export type TeamList = z.infer<typeof TeamList>;
