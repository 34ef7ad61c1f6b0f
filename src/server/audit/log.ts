/**
 * Appends audit events inside the caller's transaction. Each transaction locks one of the tenant's
 * chains with SKIP LOCKED, so concurrent requests spread over chains instead of queueing on one lock.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { CHAINS_PER_TENANT, eventHash, genesisHash, type ChainedEvent } from './chain.ts';
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
  const rows = Array.from({ length: CHAINS_PER_TENANT }, (_, i) => ({ tenant_id: tenantId, chain_no: i, seq: 0, head_hash: genesisHash(tenantId, i) }));
  await tx.insertInto('audit_chains').values(rows).onConflict((oc) => oc.columns(['tenant_id', 'chain_no']).doNothing()).execute();
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

  private async lockChain(tenantId: string): Promise<Held> {
    const have = this.held.get(tenantId);
    if (have) return have;
    let row = await sql<{ chain_no: number; seq: string; head_hash: Buffer }>`
      select chain_no, seq, head_hash from audit_chains where tenant_id = ${tenantId}
      order by random() limit 1 for update skip locked`.execute(this.tx);
    if (row.rows.length === 0) {
      // Every chain is busy: wait for a random one rather than fail.
      row = await sql<{ chain_no: number; seq: string; head_hash: Buffer }>`
        select chain_no, seq, head_hash from audit_chains where tenant_id = ${tenantId}
        and chain_no = ${crypto.randomInt(CHAINS_PER_TENANT)} for update`.execute(this.tx);
    }
    const r = row.rows[0];
    if (!r) throw new Error('tenant has no audit chains');
    const held = { chainNo: r.chain_no, seq: BigInt(r.seq), head: r.head_hash };
    this.held.set(tenantId, held);
    return held;
  }

  /** Appends one event to the tenant's chain within the transaction; returns its id. */
  async append(e: AuditEntry, tenantOverride?: string): Promise<string> {
    const tenantId = tenantOverride ?? this.ctx.tenantId;
    const held = await this.lockChain(tenantId);
    const seq = held.seq + 1n;
    const ev: ChainedEvent = {
      id: crypto.randomUUID(),
      tenantId,
      chainNo: held.chainNo,
      seq: seq.toString(),
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
    const hash = eventHash(held.head, ev);
    // The event and the new chain head in one round trip.
    await sql`
      with ev as (
        insert into audit_events (id, tenant_id, chain_no, seq, prev_hash, hash, at, actor_id, action, entity_type, entity_id, subject_id, purpose, outcome, request_id, details)
        values (${ev.id}, ${tenantId}, ${ev.chainNo}, ${ev.seq}, ${held.head}, ${hash}, ${ev.at}, ${ev.actorId}, ${ev.action}, ${ev.entityType}, ${ev.entityId}, ${ev.subjectId}, ${ev.purpose}, ${ev.outcome}, ${ev.requestId}, ${JSON.stringify(ev.details)}::jsonb)
        returning 1
      )
      update audit_chains set seq = ${ev.seq}, head_hash = ${hash} where tenant_id = ${tenantId} and chain_no = ${held.chainNo} and exists (select 1 from ev)`.execute(this.tx);
    held.seq = seq;
    held.head = hash;
    return ev.id;
  }
}

/** Caller-supplied text as stored: no NUL or lone surrogates (PostgreSQL refuses them), at most 500 chars. */
function clean(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  return s.replace(/\u0000/g, '\uFFFD').toWellFormed().slice(0, 500);
}

/** Records an event in a transaction of its own — for denials, whose request transaction rolls back. */
export async function auditApart(db: Db, ctx: AuditContext, e: AuditEntry): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await new AuditLog(tx, ctx).append(e);
  });
}
