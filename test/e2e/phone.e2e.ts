/**
 * Phone layouts (390 × 844) in Debian's Chromium: the demo case manager's caseload is a list of cards
 * (codes on one line, alerts visible, no sideways page scroll); on a case the tab bar and the phase
 * track scroll with a fade cue, the selected tab and the current phase in view. English and Arabic,
 * axe on every screen, screenshots saved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { demoEmail, DEMO_PASSWORD } from '../../src/server/demo/seed.ts';
import { axe, shot, useBrowserHarness } from './harness.ts';

const h = useBrowserHarness();

/** Whether the element's box lies inside the box of `container` (horizontally), with a pixel of slack. */
async function inViewOf(page: Page, item: string, container: string): Promise<boolean> {
  return page.evaluate(
    ([i, c]) => {
      const a = document.querySelector(i!)!.getBoundingClientRect();
      const b = document.querySelector(c!)!.getBoundingClientRect();
      return a.left >= b.left - 1 && a.right <= b.right + 1 && a.width > 0;
    },
    [item, container],
  );
}

/** The caseload as cards: one-line codes, alerts inside the viewport, no sideways page scroll. */
async function checkCases(page: Page, lang: string) {
  await page.goto(`${h.base}/cases`);
  await page.locator('.case-card').first().waitFor();
  assert.equal(await page.locator('.cases-table').isVisible(), false, `${lang}: the table is hidden on a phone`);
  const codes = await page.locator('.case-card .code').evaluateAll((els) =>
    els.map((el) => {
      const cs = getComputedStyle(el);
      const line = cs.lineHeight === 'normal' ? parseFloat(cs.fontSize) * 1.3 : parseFloat(cs.lineHeight);
      return { text: el.textContent, lines: el.getClientRects().length, h: el.getBoundingClientRect().height, line };
    }),
  );
  assert.ok(codes.length > 0, `${lang}: cards`);
  for (const c of codes) {
    assert.equal(c.lines, 1, `${lang}: ${c.text} on one line`);
    assert.ok(c.h < c.line * 1.5, `${lang}: ${c.text} is ${c.h}px high (line ${c.line}px)`);
  }
  const alerts = await page.locator('.case-card .chip-alert').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, w: r.width };
    }),
  );
  assert.ok(alerts.length > 0, `${lang}: the demo caseload shows alerts`);
  const width = await page.evaluate(() => document.documentElement.clientWidth);
  for (const a of alerts) assert.ok(a.w > 0 && a.left >= 0 && a.right <= width + 1, `${lang}: alert in view`);
  const sideways = await page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
  );
  assert.equal(sideways, false, `${lang}: the page does not scroll sideways`);
  // The whole card is one link.
  const first = page.locator('.case-cards > li').first();
  assert.equal(await first.getByRole('link').count(), 1);
  await axe(page, `cases, phone (${lang})`);
  await shot(page, `${lang}-phone-cases`);
}

/** A case: the tab bar scrolls with a cue and the selected tab in view; the current phase is visible. */
async function checkCase(page: Page, lang: string) {
  await page.locator('.case-card').first().click();
  await page.getByRole('tablist').waitFor();
  await page.locator('.phase-track').waitFor();
  const scroll = await page.locator('.tabs').evaluate((el) => ({ sw: el.scrollWidth, cw: el.clientWidth }));
  assert.ok(scroll.sw > scroll.cw, `${lang}: the tab list scrolls (${scroll.sw} > ${scroll.cw})`);
  // At the start the cue shows more at the end, visibly.
  const cue = page.locator('.tabs-cue');
  assert.equal(await cue.getAttribute('data-more-end'), 'true', `${lang}: cue at the end`);
  await page.waitForFunction(() => getComputedStyle(document.querySelector('.tabs-cue')!, '::after').opacity === '1');
  assert.ok(await inViewOf(page, '[role="tab"][aria-selected="true"]', '.tabs'), `${lang}: selected tab in view`);
  assert.ok(await inViewOf(page, '.phase-track [aria-current="step"]', '.phase-scroll'), `${lang}: phase in view`);
  await axe(page, `case, phone (${lang})`);
  await shot(page, `${lang}-phone-case`);

  // The keyboard reaches the last tab; it is scrolled into view and the cue flips to the start.
  await page.locator('[role="tab"][aria-selected="true"]').focus();
  await page.keyboard.press('End');
  await page.waitForFunction(() => document.activeElement?.id === 'tab-access');
  await page.locator('#tab-access[aria-selected="true"]').waitFor();
  await page.waitForFunction(() => document.querySelector('.tabs-cue')!.hasAttribute('data-more-start'));
  assert.ok(await inViewOf(page, '#tab-access', '.tabs'), `${lang}: last tab in view`);
  // An arrow key (mirrored in RTL) moves back one tab, which stays in view.
  await page.keyboard.press(lang === 'ar' ? 'ArrowRight' : 'ArrowLeft');
  await page.waitForFunction(() => document.activeElement?.id === 'tab-timeline');
  await page.locator('#tab-timeline[aria-selected="true"]').waitFor();
  assert.ok(await inViewOf(page, '#tab-timeline', '.tabs'), `${lang}: previous tab in view`);
  await page.keyboard.press('Home');
  await page.waitForFunction(() => document.activeElement?.id === 'tab-overview');
  await page.locator('#tab-overview[aria-selected="true"]').waitFor();
  assert.ok(await inViewOf(page, '#tab-overview', '.tabs'), `${lang}: first tab in view`);
  const sideways = await page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
  );
  assert.equal(sideways, false, `${lang}: the case page does not scroll sideways`);
}

test(
  'phone (390 px): caseload cards and a case with scrolling tabs and phases (en, ar)',
  { timeout: 180_000 },
  async () => {
    const ctx = await h.browser.newContext({ locale: 'en-GB', viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${h.base}/login`);
    await page.getByLabel(/email/i).fill(demoEmail('case.manager'));
    await page.getByLabel(/password/i).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));

    await checkCases(page, 'en');
    await checkCase(page, 'en');

    await page
      .getByLabel(/language/i)
      .first()
      .selectOption('ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await checkCases(page, 'ar');
    await checkCase(page, 'ar');

    // At 1366 px the table is back (no cards) and its codes stay on one line too.
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${h.base}/cases`);
    await page.locator('.cases-table .code').first().waitFor();
    assert.equal(await page.locator('.case-cards').isVisible(), false, 'no cards on a desktop');
    const lines = await page
      .locator('.cases-table .code')
      .evaluateAll((els) => els.map((el) => el.getClientRects().length));
    assert.ok(lines.length > 0 && lines.every((n) => n === 1), `desktop codes on one line: ${lines.join(',')}`);

    assert.deepEqual(errors, []);
    await ctx.close();
  },
);
