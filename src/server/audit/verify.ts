/**
 * Verifies the audit log: every chain link, every chain head, optional exported signed heads, and the
 * signed anchors kept outside the database (`anchors.ts`), which name the first rewritten or removed event.
 */
import { sql } from 'kysely';
import { chainedFromRow, eventHash, genesisHash, type AuditEventRow } from './chain.ts';
import type { Db } from '../db/schema.ts';

/** Stable problem codes, from the chain walk, signed heads and anchors. */
export type Problem =
  | 'hash_mismatch'
  | 'broken_link'
  | 'missing_event'
  | 'head_mismatch'
  | 'signed_head_missing'
  /** A stored or exported signed heads statement that does not verify (skipped, never trusted). */
  | 'signed_head_invalid'
  /** An event's hash differs from the one an anchor record holds for its chain and seq. */
  | 'anchor_mismatch'
  /** An anchor record holds a hash for a chain and seq that has no event (tail deleted, head rewound). */
  | 'anchor_missing_event'
  /** An anchor record that cannot be authenticated: bad signature, unknown key, malformed, other tenant. */
  | 'anchor_signature_invalid'
  /** Anchor records that do not follow each other (one removed, inserted or reordered). */
  | 'anchor_file_broken'
  /**
   * Events older than the allowed anchor lag that no anchor record covers (anchoring stopped, starved
   * or writing elsewhere; or no anchor file at all). Not evidence of tampering by itself, but every
   * such event could be rewritten unseen.
   */
  | 'anchor_stale';

/** A problem found, named by event id and position; anchor-file problems name the file and line instead. */
export interface BadEvent {
  id: string | null;
  tenantId: string;
  chainNo: number | null;
  seq: string | null;
  reason: Problem;
  /** For anchor-file problems: the file and its 1-based line. */
  file?: string;
  line?: number;
  /** For `signed_head_invalid`: where the statement is (`audit_heads row 42`, or a file and its position). */
  statement?: string;
  /** A short explanation (never personal data). */
  detail?: string;
}

/** What the anchors contributed to a verification. */
export interface AnchorSummary {
  /** Anchor records read and authenticated. */
  records: number;
  /** Events whose hash was compared with an anchored one. */
  comparedEvents: number;
  /** When the newest anchor record read was written. */
  lastAnchoredAt: string | null;
  /** Events checked that no anchor record covers (appended since the last anchoring run, or never anchored). */
  unanchoredEvents: number;
  /** When the oldest of them was appended (null: every event checked is anchored). */
  oldestUnanchoredAt: string | null;
  /** The anchor lag: how long ago the oldest unanchored event was appended, in seconds (0: none). */
  lagSeconds: number;
  /** The lag above which verify reports `anchor_stale`, in seconds. */
  maxLagSeconds: number;
  /**
   * Anchor files whose last line has no newline yet: a record being written while verify read (or cut
   * short by a crash; the next anchoring run removes it). The line is ignored, not reported as broken.
   */
  incompleteLines: number;
}

/** The outcome of a verification. */
export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The first problem (earliest seq first; anchor-file problems after event problems). */
  firstBad: BadEvent | null;
  /** Every problem found: at most one per chain, plus anchor-file problems. */
  problems: BadEvent[];
  anchors: AnchorSummary;
}

/** A run of consecutive anchored event hashes (truncated) of one chain, from one or more anchor records. */
export interface AnchorSpan {
  from: bigint;
  to: bigint;
  /** `ANCHOR_HASH_BYTES`-byte prefixes of the hashes of events from..to, concatenated. */
  hashes: Buffer;
}

/** A tenant's authenticated anchors, by chain, and the problems found in its anchor file. */
export interface TenantAnchors {
  chains: Map<number, AnchorSpan[]>;
  problems: BadEvent[];
  records: number;
  lastAnchoredAt: string | null;
  /** 1 when the file's last line had no newline (ignored as a write in progress), else 0. */
  incompleteLines: number;
}

