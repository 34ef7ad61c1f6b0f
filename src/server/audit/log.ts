/**
 * Appends audit events inside the caller's transaction. Each transaction locks one of the tenant's
 * chains with SKIP LOCKED, so concurrent requests spread over chains instead of queueing on one lock.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { canonicalBody, CHAINS_PER_TENANT, eventHash, genesisHash, type ChainedEvent } from './chain.ts';
import type { DbOrTx, Db, Tx } from '../db/schema.ts';

/** What a caller says about an event; who, where and when come from the audit context. */
export interface AuditEntry {
  action: string;
  entityType?: string;
  entityId?: string | null;
  subjectId?: string | null;
  purpose?: string | null;
  outcome?: 'ok' | 'denied' | 'error';
  details?: Record<string, string | number | boolean | null>;
}

/** Who is acting, for which tenant, in which request. */
export interface AuditContext {
  tenantId: string;
  actorId: string | null;
  requestId: string | null;
}

/** Creates a tenant's chains (idempotent); call in the transaction that creates the tenant. */
export async function ensureChains(tx: DbOrTx, tenantId: string): Promise<void> {
  const rows = Array.from({ length: CHAINS_PER_TENANT }, (_, i) => ({
    tenant_id: tenantId,
    chain_no: i,
    seq: 0,
    head_hash: genesisHash(tenantId, i),
  }));
  await tx
    .insertInto('audit_chains')
    .values(rows)
    .onConflict((oc) => oc.columns(['tenant_id', 'chain_no']).doNothing())
    .execute();
}

interface Held {
  chainNo: number;
  seq: bigint;
  head: Buffer;
}

/** An audit writer bound to one transaction and one context. */
export class AuditLog {
  private held = new Map<string, Held>();

  constructor(
    private tx: Tx,
    private ctx: AuditContext,
  ) {}

  /** The event as hashed, with the chain position still to be filled in. */
  private event(e: AuditEntry, tenantId: string): ChainedEvent {
    return {
      id: crypto.randomUUID(),
      tenantId,
      chainNo: 0,
      seq: '0',
      at: new Date().toISOString(),
      actorId: this.ctx.actorId,
      action: e.action,
      entityType: e.entityType ?? null,
      entityId: clean(e.entityId),
      subjectId: e.subjectId ?? null,
      purpose: clean(e.purpose),
      outcome: e.outcome ?? 'ok',
      requestId: this.ctx.requestId,
      details: e.details ?? {},
    };
  }

  /** Appends one event to the tenant's chain within the transaction; returns its id. */
  async append(e: AuditEntry, tenantOverride?: string): Promise<string> {
    const tenantId = tenantOverride ?? this.ctx.tenantId;
    const ev = this.event(e, tenantId);
    const held = this.held.get(tenantId);
    if (!held) {
      // First event of this transaction: take a free chain, hash and append in ONE statement. The
      // canonical JSON is built here with markers where the chain number and sequence go; the
      // database splices them in and hashes exactly the bytes eventHash() would.
      const claimed = await this.claimAndAppend(ev, tenantId);
      if (claimed) return ev.id;
      await this.waitForChain(tenantId); // every chain busy: queue on one
    }
    const h = this.held.get(tenantId)!;
    const seq = h.seq + 1n;
    const placed = { ...ev, chainNo: h.chainNo, seq: seq.toString() };
    const hash = eventHash(h.head, placed);
    // The event and the new chain head in one round trip.
    await sql`
      with ev as (
        insert into audit_events (id, tenant_id, chain_no, seq, prev_hash, hash, at, actor_id, action, entity_type, entity_id, subject_id, purpose, outcome, request_id, details)
        values (${placed.id}, ${tenantId}, ${placed.chainNo}, ${placed.seq}, ${h.head}, ${hash}, ${placed.at}, ${placed.actorId}, ${placed.action}, ${placed.entityType}, ${placed.entityId}, ${placed.subjectId}, ${placed.purpose}, ${placed.outcome}, ${placed.requestId}, ${JSON.stringify(placed.details)}::jsonb)
        returning 1
      )
      update audit_chains set seq = ${placed.seq}, head_hash = ${hash} where tenant_id = ${tenantId} and chain_no = ${h.chainNo} and exists (select 1 from ev)`.execute(
      this.tx,
    );
    h.seq = seq;
    h.head = hash;
    return ev.id;
  }

