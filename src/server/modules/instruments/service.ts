/**
 * The instrument registry: the instruments Sanad ships plus versions a tenant imports, licence-gated
 * reading of item wording (core/licence.ts), licensees' wording uploads and retirement.
 */
import { AppError, type ErrorDetail } from '../../../core/errors.ts';
import { InstrumentDefinition, type DomainT } from '../../../core/instrument.ts';
import { isCertified, visibleDefinition, withWording, type Certification } from '../../../core/licence.ts';
import { parseSource } from '../../../core/source-file.ts';
import { neutraliseLabels } from '../../../core/text.ts';
import { authorize } from '../../access/policy.ts';
import type { Principal } from '../../access/principal.ts';
import { AuditLog } from '../../audit/log.ts';
import { shippedInstruments } from '../../content.ts';
import type { DbOrTx } from '../../db/schema.ts';
import { zodDetails } from '../../http/errors.ts';
import type { Services } from '../../services.ts';

/** The principal's certifications (valid or not). */
export async function certificationsOf(db: DbOrTx, p: Principal): Promise<Certification[]> {
  const rows = await db
    .selectFrom('certifications')
    .select(['certification', 'expires_at', 'revoked_at'])
    .where('tenant_id', '=', p.tenantId)
    .where('user_id', '=', p.userId)
    .execute();
  return rows.map((r) => ({ certification: r.certification, expiresAt: r.expires_at, revokedAt: r.revoked_at }));
}

/**
 * Finds one instrument version (shipped or the tenant's), merged with the tenant's uploaded wording.
 * `db` is the caller's transaction when there is one (never the pool inside a transaction).
 */
export async function findInstrument(
  db: DbOrTx,
  tenantId: string,
  key: string,
  version: string,
): Promise<{ def: InstrumentDefinition; shipped: boolean; status: 'active' | 'retired' }> {
  const shipped = shippedInstruments().find((d) => d.key === key && d.version === version);
  let found: { def: InstrumentDefinition; shipped: boolean; status: 'active' | 'retired' } | undefined;
  if (shipped) found = { def: shipped, shipped: true, status: 'active' };
  else {
    const row = await db
      .selectFrom('instrument_versions')
      .select(['definition', 'status'])
      .where('tenant_id', '=', tenantId)
      .where('key', '=', key)
      .where('version', '=', version)
      .executeTakeFirst();
    if (row)
      found = { def: InstrumentDefinition.parse(neutraliseLabels(row.definition)), shipped: false, status: row.status };
  }
  if (!found) throw new AppError('NOT_FOUND', 'no such instrument version');
  const w = await db
    .selectFrom('instrument_wording')
    .select('wording')
    .where('tenant_id', '=', tenantId)
    .where('key', '=', key)
    .where('version', '=', version)
    .executeTakeFirst();
  return w ? { ...found, def: withWording(found.def, w.wording as never) } : found;
}

function itemCodes(domains: DomainT[]): string[] {
  return domains.flatMap((d) => [...d.items.map((i) => i.code), ...itemCodes(d.subdomains)]);
}

/** An instrument version as listed, with whether the principal is certified for it. */
function summary(def: InstrumentDefinition, shipped: boolean, status: 'active' | 'retired', certified: boolean) {
  return {
    key: def.key,
    version: def.version,
    title: def.title,
    notice: def.notice ?? null,
    certification: def.certification,
    status,
    shipped,
    certified,
  };
}

/** Instruments available to the tenant (shipped first, then imported by key), with whether I am certified for each. */
export async function listInstruments(s: Services, p: Principal, requestId: string) {
  await authorize(s, p, requestId, 'instrument.read', 'instrument');
  const certs = await certificationsOf(s.db, p);
  const now = new Date();
  const own = await s.db
    .selectFrom('instrument_versions')
    .select(['definition', 'status'])
    .where('tenant_id', '=', p.tenantId)
    .orderBy('key')
    .orderBy('imported_at')
    .execute();
  const all = [
    ...shippedInstruments().map((def) => ({ def, shipped: true, status: 'active' as const })),
    ...own.map((r) => ({
      def: InstrumentDefinition.parse(neutraliseLabels(r.definition)),
      shipped: false,
      status: r.status,
    })),
  ];
  return all.map(({ def, shipped, status }) =>
    summary(def, shipped, status, isCertified(certs, def.certification, now)),
  );
}

/** One instrument version; item wording only for certified users. */
export async function getInstrumentVersion(s: Services, p: Principal, requestId: string, key: string, version: string) {
  await authorize(s, p, requestId, 'instrument.read', 'instrument');
  const found = await findInstrument(s.db, p.tenantId, key, version);
  const certified = isCertified(await certificationsOf(s.db, p), found.def.certification, new Date());
  const { wordingHidden, ...definition } = visibleDefinition(found.def, certified);
  return {
    definition: definition as Record<string, unknown>,
    wordingHidden,
    shipped: found.shipped,
    status: found.status,
  };
}

