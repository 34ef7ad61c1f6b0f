/** The instrument registry: shipped and imported versions, validation, licence gating, certifications. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, closeShared, makeTenant, shared$ } from './helpers.ts';

let ctx: Awaited<ReturnType<typeof shared$>>;
let t: Awaited<ReturnType<typeof makeTenant>>;
before(async () => {
  ctx = await shared$();
  t = await makeTenant(ctx.services, {
    admin: { roles: ['tenant_admin'] },
    psy: { roles: ['psychologist'], team: 'a' },
    cm: { roles: ['case_manager'], team: 'a' },
    learner: { roles: ['learner'] },
  });
});
after(closeShared);

const mine = () => ({
  key: 'tenant-guide',
  version: '1.0',
  title: { en: 'Tenant guide', ar: 'دليل', ur: 'رہنما', fr: 'Guide' },
  summary: { en: 'A test guide', ar: 'دليل اختبار', ur: 'ٹیسٹ رہنما', fr: 'Guide de test' },
  certification: 'tenant-guide',
  scales: [
    {
      key: 'presence',
      label: { en: 'Presence', ar: 'وجود', ur: 'موجودگی', fr: 'Présence' },
      options: [
        { value: 'absent', label: { en: 'Absent', ar: 'غائب', ur: 'غیر موجود', fr: 'Non présent' } },
        { value: 'present', label: { en: 'Present', ar: 'موجود', ur: 'موجود', fr: 'Présent' } },
      ],
    },
  ],
  judgements: [
    {
      key: 'concern',
      label: { en: 'Concern', ar: 'قلق', ur: 'تشویش', fr: 'Préoccupation' },
      options: [
        { value: 'low', label: { en: 'Low', ar: 'منخفض', ur: 'کم', fr: 'Faible' } },
        { value: 'high', label: { en: 'High', ar: 'مرتفع', ur: 'زیادہ', fr: 'Élevée' } },
      ],
    },
  ],
  domains: [
    {
      key: 'd1',
      title: { en: 'Domain', ar: 'مجال', ur: 'شعبہ', fr: 'Domaine' },
      items: [
        {
          code: 'd1.a',
          kind: 'risk',
          title: { en: 'Item A', ar: 'بند أ', ur: 'آئٹم اے', fr: 'Élément A' },
          wording: { en: 'SECRET LICENSED WORDING' },
          scales: ['presence'],
        },
      ],
    },
  ],
});

test('shipped instruments are listed, with the not-validated notice', async () => {
  const r = await call(ctx.app, 'GET', '/api/v1/instruments', { cookie: t.users.psy!.cookie });
  assert.equal(r.status, 200);
  const keys = r.body.items.map((i: { key: string }) => i.key);
  assert.ok(keys.includes('sanad-needs-guide') && keys.includes('sanad-spj-template'));
  assert.ok(r.body.items.every((i: { notice: { en: string } }) => /not validated/i.test(i.notice.en)));
  assert.equal((await call(ctx.app, 'GET', '/api/v1/instruments', { cookie: t.users.learner!.cookie })).status, 403);
});

test('import validates with field paths, refuses duplicates and shipped keys, and retires versions', async () => {
  const bad = mine();
  (bad.domains[0]!.items[0] as Record<string, unknown>).scales = ['nope'];
  const r1 = await call(ctx.app, 'POST', '/api/v1/instruments', {
    cookie: t.users.admin!.cookie,
    body: { definition: bad },
  });
  assert.equal(r1.status, 400);
  assert.equal(r1.body.error.details[0].path, 'definition.domains.0.items.0.scales.0');
  const noName = { ...mine(), title: { en: 'x' } };
  assert.equal(
    (
      await call(ctx.app, 'POST', '/api/v1/instruments', {
        cookie: t.users.admin!.cookie,
        body: { definition: noName },
      })
    ).status,
    400,
  );
  assert.equal(
    (await call(ctx.app, 'POST', '/api/v1/instruments', { cookie: t.users.psy!.cookie, body: { definition: mine() } }))
      .status,
    403,
  );
  const ok = await call(ctx.app, 'POST', '/api/v1/instruments', {
    cookie: t.users.admin!.cookie,
    body: { definition: mine() },
  });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(
    (
      await call(ctx.app, 'POST', '/api/v1/instruments', {
        cookie: t.users.admin!.cookie,
        body: { definition: mine() },
      })
    ).status,
    409,
  );
  assert.equal(
    (
      await call(ctx.app, 'POST', '/api/v1/instruments', {
        cookie: t.users.admin!.cookie,
        body: { definition: { ...mine(), key: 'sanad-needs-guide' } },
      })
    ).status,
    409,
  );
  const v2 = await call(ctx.app, 'POST', '/api/v1/instruments', {
    cookie: t.users.admin!.cookie,
    body: { definition: { ...mine(), version: '1.1' } },
  });
  assert.equal(v2.status, 201);
  assert.equal(
    (
      await call(ctx.app, 'POST', '/api/v1/instruments/tenant-guide/versions/1.0/retire', {
        cookie: t.users.admin!.cookie,
      })
    ).status,
    204,
  );
  const list = await call(ctx.app, 'GET', '/api/v1/instruments', { cookie: t.users.admin!.cookie });
  const versions = list.body.items
    .filter((i: { key: string }) => i.key === 'tenant-guide')
    .map((i: { version: string; status: string }) => `${i.version}:${i.status}`);
  assert.deepEqual(versions, ['1.0:retired', '1.1:active']);
  const other = await makeTenant(ctx.services, { admin: { roles: ['tenant_admin'] } });
  assert.equal(
    (await call(ctx.app, 'GET', '/api/v1/instruments/tenant-guide/versions/1.1', { cookie: other.users.admin!.cookie }))
      .status,
    404,
  );
});

test('item wording reaches only users with a valid certification (not one that expired yesterday)', async () => {
  const path = '/api/v1/instruments/sanad-spj-template/versions/1.0';
  const hidden = await call(ctx.app, 'GET', path, { cookie: t.users.psy!.cookie });
  assert.equal(hidden.status, 200);
  assert.equal(hidden.body.wordingHidden, true);
  assert.ok(!hidden.text.includes('"wording"') && !hidden.text.includes('"guidance"'));
  // An expired certification (backdated in the database, as the API only grants future expiries).
  const grant = await call(ctx.app, 'POST', `/api/v1/users/${t.users.psy!.id}/certifications`, {
    cookie: t.users.admin!.cookie,
    body: { certification: 'sanad-spj-template', expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
  });
  assert.equal(grant.status, 201, grant.text);
  await ctx.services.db
    .updateTable('certifications')
    .set({ expires_at: new Date(Date.now() - 86_400_000) })
    .where('id', '=', grant.body.id)
    .execute();
  assert.equal(
    (await call(ctx.app, 'GET', path, { cookie: t.users.psy!.cookie })).body.wordingHidden,
    true,
    'expired yesterday',
  );
  const valid = await call(ctx.app, 'POST', `/api/v1/users/${t.users.psy!.id}/certifications`, {
    cookie: t.users.admin!.cookie,
    body: { certification: 'sanad-spj-template', expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() },
  });
  const shown = await call(ctx.app, 'GET', path, { cookie: t.users.psy!.cookie });
  assert.equal(shown.body.wordingHidden, false);
  assert.ok(shown.text.includes('"wording"'));
  await call(ctx.app, 'POST', `/api/v1/certifications/${valid.body.id}/revoke`, { cookie: t.users.admin!.cookie });
  assert.equal((await call(ctx.app, 'GET', path, { cookie: t.users.psy!.cookie })).body.wordingHidden, true, 'revoked');
  const self = await call(ctx.app, 'POST', `/api/v1/users/${t.users.admin!.id}/certifications`, {
    cookie: t.users.admin!.cookie,
    body: { certification: 'sanad-spj-template', expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
  });
  assert.equal(self.status, 403);
  const past = await call(ctx.app, 'POST', `/api/v1/users/${t.users.cm!.id}/certifications`, {
    cookie: t.users.admin!.cookie,
    body: { certification: 'sanad-spj-template', expiresAt: '2020-01-01T00:00:00Z' },
  });
  assert.equal(past.status, 400);
});

test("a licensee's uploaded wording is tenant-only and gated too", async () => {
  const up = await call(ctx.app, 'PUT', '/api/v1/instruments/tenant-guide/versions/1.1/wording', {
    cookie: t.users.admin!.cookie,
    body: { items: { 'd1.a': { wording: { ar: 'نص مرخّص' } } } },
  });
  assert.equal(up.status, 204, up.text);
  const unknown = await call(ctx.app, 'PUT', '/api/v1/instruments/tenant-guide/versions/1.1/wording', {
    cookie: t.users.admin!.cookie,
    body: { items: { nope: { wording: { en: 'x' } } } },
  });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.details[0].path, 'items.nope');
  const hidden = await call(ctx.app, 'GET', '/api/v1/instruments/tenant-guide/versions/1.1', {
    cookie: t.users.cm!.cookie,
  });
  assert.ok(!hidden.text.includes('SECRET LICENSED WORDING') && !hidden.text.includes('نص مرخّص'));
  await call(ctx.app, 'POST', `/api/v1/users/${t.users.cm!.id}/certifications`, {
    cookie: t.users.admin!.cookie,
    body: { certification: 'tenant-guide', expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
  });
  const shown = await call(ctx.app, 'GET', '/api/v1/instruments/tenant-guide/versions/1.1', {
    cookie: t.users.cm!.cookie,
  });
  assert.ok(shown.text.includes('SECRET LICENSED WORDING') && shown.text.includes('نص مرخّص'));
});

test('importing the file text reports each problem with its field path, line and column; nothing is stored', async () => {
  const bad = mine();
  bad.key = 'tenant-lines';
  (bad.domains[0]!.items[0] as Record<string, unknown>).kind = 'danger';
  const source = JSON.stringify(bad, null, 2);
  const r = await call(ctx.app, 'POST', '/api/v1/instruments', { cookie: t.users.admin!.cookie, body: { source } });
  assert.equal(r.status, 400, r.text);
  const d = r.body.error.details.find((x: { path: string }) => x.path === 'definition.domains.0.items.0.kind');
  assert.ok(d, r.text);
  const lines = source.split('\n');
  assert.match(lines[d.line - 1]!, /"kind": "danger"/);
  assert.equal(lines[d.line - 1]!.slice(d.column - 1, d.column + 7), '"danger"');
  const syntax = await call(ctx.app, 'POST', '/api/v1/instruments', {
    cookie: t.users.admin!.cookie,
    body: { source: '{\n  "key": "x",\n}' },
  });
  assert.equal(syntax.status, 400);
  assert.deepEqual([syntax.body.error.details[0].code, syntax.body.error.details[0].line], ['json_syntax', 3]);
  const both = await call(ctx.app, 'POST', '/api/v1/instruments', {
    cookie: t.users.admin!.cookie,
    body: { source, definition: bad },
  });
  assert.equal(both.status, 400);
  const stored = await ctx.services.db
    .selectFrom('instrument_versions')
    .select('id')
    .where('key', '=', 'tenant-lines')
    .execute();
  assert.equal(stored.length, 0);
  const good = { ...mine(), key: 'tenant-lines' };
  const ok = await call(ctx.app, 'POST', '/api/v1/instruments', {
    cookie: t.users.admin!.cookie,
    body: { source: JSON.stringify(good, null, 2) },
  });
  assert.equal(ok.status, 201, ok.text);
});
