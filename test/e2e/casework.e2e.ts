/**
 * Case work in Debian's Chromium: an administrator creates a program from a framework template; the
 * case manager registers a participant through the intake wizard (search first), adds a goal, records
 * consent and a session, submits the plan; the supervisor approves it and moves the phase (gates met,
 * then with a written override). English and Arabic, axe on every screen, screenshots saved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { demoEmail } from '../../src/server/demo/seed.ts';
import fs from 'node:fs';
import path from 'node:path';
import { axe, pageApi, shot, useBrowserHarness, demoTeamOf, signInDemo } from './harness.ts';

const h = useBrowserHarness();
const session = (email: string, viewport?: { width: number; height: number }) => signInDemo(h, email, viewport);
/** A message of a web catalogue, by key (the test fails when it is missing). */
function catalogue(lang: string): (key: string) => string {
  const all = JSON.parse(
    fs.readFileSync(path.resolve(import.meta.dirname, `../../src/web/i18n/${lang}.json`), 'utf8'),
  ) as Record<string, string>;
  return (key) => {
    const v = all[key];
    assert.ok(v, `${lang}: ${key}`);
    return v;
  };
}

async function openTab(page: Page, name: RegExp) {
  await page.getByRole('tab', { name }).click();
  await page.getByRole('tabpanel').waitFor();
}

