/**
 * A whole structured-judgement assessment with Sanad's shipped template (illustrative, not validated)
 * in Debian's Chromium, by the demo psychologist who holds its certification: every item rated on
 * every scale in the domain stepper (autosaved), evidence where the template requires it, the
 * formulation, scenarios, management plan and the judgement in the template's own terms, then
 * finalise — once in English, once in Arabic (right to left). No score anywhere; axe clean.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { shippedInstruments } from '../../src/server/content.ts';
import { demoEmail, DEMO_PASSWORD } from '../../src/server/demo/seed.ts';
import { axe, shot, until, useBrowserHarness } from './harness.ts';

const h = useBrowserHarness();
const spj = shippedInstruments().find((d) => d.key === 'sanad-spj-template')!;

async function assess(page: Page, locale: 'en' | 'ar', participantId: string) {
  await page.goto(`${h.base}/cases/${participantId}`);
  await page.locator('[role="tab"]').nth(0).waitFor();
  const tab = locale === 'en' ? /^assessments$/i : /التقييمات|تقييمات/;
  await page.getByRole('tab', { name: tab }).click();
  await page.getByRole('tabpanel').waitFor();
  await page
    .getByRole('tabpanel')
    .getByRole('button')
    .filter({ hasText: locale === 'en' ? /start assessment/i : /بدء|ابدأ/ })
    .first()
    .click();
  const dlg = page.getByRole('dialog');
  await dlg.locator('input[type="radio"][value="sanad-spj-template@1.0"], input[type="radio"]').first().waitFor();
  // Pick the template by its title in the dialog.
  await dlg
    .getByRole('radio', {
      name: new RegExp((locale === 'en' ? spj.title.en : spj.title.ar).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
    })
    .check();
  await axe(page, `${locale} start SPJ`);
  await dlg.getByRole('button', { name: locale === 'en' ? /^start$/i : /^(ابدأ|بدء)$/ }).click();
  await page.waitForURL(/\/assessments\/[0-9a-f-]{36}/);
  const assessmentId = page.url().split('/assessments/')[1]!.split(/[/?#]/)[0]!;
  for (const [d, domain] of spj.domains.entries()) {
    const cards = page.locator('article.assess-item');
    await until(async () => (await cards.count()) === domain.items.length, `domain ${domain.key} shown`);
    for (const [k, item] of domain.items.entries()) {
      const card = cards.nth(k);
      // The first item of each domain is rated present with evidence; the others absent.
      const present = k === 0;
      if (present && item.evidenceRequired) {
        await card
          .locator('details summary')
          .filter({ hasText: locale === 'en' ? /add evidence/i : /./ })
          .last()
          .click();
        await card
          .locator('textarea')
          .first()
          .fill(
            locale === 'en'
              ? 'Synthetic interview note: says violence is justified when the group is threatened.'
              : 'ملاحظة مقابلة اصطناعية للاختبار.',
          );
        await card.locator('details button').last().click();
      }
      await card.locator(`input[type="radio"][value="${present ? 'present' : 'absent'}"]`).check();
      await until(
        async () =>
          !!(await h.owner
            .selectFrom('assessment_ratings')
            .select('item_code')
            .where('assessment_id', '=', assessmentId)
            .where('item_code', '=', item.code)
            .executeTakeFirst()),
        `${item.code} saved`,
      );
      await card.locator('input[type="radio"][value="low"]').check();
      await until(
        async () =>
          (
            await h.owner
              .selectFrom('assessment_ratings')
              .select('ratings')
              .where('assessment_id', '=', assessmentId)
              .where('item_code', '=', item.code)
              .executeTakeFirstOrThrow()
          ).ratings.relevance === 'low',
        `${item.code} relevance saved`,
      );
    }
    if (d === 0) {
      await axe(page, `${locale} SPJ domain`);
      await shot(page, `${locale}-assessment-spj-domain`);
    }
    await page.locator('.sticky-actions button').last().click();
  }
  // Formulation and judgement, then finalise.
  const texts = page.locator('#assess-step textarea');
  await texts.nth(0).fill('Synthetic formulation: grievance and group loyalty, now weakening.');
  await texts.nth(1).fill('Synthetic scenarios: renewed contact with former associates after release.');
  await texts.nth(2).fill('Synthetic management plan: mentoring, family work, vocational training.');
  await texts.nth(3).fill('Synthetic reasons for the judgement.');
  for (const j of spj.judgements)
    await page.locator(`#assess-step input[type="radio"][value="${j.options[1]!.value}"]`).first().check();
  await page.locator('#assess-step button[type="submit"]').click();
  await until(
    async () =>
      Object.keys(
        (
          await h.owner
            .selectFrom('assessments')
            .select('judgement')
            .where('id', '=', assessmentId)
            .executeTakeFirstOrThrow()
        ).judgement ?? {},
      ).length === spj.judgements.length,
    'judgement saved',
  );
  await axe(page, `${locale} SPJ final`);
  await shot(page, `${locale}-assessment-spj-final`);
  await page
    .getByRole('button', { name: locale === 'en' ? /^finalise$/i : /إنهاء|اعتماد|نهائي/ })
    .first()
    .click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: locale === 'en' ? 'Finalise and lock' : 'اعتماد وإقفال' })
    .click();
  await until(
    async () =>
      (
        await h.owner
          .selectFrom('assessments')
          .select('status')
          .where('id', '=', assessmentId)
          .executeTakeFirstOrThrow()
      ).status === 'final',
    'finalised',
  );
  assert.doesNotMatch(await page.locator('main').innerText(), /\b(score|total|probability)\b/i);
  await shot(page, `${locale}-assessment-spj-finalised`);
  return assessmentId;
}

test(
  'assess with the shipped SPJ template: rate every item, judge, finalise (en, ar)',
  { timeout: 600_000 },
  async () => {
    const s = h.running.services;
    const psy = await s.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', demoEmail('psychologist'))
      .executeTakeFirstOrThrow();
    const team = await s.db
      .selectFrom('team_members')
      .select('team_id')
      .where('user_id', '=', psy.id)
      .executeTakeFirstOrThrow();
    const ps = await h.owner
      .selectFrom('participants')
      .select('id')
      .where('team_id', '=', team.team_id)
      .orderBy('code')
      .limit(2)
      .execute();
    const ctx = await h.browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Every autosave must succeed: a failed PUT would show "not saved" on the card.
    page.on('response', async (r) => {
      if (r.request().method() !== 'GET' && r.url().includes('/api/v1/') && r.status() >= 400)
        errors.push(
          `${r.request().method()} ${new URL(r.url()).pathname} → ${r.status()} ${await r.text().catch(() => '')}`,
        );
    });
    await page.goto(`${h.base}/login`);
    await page.getByLabel(/email/i).fill(demoEmail('psychologist'));
    await page.getByLabel(/password/i).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await assess(page, 'en', ps[0]!.id);
    await page
      .getByLabel(/language/i)
      .first()
      .selectOption('ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await assess(page, 'ar', ps[1]!.id);
    assert.deepEqual(errors, []);
    await ctx.close();
  },
);
