/**
 * Browser journeys in Debian's Chromium: sign in (password, then TOTP), navigation by role, user
 * administration, audit viewer, language switch to Arabic (dir="rtl") — with axe on every page and
 * screenshots in test-results/screenshots.
 */
import { sql } from 'kysely';
import { connect } from '../../src/server/db/connection.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { generate } from 'otplib';
import { demoEmail, DEMO_PASSWORD } from '../../src/server/demo/seed.ts';
import { axe, pageApi, shot, useBrowserHarness } from './harness.ts';
import { makeTenant, PASSWORD } from '../helpers.ts';

const h = useBrowserHarness();

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${h.base}/login`);
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(password);
  await page.getByRole('button', { name: /sign in/i }).click();
}

test('demo administrator: sign in, users admin, invite link, profile; axe clean; switch to Arabic → RTL', async () => {
  const ctx = await h.browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 860 } });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/status of 4\d\d/.test(m.text()) && errors.push(m.text()));
  await page.goto(`${h.base}/login`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
  await axe(page, 'login (en)');
  await shot(page, 'en-login');
  // Wrong password: an inline, localised error and no way in.
  await signIn(page, demoEmail('admin'), 'not the password!!');
  await page.getByRole('alert').first().waitFor();
  await signIn(page, demoEmail('admin'), DEMO_PASSWORD);
  await page.waitForURL(/\/admin\/users/);
  await page.getByRole('table').waitFor();
  assert.ok(await page.getByText(/demo/i).first().isVisible(), 'demo ribbon');
  await page.getByText(demoEmail('dpo')).waitFor();
  await axe(page, 'users (en)');
  await shot(page, 'en-users');
  // Invite someone: a one-time link is shown, no password field.
  await page
    .getByRole('button', { name: /invite/i })
    .first()
    .click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(/email/i).fill('invited.person@demo.sanad.example');
  await dialog.getByLabel(/name/i).first().fill('Invited Person');
  await dialog.getByRole('checkbox', { name: /learner/i }).check();
  assert.equal(await dialog.locator('input[type=password]').count(), 0);
  await dialog.getByRole('button', { name: /create invitation/i }).click();
  await page
    .getByText(/\/invite\//)
    .first()
    .waitFor();
  await shot(page, 'en-invite-link');
  await page.keyboard.press('Escape');
  // Someone guesses the DPO's password until the account locks; the administrator unlocks it.
  for (let i = 0; i < 6; i++) {
    await fetch(`${h.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: h.base },
      body: JSON.stringify({ email: demoEmail('dpo'), password: `wrong guess ${i}!!` }),
    });
  }
  const locked = await fetch(`${h.base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: h.base },
    body: JSON.stringify({ email: demoEmail('dpo'), password: DEMO_PASSWORD }),
  });
  assert.equal(locked.status, 429, 'locked after the guesses, even with the right password');
  await page.goto(`${h.base}/admin/users`);
  await page
    .getByRole('row')
    .filter({ hasText: demoEmail('dpo') })
    .getByRole('button', { name: /Unlock sign-in/ })
    .click();
  const unlock = page.getByRole('dialog');
  await unlock.getByText(/failed sign-in attempts/).waitFor();
  await axe(page, 'unlock dialog (en)');
  await unlock.getByRole('button', { name: 'Unlock sign-in' }).click();
  await unlock
    .getByRole('status')
    .filter({ hasText: /can sign in again/ })
    .waitFor();
  await shot(page, 'en-unlock');
  await unlock.locator('.form-actions').getByRole('button', { name: 'Close' }).click();
  const again = await fetch(`${h.base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: h.base },
    body: JSON.stringify({ email: demoEmail('dpo'), password: DEMO_PASSWORD }),
  });
  assert.equal(again.status, 200, 'the DPO signs in at once after the unlock');
  await page.goto(`${h.base}/profile`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await axe(page, 'profile (en)');
  // Arabic: the whole document flips.
  await page
    .getByLabel(/language/i)
    .first()
    .selectOption('ar');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  assert.equal(await page.getAttribute('html', 'lang'), 'ar');
  await page.goto(`${h.base}/admin/users`);
  await page.getByRole('table').waitFor();
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl', 'the language choice is kept');
  await axe(page, 'users (ar)');
  await shot(page, 'ar-users');
  await page.goto(`${h.base}/profile`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await axe(page, 'profile (ar)');
  await shot(page, 'ar-profile');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('staff sign-in with TOTP; the DPO reads the audit trail of a record; Arabic login page is RTL', async () => {
  const t = await makeTenant(h.running.services, {
    dpo: { roles: ['dpo'] },
    cm: { roles: ['case_manager'], team: 'a' },
  });
  // Something to find in the audit log: a participant created and read by the case manager.
  const ctx = await h.browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 860 } });
  const page = await ctx.newPage();
  await signIn(page, t.users.dpo!.email, PASSWORD);
  await page.getByLabel(/verification code/i).waitFor();
  await axe(page, 'totp step (en)');
  await shot(page, 'en-totp');
  await page.getByLabel(/verification code/i).fill(await generate({ secret: t.users.dpo!.totpSecret }));
  await page.getByRole('button', { name: /verify/i }).click();
  await page.waitForURL(/\/audit/);
  await page.getByRole('table').waitFor();
  // Actions in words, the code only as a title.
  await page.getByRole('table').getByText('Two-step verification code').first().waitFor();
  assert.equal(await page.getByRole('table').getByText('auth.mfa', { exact: true }).count(), 0);
  await axe(page, 'audit (en)');
  await shot(page, 'en-audit');
  // Verify: intact, with the anchor summary.
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await page.getByRole('status').filter({ hasText: 'The chain is intact' }).waitFor();
  await page.getByText(/anchored outside the database/).waitFor();
  // An attacker with the owner's access rewrites an event: the check names it in words.
  const owner = connect(h.ownerUrl, 1).db;
  try {
    await owner.transaction().execute(async (tx) => {
      await sql`alter table audit_events disable trigger user`.execute(tx);
      await sql`update audit_events set action = 'participant.export_pdf' where id = (select id from audit_events where tenant_id = ${t.tenantId} order by at, seq limit 1)`.execute(
        tx,
      );
      await sql`alter table audit_events enable trigger user`.execute(tx);
    });
  } finally {
    await owner.destroy();
  }
  await page.getByRole('button', { name: 'Verify chain' }).click();
  const broken = page.getByRole('alert').filter({ hasText: 'The chain is broken' });
  await broken.waitFor();
  await broken.getByText('An event was changed after it was written').waitFor();
  await axe(page, 'audit verify broken (en)');
  await shot(page, 'en-audit-broken');
  await page
    .getByLabel(/language/i)
    .first()
    .selectOption('ar');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  await page.getByRole('table').waitFor();
  await page.getByRole('button', { name: 'التحقق من السلسلة' }).click();
  await page.getByRole('alert').getByText('حدث غُيِّر بعد كتابته').waitFor();
  await axe(page, 'audit (ar)');
  await shot(page, 'ar-audit');
  await ctx.close();

  // A fresh visitor who picked Arabic sees an RTL login page.
  const ar = await h.browser.newContext({ locale: 'ar', viewport: { width: 390, height: 800 } });
  const p2 = await ar.newPage();
  await p2.goto(`${h.base}/login`);
  await p2.getByRole('heading', { level: 1 }).waitFor();
  await p2
    .getByLabel(/اللغة|language/i)
    .first()
    .selectOption('ar');
  await p2.waitForFunction(() => document.documentElement.dir === 'rtl');
  await axe(p2, 'login (ar, phone)');
  await shot(p2, 'ar-login-phone');
  await ar.close();
});

