/**
 * The Plan tab in Debian's Chromium: an approved, unchanged plan shows its approval (date, by whom) and
 * no submit button; changing a goal's wording puts it back to draft and brings the submit button back;
 * a refused submit says why in words; the supervisor approves (English) and returns (Arabic) through a
 * confirmation dialog with a note and sees the outcome. Axe on every state, screenshots saved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { demoEmail } from '../../src/server/demo/seed.ts';
import { axe, pageApi, shot, useBrowserHarness, demoTeamOf, signInDemo } from './harness.ts';

const h = useBrowserHarness();
const session = (email: string) => signInDemo(h, email);

interface PlanBody {
  status: string;
  goals: { id: string; title: string; version: number }[];
}

test(
  'approved plan: no submit until a goal changes; supervisor decides in a dialog with a note (en, ar)',
  {
    timeout: 240_000,
  },
  async () => {
    // A Team A case whose plan the demo seed approved, with goals.
    const team = { team_id: await demoTeamOf(h, 'case.manager') };
    const row = await h.owner
      .selectFrom('participants as p')
      .innerJoin('goals as g', 'g.participant_id', 'p.id')
      .select('p.id')
      .where('p.team_id', '=', team.team_id)
      .where('p.plan_status', '=', 'approved')
      .orderBy('p.created_at')
      .limit(1)
      .executeTakeFirstOrThrow();
    const planUrl = `${h.base}/cases/${row.id}?tab=plan`;
    const submitButton = (page: Page) => page.getByRole('button', { name: /submit for approval|إرسال للاعتماد/i });

    // 1. The case manager: approved and unchanged → the approval, plainly; no submit button.
    const cm = await session(demoEmail('case.manager'));
    await cm.page.goto(planUrl);
    const head = cm.page.locator('.plan-head');
    await head.getByText('Approved', { exact: true }).waitFor();
    await head.getByText(/approved on/).waitFor();
    await head.getByText(/by Demo Supervisor/).waitFor();
    await cm.page.getByText(/has not changed since/).waitFor();
    assert.equal(await submitButton(cm.page).count(), 0, 'no submit on an approved, unchanged plan');
    assert.equal(await head.locator('.btn-primary').count(), 0, 'no primary action in the plan head');
    await axe(cm.page, 'plan approved (en)');
    await shot(cm.page, 'en-plan-approved');

    // 2. Changing a goal's wording needs re-approval: the plan is a draft again and submit is the main action.
    await cm.page
      .getByRole('button', { name: /edit goal/i })
      .first()
      .click();
    const gd = cm.page.getByRole('dialog');
    await gd.getByLabel('Goal', { exact: true }).fill('Revised wording: finish the welding course');
    await gd.getByRole('button', { name: /^save$/i }).click();
    await gd.waitFor({ state: 'detached' });
    await submitButton(cm.page).waitFor();
    assert.match((await submitButton(cm.page).getAttribute('class')) ?? '', /btn-primary/);
    await cm.page.getByText(/changed since the last approval/).waitFor();
    await axe(cm.page, 'plan changed (en)');
    await shot(cm.page, 'en-plan-changed');

    // 3. A refusal says why in words: someone submitted meanwhile (another tab), then this page submits.
    await pageApi(cm.page, 'POST', `/api/v1/participants/${row.id}/plan/submit`);
    await submitButton(cm.page).click();
    const refusal = cm.page.getByRole('alert');
    await refusal.getByText(/already been submitted and is waiting for a decision/).waitFor();
    assert.equal(await cm.page.getByText(/highlighted fields/).count(), 0, 'no "highlighted fields" with none');
    // The refusal refreshes the plan: the waiting version shows, the submit button goes.
    await cm.page.getByText(/waiting for a supervisor/).waitFor();
    await submitButton(cm.page).waitFor({ state: 'detached' });
    await axe(cm.page, 'plan submit refused (en)');
    await shot(cm.page, 'en-plan-submit-refused');
    await cm.page.reload();
    await cm.page.getByText(/waiting for a supervisor/).waitFor();
    assert.equal(await submitButton(cm.page).count(), 0, 'no submit while a version waits');
    assert.deepEqual(cm.errors, []);

    // 4. The supervisor approves with a note, confirming in a dialog, and is told it is done.
    const sup = await session(demoEmail('supervisor'));
    await sup.page.goto(planUrl);
    await sup.page.getByRole('button', { name: 'Approve plan' }).click();
    const dlg = sup.page.getByRole('dialog');
    await dlg.getByRole('heading', { name: /approve plan version 2\?/i }).waitFor();
    await axe(sup.page, 'approve dialog (en)');
    await dlg.getByLabel('Note to the team').fill('Good revision, approved.');
    await shot(sup.page, 'en-plan-approve-dialog');
    await dlg.getByRole('button', { name: 'Approve plan' }).click();
    await sup.page.getByRole('status').filter({ hasText: 'Plan version 2 approved.' }).waitFor();
    await dlg.waitFor({ state: 'hidden' });
    await sup.page.getByRole('cell', { name: 'Good revision, approved.' }).waitFor();
    await sup.page
      .locator('.plan-head')
      .getByText(/by you/)
      .waitFor();
    assert.equal(await submitButton(sup.page).count(), 0);
    await axe(sup.page, 'plan approved by supervisor (en)');
    await shot(sup.page, 'en-plan-approved-by-supervisor');

    // 5. Arabic: another change, submitted; the supervisor returns it with a note, in Arabic.
    const plan = await pageApi<PlanBody>(cm.page, 'GET', `/api/v1/participants/${row.id}/plan`);
    const goal = plan.goals[0]!;
    await pageApi(cm.page, 'PATCH', `/api/v1/goals/${goal.id}`, { title: 'Revised again' }, goal.version);
    await pageApi(cm.page, 'POST', `/api/v1/participants/${row.id}/plan/submit`);
    await sup.page
      .getByLabel(/language/i)
      .first()
      .selectOption('ar');
    await sup.page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await sup.page.goto(planUrl);
    await sup.page.getByRole('button', { name: 'إعادة للتعديل' }).click();
    const ar = sup.page.getByRole('dialog');
    await ar.getByRole('heading', { name: /إعادة الإصدار 3 من الخطة للتعديل؟/ }).waitFor();
    await ar.getByLabel('ملاحظة للفريق').fill('وضّح مؤشر النجاح');
    await axe(sup.page, 'return dialog (ar)');
    await shot(sup.page, 'ar-plan-return-dialog');
    await ar.getByRole('button', { name: 'إعادة للتعديل' }).click();
    await sup.page.getByRole('status').filter({ hasText: 'أُعيد الإصدار 3 من الخطة للتعديل.' }).waitFor();
    await sup.page.getByRole('cell', { name: 'وضّح مؤشر النجاح' }).waitFor();
    await axe(sup.page, 'plan returned (ar)');
    await shot(sup.page, 'ar-plan-returned');
    assert.deepEqual(sup.errors, []);

    // The case manager, in Arabic: the returned plan is a draft, submit is back.
    await cm.page
      .getByLabel(/language/i)
      .first()
      .selectOption('ar');
    await cm.page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await cm.page.reload();
    await submitButton(cm.page).waitFor();
    await axe(cm.page, 'plan returned, case manager (ar)');
    await shot(cm.page, 'ar-plan-draft');
    await cm.ctx.close();
    await sup.ctx.close();
  },
);
