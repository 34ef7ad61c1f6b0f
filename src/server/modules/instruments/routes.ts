/**
 * The instrument registry: the instruments Sanad ships plus versions a tenant imports, licence-gated
 * reading of item wording, licensees' wording uploads, retirement, and certifications.
 */
import { neutraliseLabels } from '../../../core/text.ts';
import { createRoute, z } from '@hono/zod-openapi';
import { AppError, type ErrorDetail } from '../../../core/errors.ts';
import { parseSource } from '../../../core/source-file.ts';
import { InstrumentDefinition, type DomainT } from '../../../core/instrument.ts';
import { isCertified, visibleDefinition, withWording, type Certification } from '../../../core/licence.ts';
import { authorize } from '../../access/policy.ts';
import type { Principal } from '../../access/principal.ts';
import { AuditLog } from '../../audit/log.ts';
import { shippedInstruments } from '../../content.ts';
import type { DbOrTx } from '../../db/schema.ts';
import { zodDetails } from '../../http/errors.ts';
import { errors, jsonBody, jsonResponse, requireUser, router } from '../../http/openapi.ts';
import type { Services } from '../../services.ts';

const KeyParam = z.object({ key: z.string().max(60), version: z.string().max(20) });
const UserParam = z.object({ id: z.string().max(64) });
const Summary = z
  .object({
    key: z.string(),
    version: z.string(),
    title: z.record(z.string(), z.string()),
    notice: z.record(z.string(), z.string()).nullable(),
    certification: z.string().nullable(),
    status: z.enum(['active', 'retired']),
    shipped: z.boolean(),
    certified: z.boolean(),
  })
  .openapi('InstrumentSummary');
const Visible = z
  .object({
    definition: z.record(z.string(), z.unknown()),
    wordingHidden: z.boolean(),
    shipped: z.boolean(),
    status: z.enum(['active', 'retired']),
  })
  .openapi('InstrumentVersion');
const WordingRequest = z
  .strictObject({
    items: z.record(
      z.string().max(60),
      z.strictObject({
        wording: z.partialRecord(z.enum(['en', 'ar', 'ur', 'fr']), z.string().max(2000)).optional(),
        guidance: z.partialRecord(z.enum(['en', 'ar', 'ur', 'fr']), z.string().max(2000)).optional(),
      }),
    ),
  })
  .openapi('InstrumentWordingRequest');