test('case manager: caseload, Hijri calendar, Urdu (RTL) and French', async () => {
  const ctx = await h.browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 860 } });
  const page = await ctx.newPage();
  await signIn(page, demoEmail('case.manager'), DEMO_PASSWORD);
  await page.waitForURL(/\/(work|cases)/);
  await page.goto(`${h.base}/cases`);
  await page.getByText(/SN-/).filter({ visible: true }).first().waitFor();
  await axe(page, 'cases (en)');
  await shot(page, 'en-cases');
  // Hijri: dates switch calendar after saving the preference.
  await page.goto(`${h.base}/profile`);
  await page.getByRole('radio', { name: /hijri/i }).check();
  await page.getByRole('button', { name: /^save$/i }).click();
  await page.getByText(/AH/).first().waitFor();
  // Urdu: right-to-left, Nastaliq.
  await page
    .getByLabel(/language/i)
    .first()
    .selectOption('ur');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl' && document.documentElement.lang === 'ur');
  await page.goto(`${h.base}/cases`);
  await page.getByText(/SN-/).filter({ visible: true }).first().waitFor();
  await axe(page, 'cases (ur)');
  await shot(page, 'ur-cases');
  // French: left-to-right again.
  await page
    .getByLabel(/زبان|language/i)
    .first()
    .selectOption('fr');
  await page.waitForFunction(() => document.documentElement.dir === 'ltr' && document.documentElement.lang === 'fr');
  await axe(page, 'cases (fr)');
  await shot(page, 'fr-cases');
  await ctx.close();
});

