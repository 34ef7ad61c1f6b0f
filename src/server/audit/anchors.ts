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
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { z } from 'zod';
import { log } from '../log.ts';
import {
  ANCHOR_FILE_NAME,
  anchorFileExists,
  appendLine,
  checkAnchorDir,
  linesFromEnd,
  repairTornTail,
} from './anchor-files.ts';
import type { Services } from '../services.ts';
import { genesisHash } from './chain.ts';
import type { DeploymentKeys } from '../crypto/signing.ts';
import { ANCHOR_HASH_BYTES, type AnchorSource, type AnchorSpan, type BadEvent, type TenantAnchors } from './verify.ts';

/** The JWS `typ` of an anchor record. */
export const ANCHOR_TYP = 'sanad-audit-anchor+jws';
/** At most this many event hashes go into one record (about 1.4 MB per line), so that no line gets huge. */
export const MAX_EVENTS_PER_RECORD = 50_000;
/** Events read per query while anchoring. */
const READ_BATCH = 10_000;
/** Advisory lock (class, 0) held while anchoring, so that the job and the CLI never write at once. */
const LOCK_CLASS = 0x5a4ae;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** One chain's part of an anchor record: the events from..seq, in order. */
export interface AnchorChainEntry {
  chainNo: number;
  /** First seq whose hash is listed. */
  from: string;
  /** Last seq listed: the chain's head as anchored. */
  seq: string;
  /** base64url of the concatenated `hashBytes`-byte prefixes of the hashes of events from..seq. */
  hashes: string;
}

/** The signed payload of an anchor record. */
export interface AnchorPayload {
  type: 'sanad-audit-anchor';
  v: 1;
  tenantId: string;
  /** SHA-256 (hex) of the previous line of the file, or null for the first line. */
  prev: string | null;
  anchoredAt: string;
  hashBytes: typeof ANCHOR_HASH_BYTES;
  /** Chains that moved since the previous record, with the hashes of their new events. */
  chains: AnchorChainEntry[];
  /**
   * The head of every chain anchored so far, after this record: [chainNo, seq, base64url hash prefix].
   * The next run reads only this (in the last record), so it never scans the file for a quiet chain.
   */
  heads: [number, string, string][];
}

const Seq = z.string().regex(/^[1-9]\d{0,18}$/);
const Payload = z
  .object({
    type: z.literal('sanad-audit-anchor'),
    v: z.literal(1),
    tenantId: z.string().regex(UUID),
    prev: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
    anchoredAt: z.string().datetime(),
    hashBytes: z.literal(ANCHOR_HASH_BYTES),
    chains: z.array(
      z
        .object({
          chainNo: z.number().int().min(0).max(1_000_000),
          from: Seq,
          seq: Seq,
          hashes: z.string().regex(/^[A-Za-z0-9_-]*$/),
        })
        .strict(),
    ),
    heads: z.array(z.tuple([z.number().int().min(0).max(1_000_000), Seq, z.string().regex(/^[A-Za-z0-9_-]{22}$/)])),
  })
  .strict();

/** The path of a tenant's anchor file. */
export function anchorFile(dir: string, tenantId: string): string {
  if (!UUID.test(tenantId)) throw new Error('tenant id must be a UUID');
  return path.join(dir, `${tenantId}.jsonl`);
}

function sha256hex(s: string): string {
  return crypto.createHash('sha256').update(s, 'utf8').digest('hex');
}

/** Authenticates anchor records with the deployment's public keys (read once; re-read for an unknown key id). */
export class AnchorVerifier {
  private keys: DeploymentKeys;

  constructor(s: Services) {
    this.keys = s.signer.keys();
  }

  /** Verifies one record's signature and shape; returns its payload or throws saying why not. */
  async open(jws: string): Promise<AnchorPayload> {
    const p = Payload.safeParse(await this.keys.open(jws, ANCHOR_TYP));
    if (!p.success) throw new Error('malformed anchor payload');
    for (const c of p.data.chains) {
      const n = BigInt(c.seq) - BigInt(c.from) + 1n;
      const hashes = Buffer.from(c.hashes, 'base64url');
      if (n < 1n || BigInt(hashes.length) !== n * BigInt(ANCHOR_HASH_BYTES))
        throw new Error('malformed anchor payload');
      // The record's heads agree with its own entries.
      const h = p.data.heads.find((x) => x[0] === c.chainNo);
      if (
        !h ||
        h[1] !== c.seq ||
        Buffer.from(h[2], 'base64url').compare(hashes, hashes.length - ANCHOR_HASH_BYTES) !== 0
      )
        throw new Error('malformed anchor payload');
    }
    return p.data as AnchorPayload;
  }
}

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