/** Where verify finds anchors: the tenants that have some, and each tenant's (null: none). */
export interface AnchorSource {
  tenants(): Promise<string[]>;
  load(tenantId: string): Promise<TenantAnchors | null>;
}

/** Bytes of each event hash kept in an anchor record (a prefix of the SHA-256). */
export const ANCHOR_HASH_BYTES = 16;

/**
 * The default allowed anchor lag: events appended longer ago than this and covered by no anchor record
 * are reported as `anchor_stale`. Three maintenance intervals (5 minutes each): a run that was skipped
 * or slow does not raise the alarm, anchoring that stopped does.
 */
export const DEFAULT_MAX_ANCHOR_LAG_MS = 15 * 60_000;

/** A chain head as a signed export states it. */
export interface HeadClaim {
  tenantId: string;
  chainNo: number;
  seq: string;
  hash: string;
}

/** Compares event hashes with the anchored ones of one chain, sweeping its spans in seq order. */
class AnchorCursor {
  private spans: AnchorSpan[];
  private next = 0;
  private active: AnchorSpan[] = [];
  compared = 0;
  /** Whether the seq last asked about is covered by an anchor record. */
  covered = false;

  constructor(spans: AnchorSpan[]) {
    this.spans = [...spans].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  }

  /** Whether every anchor covering `seq` holds this hash's prefix (seqs must be asked in rising order). */
  matches(seq: bigint, hash: Buffer): boolean {
    while (this.next < this.spans.length && this.spans[this.next]!.from <= seq)
      this.active.push(this.spans[this.next++]!);
    if (this.active.some((sp) => sp.to < seq)) this.active = this.active.filter((sp) => sp.to >= seq);
    this.covered = this.active.length > 0;
    if (this.covered) this.compared++;
    for (const sp of this.active) {
      const off = Number(seq - sp.from) * ANCHOR_HASH_BYTES;
      if (hash.compare(sp.hashes, off, off + ANCHOR_HASH_BYTES, 0, ANCHOR_HASH_BYTES) !== 0) return false;
    }
    return true;
  }

  /** The first anchored seq after `seq`, if any: an event the chain should still hold. */
  firstAnchoredAfter(seq: bigint): bigint | null {
    let best: bigint | null = null;
    for (const sp of this.spans) {
      if (sp.to <= seq) continue;
      const at = sp.from > seq ? sp.from : seq + 1n;
      if (best === null || at < best) best = at;
    }
    return best;
  }
}

/** Options of `verifyAudit`. */
export interface VerifyOptions {
  /** Only this tenant. */
  tenantId?: string;
  /** Chain heads from signed statements that verified (`claimsFrom`). */
  claims?: HeadClaim[];
  /** Statements that did not verify (`claimsFrom`'s `invalid`): reported as they are. */
  badStatements?: BadEvent[];
  /** The anchors to compare with; also turns on the anchor lag check. */
  anchors?: AnchorSource;
  /** With anchors: report `anchor_stale` for unanchored events older than this (default 15 minutes). */
  maxAnchorLagMs?: number;
  /** The time the lag is measured at (default: now). */
  now?: Date;
  onProgress?: (checked: number) => void;
}

/** The oldest event of a tenant that no anchor record covers. */
interface Unanchored {
  count: number;
  oldest: { at: Date; id: string; chainNo: number; seq: string } | null;
}

