/** Abilities: derived from the policy table alone, and sent by GET /me (and the preferences answer) for the web to show and hide by. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { abilitiesOf } from '../src/core/abilities.ts';
import { ACTIONS, allows, POLICY, ROLES } from '../src/core/roles.ts';
import { call, closeShared, makeTenant, shared$ } from './helpers.ts';

let ctx: Awaited<ReturnType<typeof shared$>>;
before(async () => {
  ctx = await shared$();
});
after(closeShared);

test('abilities are exactly the policy actions the roles allow, sorted', () => {
  for (const role of ROLES) {
    const got = abilitiesOf([role]);
    assert.deepEqual(got, [...got].sort(), `${role}: sorted`);
    assert.deepEqual(
      got,
      ACTIONS.filter((a) => (POLICY[a] as readonly string[]).includes(role)).sort(),
      `${role}: from POLICY only`,
    );
  }
  // Several roles: the union, without duplicates; unknown roles add nothing.
  const both = abilitiesOf(['case_manager', 'supervisor', 'made_up']);
  assert.equal(new Set(both).size, both.length);
  assert.deepEqual(both, ACTIONS.filter((a) => allows(['case_manager', 'supervisor'], a)).sort());
  assert.deepEqual(abilitiesOf([]), []);
  assert.deepEqual(abilitiesOf(['made_up']), []);
});

test('GET /me carries the abilities: a case manager may submit a plan but not approve it; a learner has no case action', async () => {
  const t = await makeTenant(ctx.services, {
    cm: { roles: ['case_manager'], team: 'a' },
    sup: { roles: ['supervisor'], team: 'a' },
    learner: { roles: ['learner'] },
  });
  const cm = await call(ctx.app, 'GET', '/api/v1/me', { cookie: t.users.cm!.cookie });
  assert.equal(cm.status, 200, cm.text);
  const cmAbilities: string[] = cm.body.abilities;
  assert.deepEqual(cmAbilities, abilitiesOf(['case_manager']));
  assert.ok(cmAbilities.includes('plan.write'), 'a case manager writes (and submits) the plan');
  assert.ok(cmAbilities.includes('participant.create'));
  assert.ok(!cmAbilities.includes('plan.approve'), 'approving is for supervisors');
  assert.ok(!cmAbilities.includes('user.invite'));

  const sup = await call(ctx.app, 'GET', '/api/v1/me', { cookie: t.users.sup!.cookie });
  assert.ok((sup.body.abilities as string[]).includes('plan.approve'));

  const learner = await call(ctx.app, 'GET', '/api/v1/me', { cookie: t.users.learner!.cookie });
  assert.equal(learner.status, 200, learner.text);
  assert.deepEqual(learner.body.abilities, ['academy.learn']);
  const caseActions = (learner.body.abilities as string[]).filter((a) =>
    /^(participant|plan|session|consent|phase|handover|identity|assessment)\./.test(a),
  );
  assert.deepEqual(caseActions, [], 'a learner has no case action');

  // The preferences answer is the same /me document, abilities included.
  const prefs = await call(ctx.app, 'PATCH', '/api/v1/me/preferences', {
    cookie: t.users.cm!.cookie,
    body: { locale: 'fr' },
  });
  assert.equal(prefs.status, 200, prefs.text);
  assert.deepEqual(prefs.body.abilities, cmAbilities);
});

test('GET /auth/session: 200 with me = null when signed out (a dead or forged cookie too), the /me document when signed in', async () => {
  const t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
  for (const cookie of [undefined, 'sanad_session=forged', `${t.users.cm!.cookie}x`]) {
    const out = await call(ctx.app, 'GET', '/api/v1/auth/session', { cookie });
    assert.equal(out.status, 200, out.text);
    assert.deepEqual(out.body, { me: null });
    assert.equal(out.headers.get('cache-control'), 'no-store');
  }
  const me = await call(ctx.app, 'GET', '/api/v1/me', { cookie: t.users.cm!.cookie });
  const probe = await call(ctx.app, 'GET', '/api/v1/auth/session', { cookie: t.users.cm!.cookie });
  assert.equal(probe.status, 200, probe.text);
  assert.equal(probe.body.me.user.email, me.body.user.email);
  assert.deepEqual(probe.body.me.abilities, me.body.abilities);
  // Signed out again: the probe says so at once.
  const out = await call(ctx.app, 'POST', '/api/v1/auth/logout', { cookie: t.users.cm!.cookie });
  assert.ok(out.status < 300, out.text);
  assert.deepEqual((await call(ctx.app, 'GET', '/api/v1/auth/session', { cookie: t.users.cm!.cookie })).body, {
    me: null,
  });
});
