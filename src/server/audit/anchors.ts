/**
 * Signed anchors of the audit chains, kept OUTSIDE the database (`SANAD_AUDIT_ANCHOR_DIR`).
 *
 * Someone who can run SQL as the owner can rewrite a chain consistently, rewind its head and delete
 * the signed heads stored in `audit_heads`; the chain walk then passes. Anchors defeat that: the
 * maintenance job (and `sanad audit anchor`) appends, per tenant, one line per record to
 * `<dir>/<tenantId>.jsonl` (file 0600, directory 0700, fsync'd). Each record is a compact Ed25519 JWS
 * whose payload lists, for every chain that moved since the previous record, the hashes (16-byte
 * prefixes) of the events appended since then, and the head (seq, hash prefix) of every chain.
 * `verify` compares every event with these and names the first one that differs or is gone.
 *
 * Records follow each other (`prev` is the SHA-256 of the previous line), so removing, inserting or
 * reordering records is seen too. A run reads the last record (the file is read backwards from its
 * end), takes each chain's anchored head from its `heads`, and reads only the events after them.
 */
import { log } from '../log.ts';
import { anchorFileExists, appendLine, checkAnchorDir, linesFromEnd, repairTornTail } from './anchor-files.ts';
import {
  ANCHOR_TYP,
  AnchorVerifier,
  anchorFile,
  samePrefix,
  sha256hex,
  UUID,
  type AnchorPayload,
} from './anchor-record.ts';
import type { Services } from '../services.ts';
import { genesisHash } from './chain.ts';
import { ANCHOR_HASH_BYTES } from './verify.ts';

/** At most this many event hashes go into one record (about 1.4 MB per line), so that no line gets huge. */
export const MAX_EVENTS_PER_RECORD = 50_000;
/** Events read per query while anchoring. */
const READ_BATCH = 10_000;
/** Advisory lock (class, 0) held while anchoring, so that the job and the CLI never write at once. */
const LOCK_CLASS = 0x5a4ae;

/** Where each chain was last anchored (seq and hash prefix), and the hash of the file's last line. */
interface FileState {
  prev: string | null;
  chains: Map<number, { seq: bigint; head: Buffer }>;
}

/** Reads the anchored position of every chain from the last record that verifies (normally the last line). */
async function readState(file: string, verifier: AnchorVerifier, tenantId: string): Promise<FileState> {
  const st: FileState = { prev: null, chains: new Map() };
  let first = true;
  let invalid = 0;
  for await (const line of linesFromEnd(file)) {
    if (first) st.prev = sha256hex(line);
    first = false;
    let p: AnchorPayload;
    try {
      p = await verifier.open(String((JSON.parse(line) as { jws?: unknown }).jws));
      if (p.tenantId !== tenantId) throw new Error('another tenant');
    } catch {
      invalid++;
      continue;
    }
    for (const [chainNo, seq, head] of p.heads)
      st.chains.set(chainNo, { seq: BigInt(seq), head: Buffer.from(head, 'base64url') });
    break;
  }
  if (invalid)
    log('warn', 'audit anchor file holds records that do not verify; run `sanad audit verify`', {
      tenantId,
      records: invalid,
    });
  return st;
}

/** What one anchoring run did for a tenant. */
export interface AnchorRun {
  tenantId: string;
  file: string;
  /** Records appended. */
  records: number;
  /** Events read and anchored (only those after the previous anchor). */
  events: number;
  /** Set when anchoring this tenant failed. */
  error?: string;
}

/** Runs fn while holding the anchoring advisory lock on a dedicated connection (never inside a transaction). */
async function withAnchorLock<T>(s: Services, fn: () => Promise<T>): Promise<T> {
  const conn = await s.database.pool.connect();
  let broken: Error | undefined;
  try {
    await conn.query('select pg_advisory_lock($1, 0)', [LOCK_CLASS]);
    try {
      return await fn();
    } finally {
      await conn.query('select pg_advisory_unlock($1, 0)', [LOCK_CLASS]).catch((e: Error) => {
        broken = e;
      });
    }
  } finally {
    conn.release(broken);
  }
}

