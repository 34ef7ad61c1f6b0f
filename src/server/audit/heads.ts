/** Signed statements of the audit chains' heads: kept in the database and exported for safekeeping. */
import { z } from 'zod';
import { log } from '../log.ts';
import type { Services } from '../services.ts';
import type { DeploymentKeys } from '../crypto/signing.ts';
import type { BadEvent, HeadClaim } from './verify.ts';

/** The JWS `typ` of a signed heads statement. */
export const HEADS_TYP = 'sanad-audit-heads+jws';

/** The payload of a signed head statement. */
export interface HeadsPayload {
  type: 'sanad-audit-heads';
  tenantId: string;
  signedAt: string;
  chains: { chainNo: number; seq: string; hash: string }[];
}

const Payload = z.object({
  type: z.literal('sanad-audit-heads'),
  tenantId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
  signedAt: z.string(),
  chains: z.array(
    z.object({
      chainNo: z.number().int().min(0).max(1_000_000),
      seq: z.string().regex(/^\d{1,19}$/),
      hash: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});

/** Authenticates one statement (signature, `typ`, shape); throws saying why not. */
async function openHeads(keys: DeploymentKeys, jws: string): Promise<HeadsPayload> {
  const p = Payload.safeParse(await keys.open(jws, HEADS_TYP));
  if (!p.success) throw new Error('not an audit heads statement');
  return p.data;
}

function reason(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 200);
}

/** Signs the tenant's current chain heads, stores the statement and returns it as a compact JWS. */
export async function signHeads(s: Services, tenantId: string): Promise<string> {
  const chains = await s.db
    .selectFrom('audit_chains')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('chain_no')
    .execute();
  const payload: HeadsPayload = {
    type: 'sanad-audit-heads',
    tenantId,
    signedAt: new Date().toISOString(),
    chains: chains.map((c) => ({ chainNo: c.chain_no, seq: String(c.seq), hash: c.head_hash.toString('hex') })),
  };
  const jws = await s.signer.sign(payload, HEADS_TYP, s.db);
  await s.db.insertInto('audit_heads').values({ tenant_id: tenantId, jws }).execute();
  return jws;
}

/** A statement to check, and where it came from (named in the report when it does not verify). */
export interface Statement {
  jws: string;
  /** For example `audit_heads row 42` or `heads-2026-11-25.json statement 2`. */
  source: string;
  /** The tenant the statement is stored under (a stored row); a statement of another tenant is reported. */
  tenantId?: string;
}

/** Claims from the statements that verify, and a `signed_head_invalid` problem for each one that does not. */
export interface HeadClaims {
  claims: HeadClaim[];
  invalid: BadEvent[];
}

/** The tenant a statement says it is about, unverified (only to place a problem in the report). */
function claimedTenant(jws: string): string {
  try {
    const t = (
      JSON.parse(Buffer.from(String(jws).split('.')[1] ?? '', 'base64url').toString('utf8')) as { tenantId?: unknown }
    ).tenantId;
    return typeof t === 'string' && /^[0-9a-f-]{36}$/.test(t) ? t : '';
  } catch {
    return '';
  }
}

/**
 * Checks the signature of stored or exported statements and turns them into claims for `verifyAudit`.
 * A statement that does not verify (bad signature, unknown key, malformed, another tenant's, or
 * garbage inserted by someone with the app's database credentials, who may insert into `audit_heads`)
 * is skipped and reported as `signed_head_invalid`; it never stops the verification.
 */
export async function claimsFrom(s: Services, statements: (string | Statement)[]): Promise<HeadClaims> {
  const keys = s.signer.keys();
  const out: HeadClaims = { claims: [], invalid: [] };
  for (const [i, st] of statements.entries()) {
    const { jws, source, tenantId } =
      typeof st === 'string' ? { jws: st, source: `statement ${i + 1}`, tenantId: undefined } : st;
    try {
      const p = await openHeads(keys, jws);
      if (tenantId && p.tenantId !== tenantId) throw new Error('a statement of another tenant');
      for (const c of p.chains)
        if (c.seq !== '0') out.claims.push({ tenantId: p.tenantId, chainNo: c.chainNo, seq: c.seq, hash: c.hash });
    } catch (e) {
      out.invalid.push({
        id: null,
        tenantId: tenantId ?? claimedTenant(jws),
        chainNo: null,
        seq: null,
        reason: 'signed_head_invalid',
        statement: source,
        detail: reason(e),
      });
    }
  }
  return out;
}

/** What one sealing pass did. */
export interface SealRun {
  /** Tenants whose heads were signed. */
  sealed: number;
  /** Tenants whose newest stored statement did not verify (logged; a fresh one was signed). */
  invalid: number;
  /** Tenants for which signing failed (logged; the others went on). */
  failed: number;
}

/**
 * Signs heads for every tenant whose chains moved since their last statement (periodic job). The newest
 * stored statement is authenticated before it is trusted: one that does not verify (the app role may
 * insert into `audit_heads`, and nobody may delete from it) is logged and a fresh statement is signed,
 * so it can neither stop sealing nor make the job skip a tenant. One tenant's failure does not stop
 * the others.
 */
export async function sealAllTenants(s: Services): Promise<SealRun> {
  const tenants = await s.db.selectFrom('tenants').select('id').orderBy('id').execute();
  const keys = s.signer.keys();
  const run: SealRun = { sealed: 0, invalid: 0, failed: 0 };
  for (const t of tenants) {
    try {
      const chains = await s.db
        .selectFrom('audit_chains')
        .select(['chain_no', 'seq'])
        .where('tenant_id', '=', t.id)
        .execute();
      const total = chains.reduce((a, c) => a + BigInt(c.seq), 0n);
      if (total === 0n) continue;
      const last = await s.db
        .selectFrom('audit_heads')
        .select(['id', 'jws'])
        .where('tenant_id', '=', t.id)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (last) {
        let prevTotal: bigint | null = null;
        try {
          const prev = await openHeads(keys, last.jws);
          if (prev.tenantId !== t.id) throw new Error('a statement of another tenant');
          prevTotal = prev.chains.reduce((a, c) => a + BigInt(c.seq), 0n);
        } catch (e) {
          run.invalid++;
          log(
            'warn',
            'the newest stored signed audit head statement does not verify (inserted with database access?); signing a fresh one; run `sanad audit verify`',
            {
              tenantId: t.id,
              headId: String(last.id),
              errMessage: reason(e),
            },
          );
        }
        if (prevTotal === total) continue;
      }
      await signHeads(s, t.id);
      run.sealed++;
    } catch (e) {
      run.failed++;
      log('error', 'signing audit chain heads failed for a tenant', { tenantId: t.id, errMessage: reason(e) });
    }
  }
  return run;
}
