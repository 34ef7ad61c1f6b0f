/**
 * Reading a tenant's anchor file for `verifyAudit`: every record authenticated, the chain (`prev`)
 * checked, and the anchored hashes merged into one span per run of records of each chain.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import readline from 'node:readline';
import type { Services } from '../services.ts';
import { ANCHOR_FILE_NAME } from './anchor-files.ts';
import { AnchorVerifier, anchorFile, sha256hex, type AnchorPayload } from './anchor-record.ts';
import type { AnchorSource, AnchorSpan, BadEvent, TenantAnchors } from './verify.ts';

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
