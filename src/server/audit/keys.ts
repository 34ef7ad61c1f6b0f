/** The deployment's public signing keys, read once per verification, for signed heads and anchor records. */
import { compactVerify, importJWK, type JWK } from 'jose';
import type { Services } from '../services.ts';

type VerifyKey = Awaited<ReturnType<typeof importJWK>>;

/**
 * Verifies compact JWS made by this deployment against the public keys stored in the database. The
 * list is read once (and once more for an unknown key id: a key made after it was read), so checking
 * thousands of statements or records costs one query, not one per signature.
 */
export class DeploymentKeys {
  private jwks: JWK[] | undefined;
  private keys = new Map<string, Promise<VerifyKey>>();
  private reloaded = false;

  constructor(private s: Services) {}

  private async key(kid: string | undefined): Promise<VerifyKey> {
    if (!kid) throw new Error('no key id');
    const cached = this.keys.get(kid);
    if (cached) return cached;
    this.jwks ??= await this.s.signer.publicKeys();
    let jwk = this.jwks.find((k) => k.kid === kid);
    if (!jwk && !this.reloaded) {
      this.reloaded = true;
      this.jwks = await this.s.signer.publicKeys();
      jwk = this.jwks.find((k) => k.kid === kid);
    }
    if (!jwk) throw new Error('unknown signing key');
    const k = importJWK(jwk, 'EdDSA');
    this.keys.set(kid, k);
    return k;
  }

  /** Checks an EdDSA signature and the `typ`; returns the parsed JSON payload or throws saying why not. */
  async open(jws: string, typ: string): Promise<unknown> {
    if (typeof jws !== 'string' || jws.length > 4_000_000) throw new Error('not a compact JWS');
    const { payload, protectedHeader } = await compactVerify(jws, (h) => this.key(h.kid), { algorithms: ['EdDSA'] });
    if (protectedHeader.typ !== typ) throw new Error(`not a ${typ} token`);
    return JSON.parse(new TextDecoder().decode(payload)) as unknown;
  }
}