/** Whether two hashes agree on the anchored prefix. */
function samePrefix(a: Buffer, b: Buffer): boolean {
  return a.compare(b, 0, ANCHOR_HASH_BYTES, 0, ANCHOR_HASH_BYTES) === 0;
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

/** Reads and authenticates a tenant's anchor file for verify: its spans by chain and the problems in the file. */
async function loadTenantAnchors(
  file: string,
  tenantId: string,
  verifier: AnchorVerifier,
): Promise<TenantAnchors | null> {
  let fh: fsp.FileHandle;
  try {
    // Non-blocking: a FIFO put in place of the file must not make verify wait forever.
    fh = await fsp.open(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    if (!(await fh.stat()).isFile()) {
      const detail = 'the anchor file is not a regular file';
      return {
        chains: new Map(),
        problems: [{ id: null, tenantId, chainNo: null, seq: null, reason: 'anchor_file_broken', file, detail }],
        records: 0,
        lastAnchoredAt: null,
        incompleteLines: 0,
      };
    }
    return await readTenantAnchors(fh, file, tenantId, verifier);
  } finally {
    await fh.close();
  }
}

/**
 * Reads the file as it was when verify looked at its size: the anchoring job may be appending while
 * verify reads, so bytes written after that are left for the next verification, and a last line with
 * no newline yet (a record still being written, or cut short by a crash, which the next anchoring run
 * removes) is ignored and counted in `incompleteLines`, not reported as a broken record.
 */
async function readTenantAnchors(
  fh: fsp.FileHandle,
  file: string,
  tenantId: string,
  verifier: AnchorVerifier,
): Promise<TenantAnchors> {
  const size = (await fh.stat()).size;
  const out: TenantAnchors = { chains: new Map(), problems: [], records: 0, lastAnchoredAt: null, incompleteLines: 0 };
  if (size === 0) return out;
  const b = Buffer.alloc(1);
  await fh.read(b, 0, 1, size - 1);
  const endsWithNewline = b[0] === 0x0a;
  const problem = (reason: BadEvent['reason'], line: number, detail: string) =>
    out.problems.push({ id: null, tenantId, chainNo: null, seq: null, reason, file, line, detail });
  let prevHash: string | null = null;
  let lineNo = 0;
  const runs = new Map<number, { from: bigint; to: bigint; big: Buffer[]; small: Buffer[] }[]>();
  const handle = async (text: string, no: number) => {
    const expectPrev = prevHash;
    prevHash = sha256hex(text);
    let p: AnchorPayload;
    try {
      let jws: unknown;
      try {
        jws = (JSON.parse(text) as { jws?: unknown }).jws;
      } catch {
        throw new Error('not a JSON line');
      }
      if (typeof jws !== 'string') throw new Error('no jws in the line');
      p = await verifier.open(jws);
      if (p.tenantId !== tenantId) throw new Error('a record of another tenant');
    } catch (e) {
      problem('anchor_signature_invalid', no, (e instanceof Error ? e.message : String(e)).slice(0, 200));
      return;
    }
    if (p.prev !== expectPrev)
      problem(
        'anchor_file_broken',
        no,
        no === 1
          ? 'the first record names a previous one (records were removed from the start)'
          : `the record does not follow line ${no - 1} (a record was removed, inserted, changed or reordered)`,
      );
    out.records++;
    if (!out.lastAnchoredAt || p.anchoredAt > out.lastAnchoredAt) out.lastAnchoredAt = p.anchoredAt;
    for (const c of p.chains) {
      const from = BigInt(c.from);
      const hashes = Buffer.from(c.hashes, 'base64url');
      const list = runs.get(c.chainNo) ?? [];
      runs.set(c.chainNo, list);
      const last = list[list.length - 1];
      // Records of a chain normally follow on: one run per chain keeps memory at 16 bytes per event.
      if (last && from === last.to + 1n) {
        last.to = BigInt(c.seq);
        last.small.push(hashes);
        if (last.small.length >= 1024) last.big.push(Buffer.concat(last.small.splice(0)));
      } else list.push({ from, to: BigInt(c.seq), big: [], small: [hashes] });
    }
  };
  const rl = readline.createInterface({
    input: fh.createReadStream({ start: 0, end: size - 1, encoding: 'utf8', autoClose: false }),
    crlfDelay: Infinity,
  });
  let held: { text: string; no: number } | null = null;
  for await (const text of rl) {
    lineNo++;
    if (held) await handle(held.text, held.no);
    held = text ? { text, no: lineNo } : null;
  }
  // A last line without its newline is not a record yet.
  if (held && endsWithNewline) await handle(held.text, held.no);
  else if (held) out.incompleteLines = 1;
  for (const [chainNo, list] of runs)
    out.chains.set(
      chainNo,
      list.map((r): AnchorSpan => ({ from: r.from, to: r.to, hashes: Buffer.concat([...r.big, ...r.small]) })),
    );
  return out;
}

/** The anchors in a directory (default: the configured one), for `verifyAudit`. */
export function anchorSource(s: Services, dir: string = s.config.auditAnchorDir): AnchorSource {
  const verifier = new AnchorVerifier(s);
  return {
    async tenants() {
      try {
        return (await fsp.readdir(dir)).flatMap((f) => ANCHOR_FILE_NAME.exec(f)?.[1] ?? []);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
    },
    load: (tenantId) => loadTenantAnchors(anchorFile(dir, tenantId), tenantId, verifier),
  };
}
