/** HTTP routes for the data-protection officer: browse, verify and export the audit log. */
import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { AppError } from '../../../core/errors.ts';
import { allows, type Action } from '../../../core/roles.ts';
import {
  decodeCursor,
  encodeCursor,
  errors,
  jsonResponse,
  PageQuery,
  requireUser,
  router,
} from '../../http/openapi.ts';
import { auditApart } from '../../audit/log.ts';
import { DEFAULT_MAX_ANCHOR_LAG_MS, verifyAudit } from '../../audit/verify.ts';
import { signHeads } from '../../audit/heads.ts';
import { anchorSource } from '../../audit/anchors.ts';
import type { Context } from 'hono';
import type { AppEnv } from '../../http/context.ts';

const AuditEvent = z
  .object({
    id: z.string(),
    at: z.string(),
    actorId: z.string().nullable(),
    actorEmail: z.string().nullable(),
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
const AuditList = z.object({ items: z.array(AuditEvent), nextCursor: z.string().nullable() }).openapi('AuditEventList');
const Filters = z
  .object({
    ...PageQuery,
    actorId: z.string().uuid().optional(),
    entityType: z.string().max(64).optional(),
    entityId: z.string().max(100).optional(),
    action: z.string().max(64).optional(),
    outcome: z.enum(['ok', 'denied', 'error']).optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'to must not be before from' });
const Problem = z.object({
  id: z.string().nullable(),
  chainNo: z.number().nullable(),
  seq: z.string().nullable(),
  reason: z.string(),
  line: z.number().optional(),
  detail: z.string().optional(),
});
const VerifyResponse = z
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
const HeadsExport = z
  .object({
    type: z.literal('sanad-audit-heads-export'),
    statements: z.array(z.string()),
    publicKeys: z.array(z.record(z.string(), z.unknown())),
  })
  .openapi('AuditHeadsExport');

/** Checks the policy and records the access either way: the auditors are audited too. */
async function guard(c: Context<AppEnv>, action: Action, what: string) {
  const p = requireUser(c);
  const ok = allows(p.roles, action);
  await auditApart(
    c.get('services').db,
    { tenantId: p.tenantId, actorId: p.userId, requestId: c.get('requestId') },
    {
      action: `audit.${what}`,
      entityType: 'audit_log',
      outcome: ok ? 'ok' : 'denied',
      details: ok ? {} : { reason: 'policy' },
    },
  );
  if (!ok) throw new AppError('FORBIDDEN', 'your role does not allow this');
  return p;
}

/** Routes under /api/v1/audit. */
export function auditRoutes() {
  const app = router();
  const tags = ['audit'];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit/events',
      tags,
      summary: 'Browse audit events (newest first)',
      request: { query: Filters },
      responses: { 200: jsonResponse(AuditList), ...errors('UNAUTHENTICATED', 'FORBIDDEN') },
    }),
    async (c) => {
      const p = await guard(c, 'audit.read', 'browse');
      const q = c.req.valid('query');
      const cur = decodeCursor(q.cursor, 2);
      const db = c.get('services').db;
      let query = db
        .selectFrom('audit_events as e')
        .leftJoin('users as u', 'u.id', 'e.actor_id')
        .select([
          'e.id',
          'e.at',
          'e.actor_id',
          'u.email as actor_email',
          'e.action',
          'e.entity_type',
          'e.entity_id',
          'e.subject_id',
          'e.purpose',
          'e.outcome',
          'e.request_id',
          'e.details',
        ])
        .where('e.tenant_id', '=', p.tenantId);
      if (q.actorId) query = query.where('e.actor_id', '=', q.actorId);
      if (q.entityType) query = query.where('e.entity_type', '=', q.entityType);
      if (q.entityId)
        query = query.where((eb) =>
          eb.or([eb('e.entity_id', '=', q.entityId!), eb(sql<string>`e.subject_id::text`, '=', q.entityId!)]),
        );
      if (q.action) query = query.where('e.action', '=', q.action);
      if (q.outcome) query = query.where('e.outcome', '=', q.outcome);
      if (q.from) query = query.where('e.at', '>=', new Date(q.from));
      if (q.to) query = query.where('e.at', '<=', new Date(q.to));
      if (cur) query = query.where(sql<boolean>`(e.at, e.id) < (${cur[0]}::timestamptz, ${cur[1]}::uuid)`);
      const rows = await query
        .orderBy('e.at', 'desc')
        .orderBy('e.id', 'desc')
        .limit(q.limit + 1)
        .execute();
      const items = rows.slice(0, q.limit).map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actorId: r.actor_id,
        actorEmail: r.actor_email ?? null,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        subjectId: r.subject_id,
        purpose: r.purpose,
        outcome: r.outcome,
        requestId: r.request_id,
        details: r.details,
      }));
      const last = rows.length > q.limit ? rows[q.limit - 1] : undefined;
      return c.json({ items, nextCursor: last ? encodeCursor([last.at.toISOString(), last.id]) : null }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit/verify',
      tags,
      summary: "Verify this tenant's hash chains and compare them with the signed anchors kept outside the database",
      responses: { 200: jsonResponse(VerifyResponse), ...errors('UNAUTHENTICATED', 'FORBIDDEN') },
    }),
    async (c) => {
      const p = await guard(c, 'audit.read', 'verify');
      const s = c.get('services');
      // The chains, compared with the signed anchors outside the database; events older than the allowed
      // lag that no anchor covers (anchoring stopped or starved, or never set up) are `anchor_stale`.
      const r = await verifyAudit(s.db, {
        tenantId: p.tenantId,
        anchors: anchorSource(s),
        maxAnchorLagMs: DEFAULT_MAX_ANCHOR_LAG_MS,
      });
      // The anchor file's path stays on the server; the DPO gets its line number.
      const out = (b: (typeof r.problems)[number]) => ({
        id: b.id,
        chainNo: b.chainNo,
        seq: b.seq,
        reason: b.reason,
        ...(b.line ? { line: b.line } : {}),
        ...(b.detail ? { detail: b.detail } : {}),
      });
      return c.json(
        {
          ok: r.ok,
          checked: r.checked,
          firstBad: r.firstBad ? out(r.firstBad) : null,
          problems: r.problems.slice(0, 100).map(out),
          anchors: r.anchors,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit/heads',
      tags,
      summary: 'Export signed chain heads (keep the file elsewhere to detect truncation)',
      responses: { 200: jsonResponse(HeadsExport), ...errors('UNAUTHENTICATED', 'FORBIDDEN') },
    }),
    async (c) => {
      const p = await guard(c, 'audit.export', 'export_heads');
      const s = c.get('services');
      const jws = await signHeads(s, p.tenantId);
      c.header(
        'Content-Disposition',
        `attachment; filename="sanad-audit-heads-${new Date().toISOString().slice(0, 10)}.json"`,
      );
      return c.json(
        {
          type: 'sanad-audit-heads-export' as const,
          statements: [jws],
          publicKeys: (await s.signer.publicKeys()) as Record<string, unknown>[],
        },
        200,
      );
    },
  );
  return app;
}