const Cert = z
  .object({
    id: z.string(),
    userId: z.string(),
    certification: z.string(),
    grantedAt: z.string(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    source: z.string(),
    valid: z.boolean(),
  })
  .openapi('Certification');
const GrantRequest = z
  .strictObject({
    certification: z.string().regex(/^[a-z][a-z0-9_.-]{0,59}$/),
    expiresAt: z.string().datetime({ offset: true }),
  })
  .refine((b) => Date.parse(b.expiresAt) > Date.now(), { path: ['expiresAt'], message: 'must be in the future' })
  .openapi('GrantCertificationRequest');

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

function certView(r: {
  id: string;
  user_id: string;
  certification: string;
  granted_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  source: string;
}) {
  return {
    id: r.id,
    userId: r.user_id,
    certification: r.certification,
    grantedAt: r.granted_at.toISOString(),
    expiresAt: r.expires_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
    source: r.source,
    valid: isCertified(
      [{ certification: r.certification, expiresAt: r.expires_at, revokedAt: r.revoked_at }],
      r.certification,
      new Date(),
    ),
  };
}

/** Routes under /api/v1/instruments and the certification routes. */
export function instrumentRoutes() {
  const app = router();
  const tags = ['instruments'];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/instruments',
      tags,
      summary: 'Instruments available to the tenant, with whether I am certified for each',
      responses: {
        200: jsonResponse(z.object({ items: z.array(Summary) })),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'instrument.read', 'instrument');
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
      return c.json(
        {
          items: all.map(({ def, shipped, status }) => ({
            key: def.key,
            version: def.version,
            title: def.title,
            notice: def.notice ?? null,
            certification: def.certification,
            status,
            shipped,
            certified: isCertified(certs, def.certification, now),
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/instruments/{key}/versions/{version}',
      tags,
      summary: 'One instrument version; item wording only for certified users',
      request: { params: KeyParam },
      responses: { 200: jsonResponse(Visible), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'instrument.read', 'instrument');
      const { key, version } = c.req.valid('param');
      const found = await findInstrument(s.db, p.tenantId, key, version);
      const certified = isCertified(await certificationsOf(s.db, p), found.def.certification, new Date());
      const { wordingHidden, ...definition } = visibleDefinition(found.def, certified);
      return c.json(
        {
          definition: definition as Record<string, unknown>,
          wordingHidden,
          shipped: found.shipped,
          status: found.status,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/instruments',
      tags,
      summary: 'Import an instrument version (validated; field paths on error)',
      request: {
        body: jsonBody(
          z
            .union([
              z.strictObject({ definition: z.record(z.string(), z.unknown()) }),
              z.strictObject({ source: z.string().min(1).max(200_000) }),
            ])
            .openapi('ImportInstrumentRequest'),
        ),
      },
      responses: {
        201: jsonResponse(Summary, 'Imported'),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'ALREADY_EXISTS'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'instrument.manage', 'instrument');
      // Either the parsed object or the file's text; from the text, each problem also names its line and column.
      const body = c.req.valid('json');
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
        await new AuditLog(tx, { tenantId: p.tenantId, actorId: p.userId, requestId: c.get('requestId') }).append({
          action: 'instrument.import',
          entityType: 'instrument',
          entityId: row.id,
          details: { key: def.key, version: def.version },
        });
      });
      const certified = isCertified(await certificationsOf(s.db, p), def.certification, new Date());
      return c.json(
        {
          key: def.key,
          version: def.version,
          title: def.title,
          notice: def.notice ?? null,
          certification: def.certification,
          status: 'active' as const,
          shipped: false,
          certified,
        },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/instruments/{key}/versions/{version}/retire',
      tags,
      summary: 'Retire an imported version (finished assessments keep theirs)',
      request: { params: KeyParam },
      responses: { 204: { description: 'Retired' }, ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'instrument.manage', 'instrument');
      const { key, version } = c.req.valid('param');
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
        await new AuditLog(tx, { tenantId: p.tenantId, actorId: p.userId, requestId: c.get('requestId') }).append({
          action: 'instrument.retire',
          entityType: 'instrument',
          entityId: r.id,
          details: { key, version },
        });
      });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/instruments/{key}/versions/{version}/wording',
      tags,
      summary: "Upload the licensee's item wording for this tenant",
      request: { params: KeyParam, body: jsonBody(WordingRequest) },
      responses: { 204: { description: 'Stored' }, ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'instrument.manage', 'instrument');
      const { key, version } = c.req.valid('param');
      const found = await findInstrument(s.db, p.tenantId, key, version);
      const codes = new Set(itemCodes(found.def.domains));
      const unknown = Object.keys(c.req.valid('json').items).filter((k) => !codes.has(k));
      if (unknown.length)
        throw new AppError('VALIDATION_FAILED', 'unknown item codes', {
          details: unknown.map((k) => ({ path: `items.${k}`, code: 'unknown_item' })),
        });
      await s.db.transaction().execute(async (tx) => {
        await tx
          .insertInto('instrument_wording')
          .values({
            tenant_id: p.tenantId,
            key,
            version,
            wording: JSON.stringify(c.req.valid('json').items),
            uploaded_by: p.userId,
          })
          .onConflict((oc) =>
            oc
              .columns(['tenant_id', 'key', 'version'])
              .doUpdateSet({
                wording: JSON.stringify(c.req.valid('json').items),
                uploaded_by: p.userId,
                uploaded_at: new Date(),
              }),
          )
          .execute();
        await new AuditLog(tx, { tenantId: p.tenantId, actorId: p.userId, requestId: c.get('requestId') }).append({
          action: 'instrument.wording',
          entityType: 'instrument',
          details: { key, version, items: Object.keys(c.req.valid('json').items).length },
        });
      });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/users/{id}/certifications',
      tags: ['users'],
      summary: "A user's certifications",
      request: { params: UserParam },
      responses: {
        200: jsonResponse(z.object({ items: z.array(Cert) })),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      const id = c.req.valid('param').id;
      if (id !== p.userId) await authorize(s, p, c.get('requestId'), 'certification.manage', 'certification');
      await userInTenant(s, p, id);
      const rows = await s.db
        .selectFrom('certifications')
        .selectAll()
        .where('tenant_id', '=', p.tenantId)
        .where('user_id', '=', id)
        .orderBy('granted_at', 'desc')
        .execute();
      return c.json({ items: rows.map(certView) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/users/{id}/certifications',
      tags: ['users'],
      summary: 'Grant a certification with an expiry',
      request: { params: UserParam, body: jsonBody(GrantRequest) },
      responses: { 201: jsonResponse(Cert, 'Granted'), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'certification.manage', 'certification');
      const id = c.req.valid('param').id;
      if (id === p.userId)
        throw new AppError('FORBIDDEN', 'you cannot certify yourself', { details: [{ path: 'id', code: 'self' }] });
      await userInTenant(s, p, id);
      const b = c.req.valid('json');
      const row = await s.db.transaction().execute(async (tx) => {
        const r = await tx
          .insertInto('certifications')
          .values({
            tenant_id: p.tenantId,
            user_id: id,
            certification: b.certification,
            granted_by: p.userId,
            expires_at: new Date(b.expiresAt),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await new AuditLog(tx, { tenantId: p.tenantId, actorId: p.userId, requestId: c.get('requestId') }).append({
          action: 'certification.grant',
          entityType: 'user',
          entityId: id,
          details: { certification: b.certification },
        });
        return r;
      });
      return c.json(certView(row), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/certifications/{id}/revoke',
      tags: ['users'],
      summary: 'Revoke a certification',
      request: { params: UserParam },
      responses: { 200: jsonResponse(Cert), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'certification.manage', 'certification');
      const id = c.req.valid('param').id;
      const row = await s.db.transaction().execute(async (tx) => {
        const r = /^[0-9a-f-]{36}$/i.test(id)
          ? await tx
              .updateTable('certifications')
              .set({ revoked_at: new Date() })
              .where('id', '=', id)
              .where('tenant_id', '=', p.tenantId)
              .where('revoked_at', 'is', null)
              .returningAll()
              .executeTakeFirst()
          : undefined;
        if (!r) throw new AppError('NOT_FOUND', 'not found');
        await new AuditLog(tx, { tenantId: p.tenantId, actorId: p.userId, requestId: c.get('requestId') }).append({
          action: 'certification.revoke',
          entityType: 'user',
          entityId: r.user_id,
          details: { certification: r.certification },
        });
        return r;
      });
      return c.json(certView(row), 200);
    },
  );
  return app;
}

async function userInTenant(s: Services, p: Principal, id: string): Promise<void> {
  const u = /^[0-9a-f-]{36}$/i.test(id)
    ? await s.db
        .selectFrom('users')
        .select('id')
        .where('id', '=', id)
        .where('tenant_id', '=', p.tenantId)
        .executeTakeFirst()
    : undefined;
  if (!u) throw new AppError('NOT_FOUND', 'not found');
}
