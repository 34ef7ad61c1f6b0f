/**
 * Licence gating of SPJ instruments: item wording and guidance are shown only to users holding a
 * valid certification for the instrument; everyone else sees item codes and public titles.
 */
import type { DomainT, InstrumentDefinition } from './instrument.ts';

/** A certification as recorded (granted by an administrator now, by the academy later). */
export interface Certification {
  certification: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** Whether the certifications include a valid one for `key` at time `now` (expired or revoked do not count). */
export function isCertified(certs: readonly Certification[], key: string | null, now: Date): boolean {
  if (key === null) return true;
  return certs.some(
    (c) => c.certification === key && !c.revokedAt && (!c.expiresAt || c.expiresAt.getTime() > now.getTime()),
  );
}

function strip(domains: DomainT[]): DomainT[] {
  return domains.map((d) => ({
    ...d,
    items: d.items.map(({ wording: _w, guidance: _g, ...item }) => item),
    subdomains: strip(d.subdomains),
  }));
}

/** The definition a user may see: whole when certified (or no licence needed), else without wording and guidance. */
export function visibleDefinition(
  def: InstrumentDefinition,
  certified: boolean,
): InstrumentDefinition & { wordingHidden: boolean } {
  if (certified || def.certification === null) return { ...def, wordingHidden: false };
  return { ...def, domains: strip(def.domains), wordingHidden: true };
}

/** Merges a licensee's uploaded wording (item code → text per locale) into a definition. */
export function withWording(
  def: InstrumentDefinition,
  wording: Record<string, { wording?: Record<string, string>; guidance?: Record<string, string> }>,
): InstrumentDefinition {
  const merge = (domains: DomainT[]): DomainT[] =>
    domains.map((d) => ({
      ...d,
      items: d.items.map((it) =>
        wording[it.code]
          ? {
              ...it,
              wording: { ...it.wording, ...wording[it.code]!.wording },
              guidance: { ...it.guidance, ...wording[it.code]!.guidance },
            }
          : it,
      ),
      subdomains: merge(d.subdomains),
    }));
  return { ...def, domains: merge(def.domains) };
}
