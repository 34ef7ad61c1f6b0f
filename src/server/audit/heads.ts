/** Signed statements of the audit chains' heads: kept in the database and exported for safekeeping. */
import type { Services } from '../services.ts';
import type { HeadClaim } from './verify.ts';

/** The payload of a signed head statement. */
export interface HeadsPayload {
  type: 'sanad-audit-heads';
  tenantId: string;
  signedAt: string;
  chains: { chainNo: number; seq: string; hash: string }[];
}

/** Signs the tenant's current chain heads, stores the statement and returns it as a compact JWS. */
export async function signHeads(s: Services, tenantId: string): Promise<string> {
  const chains = await s.db.selectFrom('audit_chains').selectAll().where('tenant_id', '=', tenantId).orderBy('chain_no').execute();
  const payload: HeadsPayload = {
    type: 'sanad-audit-heads',
    tenantId,
    signedAt: new Date().toISOString(),
    chains: chains.map((c) => ({ chainNo: c.chain_no, seq: String(c.seq), hash: c.head_hash.toString('hex') })),
  };
  const jws = await s.signer.sign(payload, 'sanad-audit-heads+jws');
  await s.db.insertInto('audit_heads').values({ tenant_id: tenantId, jws }).execute();
  return jws;
}

/** Checks the signature of exported statements and turns them into claims for `verifyAudit`. */
export async function claimsFrom(s: Services, statements: string[]): Promise<HeadClaim[]> {
  const claims: HeadClaim[] = [];
  for (const jws of statements) {
    const p = (await s.signer.verify(jws)) as HeadsPayload;
    if (p.type !== 'sanad-audit-heads') throw new Error('not an audit heads statement');
    for (const c of p.chains) if (c.seq !== '0') claims.push({ tenantId: p.tenantId, chainNo: c.chainNo, seq: c.seq, hash: c.hash });
  }
  return claims;
}

/** Signs heads for every tenant whose chains moved since their last statement (periodic job). */
export async function sealAllTenants(s: Services): Promise<number> {
  const tenants = await s.db.selectFrom('tenants').select('id').execute();
  let n = 0;
  for (const t of tenants) {
    const last = await s.db.selectFrom('audit_heads').select('jws').where('tenant_id', '=', t.id).orderBy('id', 'desc').limit(1).executeTakeFirst();
    const chains = await s.db.selectFrom('audit_chains').select(['chain_no', 'seq']).where('tenant_id', '=', t.id).execute();
    const total = chains.reduce((a, c) => a + BigInt(c.seq), 0n);
    if (total === 0n) continue;
    if (last) {
      const prev = (await s.signer.verify(last.jws)) as HeadsPayload;
      const prevTotal = prev.chains.reduce((a, c) => a + BigInt(c.seq), 0n);
      if (prevTotal === total) continue;
    }
    await signHeads(s, t.id);
    n++;
  }
  return n;
}
