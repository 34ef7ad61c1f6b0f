/**
 * Every demo role's home in Debian's Chromium, in English and Arabic, at 1366 px and on a 390 px
 * phone: the page answers with a level-1 heading, nothing scrolls sideways on the phone, no console
 * error (not even the 401 a signed-out session probe used to log), axe clean including the landmark
 * rules, and a screenshot of each under test-results/screenshots (`home-<lang>-<size>-<role>.png`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_USERS, demoEmail } from '../../src/server/demo/seed.ts';
import { axe, shot, useBrowserHarness } from './harness.ts';

const h = useBrowserHarness();
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

/** Every console error and page error of the page, 4xx resource messages included. */
function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(`${m.text()} (${page.url()})`));
  return errors;
}

/** Signs in from the sign-in page with its language picker set to `lang`. */
async function signIn(page: Page, local: string, lang: 'en' | 'ar') {
  await page.goto(`${h.base}/login`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page
    .getByLabel(/language|اللغة/i)
    .first()
    .selectOption(lang);
  await page.waitForFunction((dir) => document.documentElement.dir === dir, lang === 'ar' ? 'rtl' : 'ltr');
  await page.locator('input[name=email]').fill(demoEmail(local));
  await page.locator('input[name=password]').fill(DEMO_PASSWORD);
  await page.locator('button[type=submit]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** The home has settled: its heading is shown and no loading indicator is left. */
async function settled(page: Page) {
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
}

test('signed-out pages log no error: the sign-in page and an unknown certificate code (en, ar)', async () => {
  for (const locale of ['en-GB', 'ar']) {
    const ctx = await h.browser.newContext({ locale, viewport: DESKTOP });
    const page = await ctx.newPage();
    const errors = watch(page);
    const probes: number[] = [];
    page.on('response', (r) => r.url().includes('/api/v1/auth/session') && probes.push(r.status()));
    await page.goto(`${h.base}/login`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    assert.deepEqual(probes, [200], 'the session probe answers 200 when signed out');
    // A page of the app while signed out sends the visitor to sign in, without an error either.
    await page.goto(`${h.base}/work`);
    await page.waitForURL(/\/login/);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    assert.deepEqual(errors, [], `no console error while signed out (${locale})`);
    // The public verification page of a code that does not exist: a plain answer (a 404 page, which
    // is the only message the browser logs), no script error.
    const answer = await page.goto(`${h.base}/verify/ZZZZ-ZZZZ-ZZZZ`);
    assert.equal(answer?.status(), 404);
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.deepEqual(
      (errors as string[]).filter((e) => !e.includes('/verify/ZZZZ-ZZZZ-ZZZZ')),
      [],
      `no other console error while signed out (${locale})`,
    );
    await ctx.close();
  }
});

test(
  'each role lands on a home that answers "what now?" at 1366 px and 390 px, in English and Arabic',
  { timeout: 900_000 },
  async () => {
    const roles = DEMO_USERS.map((u) => u.local);
    assert.ok(roles.length >= 10, 'every demo role is walked');
    const seen: string[] = [];
    for (const lang of ['en', 'ar'] as const) {
      for (const local of roles) {
        const ctx = await h.browser.newContext({ locale: lang === 'ar' ? 'ar' : 'en-GB', viewport: DESKTOP });
        const page = await ctx.newPage();
        const errors = watch(page);
        await signIn(page, local, lang);
        await settled(page);
        const home = new URL(page.url()).pathname;
        assert.notEqual(home, '/login', `${local} is signed in`);
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        // Nothing of the page is left in the other language's direction.
        assert.equal(await page.getAttribute('html', 'dir'), lang === 'ar' ? 'rtl' : 'ltr');
        await axe(page, `${local} home (${lang}, desktop)`);
        await shot(page, `home-${lang}-desktop-${local}`);

        await page.setViewportSize(PHONE);
        await settled(page);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(wide <= PHONE.width, `${local} home has no sideways scroll at 390 px in ${lang} (${wide} px)`);
        // Tables of the homes stack into cards on a phone (the administrator's user list, for one).
        const notStacked = await page.evaluate(() =>
          [...document.querySelectorAll('table.table-stack tr')]
            .map((tr) => getComputedStyle(tr).display)
            .filter((d) => d !== 'block'),
        );
        assert.deepEqual(notStacked, [], `${local}: table rows stack on a phone (${lang})`);
        if (local === 'admin') assert.ok(await page.locator('table.table-stack').count(), 'the user list stacks');
        await axe(page, `${local} home (${lang}, phone)`);
        await shot(page, `home-${lang}-phone-${local}`);
        assert.deepEqual(errors, [], `${local} (${lang}): no console error`);
        seen.push(`${local}:${home}`);
        await ctx.close();
      }
    }
    // Each role has a home of its own kind: case staff their work, learners their learning, the DPO the audit.
    const homeOf = (local: string) => seen.find((s) => s.startsWith(`${local}:`))?.split(':')[1];
    assert.equal(homeOf('case.manager'), '/work');
    assert.equal(homeOf('supervisor'), '/work');
    assert.match(homeOf('learner') ?? '', /learning/);
  },
);