  private async claimAndAppend(ev: ChainedEvent, tenantId: string): Promise<boolean> {
    const mark = crypto.randomBytes(8).toString('hex');
    const body = canonicalBody({ ...ev, chainNo: -1, seq: `~${mark}~` }).replace(`"chainNo":-1,`, `"chainNo":${mark},`);
    const [p0, rest] = splitOnce(body, `"chainNo":${mark},`);
    const [p1, p2] = splitOnce(rest, `"seq":"~${mark}~"`);
    const r = await sql<{ chain_no: number; seq: string; hash: Buffer }>`
      with c as (
        select chain_no, seq + 1 as seq, head_hash from audit_chains where tenant_id = ${tenantId}
        order by random() limit 1 for update skip locked
      ), h as (
        select c.chain_no, c.seq, c.head_hash,
          sha256(c.head_hash || convert_to(${p0} || '"chainNo":' || c.chain_no::text || ',' || ${p1} || '"seq":"' || c.seq::text || '"' || ${p2}, 'UTF8')) as hash
        from c
      ), ins as (
        insert into audit_events (id, tenant_id, chain_no, seq, prev_hash, hash, at, actor_id, action, entity_type, entity_id, subject_id, purpose, outcome, request_id, details)
        select ${ev.id}, ${tenantId}, h.chain_no, h.seq, h.head_hash, h.hash, ${ev.at}, ${ev.actorId}, ${ev.action}, ${ev.entityType}, ${ev.entityId}, ${ev.subjectId}, ${ev.purpose}, ${ev.outcome}, ${ev.requestId}, ${JSON.stringify(ev.details)}::jsonb from h
        returning chain_no, seq, hash
      )
      update audit_chains a set seq = ins.seq, head_hash = ins.hash from ins
      where a.tenant_id = ${tenantId} and a.chain_no = ins.chain_no
      returning ins.chain_no, ins.seq, ins.hash`.execute(this.tx);
    const row = r.rows[0];
    if (!row) return false;
    this.held.set(tenantId, { chainNo: row.chain_no, seq: BigInt(row.seq), head: row.hash });
    return true;
  }

  private async waitForChain(tenantId: string): Promise<void> {
    const row = await sql<{ chain_no: number; seq: string; head_hash: Buffer }>`
      select chain_no, seq, head_hash from audit_chains where tenant_id = ${tenantId}
      and chain_no = ${crypto.randomInt(CHAINS_PER_TENANT)} for update`.execute(this.tx);
    const r = row.rows[0];
    if (!r) throw new Error('tenant has no audit chains');
    this.held.set(tenantId, { chainNo: r.chain_no, seq: BigInt(r.seq), head: r.head_hash });
  }
}

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  if (i < 0 || s.indexOf(sep, i + 1) >= 0) throw new Error('audit marker not found exactly once');
  return [s.slice(0, i), s.slice(i + sep.length)];
}

/** Caller-supplied text as stored: no NUL or lone surrogates (PostgreSQL refuses them), at most 500 chars. */
function clean(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  return s
    .replace(/\u0000/g, '\uFFFD')
    .toWellFormed()
    .slice(0, 500);
}

/** Records an event in a transaction of its own — for denials, whose request transaction rolls back. */
export async function auditApart(db: Db, ctx: AuditContext, e: AuditEntry): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await new AuditLog(tx, ctx).append(e);
  });
}

/**
 * Runs work in one transaction with an audit log bound to it, for routes outside the case Scope
 * (which has its own): what the work appends commits or rolls back with it.
 */
export async function auditedTx<R>(
  db: Db,
  ctx: { tenantId: string; userId: string; requestId: string },
  fn: (tx: Tx, audit: AuditLog) => Promise<R>,
): Promise<R> {
  return db
    .transaction()
    .execute((tx) =>
      fn(tx, new AuditLog(tx, { tenantId: ctx.tenantId, actorId: ctx.userId, requestId: ctx.requestId })),
    );
}