test(
  'program → intake → goal, consent, session → supervisor approves and moves the phase (en, ar)',
  { timeout: 240_000 },
  async () => {
    // 1. The tenant administrator creates a program from the custodial framework template.
    const admin = await session(demoEmail('admin'));
    await admin.page.goto(`${h.base}/admin/programs`);
    await admin.page.getByRole('heading', { level: 1, name: /programs/i }).waitFor();
    await admin.page
      .getByRole('button', { name: /new program/i })
      .first()
      .click();
    const dlg = admin.page.getByRole('dialog');
    await dlg
      .getByText(/custodial rehabilitation/i)
      .first()
      .waitFor();
    await axe(admin.page, 'program templates (en)');
    await dlg.getByRole('button', { name: /use “custodial rehabilitation”/i }).click();
    await admin.page.waitForURL(/\/admin\/programs\/[0-9a-f-]{36}/);
    await admin.page.getByRole('heading', { name: /phases, in order/i }).waitFor();
    await axe(admin.page, 'program editor (en)');
    await shot(admin.page, 'en-program-edit');
    await admin.page.getByRole('button', { name: /^save$/i }).click();
    await admin.page.getByText(/program saved/i).waitFor();
    assert.deepEqual(admin.errors, []);
    await admin.ctx.close();

    // 2. The case manager: caseload, intake wizard (search first), participant page.
    const cm = await session(demoEmail('case.manager'));
    await cm.page.waitForURL(/\/work/);
    await cm.page.getByRole('heading', { level: 1, name: /my work/i }).waitFor();
    await axe(cm.page, 'my work (en)');
    await cm.page.goto(`${h.base}/cases`);
    await cm.page.getByRole('heading', { level: 1, name: /cases/i }).waitFor();
    await cm.page
      .getByRole('link', { name: /add participant/i })
      .first()
      .waitFor();
    await axe(cm.page, 'caseload (en)');
    await shot(cm.page, 'en-caseload');
    await cm.page
      .getByRole('link', { name: /add participant/i })
      .first()
      .click();
    await cm.page.waitForURL(/\/cases\/new/);
    await cm.page.getByLabel('Given name').fill('Yusuf');
    await cm.page.getByLabel('Family name').fill('Al-Amin');
    await cm.page.getByLabel('Date of birth').fill('1994-07-12');
    await cm.page.getByRole('button', { name: /search for matches/i }).click();
    await cm.page.getByRole('heading', { name: /no likely match/i }).waitFor();
    await axe(cm.page, 'intake search (en)');
    await shot(cm.page, 'en-intake-search');
    await cm.page.getByRole('button', { name: /continue with a new participant/i }).click();
    await cm.page.getByLabel('Program').selectOption({ label: 'Custodial rehabilitation' });
    await cm.page.getByLabel('Legal status').selectOption('convicted');
    await cm.page.getByLabel('Referred by').fill('Central prison service');
    await cm.page.getByRole('checkbox', { name: 'Arabic' }).check();
    // The draft survives a reload (sessionStorage).
    await cm.page.reload();
    await cm.page.getByLabel('Referred by').waitFor();
    assert.equal(await cm.page.getByLabel('Referred by').inputValue(), 'Central prison service');
    await axe(cm.page, 'intake program step (en)');
    await cm.page.getByRole('button', { name: /^next$/i }).click();
    assert.equal(await cm.page.getByLabel('Given name').inputValue(), 'Yusuf', 'search terms carried into identity');
    await cm.page.getByLabel('National ID number').fill('784-1994-1234567-1');
    await cm.page.getByRole('button', { name: /^next$/i }).click();
    await cm.page.getByRole('button', { name: /add a family contact/i }).click();
    await cm.page.getByLabel('Name', { exact: true }).fill('Mariam Al-Amin');
    await cm.page.getByLabel('Relationship').fill('Mother');
    await cm.page.getByRole('button', { name: /^next$/i }).click();
    await cm.page.getByLabel('Intake notes').fill('Referred after sentencing; wants to continue studies.');
    await cm.page.getByRole('button', { name: /^next$/i }).click();
    await cm.page.getByText('Central prison service').waitFor();
    await axe(cm.page, 'intake review (en)');
    await shot(cm.page, 'en-intake-review');
    await cm.page.getByRole('button', { name: /register participant/i }).click();
    await cm.page.waitForURL(/\/cases\/[0-9a-f-]{36}/);
    const caseUrl = cm.page.url().split('?')[0]!;
    await cm.page.getByRole('tablist').waitFor();
    assert.equal(await cm.page.evaluate(() => sessionStorage.getItem('sanad.intake.draft')), null, 'draft cleared');
    assert.equal(
      await cm.page.evaluate(() => JSON.stringify(localStorage).includes('Yusuf')),
      false,
      'no identity in localStorage',
    );
    assert.equal(await cm.page.getByText('Yusuf').count(), 0, 'identity hidden by default');
    await axe(cm.page, 'participant overview (en)');

    // Reveal identity: purpose + reason, then a visible countdown.
    await cm.page.getByRole('button', { name: /reveal identity/i }).click();
    const rd = cm.page.getByRole('dialog');
    await rd.getByLabel('Purpose').selectOption('case_work');
    await rd.getByLabel('Reason').fill('Preparing the family visit');
    await rd.getByRole('button', { name: /^reveal$/i }).click();
    await rd.getByText('Yusuf').waitFor();
    await rd.getByText(/hides in/i).waitFor();
    await axe(cm.page, 'reveal dialog (en)');
    await shot(cm.page, 'en-reveal');
    await rd.getByRole('button', { name: /hide now/i }).click();
    await rd.getByText(/hidden again/i).waitFor();
    await cm.page.keyboard.press('Escape');

    // Plan: add a goal.
    await openTab(cm.page, /^plan$/i);
    await cm.page.getByRole('button', { name: /^add goal$/i }).click();
    const gd = cm.page.getByRole('dialog');
    await gd.getByLabel('Domain').selectOption('education_vocational');
    await gd.getByLabel('Goal', { exact: true }).fill('Enrol in a vocational welding course');
    await gd.getByLabel('How we will know').fill('Enrolment confirmed by the training centre');
    await gd.getByRole('button', { name: /^save$/i }).click();
    await cm.page.getByRole('heading', { name: 'Enrol in a vocational welding course' }).waitFor();
    await axe(cm.page, 'plan (en)');

    // Consent for services (the intake phase's exit gate).
    await openTab(cm.page, /^consent$/i);
    await cm.page.getByLabel('Source').fill('Signed consent form');
    await cm.page.getByRole('button', { name: /^record$/i }).click();
    await cm.page.getByRole('cell', { name: 'Signed consent form' }).waitFor();
    await axe(cm.page, 'consent (en)');

    // Session, saved with Ctrl+Enter, on a phone-sized form.
    await openTab(cm.page, /^sessions$/i);
    await cm.page.getByLabel('Duration (minutes)').fill('50');
    await cm.page.getByRole('radio', { name: /4 · engaged/i }).check();
    await cm.page.getByRole('checkbox', { name: 'Enrol in a vocational welding course' }).check();
    await cm.page.getByLabel('Notes').fill('Discussed the course options and family support.');
    await cm.page.getByLabel('Notes').press('Control+Enter');
    await cm.page.getByText(/session saved/i).waitFor();
    await cm.page.getByText(/50 minutes/).waitFor();
    await axe(cm.page, 'sessions (en)');

    // Submit the plan.
    await openTab(cm.page, /^plan$/i);
    await cm.page.getByRole('button', { name: /submit for approval/i }).click();
    await cm.page.getByText(/waiting for a supervisor/i).waitFor();
    await openTab(cm.page, /^phase$/i);
    await cm.page.getByText(/ready to move/i).waitFor();
    await axe(cm.page, 'phase (en)');
    for (const tab of [/^team$/i, /^timeline$/i, /^access log$/i]) {
      await openTab(cm.page, tab);
      await cm.page.getByRole('tabpanel').locator('li, tr').first().waitFor();
      await axe(cm.page, `${tab.source} (en)`);
    }
    await openTab(cm.page, /^overview$/i);
    await cm.page.getByText(/plan progress by domain/i).waitFor();
    await shot(cm.page, 'en-participant');

    // 3. The supervisor approves the plan and moves the phase (gates met, then an override).
    const sup = await session(demoEmail('supervisor'));
    await sup.page.goto(`${h.base}/work?view=supervised`);
    await sup.page.getByRole('button', { name: /teams i supervise/i }).waitFor();
    await sup.page
      .getByText(/plan awaiting approval/i)
      .first()
      .waitFor();
    await axe(sup.page, 'supervised work (en)');
    await sup.page.goto(`${caseUrl}?tab=plan`);
    await sup.page.getByRole('button', { name: /approve plan/i }).waitFor();
    await axe(sup.page, 'plan decision (en)');
    // The decision is confirmed in a dialog with the note (plan-decision.tsx).
    await sup.page.getByRole('button', { name: /approve plan/i }).click();
    const decide = sup.page.getByRole('dialog');
    await decide.getByLabel('Note to the team').fill('Good, realistic goal.');
    await decide.getByRole('button', { name: /approve plan/i }).click();
    await decide.waitFor({ state: 'hidden' });
    await sup.page.getByText('Good, realistic goal.').first().waitFor();
    await openTab(sup.page, /^phase$/i);
    await sup.page.getByText(/ready to move/i).waitFor();
    await sup.page.getByLabel('Reason', { exact: true }).fill('Consent recorded, plan approved');
    await sup.page.getByRole('button', { name: /^move forward$/i }).click();
    // The move is confirmed in a dialog that names it (ConfirmDialog).
    await sup.page
      .getByRole('dialog')
      .getByRole('button', { name: /^move forward$/i })
      .click();
    await sup.page.getByText(/moved from “intake” to “assessment and plan”/i).waitFor();
    // Assessment and plan: no assessment yet — the gate says why; the supervisor overrides in writing.
    await sup.page.getByText(/no finalised assessment yet/i).waitFor();
    await sup.page.getByLabel('Reason', { exact: true }).fill('Start intensive work now');
    await sup.page.getByLabel(/override/i).fill('Assessment done on paper by the psychologist last week');
    await axe(sup.page, 'phase override (en)');
    await sup.page.getByRole('button', { name: /move forward with override/i }).click();
    await sup.page
      .getByRole('dialog')
      .getByRole('button', { name: /move forward with override/i })
      .click();
    await sup.page.getByText(/moved from “assessment and plan” to “intensive intervention”/i).waitFor();
    await sup.page.getByText(/assessment done on paper/i).waitFor();
    await shot(sup.page, 'en-phase');
    assert.deepEqual(sup.errors, []);
    await sup.ctx.close();

    // 4. Arabic: the same screens, right to left.
    await cm.page
      .getByLabel(/language/i)
      .first()
      .selectOption('ar');
    await cm.page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await cm.page.goto(`${h.base}/cases`);
    await cm.page.getByRole('table').waitFor();
    await cm.page.getByRole('table').getByText('التدخل المكثف').first().waitFor();
    await axe(cm.page, 'caseload (ar)');
    await shot(cm.page, 'ar-caseload');
    await cm.page.goto(caseUrl);
    await cm.page.getByRole('tablist').waitFor();
    await axe(cm.page, 'participant (ar)');
    await shot(cm.page, 'ar-participant');
    for (const [tab, name] of [
      ['plan', 'ar-plan'],
      ['sessions', 'ar-sessions'],
      ['phase', 'ar-phase'],
      ['consent', null],
      ['team', null],
      ['timeline', null],
      ['access', null],
    ] as const) {
      await cm.page.goto(`${caseUrl}?tab=${tab}`);
      await cm.page.getByRole('tabpanel').waitFor();
      await cm.page.waitForLoadState('networkidle');
      await axe(cm.page, `${tab} (ar)`);
      if (name) await shot(cm.page, name);
    }
    await cm.page.goto(`${h.base}/cases/new`);
    await cm.page.getByRole('heading', { level: 1 }).waitFor();
    await axe(cm.page, 'intake (ar)');
    await shot(cm.page, 'ar-intake');
    // Back to English for the next test (the language is a saved preference).
    await cm.page
      .getByLabel(/اللغة|language/i)
      .first()
      .selectOption('en');
    await cm.page.waitForFunction(() => document.documentElement.dir === 'ltr');
    await cm.page.waitForLoadState('networkidle');
    assert.deepEqual(cm.errors, []);
    await cm.ctx.close();
  },
);