/**
 * Imports an instrument version, given as the parsed object or as the file's text (then each problem
 * also names its line and column). A shipped key or an existing version is ALREADY_EXISTS.
 */
export async function importInstrument(
  s: Services,
  p: Principal,
  requestId: string,
  body: { definition: Record<string, unknown> } | { source: string },
) {
  await authorize(s, p, requestId, 'instrument.manage', 'instrument');
  const invalid = (details: ErrorDetail[]) =>
    new AppError('VALIDATION_FAILED', 'the instrument definition is invalid', { details });
  let def: InstrumentDefinition;
  if ('source' in body) {
    const r = parseSource(InstrumentDefinition, body.source, 'definition');
    if (!r.ok) throw invalid(r.details);
    def = r.value;
  } else {
    const r = InstrumentDefinition.safeParse(body.definition);
    if (!r.success) throw invalid(zodDetails(r.error, 'definition'));
    def = r.data;
  }
  if (shippedInstruments().some((d) => d.key === def.key))
    throw new AppError('ALREADY_EXISTS', 'this key belongs to an instrument Sanad ships', {
      details: [{ path: 'key', code: 'shipped' }],
    });
  await s.db.transaction().execute(async (tx) => {
    const dup = await tx
      .selectFrom('instrument_versions')
      .select('id')
      .where('tenant_id', '=', p.tenantId)
      .where('key', '=', def.key)
      .where('version', '=', def.version)
      .executeTakeFirst();
    if (dup)
      throw new AppError('ALREADY_EXISTS', 'this version is already imported; give the file a new version', {
        details: [{ path: 'version', code: 'exists' }],
      });
    const row = await tx
      .insertInto('instrument_versions')
      .values({
        tenant_id: p.tenantId,
        key: def.key,
        version: def.version,
        definition: JSON.stringify(def),
        imported_by: p.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await new AuditLog(tx, { tenantId: p.tenantId, actorId: p.userId, requestId }).append({
      action: 'instrument.import',
      entityType: 'instrument',
      entityId: row.id,
      details: { key: def.key, version: def.version },
    });
  });
  const certified = isCertified(await certificationsOf(s.db, p), def.certification, new Date());
  return summary(def, false, 'active', certified);
}

/** Retires an imported version (finished assessments keep theirs). */
export async function retireInstrument(s: Services, p: Principal, requestId: string, key: string, version: string) {
  await authorize(s, p, requestId, 'instrument.manage', 'instrument');
  await s.db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('instrument_versions')
      .set({ status: 'retired', retired_at: new Date() })
      .where('tenant_id', '=', p.tenantId)
      .where('key', '=', key)
      .where('version', '=', version)
      .where('status', '=', 'active')
      .returning('id')
      .executeTakeFirst();
    if (!r) throw new AppError('NOT_FOUND', 'no such active imported version');
    await new AuditLog(tx, { tenantId: p.tenantId, actorId: p.userId, requestId }).append({
      action: 'instrument.retire',
      entityType: 'instrument',
      entityId: r.id,
      details: { key, version },
    });
  });
}

/** Stores the licensee's item wording for this tenant (item codes must be the instrument's). */
export async function uploadWording(
  s: Services,
  p: Principal,
  requestId: string,
  key: string,
  version: string,
  items: Record<string, unknown>,
) {
  await authorize(s, p, requestId, 'instrument.manage', 'instrument');
  const found = await findInstrument(s.db, p.tenantId, key, version);
  const codes = new Set(itemCodes(found.def.domains));
  const unknown = Object.keys(items).filter((k) => !codes.has(k));
  if (unknown.length)
    throw new AppError('VALIDATION_FAILED', 'unknown item codes', {
      details: unknown.map((k) => ({ path: `items.${k}`, code: 'unknown_item' })),
    });
  await s.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('instrument_wording')
      .values({ tenant_id: p.tenantId, key, version, wording: JSON.stringify(items), uploaded_by: p.userId })
      .onConflict((oc) =>
        oc
          .columns(['tenant_id', 'key', 'version'])
          .doUpdateSet({ wording: JSON.stringify(items), uploaded_by: p.userId, uploaded_at: new Date() }),
      )
      .execute();
    await new AuditLog(tx, { tenantId: p.tenantId, actorId: p.userId, requestId }).append({
      action: 'instrument.wording',
      entityType: 'instrument',
      details: { key, version, items: Object.keys(items).length },
    });
  });
}
