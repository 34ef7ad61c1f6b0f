/**
 * My work in Debian's Chromium: the demo supervisor lands on the home and sees the plans awaiting
 * approval of the team they supervise first; the demo case manager sees the cases grouped Overdue /
 * Due soon / Open with counts, and an overdue reason marked with its days late. English and Arabic,
 * desktop and a 390 px phone, axe on every screen, screenshots saved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { demoEmail } from '../../src/server/demo/seed.ts';
import { axe, demoTeamOf, pageApi, shot, useBrowserHarness, signInDemo } from './harness.ts';

const h = useBrowserHarness();
const session = (email: string, viewport?: { width: number; height: number }) => signInDemo(h, email, viewport);
const DAY = 86_400_000;

/** Switches the language with the shell's picker (at desktop width). */
async function language(page: Page, lang: 'en' | 'ar') {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page
    .getByLabel(/language|اللغة/i)
    .first()
    .selectOption(lang);
  await page.waitForFunction((dir) => document.documentElement.dir === dir, lang === 'ar' ? 'rtl' : 'ltr');
}

/** At a 390 px phone: nothing scrolls sideways; axe and a screenshot. */
async function phone(page: Page, lang: string) {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('region').first().waitFor();
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `no sideways scroll at 390 px (${wide}, ${lang})`);
  await axe(page, `work phone (${lang})`);
  await shot(page, `${lang}-work-phone`);
}

test(
  'my work: supervisor approvals first; case manager groups with counts and days late (en, ar, phone)',
  { timeout: 240_000 },
  async () => {
    // Team A's demo data: one plan submitted for approval, one plan whose review is a month overdue.
    const team = await demoTeamOf(h, 'case.manager');
    // Demo codes are random, so pick by phase: the overdue case must be in a phase with a plan review interval.
    const cases = await h.owner
      .selectFrom('participants')
      .innerJoin('programs', 'programs.id', 'participants.program_id')
      .select(['participants.id', 'participants.code', 'participants.phase_key', 'programs.definition'])
      .where('participants.team_id', '=', team)
      .where('participants.status', '=', 'active')
      .orderBy('participants.code')
      .execute();
    const reviewEvery = (c: (typeof cases)[number]) =>
      (c.definition as { phases: { key: string; reviewEveryDays?: number }[] }).phases.find(
        (p) => p.key === c.phase_key,
      )?.reviewEveryDays;
    const late = cases.find((c) => reviewEvery(c));
    const submitted = cases.find((c) => c !== late);
    assert.ok(late && submitted, 'team A has active cases in a program, one in a phase with plan reviews');
    await h.owner
      .updateTable('participants')
      .set({ plan_status: 'submitted', plan_approved_at: null })
      .where('id', '=', submitted.id)
      .execute();
    await h.owner
      .updateTable('participants')
      .set({ plan_status: 'approved', plan_approved_at: new Date(Date.now() - (reviewEvery(late)! + 30) * DAY) })
      .where('id', '=', late.id)
      .execute();

    // 1. The supervisor's home: the supervised section first, the submitted plan in it, one link to the plan tab.
    const sup = await session(demoEmail('supervisor'));
    await sup.page.goto(`${h.base}/work`);
    await sup.page.getByRole('heading', { level: 1, name: /my work/i }).waitFor();
    const sections = sup.page.getByRole('heading', { level: 2 });
    await sections.first().waitFor();
    assert.match((await sections.first().textContent()) ?? '', /teams i supervise/i);
    // The first group of the supervised section is the decisions awaited, with the submitted plan in it.
    const decide = sup.page.getByRole('region', { name: /awaiting your decision/i }).first();
    await decide.waitFor();
    const approve = decide.getByRole('link', {
      name: new RegExp(`review and approve the plan \\(${submitted.code}\\)`, 'i'),
    });
    await approve.first().waitFor();
    assert.match((await approve.first().getAttribute('href')) ?? '', /\?tab=plan$/);
    await axe(sup.page, 'supervisor work (en)');
    await shot(sup.page, 'en-work-supervisor');
    // Keyboard: the first action link is reachable by Tab.
    await approve.first().focus();
    assert.equal(await sup.page.evaluate(() => document.activeElement?.tagName), 'A');
    assert.deepEqual(sup.errors, []);
    await sup.ctx.close();

    // 2. The case manager: groups with counts, the overdue review marked with its days late.
    const cm = await session(demoEmail('case.manager'));
    await cm.page.waitForURL(/\/work/);
    const api = { body: await pageApi(cm.page, 'GET', '/api/v1/work?view=mine') };
    assert.ok(api.body.counts.overdue >= 1, 'an overdue case');
    const lateRow = (api.body.rows as { code: string; urgency: string; daysLate: number }[]).find(
      (r) => r.code === late.code,
    );
    assert.equal(lateRow?.urgency, 'overdue');
    const overdue = cm.page.getByRole('region', { name: /overdue/i });
    await overdue.waitFor();
    await overdue
      .getByRole('heading', { name: new RegExp(`overdue\\s+${api.body.counts.overdue} case`, 'i') })
      .waitFor();
    await overdue
      .getByText(/\d+ days? late/)
      .first()
      .waitFor();
    await cm.page
      .getByRole('region', { name: /due soon|open/i })
      .first()
      .waitFor();
    // The reason filter narrows the list to one kind.
    await cm.page.getByRole('group', { name: 'Reason' }).getByRole('button', { name: 'Plan review due' }).click();
    await cm.page.waitForURL(/kind=plan_review_due/);
    await axe(cm.page, 'case manager work (en)');
    await cm.page.getByRole('group', { name: 'Reason' }).getByRole('button', { name: 'All reasons' }).click();
    await shot(cm.page, 'en-work-case-manager');

    // 3. Arabic, desktop.
    await language(cm.page, 'ar');
    await cm.page.getByRole('region', { name: /متأخرة/ }).waitFor();
    await cm.page
      .getByText(/متأخرة (يومًا|يومين|\d+)/)
      .first()
      .waitFor();
    await axe(cm.page, 'case manager work (ar)');
    await shot(cm.page, 'ar-work-case-manager');

    // 4. Phone (390 px), Arabic then English: rows stack, nothing overflows sideways.
    await phone(cm.page, 'ar');
    await language(cm.page, 'en');
    await cm.page.getByRole('region', { name: /overdue/i }).waitFor();
    await phone(cm.page, 'en');
    assert.deepEqual(cm.errors, []);
    await cm.ctx.close();
  },
);
