/** What the timeline and access-log API returns (the source for OpenAPI and the web's types). */
import { z } from '@hono/zod-openapi';
import { TIMELINE_KINDS } from '../../../../core/audit-actions.ts';

/**
 * Who did it, as far as the viewer may know: the display name of the viewer, of members of the case's
 * team and of the viewer's own teams; for anyone else only the role or discipline. Users of other
 * tenants are never named.
 */
export const TimelineActor = z
  .object({
    name: z.string().nullable(),
    role: z.string().nullable(),
    self: z.boolean(),
  })
  .openapi('TimelineActor');
export type TimelineActor = z.infer<typeof TimelineActor>;

export const TimelineEntry = z
  .object({
    at: z.string(),
    kind: z.enum(TIMELINE_KINDS),
    actorId: z.string().nullable(),
    actor: TimelineActor.nullable(),
    ref: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('TimelineEntry');
export type TimelineEntry = z.infer<typeof TimelineEntry>;
export const Timeline = z.object({ items: z.array(TimelineEntry) });
export type Timeline = z.infer<typeof Timeline>;

export const AccessLogEntry = z
  .object({
    at: z.string(),
    actorId: z.string().nullable(),
    actorName: z.string().nullable(),
    action: z.string(),
    outcome: z.string(),
    purpose: z.string().nullable(),
  })
  .openapi('AccessLogEntry');
export type AccessLogEntry = z.infer<typeof AccessLogEntry>;
export const AccessLog = z.object({ items: z.array(AccessLogEntry) });
export type AccessLog = z.infer<typeof AccessLog>;
