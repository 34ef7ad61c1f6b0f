/** Programs from framework templates; phases, domains and gates edited as data, safely. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, closeShared, intake, makeTenant, shared$ } from './helpers.ts';

let ctx: Awaited<ReturnType<typeof shared$>>;
let t: Awaited<ReturnType<typeof makeTenant>>;
before(async () => {
  ctx = await shared$();
  t = await makeTenant(ctx.services, {
    admin: { roles: ['tenant_admin'] },
    cm: { roles: ['case_manager'], team: 'a' },
  });
});
after(closeShared);

test('the four framework templates are offered with names in every language', async () => {
  const r = await call(ctx.app, 'GET', '/api/v1/framework-templates', { cookie: t.users.admin!.cookie });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items.map((i: { framework: string }) => i.framework).sort(), [
    'community',
    'custodial',
    'ddr',
    'juvenile',
  ]);
  for (const i of r.body.items) for (const l of ['en', 'ar', 'ur', 'fr']) assert.ok(i.definition.name[l]);
});

test('an administrator creates a program from a template and edits phases and gates with version checks', async () => {
  const denied = await call(ctx.app, 'POST', '/api/v1/programs', {
    cookie: t.users.cm!.cookie,
    body: { framework: 'juvenile' },
  });
  assert.equal(denied.status, 403);
  const p = await call(ctx.app, 'POST', '/api/v1/programs', {
    cookie: t.users.admin!.cookie,
    body: { framework: 'juvenile' },
  });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.body.definition.framework, 'juvenile');
  const def = structuredClone(p.body.definition);
  def.phases[0].exitGates = [{ kind: 'min_days_in_phase', days: 3 }];
  def.phases[0].name.en = 'Referral and safeguarding (edited)';
  const ok = await call(ctx.app, 'PUT', `/api/v1/programs/${p.body.id}`, {
    cookie: t.users.admin!.cookie,
    body: { definition: def },
    headers: { 'if-match': '1' },
  });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.version, 2);
  const stale = await call(ctx.app, 'PUT', `/api/v1/programs/${p.body.id}`, {
    cookie: t.users.admin!.cookie,
    body: { definition: def },
    headers: { 'if-match': '1' },
  });
  assert.equal(stale.status, 409);
  const badGate = structuredClone(def);
  badGate.phases[1].exitGates = [{ kind: 'assessment_finalised', withinDays: -3 }];
  const bad = await call(ctx.app, 'PUT', `/api/v1/programs/${p.body.id}`, {
    cookie: t.users.admin!.cookie,
    body: { definition: badGate },
    headers: { 'if-match': '2' },
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.details[0].path, 'definition.phases.1.exitGates.0.withinDays');
  const dup = structuredClone(def);
  dup.phases[1].key = dup.phases[0].key;
  const d = await call(ctx.app, 'PUT', `/api/v1/programs/${p.body.id}`, {
    cookie: t.users.admin!.cookie,
    body: { definition: dup },
    headers: { 'if-match': '2' },
  });
  assert.equal(d.status, 400);
  assert.equal(d.body.error.details[0].path, 'definition.phases.1.key');
  const fw = await call(ctx.app, 'PUT', `/api/v1/programs/${p.body.id}`, {
    cookie: t.users.admin!.cookie,
    body: { definition: { ...def, framework: 'ddr' } },
    headers: { 'if-match': '2' },
  });
  assert.equal(fw.status, 400);
});

test('a phase with participants in it cannot be removed; other tenants see no program', async () => {
  const created = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: intake({ teamId: t.teamA }),
  });
  assert.equal(created.status, 201);
  const prog = await call(ctx.app, 'GET', `/api/v1/programs/${t.programId}`, { cookie: t.users.admin!.cookie });
  const def = structuredClone(prog.body.definition);
  const inUse = def.phases[0].key;
  def.phases = def.phases.slice(1);
  const r = await call(ctx.app, 'PUT', `/api/v1/programs/${t.programId}`, {
    cookie: t.users.admin!.cookie,
    body: { definition: def },
    headers: { 'if-match': String(prog.body.version) },
  });
  assert.equal(r.status, 400);
  assert.deepEqual(r.body.error.details, [{ path: 'definition.phases', code: `in_use:${inUse}` }]);
  const other = await makeTenant(ctx.services, { admin: { roles: ['tenant_admin'] } });
  const cross = await call(ctx.app, 'GET', `/api/v1/programs/${t.programId}`, { cookie: other.users.admin!.cookie });
  assert.equal(cross.status, 404);
  const crossPut = await call(ctx.app, 'PUT', `/api/v1/programs/${t.programId}`, {
    cookie: other.users.admin!.cookie,
    body: { definition: prog.body.definition },
    headers: { 'if-match': String(prog.body.version) },
  });
  assert.equal(crossPut.status, 404);
  const list = await call(ctx.app, 'GET', '/api/v1/programs', { cookie: other.users.admin!.cookie });
  assert.ok(!list.body.items.some((i: { id: string }) => i.id === t.programId));
});

test('an archived program takes no new participants', async () => {
  const p = await call(ctx.app, 'POST', '/api/v1/programs', {
    cookie: t.users.admin!.cookie,
    body: { framework: 'ddr' },
  });
  const arch = await call(ctx.app, 'PUT', `/api/v1/programs/${p.body.id}`, {
    cookie: t.users.admin!.cookie,
    body: { definition: p.body.definition, status: 'archived' },
    headers: { 'if-match': '1' },
  });
  assert.equal(arch.status, 200);
  const r = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: intake({ teamId: t.teamA, programId: p.body.id }),
  });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.details[0].code, 'archived');
});
