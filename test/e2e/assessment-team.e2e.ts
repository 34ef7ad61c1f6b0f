/**
 * Team assessment and comparison over time in Debian's Chromium. The case manager starts the needs
 * guide; the psychologist joins the draft as a further assessor from the Assessments tab; both rate
 * (ratings through the API, from each one's own browser session); the case manager, as lead, opens
 * the reconciliation, sees agreement and disagreement, and records an agreed rating that keeps the
 * psychologist's differing one as dissent. Then two finalised assessments of another participant
 * show in the comparison chart (display aid, no totals), mirrored in Arabic. axe clean, screenshots.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { demoEmail, DEMO_PASSWORD } from '../../src/server/demo/seed.ts';
import { axe, pageApi, shot, useBrowserHarness, demoTeamOf } from './harness.ts';

const h = useBrowserHarness();

interface Guide {
  domains: { key: string; items: { code: string; scales: string[] }[] }[];
  judgements: { key: string; options: { value: string }[] }[];
}
const guide = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../../content/instruments/sanad-needs-guide.json'), 'utf8'),
) as Guide;
const codes = guide.domains.flatMap((d) => d.items.map((i) => i.code));

async function session(email: string): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
  const ctx = await h.browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/status of 4\d\d/.test(m.text()) && errors.push(m.text()));
  await page.goto(`${h.base}/login`);
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  // Start in English whatever language an earlier test left in the user's preferences.
  await pageApi(page, 'PATCH', '/api/v1/me/preferences', { locale: 'en' });
  return { ctx, page, errors };
}

/** Rates one item (If-Match with the assessment's version) and returns the new version. */
async function rate(
  page: Page,
  assessmentId: string,
  version: number,
  code: string,
  presence: string,
  relevance = 'high',
): Promise<number> {
  const a = await pageApi<{ version: number }>(
    page,
    'PUT',
    `/api/v1/assessments/${assessmentId}/items/${code}`,
    { ratings: { presence, relevance } },
    version,
  );
  return a.version;
}

async function participantsOfTeamA(): Promise<string[]> {
  const team = { team_id: await demoTeamOf(h, 'case.manager') };
  const rows = await h.owner
    .selectFrom('participants')
    .select('id')
    .where('team_id', '=', team.team_id)
    .orderBy('code')
    .limit(3)
    .execute();
  return rows.map((r) => r.id);
}

async function toArabic(page: Page) {
  await page
    .getByLabel(/language/i)
    .first()
    .selectOption('ar');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
}

