/**
 * The audit trail, a case's access log and its timeline in words (English and Arabic, 1366 px and a
 * 390 px phone): no raw action codes where people read, the code kept as a title for the DPO, the
 * DPO filters by a user's email, the timeline says who did what, newest first; axe clean, screenshots.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { demoEmail, DEMO_PASSWORD } from '../../src/server/demo/seed.ts';
import { axe, pageApi, shot, useBrowserHarness } from './harness.ts';

const h = useBrowserHarness();
/** An action code as the server writes it (`participant.read`, `academy.cohort.create`). */
const CODE = /\b[a-z_]+\.[a-z_]+\b/;
const ARABIC = /[\u0600-\u06FF]/;

async function signIn(browser: Browser, local: string, width: number) {
  const ctx = await browser.newContext({ locale: 'en-GB', viewport: { width, height: width < 500 ? 844 : 900 } });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${h.base}/login`);
  await page.getByLabel(/email/i).fill(demoEmail(local));
  await page.getByLabel(/password/i).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  // The language is the user's setting: an earlier iteration may have saved Arabic, and the saved
  // language arrives after the first paint. Save English and reload, so the page is English for sure.
  await pageApi(page, 'PATCH', '/api/v1/me/preferences', { locale: 'en' });
  await page.reload();
  await page.waitForFunction(() => document.documentElement.lang === 'en' && document.documentElement.dir === 'ltr');
  return { ctx, page, errors };
}

async function toArabic(page: Page) {
  await page
    .getByLabel(/language/i)
    .first()
    .selectOption('ar');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
}

async function noSidewaysScroll(page: Page, what: string) {
  const sideways = await page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
  );
  assert.equal(sideways, false, `${what}: the page does not scroll sideways`);
}

/** The action cells: words (in the language), never a code; the code is the title. */
async function checkActionWords(page: Page, lang: 'en' | 'ar', what: string) {
  const cells = await page
    .locator('.audit-action')
    .evaluateAll((els) =>
      els.map((el) => ({ text: (el.textContent ?? '').trim(), title: el.getAttribute('title') ?? '' })),
    );
  assert.ok(cells.length > 0, `${what}: rows`);
  for (const c of cells) {
    assert.ok(c.text.length > 0, `${what}: words`);
    assert.doesNotMatch(c.text, CODE, `${what}: "${c.text}" is a code`);
    assert.match(c.title, CODE, `${what}: the code stays available as a title`);
    if (lang === 'ar') assert.match(c.text, ARABIC, `${what}: "${c.text}" in Arabic`);
  }
  return cells;
}

/** On a phone the rows of a stacked table are cards: the header is hidden, each cell shows its label. */
async function checkStacked(page: Page, table: string, what: string) {
  const layout = await page.locator(table).evaluate((t) => ({
    headHidden: (t.querySelector('thead')?.getBoundingClientRect().height ?? 0) <= 1,
    tableWidth: t.getBoundingClientRect().width,
    rowDisplay: getComputedStyle(t.querySelector('tbody tr')!).display,
    label: getComputedStyle(t.querySelector('tbody td')!, '::before').content,
  }));
  assert.ok(layout.headHidden, `${what}: header hidden`);
  assert.equal(layout.rowDisplay, 'block', `${what}: rows stack`);
  assert.notEqual(layout.label, 'none', `${what}: cells labelled`);
  assert.ok(layout.tableWidth <= 390, `${what}: the table fits (${layout.tableWidth})`);
}

/** The times shown in a list, as ISO strings from <time datetime>. */
async function times(page: Page, scope: string): Promise<string[]> {
  return page.locator(`${scope} time`).evaluateAll((els) => els.map((el) => el.getAttribute('datetime') ?? ''));
}

test(
  'a case manager reads a case’s timeline and access log in words (en, ar; 1366 and 390 px)',
  { timeout: 300_000 },
  async () => {
    for (const width of [1366, 390]) {
      const { ctx, page, errors } = await signIn(h.browser, 'case.manager', width);
      const tag = width < 500 ? 'phone' : 'desktop';
      await page.goto(`${h.base}/cases`);
      const link = page.locator(width < 500 ? '.case-card' : '.cases-table a').first();
      await link.waitFor();
      await link.click();
      await page.waitForURL(/\/cases\/[0-9a-f-]{36}/);
      const caseUrl = page.url().split('?')[0]!;
      // An identity reveal with a purpose, for the access log (and the DPO's trail) to show in words.
      const participantId = caseUrl.split('/').pop()!;
      await pageApi(page, 'POST', `/api/v1/participants/${participantId}/reveal`, {
        purpose: 'safeguarding',
        reason: 'Checking a letter from the court',
      });
      for (const lang of ['en', 'ar'] as const) {
        if (lang === 'ar') await toArabic(page);
        // Timeline: every entry in words, with who did it, newest first by default.
        await page.goto(`${caseUrl}?tab=timeline`);
        await page.locator('.timeline li').first().waitFor();
        const entries = await page.locator('.timeline li .strong').allTextContents();
        for (const e of entries) {
          assert.doesNotMatch(e, CODE, `${lang}: timeline "${e}"`);
          if (lang === 'ar') assert.match(e, ARABIC, `timeline "${e}" in Arabic`);
        }
        const actors = await page.locator('.timeline .audit-actor').allTextContents();
        assert.ok(actors.length > 0, `${lang}: the timeline says who`);
        assert.ok(
          actors.some((a) => (lang === 'en' ? /^By /.test(a) : /^بواسطة /.test(a))),
          `${lang}: "${actors.join(' | ')}"`,
        );
        const tl = await times(page, '.timeline');
        assert.deepEqual(tl, [...tl].sort().reverse(), `${lang}: newest first`);
        await page.getByLabel(lang === 'en' ? 'Order' : 'الترتيب').selectOption('oldest');
        const oldest = await times(page, '.timeline');
        assert.deepEqual(oldest, [...tl].reverse(), `${lang}: oldest first on request`);
        await noSidewaysScroll(page, `${lang} ${tag} timeline`);
        await axe(page, `timeline (${lang}, ${tag})`);
        await shot(page, `audit-words-${lang}-${tag}-timeline`);

        // Access log: actions and purposes in words; who; newest first.
        await page.goto(`${caseUrl}?tab=access`);
        await page.locator('.table-stack tbody tr').first().waitFor();
        const logCells = await checkActionWords(page, lang, `${lang} ${tag} access log`);
        assert.ok(logCells.some((c) => c.title.includes('identity.reveal')));
        const revealRow = page.locator('.table-stack tbody tr', {
          has: page.getByText(lang === 'en' ? 'Reveal the identity' : 'كشف الهوية', { exact: true }),
        });
        await revealRow
          .first()
          .getByText(lang === 'en' ? 'Safeguarding' : 'الحماية', { exact: true })
          .waitFor();
        // The purpose code only: the reason stays in the DPO's trail.
        assert.equal(await page.getByText('Checking a letter from the court').count(), 0);
        const log = await times(page, '.table-stack tbody');
        assert.deepEqual(log, [...log].sort().reverse(), `${lang}: access log newest first`);
        if (width < 500) await checkStacked(page, '.table-stack', `${lang} access log`);
        await noSidewaysScroll(page, `${lang} ${tag} access log`);
        await axe(page, `access log (${lang}, ${tag})`);
        await shot(page, `audit-words-${lang}-${tag}-access`);
      }
      assert.deepEqual(errors, []);
      await ctx.close();
    }
  },
);

test(
  'the DPO reads the audit trail in words and filters it by email (en, ar; 1366 and 390 px)',
  { timeout: 300_000 },
  async () => {
    for (const width of [1366, 390]) {
      const { ctx, page, errors } = await signIn(h.browser, 'dpo', width);
      const tag = width < 500 ? 'phone' : 'desktop';
      await page.goto(`${h.base}/audit`);
      await page.locator('.audit-action').first().waitFor();
      const cells = await checkActionWords(page, 'en', `audit ${tag}`);
      // Its own sign-in is there, in words.
      assert.ok(cells.some((c) => c.text === 'Sign in' && c.title.includes('auth.login')));
      const at = await times(page, '.table-stack tbody');
      assert.deepEqual(at, [...at].sort().reverse(), 'newest first');
      if (width < 500) await checkStacked(page, '.table-stack', 'audit');
      await noSidewaysScroll(page, `audit ${tag}`);
      await axe(page, `audit (en, ${tag})`);
      await shot(page, `audit-words-en-${tag}-audit`);

      // A reveal (filtered by its action): its purpose in words, with the reason given.
      await page.goto(`${h.base}/audit?action=identity.reveal`);
      const reveal = page.locator('.table-stack tbody tr', {
        has: page.getByText('Reveal the identity', { exact: true }),
      });
      await reveal.first().getByText('Safeguarding', { exact: true }).waitFor();
      await reveal.first().getByText('Checking a letter from the court').waitFor();
      assert.equal(await page.getByLabel('Action').inputValue(), 'identity.reveal');
      await page
        .getByRole('button', { name: /clear filters/i })
        .first()
        .click();
      await page.waitForURL((u) => !u.search.includes('action='));

      // Filter by the case manager's email (the other test had them read cases).
      await page.getByLabel('Actor (email)').fill(demoEmail('case.manager'));
      await page.getByRole('button', { name: /apply/i }).click();
      await page.waitForURL(/actorEmail=/);
      await page.locator('.audit-who').first().waitFor();
      await page.waitForFunction(
        (email) => [...document.querySelectorAll('.audit-who')].every((el) => (el.textContent ?? '').includes(email)),
        demoEmail('case.manager'),
      );
      const who = await page.locator('.audit-who').allTextContents();
      assert.ok(who.length > 0 && who.every((w) => w.includes(demoEmail('case.manager'))), who.join(' | '));
      await checkActionWords(page, 'en', 'filtered');
      // The action filter offers words, not codes.
      const options = await page.getByLabel('Action').locator('option').allTextContents();
      assert.ok(options.length > 60);
      for (const o of options) assert.doesNotMatch(o, CODE, `option "${o}"`);
      await page.getByLabel('Action').selectOption({ label: 'Open a participant record' });
      await page.getByRole('button', { name: /apply/i }).click();
      await page.waitForURL(/action=participant\.read/);
      await page.waitForFunction(() =>
        [...document.querySelectorAll('.audit-action')].every((el) => el.textContent === 'Open a participant record'),
      );
      await axe(page, `audit filtered (en, ${tag})`);
      await shot(page, `audit-words-en-${tag}-audit-filtered`);

      // An email nobody in the organisation has: an empty state, no error.
      await page.goto(`${h.base}/audit?actorEmail=${encodeURIComponent('nobody@elsewhere.example')}`);
      await page.getByText('No event matches these filters', { exact: false }).waitFor();
      assert.equal(await page.locator('.table-stack').count(), 0);
      // A malformed one (typed into the address): an error, not a list.
      await page.goto(`${h.base}/audit?actorEmail=not-an-email`);
      await page.getByRole('alert').first().waitFor();
      assert.equal(await page.locator('.table-stack').count(), 0);

      await page.goto(`${h.base}/audit`);
      await toArabic(page);
      await page.locator('.audit-action').first().waitFor();
      await page.waitForFunction(() =>
        /[\u0600-\u06FF]/.test(document.querySelector('.audit-action')?.textContent ?? ''),
      );
      await checkActionWords(page, 'ar', `audit ar ${tag}`);
      if (width < 500) await checkStacked(page, '.table-stack', 'audit ar');
      await noSidewaysScroll(page, `audit ar ${tag}`);
      await axe(page, `audit (ar, ${tag})`);
      await shot(page, `audit-words-ar-${tag}-audit`);
      assert.deepEqual(errors, []);
      await ctx.close();
    }
  },
);
