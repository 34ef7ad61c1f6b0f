/**
 * What the case-session API accepts and returns: sessions held with participants (individual, group or
 * family) — not login sessions. The source for OpenAPI and the web's types.
 */
import { z } from '@hono/zod-openapi';
import { CASE_ROLES } from '../../../../core/roles.ts';
import { ATTENDANCE, NOTE_MAX, SESSION_KINDS } from '../../../../core/participant.ts';
import { PageQuery } from '../../../http/openapi.ts';

export const CaseSessionAttendee = z.strictObject({
  participantId: z.string().uuid(),
  attendance: z.enum(ATTENDANCE),
  engagement: z.number().int().min(1).max(5).nullable().optional(),
  goalIds: z.array(z.string().uuid()).max(20).default([]),
});
export type CaseSessionAttendee = z.infer<typeof CaseSessionAttendee>;

export const CreateCaseSessionRequest = z
  .strictObject({
    kind: z.enum(SESSION_KINDS),
    discipline: z.enum(CASE_ROLES as unknown as [string, ...string[]]),
    occurredAt: z.string().datetime({ offset: true }),
    durationMinutes: z.number().int().min(1).max(1440),
    attendees: z.array(CaseSessionAttendee).min(1).max(60),
    notes: z.string().max(NOTE_MAX).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.kind !== 'group' && b.attendees.length !== 1)
      ctx.addIssue({
        code: 'custom',
        path: ['attendees'],
        message: 'individual and family sessions have one participant',
      });
    if (new Set(b.attendees.map((a) => a.participantId)).size !== b.attendees.length)
      ctx.addIssue({ code: 'custom', path: ['attendees'], message: 'a participant is listed twice' });
    if (Date.parse(b.occurredAt) > Date.now() + 5 * 60_000)
      ctx.addIssue({ code: 'custom', path: ['occurredAt'], message: 'cannot be in the future' });
    b.attendees.forEach((a, i) => {
      if ((a.attendance === 'absent' || a.attendance === 'excused') && a.engagement)
        ctx.addIssue({
          code: 'custom',
          path: ['attendees', i, 'engagement'],
          message: 'no engagement rating when absent',
        });
    });
  })
  .openapi('CreateSessionRequest');
export type CreateCaseSessionRequest = z.infer<typeof CreateCaseSessionRequest>;

export const CaseSession = z
  .object({
    id: z.string(),
    teamId: z.string(),
    kind: z.enum(SESSION_KINDS),
    discipline: z.string(),
    occurredAt: z.string(),
    durationMinutes: z.number(),
    notes: z.string().nullable().optional(),
    createdBy: z.string(),
    createdAt: z.string(),
    version: z.number(),
    attendees: z.array(
      z.object({
        participantId: z.string(),
        code: z.string(),
        attendance: z.enum(ATTENDANCE),
        engagement: z.number().nullable(),
        goalIds: z.array(z.string()),
      }),
    ),
  })
  .openapi('Session');
export type CaseSession = z.infer<typeof CaseSession>;

export const CaseSessionPage = z.object({ items: z.array(CaseSession), nextCursor: z.string().nullable() });
export type CaseSessionPage = z.infer<typeof CaseSessionPage>;
export const CaseSessionPageQuery = z.object(PageQuery);
export type CaseSessionPageQuery = z.infer<typeof CaseSessionPageQuery>;