test(
  'team assessment: join as second assessor, reconciliation shows agreement and dissent, lead records the agreed rating (en, ar)',
  { timeout: 240_000 },
  async () => {
    const [pid] = await participantsOfTeamA();
    const [agreeCode, differCode] = codes as [string, string];

    // 1. The case manager starts the needs guide (the lead assessment) and rates two items.
    const cm = await session(demoEmail('case.manager'));
    await cm.page.goto(`${h.base}/cases/${pid}?tab=assessments`);
    await cm.page.getByRole('tabpanel').waitFor();
    await cm.page
      .getByRole('button', { name: /start assessment/i })
      .first()
      .click();
    const dlg = cm.page.getByRole('dialog');
    await dlg
      .getByText(/team assessment/i)
      .first()
      .waitFor();
    await dlg.getByRole('radio', { name: /needs/i }).first().check();
    await dlg.getByRole('button', { name: /^start$/i }).click();
    await cm.page.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
    const leadId = cm.page.url().split('/').pop()!;
    let v = (await pageApi<{ version: number }>(cm.page, 'GET', `/api/v1/assessments/${leadId}`)).version;
    v = await rate(cm.page, leadId, v, agreeCode, 'present');
    await rate(cm.page, leadId, v, differCode, 'present');

    // 2. The psychologist joins the draft from the Assessments tab and rates the same two items.
    const psy = await session(demoEmail('psychologist'));
    await psy.page.goto(`${h.base}/cases/${pid}?tab=assessments`);
    await psy.page.getByRole('tabpanel').waitFor();
    await psy.page
      .getByRole('button', { name: /join as assessor/i })
      .first()
      .click();
    const join = psy.page.getByRole('dialog');
    await join.getByText(/demo case manager leads/i).waitFor();
    await axe(psy.page, 'join dialog (en)');
    await shot(psy.page, 'en-assessment-join');
    await join.getByRole('button', { name: /join and start rating/i }).click();
    await psy.page.waitForURL((u) => /\/assessments\/[0-9a-f-]{36}$/.test(u.pathname) && !u.pathname.endsWith(leadId));
    const mineId = psy.page.url().split('/').pop()!;
    await psy.page.getByText(/one assessor’s own ratings/i).waitFor();
    let pv = (await pageApi<{ version: number; groupId: string }>(psy.page, 'GET', `/api/v1/assessments/${mineId}`))
      .version;
    pv = await rate(psy.page, mineId, pv, agreeCode, 'present');
    await rate(psy.page, mineId, pv, differCode, 'partly');
    assert.deepEqual(psy.errors, []);

    // 3. The lead opens the reconciliation from the lead assessment.
    await cm.page.goto(`${h.base}/cases/${pid}/assessments/${leadId}`);
    await cm.page.getByText(/team assessment · lead assessment/i).waitFor();
    await axe(cm.page, 'lead assessment with the team banner (en)');
    await shot(cm.page, 'en-assessment-team-lead');
    await cm.page.getByRole('link', { name: /compare the team’s ratings/i }).click();
    await cm.page.waitForURL(/\/reconciliation$/);
    await cm.page.getByRole('heading', { level: 1, name: /team reconciliation/i }).waitFor();
    const agreeCard = cm.page.locator(`tbody.recon-item[data-item="${agreeCode}"]`);
    const differCard = cm.page.locator(`tbody.recon-item[data-item="${differCode}"]`);
    await agreeCard.locator('td > .recon-marker', { hasText: /^agreed$/i }).waitFor();
    await differCard.locator('td > .recon-marker', { hasText: /^differs$/i }).waitFor();
    await differCard.getByText(/^on presence$/i).waitFor();
    await cm.page
      .getByRole('columnheader', { name: /assessor 2 · demo psychologist/i })
      .first()
      .waitFor();
    await differCard.locator('.recon-value-differs', { hasText: /partly present/i }).waitFor();
    await axe(cm.page, 'reconciliation (en)');

    // The lead keeps their rating as the agreed one; the psychologist's differing rating is kept as dissent.
    await differCard.getByRole('button', { name: /record agreed rating/i }).click();
    await differCard.getByText(/agreed rating recorded/i).waitFor({ timeout: 15_000 });
    await differCard.getByText(/kept on record \(dissent\)/i).waitFor();
    await differCard.locator('.recon-dissent li', { hasText: /demo psychologist.*partly present/i }).waitFor();
    const row = await h.owner
      .selectFrom('assessment_ratings')
      .select(['dissent', 'ratings'])
      .where('assessment_id', '=', leadId)
      .where('item_code', '=', differCode)
      .executeTakeFirstOrThrow();
    assert.equal(row.ratings.presence, 'present');
    assert.equal((row.dissent as { ratings: Record<string, string> }[])[0]?.ratings.presence, 'partly');
    // The differing rating stays visible side by side.
    await differCard.locator('.recon-value-differs', { hasText: /partly present/i }).waitFor();
    await axe(cm.page, 'reconciliation after recording (en)');
    await differCard.scrollIntoViewIfNeeded();
    await shot(cm.page, 'en-assessment-reconciliation');

    // "Only items that differ" narrows the list.
    await cm.page.getByLabel(/only items where the ratings differ/i).check();
    await differCard.waitFor();
    assert.equal(await agreeCard.count(), 0);
    await cm.page.getByLabel(/only items where the ratings differ/i).uncheck();

    await toArabic(cm.page);
    await cm.page.getByRole('heading', { level: 1, name: /التوفيق بين تقديرات الفريق/ }).waitFor();
    await differCard.locator('td > .recon-marker', { hasText: /مختلف/ }).waitFor();
    await agreeCard.locator('td > .recon-marker', { hasText: /متفق/ }).waitFor();
    await axe(cm.page, 'reconciliation (ar)');
    await shot(cm.page, 'ar-assessment-reconciliation');
    assert.deepEqual(cm.errors, []);
    await psy.ctx.close();
    await cm.ctx.close();
  },
);

