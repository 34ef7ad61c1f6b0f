/** What the timeline and access-log API returns (the source for OpenAPI and the web's types). */
import { z } from '@hono/zod-openapi';

export const TimelineEntry = z
  .object({
    at: z.string(),
    kind: z.string(),
    actorId: z.string().nullable(),
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