test('phone-sized session entry has no horizontal scroll', { timeout: 60_000 }, async () => {
  const cm = await session(demoEmail('case.manager'), { width: 390, height: 844 });
  await cm.page.goto(`${h.base}/cases`);
  await cm.page.getByRole('heading', { level: 1 }).waitFor();
  const first = cm.page.getByRole('table').getByRole('link').first();
  if (await first.count()) {
    await first.click();
    await cm.page.getByRole('tablist').waitFor();
    await openTab(cm.page, /^sessions$/i);
    await cm.page.getByLabel('Duration (minutes)').waitFor();
    const overflow = await cm.page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 1, `horizontal overflow ${overflow}px`);
    await shot(cm.page, 'en-session-phone');
  }
  await cm.ctx.close();
});

test('a 409 keeps the user’s edit: reload shows what changed, re-apply saves it', { timeout: 120_000 }, async () => {
  // A Team A case with a goal, from the demo seed.
  const team = { team_id: await demoTeamOf(h, 'case.manager') };
  const goal = await h.owner
    .selectFrom('goals as g')
    .innerJoin('participants as p', 'p.id', 'g.participant_id')
    .select(['g.id', 'g.participant_id'])
    .where('p.team_id', '=', team.team_id)
    .orderBy('g.created_at')
    .limit(1)
    .executeTakeFirstOrThrow();
  const { ctx, page } = await session(demoEmail('case.manager'));
  await page.goto(`${h.base}/cases/${goal.participant_id}`);
  await openTab(page, /^plan$/i);
  await page
    .getByRole('button', { name: /edit goal/i })
    .first()
    .click();
  const dlg = page.getByRole('dialog');
  await dlg.getByLabel(/^goal/i).first().fill('My careful new wording of this goal');
  // Meanwhile someone else saves the goal (version moves on).
  await h.owner
    .updateTable('goals')
    .set((eb) => ({ version: eb('version', '+', 1), progress: 10 }))
    .where('id', '=', goal.id)
    .execute();
  await dlg.getByRole('button', { name: /^save/i }).click();
  await dlg
    .getByText(/changed since you opened it/i)
    .first()
    .waitFor();
  assert.equal(
    await dlg.getByLabel(/^goal/i).first().inputValue(),
    'My careful new wording of this goal',
    'the edit is kept',
  );
  await shot(page, 'en-conflict');
  await axe(page, 'goal conflict (en)');
  await dlg.getByRole('button', { name: /reload and re-apply/i }).click();
  await dlg
    .getByText(/current version is loaded/i)
    .first()
    .waitFor();
  await dlg.getByRole('button', { name: /^save/i }).click();
  await dlg.waitFor({ state: 'detached' });
  const saved = await h.owner
    .selectFrom('goals')
    .select(['version'])
    .where('id', '=', goal.id)
    .executeTakeFirstOrThrow();
  assert.ok(saved.version >= 3);
  await page.getByText('My careful new wording of this goal').first().waitFor();
  await ctx.close();
});

