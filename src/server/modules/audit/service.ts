/**
 * The data-protection officer's operations on the audit log: browse, verify (chains, anchors and
 * anchor lag) and export signed heads. Every use is itself audited, refusals too.
 */
import { sql } from 'kysely';
import { AppError } from '../../../core/errors.ts';
import type { AuditAction } from '../../../core/audit-actions.ts';
import { allows, type Action } from '../../../core/roles.ts';
import type { Principal } from '../../access/principal.ts';
import { anchorSource } from '../../audit/anchor-read.ts';
import { signHeads } from '../../audit/heads.ts';
import { auditApart } from '../../audit/log.ts';
import { DEFAULT_MAX_ANCHOR_LAG_MS, verifyAudit } from '../../audit/verify.ts';
import { decodeCursor, encodeCursor } from '../../http/openapi.ts';
import type { Services } from '../../services.ts';

/** Checks the policy and records the access either way: the auditors are audited too. */
async function guard(
  s: Services,
  p: Principal,
  requestId: string,
  action: Action,
  what: Extract<AuditAction, `audit.${string}`>,
): Promise<void> {
  const ok = allows(p.roles, action);
  await auditApart(
    s.db,
    { tenantId: p.tenantId, actorId: p.userId, requestId },
    {
      action: what,
      entityType: 'audit_log',
      outcome: ok ? 'ok' : 'denied',
      details: ok ? {} : { reason: 'policy' },
    },
  );
  if (!ok) throw new AppError('FORBIDDEN', 'your role does not allow this');
}

/** Filters of the event list; `from`/`to` are ISO date-times. */
export interface EventFilters {
  limit: number;
  cursor?: string;
  actorId?: string;
  actorEmail?: string;
  entityType?: string;
  entityId?: string;
  action?: string;
  outcome?: 'ok' | 'denied' | 'error';
  from?: string;
  to?: string;
}

/** The tenant's audit events, newest first, with keyset pagination. */
export async function browseEvents(s: Services, p: Principal, requestId: string, q: EventFilters) {
  await guard(s, p, requestId, 'audit.read', 'audit.browse');
  const cur = decodeCursor(q.cursor, 2);
  // The email names a user of this tenant or nobody: another tenant's user never matches, and an
  // unknown email is an empty page like any other filter that matches nothing.
  let actorOfEmail: string | undefined;
  if (q.actorEmail) {
    const u = await s.db
      .selectFrom('users')
      .select('id')
      .where('tenant_id', '=', p.tenantId)
      .where('email', '=', q.actorEmail.toLowerCase())
      .executeTakeFirst();
    if (!u) return { items: [], nextCursor: null };
    actorOfEmail = u.id;
  }
  let query = s.db
    .selectFrom('audit_events as e')
    // Only this tenant's users are named: an actor of another tenant shows as an id.
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'e.actor_id').onRef('u.tenant_id', '=', 'e.tenant_id'))
    .select([
      'e.id',
      'e.at',
      'e.actor_id',
      'u.email as actor_email',
      'u.display_name as actor_name',
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
  if (actorOfEmail) query = query.where('e.actor_id', '=', actorOfEmail);
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
    actorName: r.actor_name ?? null,
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
  return { items, nextCursor: last ? encodeCursor([last.at.toISOString(), last.id]) : null };
}

/**
 * Verifies the tenant's chains and compares them with the signed anchors outside the database;
 * events older than the allowed lag that no anchor covers (anchoring stopped or starved, or never set
 * up) are `anchor_stale`. At most 100 problems; the anchor file's path stays on the server (the DPO
 * gets its line number).
 */
export async function verifyTenant(s: Services, p: Principal, requestId: string) {
  await guard(s, p, requestId, 'audit.read', 'audit.verify');
  const r = await verifyAudit(s.db, {
    tenantId: p.tenantId,
    anchors: anchorSource(s),
    maxAnchorLagMs: DEFAULT_MAX_ANCHOR_LAG_MS,
  });
  const out = (b: (typeof r.problems)[number]) => ({
    id: b.id,
    chainNo: b.chainNo,
    seq: b.seq,
    reason: b.reason,
    ...(b.line ? { line: b.line } : {}),
    ...(b.detail ? { detail: b.detail } : {}),
  });
  return {
    ok: r.ok,
    checked: r.checked,
    firstBad: r.firstBad ? out(r.firstBad) : null,
    problems: r.problems.slice(0, 100).map(out),
    anchors: r.anchors,
  };
}

/** Signs the tenant's chain heads now, for an export kept elsewhere (detects truncation later). */
export async function exportHeads(s: Services, p: Principal, requestId: string) {
  await guard(s, p, requestId, 'audit.export', 'audit.export_heads');
  const jws = await signHeads(s, p.tenantId);
  return {
    type: 'sanad-audit-heads-export' as const,
    statements: [jws],
    publicKeys: (await s.signer.publicKeys()) as Record<string, unknown>[],
  };
}
