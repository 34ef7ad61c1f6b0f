/** What the audit routes accept and return. */
import { z } from '@hono/zod-openapi';
import { PageQuery } from '../../http/openapi.ts';

export const AuditEvent = z
  .object({
    id: z.string(),
    at: z.string(),
    actorId: z.string().nullable(),
    actorEmail: z.string().nullable(),
    /** The actor's display name (users of this tenant only). */
    actorName: z.string().nullable(),
    action: z.string(),
    entityType: z.string().nullable(),
    entityId: z.string().nullable(),
    subjectId: z.string().nullable(),
    purpose: z.string().nullable(),
    outcome: z.enum(['ok', 'denied', 'error']),
    requestId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEvent');
export const AuditList = z
  .object({ items: z.array(AuditEvent), nextCursor: z.string().nullable() })
  .openapi('AuditEventList');
export const Filters = z
  .object({
    ...PageQuery,
    actorId: z.string().uuid().optional(),
    /** The actor's email: resolved inside the tenant; an email no user of the tenant has matches nothing. */
    actorEmail: z.string().trim().toLowerCase().max(254).email().optional(),
    entityType: z.string().max(64).optional(),
    entityId: z.string().max(100).optional(),
    action: z.string().max(64).optional(),
    outcome: z.enum(['ok', 'denied', 'error']).optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'to must not be before from' });
export const Problem = z.object({
  id: z.string().nullable(),
  chainNo: z.number().nullable(),
  seq: z.string().nullable(),
  reason: z.string(),
  line: z.number().optional(),
  detail: z.string().optional(),
});
export const VerifyResponse = z
  .object({
    ok: z.boolean(),
    checked: z.number(),
    firstBad: Problem.nullable(),
    problems: z.array(Problem),
    anchors: z.object({
      records: z.number(),
      comparedEvents: z.number(),
      lastAnchoredAt: z.string().nullable(),
      /** Events no anchor record covers yet, the oldest one's time and its age (the anchor lag, seconds). */
      unanchoredEvents: z.number(),
      oldestUnanchoredAt: z.string().nullable(),
      lagSeconds: z.number(),
      /** Above this lag verify reports `anchor_stale`. */
      maxLagSeconds: z.number(),
      /** 1 when the anchor file's last line was still being written (ignored). */
      incompleteLines: z.number(),
    }),
  })
  .openapi('AuditVerifyResult');
export const HeadsExport = z
  .object({
    type: z.literal('sanad-audit-heads-export'),
    statements: z.array(z.string()),
    publicKeys: z.array(z.record(z.string(), z.unknown())),
  })
  .openapi('AuditHeadsExport');