test(
  'intake: Enter in step 1 runs the duplicate search and shows graded matches before step 2 (en, ar); consent-missing notice',
  { timeout: 180_000 },
  async () => {
    const cm = await session(demoEmail('case.manager'));
    const page = cm.page;
    // A registered person to find again (a unique synthetic name), with no consent yet.
    const teams = await pageApi<{ items: { id: string; mine: boolean }[] }>(page, 'GET', '/api/v1/teams');
    const programs = await pageApi<{ items: { id: string; status: string }[] }>(page, 'GET', '/api/v1/programs');
    const existing = await pageApi<{ id: string; code: string }>(page, 'POST', '/api/v1/participants', {
      programId: programs.items.find((p) => p.status === 'active')!.id,
      teamId: teams.items.find((x) => x.mine)!.id,
      legalStatus: 'convicted',
      identity: { givenName: 'Idrisovan', familyName: 'Qasimtestov', dateOfBirth: '1991-02-03' },
    });
    const searches: { includeWeak?: boolean; givenName?: string; familyName?: string }[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/participants/search'))
        searches.push(r.postDataJSON() as (typeof searches)[number]);
    });
    const current = () => page.locator('.wizard-steps [aria-current="step"]').innerText();
    for (const lang of ['en', 'ar'] as const) {
      const m = catalogue(lang);
      if (lang === 'ar') {
        await page
          .getByLabel(/language/i)
          .first()
          .selectOption('ar');
        await page.waitForFunction(() => document.documentElement.dir === 'rtl');
      }
      await page.goto(`${h.base}/cases/new`);
      await page.evaluate(() => sessionStorage.removeItem('sanad.intake.draft'));
      await page.reload();
      await page.getByLabel(m('identity.givenName')).fill('Idrisovan');
      await page.getByLabel(m('identity.familyName')).fill('Qasimtestov');
      const before = searches.length;
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/participants/search'));
      await page.getByLabel(m('identity.familyName')).press('Enter');
      assert.equal((await answered).status(), 200);
      assert.equal(searches.length, before + 1, 'Enter sent the search');
      assert.deepEqual(searches.at(-1), { givenName: 'Idrisovan', familyName: 'Qasimtestov' });
      // The matches are shown, graded with reasons and context, and focus is on them: still step 1.
      const results = page.locator('#search-results');
      await results.waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'search-results');
      await page.getByText(m('intake.search.strength.possible')).waitFor();
      await page.getByText(existing.code).waitFor();
      await page.getByText(m('intake.search.reason.full_name'), { exact: false }).first().waitFor();
      assert.match(await current(), new RegExp(m('intake.step.search')));
      await axe(page, `intake matches (${lang})`);
      await shot(page, `${lang}-intake-matches`);
      // Changing a value needs a new search before moving on.
      await page.getByLabel(m('identity.dateOfBirth')).fill('1991-02-03');
      await page.getByLabel(m('identity.dateOfBirth')).press('Enter');
      await page.getByText(m('intake.search.strength.strong')).waitFor();
      assert.equal(searches.length, before + 2, 'a changed value searched again');
      assert.match(await current(), new RegExp(m('intake.step.search')));
      if (lang === 'en') {
        // Weaker matches only on request (a separate, audited search).
        await page.getByRole('button', { name: /show weaker matches/i }).click();
        await page.waitForFunction(() => document.activeElement?.id === 'search-results');
        assert.equal(searches.at(-1)?.includeWeak, true);
      }
      // Once answered for these values, Enter moves on.
      await page.getByLabel(m('identity.givenName')).press('Enter');
      await page.getByLabel(m('intake.program')).waitFor();
      assert.match(await current(), new RegExp(m('intake.step.program')));
      await page.evaluate(() => sessionStorage.removeItem('sanad.intake.draft'));
    }
    // The new case says, in Arabic too, that consent is missing.
    await page.goto(`${h.base}/cases/${existing.id}`);
    await page.getByText(catalogue('ar')('case.consentMissing.title')).waitFor();
    await axe(page, 'consent missing notice (ar)');
    await shot(page, 'ar-consent-missing');
    await page
      .getByLabel(/اللغة|language/i)
      .first()
      .selectOption('en');
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');

    // The new case says plainly that consent is missing, and links to the Consent tab; recording one clears it.
    await page.goto(`${h.base}/cases/${existing.id}`);
    await page.getByText(/consent is still missing/i).waitFor();
    await axe(page, 'consent missing notice (en)');
    await shot(page, 'en-consent-missing');
    await page.getByRole('link', { name: /go to the consent tab/i }).click();
    await page.getByRole('tab', { name: /^consent$/i, selected: true }).waitFor();
    await page.getByLabel('Source').fill('Signed consent form');
    await page.getByRole('button', { name: /^record$/i }).click();
    await page.getByRole('cell', { name: 'Signed consent form' }).waitFor();
    await page.getByText(/consent is still missing/i).waitFor({ state: 'detached' });
    assert.deepEqual(cm.errors, []);
    await cm.ctx.close();
  },
);