test('a language chosen on the sign-in page wins over the saved one and is saved; no choice → the saved one', async () => {
  // Two accounts, both saved as English (one sign-in each: a TOTP code is good once).
  const t = await makeTenant(h.running.services, {
    cm: { roles: ['case_manager'], team: 'a' },
    cm2: { roles: ['case_manager'], team: 'a' },
  });
  const signInAnyLanguage = async (page: Page, cm = t.users.cm!) => {
    await page.locator('input[name=email]').fill(cm.email);
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.locator('button[type=submit]').click();
    await page.locator('input[name=code]').fill(await generate({ secret: cm.totpSecret }));
    await page.locator('button[type=submit]').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  };
  const me = async (page: Page) => (await pageApi<{ user: { locale: string } }>(page, 'GET', '/api/v1/me')).user.locale;

  // The account is saved as English; the person picks العربية on the sign-in page.
  const ctx = await h.browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 860 } });
  const page = await ctx.newPage();
  await page.goto(`${h.base}/login`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
  await page
    .getByLabel(/language/i)
    .first()
    .selectOption('ar');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/preferences') && r.status() === 200);
  await signInAnyLanguage(page);
  await saved;
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl', 'the choice survives signing in');
  assert.equal(await page.getAttribute('html', 'lang'), 'ar');
  assert.equal(await me(page), 'ar', 'the choice is saved to the account');
  await page.reload();
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl', 'still Arabic after a reload');
  await axe(page, 'home after choosing Arabic at sign-in (ar)');
  await shot(page, 'ar-chosen-at-sign-in');
  await ctx.close();

  // A first visit from an Arabic browser, no choice, no account yet: the browser's language.
  const arBrowser = await h.browser.newContext({ locale: 'ar-SA', viewport: { width: 1280, height: 860 } });
  const p1 = await arBrowser.newPage();
  await p1.goto(`${h.base}/login`);
  await p1.getByRole('heading', { level: 1 }).waitFor();
  await p1.waitForFunction(() => document.documentElement.dir === 'rtl' && document.documentElement.lang === 'ar');
  await arBrowser.close();

  // The other account (saved as English): an Arabic browser signs in without choosing → English.
  const p3ctx = await h.browser.newContext({ locale: 'ar-SA', viewport: { width: 1280, height: 860 } });
  const p3 = await p3ctx.newPage();
  await p3.goto(`${h.base}/login`);
  await p3.waitForFunction(() => document.documentElement.dir === 'rtl');
  await signInAnyLanguage(p3, t.users.cm2);
  await p3.waitForFunction(() => document.documentElement.dir === 'ltr' && document.documentElement.lang === 'en');
  assert.equal(await me(p3), 'en', 'the saved language is left as it was');
  await p3.reload();
  await p3.getByRole('heading', { level: 1 }).waitFor();
  assert.equal(await p3.getAttribute('html', 'lang'), 'en');
  await shot(p3, 'en-saved-language-applies');
  await p3ctx.close();
});
