/**
 * The anchor record format (see anchors.ts): a compact Ed25519 JWS per line of `<tenantId>.jsonl`,
 * its payload's shape, and the verifier that authenticates a record with the deployment's keys.
 * Shared by the writer (anchors.ts) and the reader for verify (anchor-read.ts).
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { DeploymentKeys } from '../crypto/signing.ts';
import type { Services } from '../services.ts';
import { ANCHOR_HASH_BYTES } from './verify.ts';

/** The JWS `typ` of an anchor record. */
export const ANCHOR_TYP = 'sanad-audit-anchor+jws';
/** A tenant id as it may appear in a file name. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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

export function sha256hex(s: string): string {
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
    return p.data;
  }
}

/** Whether two hashes agree on the anchored prefix. */
export function samePrefix(a: Buffer, b: Buffer): boolean {
  return a.compare(b, 0, ANCHOR_HASH_BYTES, 0, ANCHOR_HASH_BYTES) === 0;
}
