/** Verifies the audit log: every chain link, every chain head, and optional exported signed heads. */
import { sql } from 'kysely';
import { eventHash, genesisHash, type ChainedEvent } from './chain.ts';
import type { Db } from '../db/schema.ts';

/** The first broken link found, named by event id and position. */
export interface BadEvent {
  id: string | null;
  tenantId: string;
  chainNo: number;
  seq: string;
  reason: 'hash_mismatch' | 'broken_link' | 'missing_event' | 'head_mismatch' | 'signed_head_missing';
}

/** The outcome of a verification. */
export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBad: BadEvent | null;
}

/** A chain head as a signed export states it. */
export interface HeadClaim {
  tenantId: string;
  chainNo: number;
  seq: string;
  hash: string;
}

interface Row {
  id: string;
  tenant_id: string;
  chain_no: number;
  seq: string;
  prev_hash: Buffer;
  hash: Buffer;
  at: Date;
  actor_id: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  subject_id: string | null;
  purpose: string | null;
  outcome: 'ok' | 'denied' | 'error';
  request_id: string | null;
  details: Record<string, unknown>;
}

function toChained(r: Row): ChainedEvent {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    chainNo: r.chain_no,
    seq: r.seq,
    at: r.at.toISOString(),
    actorId: r.actor_id,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    subjectId: r.subject_id,
    purpose: r.purpose,
    outcome: r.outcome,
    requestId: r.request_id,
    details: r.details,
  };
}

/**
 * Walks every chain (optionally of one tenant) in sequence order, in batches, recomputing hashes.
 * Reports the earliest-positioned broken event across chains; also compares each chain's stored head
 * and any signed head claims (from an export) against the events.
 */
export async function verifyAudit(
  db: Db,
  opts: { tenantId?: string; claims?: HeadClaim[]; onProgress?: (checked: number) => void } = {},
): Promise<VerifyResult> {
  // Every chain that has a head row or has events: a deleted head row must not hide its events.
  const chains = (
    await sql<{ tenant_id: string; chain_no: number; seq: string | null; head_hash: Buffer | null }>`
      select k.tenant_id, k.chain_no, c.seq, c.head_hash
      from (select tenant_id, chain_no from audit_chains union select distinct tenant_id, chain_no from audit_events) k
      left join audit_chains c on c.tenant_id = k.tenant_id and c.chain_no = k.chain_no
      where ${opts.tenantId ?? null}::uuid is null or k.tenant_id = ${opts.tenantId ?? null}::uuid
      order by k.tenant_id, k.chain_no`.execute(db)
  ).rows;
  let checked = 0;
  const bad: BadEvent[] = [];
  for (const ch of chains) {
    let prev = genesisHash(ch.tenant_id, ch.chain_no);
    let expectSeq = 1n;
    let lastSeq = 0n;
    let failed: BadEvent | null = null;
    const hashesAt = new Map<string, string>();
    const claims = (opts.claims ?? []).filter((c) => c.tenantId === ch.tenant_id && c.chainNo === ch.chain_no);
    for (;;) {
      const batch = await sql<Row>`
        select * from audit_events where tenant_id = ${ch.tenant_id} and chain_no = ${ch.chain_no} and seq > ${lastSeq.toString()}
        order by seq limit 2000`.execute(db);
      for (const r of batch.rows) {
        checked++;
        const seq = BigInt(r.seq);
        if (seq !== expectSeq) {
          failed = { id: r.id, tenantId: r.tenant_id, chainNo: r.chain_no, seq: r.seq, reason: 'missing_event' };
          break;
        }
        if (!r.prev_hash.equals(prev)) {
          failed = { id: r.id, tenantId: r.tenant_id, chainNo: r.chain_no, seq: r.seq, reason: 'broken_link' };
          break;
        }
        const h = eventHash(prev, toChained(r));
        if (!h.equals(r.hash)) {
          failed = { id: r.id, tenantId: r.tenant_id, chainNo: r.chain_no, seq: r.seq, reason: 'hash_mismatch' };
          break;
        }
        if (claims.some((c) => c.seq === r.seq)) hashesAt.set(r.seq, h.toString('hex'));
        prev = h;
        expectSeq = seq + 1n;
        lastSeq = seq;
      }
      opts.onProgress?.(checked);
      if (failed || batch.rows.length < 2000) break;
    }
    if (!failed && (ch.seq === null || ch.head_hash === null || BigInt(ch.seq) !== lastSeq || !ch.head_hash.equals(prev))) {
      failed = { id: null, tenantId: ch.tenant_id, chainNo: ch.chain_no, seq: String(ch.seq), reason: 'head_mismatch' };
    }
    if (!failed) {
      for (const c of claims) {
        if (hashesAt.get(c.seq) !== c.hash) {
          failed = { id: null, tenantId: ch.tenant_id, chainNo: ch.chain_no, seq: c.seq, reason: 'signed_head_missing' };
          break;
        }
      }
    }
    if (failed) bad.push(failed);
  }
  // Claims for chains that no longer exist at all.
  for (const c of opts.claims ?? []) {
    if (!chains.some((ch) => ch.tenant_id === c.tenantId && ch.chain_no === c.chainNo) && (!opts.tenantId || c.tenantId === opts.tenantId)) {
      bad.push({ id: null, tenantId: c.tenantId, chainNo: c.chainNo, seq: c.seq, reason: 'signed_head_missing' });
    }
  }
  bad.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : BigInt(a.seq) > BigInt(b.seq) ? 1 : 0));
  return { ok: bad.length === 0, checked, firstBad: bad[0] ?? null };
}