/** A duration for a message: seconds under two minutes, whole minutes above. */
function duration(ms: number): string {
  return ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

/**
 * Walks every chain (optionally of one tenant) in sequence order, in batches, recomputing hashes.
 * Reports the earliest-positioned broken event across chains; also compares each chain's stored head,
 * any signed head claims (from an export) and any anchors (kept outside the database) with the events.
 * With anchors, events that no anchor record covers and that are older than the allowed lag are
 * reported as `anchor_stale` (one problem per tenant, naming the oldest such event).
 */
export async function verifyAudit(db: Db, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const maxLagMs = Math.max(0, opts.maxAnchorLagMs ?? DEFAULT_MAX_ANCHOR_LAG_MS);
  const now = opts.now ?? new Date();
  // Every chain that has a head row or has events: a deleted head row must not hide its events.
  const chains = (
    await sql<{ tenant_id: string; chain_no: number; seq: string | null; head_hash: Buffer | null }>`
      select k.tenant_id, k.chain_no, c.seq, c.head_hash
      from (select tenant_id, chain_no from audit_chains union select distinct tenant_id, chain_no from audit_events) k
      left join audit_chains c on c.tenant_id = k.tenant_id and c.chain_no = k.chain_no
      where ${opts.tenantId ?? null}::uuid is null or k.tenant_id = ${opts.tenantId ?? null}::uuid
      order by k.tenant_id, k.chain_no`.execute(db)
  ).rows;
  // Tenants to check: those with chains, plus (for a whole-database check) those that only have
  // anchors left: a tenant whose chains were all removed must not vanish from the report.
  const byTenant = new Map<string, typeof chains>();
  for (const c of chains) {
    const list = byTenant.get(c.tenant_id);
    if (list) list.push(c);
    else byTenant.set(c.tenant_id, [c]);
  }
  const tenants = new Set(byTenant.keys());
  if (opts.tenantId) tenants.add(opts.tenantId);
  else if (opts.anchors) for (const t of await opts.anchors.tenants()) tenants.add(t);
  let checked = 0;
  const bad: BadEvent[] = [];
  const fileProblems: BadEvent[] = [];
  const staleProblems: BadEvent[] = [];
  const summary: AnchorSummary = {
    records: 0,
    comparedEvents: 0,
    lastAnchoredAt: null,
    unanchoredEvents: 0,
    oldestUnanchoredAt: null,
    lagSeconds: 0,
    maxLagSeconds: Math.round(maxLagMs / 1000),
    incompleteLines: 0,
  };
  let oldestUnanchored: Date | null = null;
  for (const tenantId of [...tenants].sort()) {
    const anchors = opts.anchors ? await opts.anchors.load(tenantId) : null;
    const unanchored: Unanchored = { count: 0, oldest: null };
    if (anchors) {
      fileProblems.push(...anchors.problems);
      summary.records += anchors.records;
      summary.incompleteLines += anchors.incompleteLines;
      if (anchors.lastAnchoredAt && (!summary.lastAnchoredAt || anchors.lastAnchoredAt > summary.lastAnchoredAt))
        summary.lastAnchoredAt = anchors.lastAnchoredAt;
    }
    const ofTenant = byTenant.get(tenantId) ?? [];
    // Chains that only the anchors still know: every anchored event of them is gone.
    for (const [chainNo, spans] of anchors?.chains ?? []) {
      if (ofTenant.some((c) => c.chain_no === chainNo) || spans.length === 0) continue;
      const first = new AnchorCursor(spans).firstAnchoredAfter(0n);
      bad.push({
        id: null,
        tenantId,
        chainNo,
        seq: String(first),
        reason: 'anchor_missing_event',
        detail: 'the chain has no events and no head row',
      });
    }
    for (const ch of ofTenant) {
      let prev = genesisHash(ch.tenant_id, ch.chain_no);
      let expectSeq = 1n;
      let lastSeq = 0n;
      let failed: BadEvent | null = null;
      const hashesAt = new Map<string, string>();
      const claims = (opts.claims ?? []).filter((c) => c.tenantId === ch.tenant_id && c.chainNo === ch.chain_no);
      const anchored = new AnchorCursor(anchors?.chains.get(ch.chain_no) ?? []);
      for (;;) {
        const batch = await sql<AuditEventRow>`
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
          const h = eventHash(prev, chainedFromRow(r));
          if (!h.equals(r.hash)) {
            failed = { id: r.id, tenantId: r.tenant_id, chainNo: r.chain_no, seq: r.seq, reason: 'hash_mismatch' };
            break;
          }
          // A consistent rewrite passes every check above; only a hash kept outside the database differs.
          if (!anchored.matches(seq, h)) {
            failed = {
              id: r.id,
              tenantId: r.tenant_id,
              chainNo: r.chain_no,
              seq: r.seq,
              reason: 'anchor_mismatch',
              detail: 'the event differs from the anchored one',
            };
            break;
          }
          if (opts.anchors && !anchored.covered) {
            // Not anchored (yet): the lag check below decides whether that is normal.
            unanchored.count++;
            if (!unanchored.oldest || r.at < unanchored.oldest.at)
              unanchored.oldest = { at: r.at, id: r.id, chainNo: r.chain_no, seq: r.seq };
          }
          if (claims.some((c) => c.seq === r.seq)) hashesAt.set(r.seq, h.toString('hex'));
          prev = h;
          expectSeq = seq + 1n;
          lastSeq = seq;
        }
        opts.onProgress?.(checked);
        if (failed || batch.rows.length < 2000) break;
      }
      summary.comparedEvents += anchored.compared;
      if (!failed) {
        // Anchored events beyond the chain's end: its tail was deleted (and its head maybe rewound).
        const missing = anchored.firstAnchoredAfter(lastSeq);
        if (missing !== null)
          failed = {
            id: null,
            tenantId: ch.tenant_id,
            chainNo: ch.chain_no,
            seq: missing.toString(),
            reason: 'anchor_missing_event',
            detail: 'an anchored event is no longer in the chain',
          };
      }
      if (
        !failed &&
        (ch.seq === null || ch.head_hash === null || BigInt(ch.seq) !== lastSeq || !ch.head_hash.equals(prev))
      ) {
        failed = { id: null, tenantId: ch.tenant_id, chainNo: ch.chain_no, seq: ch.seq, reason: 'head_mismatch' };
      }
      if (!failed) {
        for (const c of claims) {
          if (hashesAt.get(c.seq) !== c.hash) {
            failed = {
              id: null,
              tenantId: ch.tenant_id,
              chainNo: ch.chain_no,
              seq: c.seq,
              reason: 'signed_head_missing',
            };
            break;
          }
        }
      }
      if (failed) bad.push(failed);
    }
    if (opts.anchors && unanchored.oldest) {
      summary.unanchoredEvents += unanchored.count;
      const o = unanchored.oldest;
      if (!oldestUnanchored || o.at < oldestUnanchored) oldestUnanchored = o.at;
      const age = now.getTime() - o.at.getTime();
      if (age > maxLagMs) {
        const what =
          anchors && anchors.records > 0
            ? `${unanchored.count} events are covered by no anchor record`
            : `there are no anchor records for this tenant; ${unanchored.count} events are covered by none`;
        staleProblems.push({
          id: o.id,
          tenantId,
          chainNo: o.chainNo,
          seq: o.seq,
          reason: 'anchor_stale',
          detail: `${what}, the oldest appended ${o.at.toISOString()} (${duration(age)} ago; at most ${duration(maxLagMs)} allowed): is the maintenance job running and anchoring to this directory?`,
        });
      }
    }
  }
  // Claims for chains that no longer exist at all.
  for (const c of opts.claims ?? []) {
    if (
      !chains.some((ch) => ch.tenant_id === c.tenantId && ch.chain_no === c.chainNo) &&
      (!opts.tenantId || c.tenantId === opts.tenantId)
    ) {
      bad.push({ id: null, tenantId: c.tenantId, chainNo: c.chainNo, seq: c.seq, reason: 'signed_head_missing' });
    }
  }
  const at = (b: BadEvent) => (b.seq && /^\d+$/.test(b.seq) ? BigInt(b.seq) : 0n);
  bad.sort((a, b) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0));
  if (oldestUnanchored) {
    summary.oldestUnanchoredAt = oldestUnanchored.toISOString();
    summary.lagSeconds = Math.max(0, Math.floor((now.getTime() - oldestUnanchored.getTime()) / 1000));
  }
  // Evidence of change first (events, then anchor files, then statements), then what is only missing cover.
  const problems = [...bad, ...fileProblems, ...(opts.badStatements ?? []), ...staleProblems];
  return { ok: problems.length === 0, checked, firstBad: problems[0] ?? null, problems, anchors: summary };
}