/** Anchors one tenant; the caller holds the anchoring lock. Reads only events after each chain's anchored seq. */
async function anchorOne(
  s: Services,
  tenantId: string,
  dir: string,
  verifier: AnchorVerifier,
  max: number,
): Promise<AnchorRun> {
  const file = anchorFile(dir, tenantId);
  const run: AnchorRun = { tenantId, file, records: 0, events: 0 };
  const heads = await s.db
    .selectFrom('audit_chains')
    .select(['chain_no', 'seq', 'head_hash'])
    .where('tenant_id', '=', tenantId)
    .orderBy('chain_no')
    .execute();
  if (!heads.some((h) => BigInt(h.seq) > 0n) && !(await anchorFileExists(file))) return run;
  await repairTornTail(file, tenantId);
  const state = await readState(file, verifier, tenantId);
  const positions = state.chains;
  let prev = state.prev;
  let entries: { chainNo: number; from: bigint; seq: bigint; head: Buffer; hashes: Buffer[] }[] = [];
  let pending = 0;
  const flush = async () => {
    if (pending === 0) return;
    for (const e of entries) positions.set(e.chainNo, { seq: e.seq, head: e.head });
    const payload: AnchorPayload = {
      type: 'sanad-audit-anchor',
      v: 1,
      tenantId,
      prev,
      anchoredAt: new Date().toISOString(),
      hashBytes: ANCHOR_HASH_BYTES,
      chains: entries.map((e) => ({
        chainNo: e.chainNo,
        from: e.from.toString(),
        seq: e.seq.toString(),
        hashes: Buffer.concat(e.hashes).toString('base64url'),
      })),
      heads: [...positions]
        .sort((a, b) => a[0] - b[0])
        .map(([chainNo, at]) => [
          chainNo,
          at.seq.toString(),
          at.head.subarray(0, ANCHOR_HASH_BYTES).toString('base64url'),
        ]),
    };
    const line = JSON.stringify({ jws: await s.signer.sign(payload, ANCHOR_TYP, s.db) });
    await appendLine(dir, file, line);
    prev = sha256hex(line);
    entries = [];
    pending = 0;
    run.records++;
  };
  for (const h of heads) {
    const dbSeq = BigInt(h.seq);
    const at = positions.get(h.chain_no);
    let seq = at?.seq ?? 0n;
    let head = at?.head ?? genesisHash(tenantId, h.chain_no);
    if (dbSeq === seq) {
      if (!samePrefix(h.head_hash, head))
        log('error', 'audit chain head differs from its anchor; run `sanad audit verify`', {
          tenantId,
          chainNo: h.chain_no,
          seq: String(seq),
        });
      continue;
    }
    if (dbSeq < seq) {
      log('error', 'audit chain is behind its anchor (events removed?); run `sanad audit verify`', {
        tenantId,
        chainNo: h.chain_no,
        seq: String(dbSeq),
        anchoredSeq: String(seq),
      });
      continue;
    }
    let entry: (typeof entries)[number] | null = null;
    let warned = false;
    reading: for (;;) {
      const rows = await s.db
        .selectFrom('audit_events')
        .select(['seq', 'prev_hash', 'hash'])
        .where('tenant_id', '=', tenantId)
        .where('chain_no', '=', h.chain_no)
        .where('seq', '>', seq.toString())
        .orderBy('seq')
        .limit(READ_BATCH)
        .execute();
      for (const r of rows) {
        const rs = BigInt(r.seq);
        if (rs !== seq + 1n) {
          // A hole cannot be anchored; stop before it (verify reports it) and try again next run.
          log('error', 'audit chain has a missing event; anchored up to it; run `sanad audit verify`', {
            tenantId,
            chainNo: h.chain_no,
            seq: String(seq + 1n),
          });
          break reading;
        }
        if (!warned && !samePrefix(r.prev_hash, head)) {
          warned = true;
          log('error', 'audit chain does not continue its anchored head (rewritten?); run `sanad audit verify`', {
            tenantId,
            chainNo: h.chain_no,
            seq: r.seq,
          });
        }
        if (!entry) {
          entry = { chainNo: h.chain_no, from: rs, seq: rs, head: r.hash, hashes: [] };
          entries.push(entry);
        }
        entry.hashes.push(r.hash.subarray(0, ANCHOR_HASH_BYTES));
        entry.seq = rs;
        entry.head = r.hash;
        seq = rs;
        head = r.hash;
        pending++;
        run.events++;
        if (pending >= max) {
          await flush();
          entry = null;
        }
      }
      if (rows.length < READ_BATCH) break;
    }
  }
  await flush();
  return run;
}

/**
 * Appends signed anchor records for every tenant with events (or the given tenants) whose chains moved
 * since their last anchor. Holds an advisory lock so that the job and the CLI never write at once; one
 * tenant's failure is logged and does not stop the others.
 */
export async function anchorTenants(
  s: Services,
  opts: { tenantIds?: string[]; dir?: string; maxEventsPerRecord?: number } = {},
): Promise<AnchorRun[]> {
  const dir = opts.dir ?? s.config.auditAnchorDir;
  const max = Math.max(1, opts.maxEventsPerRecord ?? MAX_EVENTS_PER_RECORD);
  const ids =
    opts.tenantIds ??
    (
      await s.db
        .selectFrom('audit_chains')
        .select('tenant_id')
        .distinct()
        .where('seq', '>', '0')
        .orderBy('tenant_id')
        .execute()
    ).map((r) => r.tenant_id);
  const verifier = new AnchorVerifier(s);
  return withAnchorLock(s, async () => {
    // Every run, not only on creation: a mode changed later must not go unnoticed.
    await checkAnchorDir(dir).catch((e: unknown) =>
      log('error', 'audit anchor directory cannot be checked', {
        dir,
        errMessage: (e instanceof Error ? e.message : String(e)).slice(0, 300),
      }),
    );
    const runs: AnchorRun[] = [];
    for (const id of ids) {
      try {
        runs.push(await anchorOne(s, id, dir, verifier, max));
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        log('error', 'audit anchoring failed for a tenant', { tenantId: id, errMessage: error.slice(0, 300) });
        runs.push({ tenantId: id, file: UUID.test(id) ? anchorFile(dir, id) : '', records: 0, events: 0, error });
      }
    }
    return runs;
  });
}

/** Anchors one tenant now (`sanad audit anchor --tenant`); see anchorTenants. */
export async function anchorTenant(
  s: Services,
  tenantId: string,
  opts: { dir?: string; maxEventsPerRecord?: number } = {},
): Promise<AnchorRun> {
  const [run] = await anchorTenants(s, { ...opts, tenantIds: [tenantId] });
  if (run!.error) throw new Error(run!.error);
  return run!;
}