test(
  'comparison over time: two finalised assessments in a chart with a data table, mirrored in Arabic (en, ar)',
  { timeout: 240_000 },
  async () => {
    const pid = (await participantsOfTeamA())[1]!;
    const cm = await session(demoEmail('case.manager'));
    await cm.page.goto(`${h.base}/cases/${pid}?tab=assessments`);
    await cm.page.getByRole('tabpanel').waitFor();
    const judgement = Object.fromEntries(guide.judgements.map((j) => [j.key, j.options[0]!.value]));
    const values = ['absent', 'partly', 'present'];
    const ids: string[] = [];
    for (const round of [0, 1]) {
      const a = await pageApi<{ id: string; version: number }>(
        cm.page,
        'POST',
        `/api/v1/participants/${pid}/assessments`,
        { instrumentKey: 'sanad-needs-guide', instrumentVersion: '1.0' },
      );
      let v = a.version;
      for (const [i, code] of codes.entries())
        v = await rate(cm.page, a.id, v, code, values[(i + round * (i % 2)) % 3]!, 'moderate');
      v = (await pageApi<{ version: number }>(cm.page, 'PATCH', `/api/v1/assessments/${a.id}`, { judgement }, v))
        .version;
      await pageApi(cm.page, 'POST', `/api/v1/assessments/${a.id}/finalise`, undefined, v);
      ids.push(a.id);
    }
    // The first one was finalised some months ago (test data only).
    await h.owner
      .updateTable('assessments')
      .set({ finalised_at: new Date(Date.now() - 120 * 86_400_000) })
      .where('id', '=', ids[0]!)
      .execute();

    await cm.page.reload();
    await cm.page.getByRole('tabpanel').waitFor();
    await cm.page.getByRole('heading', { name: /comparison over time/i }).waitFor();
    await cm.page.getByText(/display aid — not a score; no totals/i).waitFor();
    const chart = cm.page.getByRole('img', { name: /worldview and ideological dialogue.*2 finalised assessments/i });
    await chart.waitFor();
    const fig = cm.page.locator('figure', { has: chart });
    await fig.getByText(/^data table$/i).click();
    await fig.getByRole('table').first().waitFor();
    await fig.getByText(/^item by item$/i).click();
    await fig
      .getByText(/^changed$/i)
      .first()
      .waitFor();
    assert.doesNotMatch(
      await cm.page.locator('main').innerText(),
      /\btotal\b|\bscore:/i,
      'no total and no score shown',
    );
    await axe(cm.page, 'comparison (en)');
    await cm.page.getByRole('heading', { name: /comparison over time/i }).scrollIntoViewIfNeeded();
    await shot(cm.page, 'en-assessment-comparison');

    /** x of the first and last time-axis labels of the first chart. */
    const axis = () =>
      cm.page.evaluate(() => {
        const texts = [...document.querySelectorAll('.compare-chart')][0]!.querySelectorAll('text');
        return [...texts].filter((t) => t.classList.contains('compare-xtick')).map((t) => Number(t.getAttribute('x')));
      });
    const ltr = await axis();
    assert.ok(ltr.length === 2 && ltr[0]! < ltr[1]!, `time flows left to right in English: ${ltr.join(',')}`);
    await toArabic(cm.page);
    await cm.page.getByRole('heading', { name: /المقارنة عبر الزمن/ }).waitFor();
    await cm.page.getByText(/أداة عرض — ليست درجة؛ ولا مجاميع/).waitFor();
    const rtl = await axis();
    assert.ok(rtl[0]! > rtl[1]!, `time flows right to left in Arabic: ${rtl.join(',')}`);
    await axe(cm.page, 'comparison (ar)');
    await shot(cm.page, 'ar-assessment-comparison');
    assert.deepEqual(cm.errors, []);
    await cm.ctx.close();
  },
);
