/**
 * People in the audit trail, the access log and the case timeline: the DPO filters by a user's email
 * (resolved inside the tenant only), and the timeline says who did what as far as the viewer may know
 * them, never naming anyone of another tenant. Adversarial: other tenants, forged ids, malformed input.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { AuditLog } from '../src/server/audit/log.ts';
import { call, closeShared, intake, makeTenant, ownerDb, shared$ } from './helpers.ts';

let ctx: Awaited<ReturnType<typeof shared$>>;
let t: Awaited<ReturnType<typeof makeTenant>>;
let other: Awaited<ReturnType<typeof makeTenant>>;
before(async () => {
  ctx = await shared$();
  t = await makeTenant(ctx.services, {
    cm: { roles: ['case_manager'], team: 'a' },
    psy: { roles: ['psychologist'], team: 'a' },
    cmB: { roles: ['case_manager'], team: 'b' },
    dpo: { roles: ['dpo'] },
  });
  other = await makeTenant(ctx.services, {
    stranger: { roles: ['case_manager'], team: 'a' },
    dpo: { roles: ['dpo'] },
  });
  // Display names that would be noticed anywhere in a response.
  await ctx.services.db
    .updateTable('users')
    .set({ display_name: 'Zebulon Othertenant' })
    .where('id', '=', other.users.stranger!.id)
    .execute();
});
after(closeShared);

async function newCase() {
  const r = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: intake({ teamId: t.teamA }),
  });
  assert.equal(r.status, 201, r.text);
  return r.body as { id: string };
}

const events = (cookie: string, query: string) => call(ctx.app, 'GET', `/api/v1/audit/events?${query}`, { cookie });

test('the DPO filters the audit trail by a user email, case-insensitively, and sees names with emails', async () => {
  const p = await newCase();
  await call(ctx.app, 'GET', `/api/v1/participants/${p.id}`, { cookie: t.users.psy!.cookie });
  const r = await events(t.users.dpo!.cookie, `actorEmail=${encodeURIComponent(t.users.psy!.email.toUpperCase())}`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.items.length >= 1);
  for (const e of r.body.items) {
    assert.equal(e.actorId, t.users.psy!.id);
    assert.equal(e.actorEmail, t.users.psy!.email);
    assert.equal(e.actorName, 'psy');
  }
  assert.ok(r.body.items.some((e: { action: string }) => e.action === 'participant.read'));
  // Combined with the other filters.
  const both = await events(
    t.users.dpo!.cookie,
    `actorEmail=${encodeURIComponent(t.users.cm!.email)}&action=participant.create&entityId=${p.id}`,
  );
  assert.deepEqual(
    both.body.items.map((e: { action: string; actorEmail: string }) => `${e.action}:${e.actorEmail}`),
    [`participant.create:${t.users.cm!.email}`],
  );
  // The browse itself is audited under its own action code.
  const browsed = await events(t.users.dpo!.cookie, `actorEmail=${encodeURIComponent(t.users.dpo!.email)}`);
  assert.ok(browsed.body.items.some((e: { action: string }) => e.action === 'audit.browse'));
});

test('an unknown email, or the email of another tenant’s user, is an empty result, not an error', async () => {
  // An event in this tenant's log whose actor is a user of another tenant (as a platform operation
  // could write): the filter by that user's email must still not match, and the row must not name them.
  const p = await newCase();
  await ctx.services.db.transaction().execute((tx) =>
    new AuditLog(tx, { tenantId: t.tenantId, actorId: other.users.stranger!.id, requestId: 'x' }).append({
      action: 'participant.read',
      entityType: 'participant',
      entityId: p.id,
      subjectId: p.id,
    }),
  );
  for (const email of [other.users.stranger!.email, 'nobody@nowhere.example', other.users.dpo!.email]) {
    const r = await events(t.users.dpo!.cookie, `actorEmail=${encodeURIComponent(email)}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.items, [], email);
    assert.equal(r.body.nextCursor, null);
  }
  const rows = await events(t.users.dpo!.cookie, `entityId=${p.id}`);
  const foreign = rows.body.items.find((e: { actorId: string }) => e.actorId === other.users.stranger!.id);
  assert.ok(foreign, 'the event is listed');
  assert.equal(foreign.actorEmail, null);
  assert.equal(foreign.actorName, null);
  assert.ok(!rows.text.includes('Zebulon') && !rows.text.includes(other.users.stranger!.email));
  // The other tenant's DPO filtering by this tenant's user gets nothing either.
  const cross = await events(other.users.dpo!.cookie, `actorEmail=${encodeURIComponent(t.users.cm!.email)}`);
  assert.equal(cross.status, 200);
  assert.deepEqual(cross.body.items, []);
  // A forged actor id (random, or another tenant's user that never acted here) matches nothing.
  for (const id of [crypto.randomUUID(), other.users.dpo!.id]) {
    const forged = await events(t.users.dpo!.cookie, `actorId=${id}`);
    assert.equal(forged.status, 200);
    assert.deepEqual(forged.body.items, []);
  }
});

test('malformed filters are 400 with a detail code and the field; non-DPOs get 403', async () => {
  for (const [value, code] of [
    ['not-an-email', 'invalid_format'],
    ['%@%', 'invalid_format'],
    ["x' or 1=1 --@a.b", 'invalid_format'],
    [`${'a'.repeat(250)}@example.org`, 'too_big'],
  ] as const) {
    const r = await events(t.users.dpo!.cookie, `actorEmail=${encodeURIComponent(value)}`);
    assert.equal(r.status, 400, value);
    assert.equal(r.body.error.code, 'VALIDATION_FAILED');
    assert.ok(
      r.body.error.details.some(
        (d: { path: string; code: string }) => d.path === 'query.actorEmail' && d.code === code,
      ),
      `${value}: ${JSON.stringify(r.body.error.details)}`,
    );
  }
  const forgedId = await events(t.users.dpo!.cookie, 'actorId=not-a-uuid');
  assert.equal(forgedId.status, 400);
  assert.equal(forgedId.body.error.details[0].path, 'query.actorId');
  const cm = await events(t.users.cm!.cookie, `actorEmail=${encodeURIComponent(t.users.cm!.email)}`);
  assert.equal(cm.status, 403);
});

interface Actor {
  name: string | null;
  role: string | null;
  self: boolean;
}
interface Entry {
  kind: string;
  actorId: string | null;
  actor: Actor | null;
}

test('the timeline names the case team and the viewer, and gives only the role of anyone else', async () => {
  const p = await newCase();
  const asPsy = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/timeline`, { cookie: t.users.psy!.cookie });
  assert.equal(asPsy.status, 200, asPsy.text);
  const reg = (asPsy.body.items as Entry[]).find((e) => e.kind === 'registered')!;
  assert.deepEqual(reg.actor, { name: 'cm', role: 'case_manager', self: false });
  const asCm = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/timeline`, { cookie: t.users.cm!.cookie });
  assert.deepEqual((asCm.body.items as Entry[]).find((e) => e.kind === 'registered')!.actor, {
    name: 'cm',
    role: 'case_manager',
    self: true,
  });

  // Outside the case team: 404 like a missing record, also from another tenant.
  for (const cookie of [t.users.cmB!.cookie, other.users.stranger!.cookie, t.users.dpo!.cookie]) {
    const r = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/timeline`, { cookie });
    assert.ok(r.status === 404 || r.status === 403, `${r.status}`);
    assert.ok(!r.text.includes('"cm"'));
  }
  const outsider = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/timeline`, {
    cookie: t.users.cmB!.cookie,
  });
  assert.equal(outsider.status, 404);

  // Handed over to team B: team B's case manager sees their own acceptance by name, and team A's
  // case manager (not a member of any of their teams) by role only.
  const offer = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/handovers`, {
    cookie: t.users.cm!.cookie,
    body: { toTeamId: t.teamB, reason: 'Moving to the other district' },
  });
  assert.equal(offer.status, 201, offer.text);
  const acc = await call(ctx.app, 'POST', `/api/v1/handovers/${offer.body.id}/decision`, {
    cookie: t.users.cmB!.cookie,
    body: { decision: 'accept' },
    headers: { 'if-match': '1' },
  });
  assert.equal(acc.status, 200, acc.text);
  const asB = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/timeline`, { cookie: t.users.cmB!.cookie });
  assert.equal(asB.status, 200, asB.text);
  const items = asB.body.items as Entry[];
  assert.deepEqual(items.find((e) => e.kind === 'registered')!.actor, {
    name: null,
    role: 'case_manager',
    self: false,
  });
  assert.deepEqual(items.find((e) => e.kind === 'handover_offered')!.actor, {
    name: null,
    role: 'case_manager',
    self: false,
  });
  assert.deepEqual(items.find((e) => e.kind === 'handover_accepted')!.actor, {
    name: 'cmB',
    role: 'case_manager',
    self: true,
  });
  assert.ok(!asB.text.includes('"cm"'), 'the earlier team’s case manager is not named');
  // Newest first.
  const times = items.map((e) => (e as unknown as { at: string }).at);
  assert.deepEqual(times, [...times].sort().reverse());
});

test('a name of another tenant never appears in the timeline or the access log', async () => {
  const p = await newCase();
  // A record whose creator is (by corruption or an operator's hand) a user of another tenant, and an
  // access by that user in this tenant's log.
  await sql`update participants set created_by = ${other.users.stranger!.id} where id = ${p.id}`.execute(ownerDb());
  await ctx.services.db.transaction().execute((tx) =>
    new AuditLog(tx, { tenantId: t.tenantId, actorId: other.users.stranger!.id, requestId: 'y' }).append({
      action: 'participant.read',
      entityType: 'participant',
      entityId: p.id,
      subjectId: p.id,
    }),
  );
  const tl = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/timeline`, { cookie: t.users.cm!.cookie });
  assert.equal(tl.status, 200, tl.text);
  const reg = (tl.body.items as Entry[]).find((e) => e.kind === 'registered')!;
  assert.equal(reg.actor, null);
  assert.ok(!tl.text.includes('Zebulon'));
  const log = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/access-log`, { cookie: t.users.cm!.cookie });
  assert.equal(log.status, 200, log.text);
  const foreign = log.body.items.find((e: { actorId: string }) => e.actorId === other.users.stranger!.id);
  assert.ok(foreign);
  assert.equal(foreign.actorName, null);
  assert.ok(!log.text.includes('Zebulon'));
  // Names of this tenant's users are there.
  assert.ok(log.body.items.some((e: { actorName: string | null }) => e.actorName === 'cm'));
});
