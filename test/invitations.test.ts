/**
 * One way to invite (`modules/auth/invitations.ts inviteUser`): user administration, academy
 * enrolment and `sanad user invite` all create the same invited account, a 72-hour one-time link the
 * invitee can accept, and a `user.invite` audit event saying which door it came through.
 */
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, closeShared, makeTenant, PASSWORD, shared$ } from './helpers.ts';
import { inviteFromCli } from '../src/cli/users.ts';
import { AuditLog } from '../src/server/audit/log.ts';
import { INVITATION_HOURS, inviteUser } from '../src/server/modules/auth/invitations.ts';
import { tokenHash } from '../src/server/modules/auth/tokens.ts';

let ctx: Awaited<ReturnType<typeof shared$>>;
let t: Awaited<ReturnType<typeof makeTenant>>;
before(async () => {
  ctx = await shared$();
  t = await makeTenant(ctx.services, { admin: { roles: ['tenant_admin'] }, coord: { roles: ['coordinator'] } });
});
after(closeShared);

const email = (who: string) => `${who}.${crypto.randomBytes(4).toString('hex')}@invite.sanad.example`;

/** The invitation row and the `user.invite` event of an invited address. */
async function invitationOf(address: string) {
  const user = await ctx.services.db
    .selectFrom('users')
    .select(['id', 'tenant_id', 'status', 'roles', 'password_hash'])
    .where('email', '=', address)
    .executeTakeFirstOrThrow();
  const inv = await ctx.services.db
    .selectFrom('invitations')
    .select(['tenant_id', 'created_by', 'expires_at', 'created_at', 'token_hash'])
    .where('user_id', '=', user.id)
    .executeTakeFirstOrThrow();
  const events = await ctx.services.db
    .selectFrom('audit_events')
    .select(['action', 'actor_id', 'details'])
    .where('tenant_id', '=', user.tenant_id)
    .where('entity_id', '=', user.id)
    .where('action', '=', 'user.invite')
    .execute();
  return { user, inv, events };
}

/** The invitee accepts the link and can sign in with the password they chose. */
async function accept(token: string, address: string) {
  const info = await call(ctx.app, 'GET', `/api/v1/auth/invitations/${token}`);
  assert.equal(info.status, 200, info.text);
  assert.equal(info.body.email, address);
  const acc = await call(ctx.app, 'POST', `/api/v1/auth/invitations/${token}/accept`, {
    body: { displayName: 'Invited Person', password: PASSWORD },
  });
  assert.equal(acc.status, 200, acc.text);
}

function assertLifetime(inv: { expires_at: Date; created_at: Date }) {
  const hours = (inv.expires_at.getTime() - inv.created_at.getTime()) / 3600_000;
  assert.ok(Math.abs(hours - INVITATION_HOURS) < 0.05, `valid ${hours} h`);
}

test('user administration invites through inviteUser: link, 72 hours, audited with the roles', async () => {
  const address = email('admin-invite');
  const r = await call(ctx.app, 'POST', '/api/v1/users/invitations', {
    cookie: t.users.admin!.cookie,
    body: { email: address, displayName: 'By Admin', roles: ['case_manager'] },
  });
  assert.equal(r.status, 201, r.text);
  const token = String(r.body.link).split('/invite/')[1]!;
  const { user, inv, events } = await invitationOf(address);
  assert.equal(user.status, 'invited');
  assert.equal(user.password_hash, null);
  assert.deepEqual(user.roles, ['case_manager']);
  assert.equal(inv.created_by, t.users.admin!.id);
  assert.deepEqual(inv.token_hash, tokenHash(token));
  assertLifetime(inv);
  assert.deepEqual(
    events.map((e) => [e.actor_id, e.details]),
    [[t.users.admin!.id, { roles: 'case_manager' }]],
  );
  await accept(token, address);
});

test('academy enrolment of a new learner invites through inviteUser (via academy)', async () => {
  const c = await call(ctx.app, 'POST', '/api/v1/academy/cohorts', {
    cookie: t.users.coord!.cookie,
    body: {
      name: 'Invitations intake',
      memberState: 'SN',
      language: 'fr',
      startsOn: '2026-02-02',
      endsOn: '2026-11-30',
      capacity: 5,
    },
  });
  assert.equal(c.status, 201, c.text);
  const address = email('learner');
  const r = await call(ctx.app, 'POST', `/api/v1/academy/cohorts/${c.body.id}/enrolments`, {
    cookie: t.users.coord!.cookie,
    body: { email: address, name: 'New Learner' },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.invited, 1);
  const token = String(r.body.results[0].link).split('/invite/')[1]!;
  const { user, inv, events } = await invitationOf(address);
  assert.deepEqual(user.roles, ['learner']);
  assert.equal(inv.created_by, t.users.coord!.id);
  assert.deepEqual(inv.token_hash, tokenHash(token));
  assertLifetime(inv);
  assert.deepEqual(
    events.map((e) => [e.actor_id, e.details]),
    [[t.users.coord!.id, { roles: 'learner', via: 'academy' }]],
  );
  await accept(token, address);
});

test('`sanad user invite` invites through inviteUser (via cli, no inviting user)', async () => {
  const tenant = await ctx.services.db
    .selectFrom('tenants')
    .select('slug')
    .where('id', '=', t.tenantId)
    .executeTakeFirstOrThrow();
  const address = email('cli');
  const printed: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string) => (printed.push(String(chunk)), true);
  try {
    await inviteFromCli(ctx.services, { email: address, name: 'By Operator', roles: 'dpo', tenant: tenant.slug });
  } finally {
    process.stdout.write = write;
  }
  const token = /\/invite\/([\w-]+)/.exec(printed.join(''))?.[1];
  assert.ok(token, printed.join(''));
  const { user, inv, events } = await invitationOf(address);
  assert.deepEqual(user.roles, ['dpo']);
  assert.equal(inv.created_by, null);
  assertLifetime(inv);
  assert.deepEqual(
    events.map((e) => [e.actor_id, e.details]),
    [[null, { roles: 'dpo', via: 'cli' }]],
  );
  await assert.rejects(
    inviteFromCli(ctx.services, { email: address, name: 'Again', roles: 'dpo', tenant: tenant.slug }),
    /an account with this email already exists/,
  );
  await accept(token, address);
});

test('inviteUser refuses an address that has an account in any tenant, and writes nothing', async () => {
  const other = await makeTenant(ctx.services, { x: { roles: ['case_manager'] } });
  const taken = other.users.x!.email;
  await assert.rejects(
    ctx.services.db.transaction().execute(async (tx) => {
      const audit = new AuditLog(tx, { tenantId: t.tenantId, actorId: null, requestId: 'test' });
      await inviteUser(tx, audit, {
        tenantId: t.tenantId,
        email: taken,
        displayName: 'Taken',
        roles: ['learner'],
        invitedBy: null,
      });
    }),
    (e: unknown) => (e as { code?: string }).code === 'ALREADY_EXISTS',
  );
  const rows = await ctx.services.db.selectFrom('users').select('tenant_id').where('email', '=', taken).execute();
  assert.deepEqual(
    rows.map((r) => r.tenant_id),
    [other.tenantId],
  );
});
