/**
 * Instrument administration in Debian's Chromium, in English and in Arabic: the demo administrator
 * imports a malformed file (every problem listed with its line and column), a valid one and a second
 * version, sees the version history, retires a version, opens the detail (wording hidden), uploads
 * wording, and grants then revokes a certification in the user administration — axe clean, screenshots.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { demoEmail, DEMO_PASSWORD } from '../../src/server/demo/seed.ts';
import { axe, shot, useBrowserHarness } from './harness.ts';

const h = useBrowserHarness();

type Catalogue = Record<string, string>;
const catalogue = (l: string): Catalogue =>
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, `../../src/web/i18n/${l}.json`), 'utf8')) as Catalogue;
/** A catalogue message with simple {placeholders} filled in. */
const msg = (m: Catalogue, key: string, vars: Record<string, string> = {}) => {
  const s = m[key];
  assert.ok(s, `no message ${key}`);
  return s.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? `{${k}}`);
};
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A small valid definition (the shape of test/instruments.test.ts), titled in the locale under test. */
function definition(key: string, version: string, title: string) {
  const L = (en: string, ar: string) => ({ en, ar, ur: en, fr: en });
  return {
    key,
    version,
    title: L(title, title),
    summary: L('A test guide', 'دليل اختبار'),
    notice: L('Illustrative, not validated', 'توضيحية، غير مُتحقَّق منها'),
    certification: key,
    scales: [
      {
        key: 'presence',
        label: L('Presence', 'وجود'),
        options: [
          { value: 'absent', label: L('Absent', 'غائب') },
          { value: 'present', label: L('Present', 'موجود') },
        ],
      },
    ],
    judgements: [
      {
        key: 'concern',
        label: L('Concern', 'قلق'),
        options: [
          { value: 'low', label: L('Low', 'منخفض') },
          { value: 'high', label: L('High', 'مرتفع') },
        ],
      },
    ],
    domains: [
      {
        key: 'd1',
        title: L('Domain one', 'المجال الأول'),
        items: [{ code: 'd1.a', kind: 'risk', title: L('Item A', 'البند أ'), scales: ['presence'] }],
      },
    ],
  };
}

async function signIn(page: Page) {
  await page.goto(`${h.base}/login`);
  await page.getByLabel(/email/i).fill(demoEmail('admin'));
  await page.getByLabel(/password/i).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

for (const locale of ['en', 'ar'] as const) {
  test(
    `instruments administration (${locale}): import errors with lines, import, history, retire, wording, certifications`,
    { timeout: 240_000 },
    async () => {
      const M = catalogue(locale);
      const ctx = await h.browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && !/status of 4\d\d/.test(m.text()) && errors.push(m.text()));
      await signIn(page);
      if (locale === 'ar') {
        await page
          .getByLabel(/language/i)
          .first()
          .selectOption('ar');
        await page.waitForFunction(() => document.documentElement.dir === 'rtl');
      }

      // The section is in the navigation for tenant admins; shipped instruments are listed.
      await page
        .getByRole('navigation')
        .getByRole('link', { name: msg(M, 'instruments.nav') })
        .click();
      await page.waitForURL(/\/admin\/instruments$/);
      await page.getByRole('heading', { level: 1, name: msg(M, 'instruments.title') }).waitFor();
      await page.getByText('sanad-spj-template').first().waitFor();
      assert.ok(await page.getByText(msg(M, 'instruments.source.shipped')).first().isVisible());
      await axe(page, `instruments (${locale})`);
      await shot(page, `${locale}-instruments`);

      const key = `e2e-guide-${locale}-${Date.now().toString(36)}`;
      const title = locale === 'ar' ? 'دليل الاختبار الآلي' : 'Browser test guide';
      const dialog = page.getByRole('dialog');
      const fileInput = dialog.locator('input[type=file]');
      await page
        .getByRole('button', { name: msg(M, 'instruments.import') })
        .first()
        .click();
      await dialog.waitFor();

      // 1. Not JSON (a trailing comma): the syntax problem with its line and column.
      await fileInput.setInputFiles({
        name: 'broken.json',
        mimeType: 'application/json',
        buffer: Buffer.from('{\n  "key": "x",\n}\n'),
      });
      await dialog.getByRole('button', { name: msg(M, 'instruments.import.submit'), exact: true }).click();
      const problems = dialog.getByRole('list', {
        name: msg(M, 'instruments.problems.label', { file: 'broken.json' }),
      });
      await problems
        .getByText(msg(M, 'instruments.problem.at', { line: '3', column: '1' }))
        .first()
        .waitFor();

      // 2. JSON with schema problems: every one listed, each at its line.
      const bad = definition(key, '1.0', title) as Record<string, unknown> & ReturnType<typeof definition>;
      (bad.domains[0]!.items[0] as Record<string, unknown>).kind = 'danger';
      (bad as Record<string, unknown>).summary = { en: 'Only English' };
      bad.colour = 'red';
      const badText = JSON.stringify(bad, null, 2);
      const kindLine = badText.split('\n').findIndex((l) => l.includes('"danger"')) + 1;
      await fileInput.setInputFiles({
        name: 'invalid.json',
        mimeType: 'application/json',
        buffer: Buffer.from(badText),
      });
      await dialog.getByRole('button', { name: msg(M, 'instruments.import.submit'), exact: true }).click();
      const invalid = dialog.getByRole('list', {
        name: msg(M, 'instruments.problems.label', { file: 'invalid.json' }),
      });
      const kindProblem = invalid.getByRole('listitem').filter({ hasText: 'definition.domains.0.items.0.kind' });
      await kindProblem.waitFor();
      assert.match(
        await kindProblem.innerText(),
        new RegExp(escape(msg(M, 'instruments.problem.at', { line: String(kindLine), column: '' }))),
      );
      assert.match(await kindProblem.innerText(), /\(invalid_value\)/);
      assert.ok(
        (await invalid.getByRole('listitem').count()) >= 3,
        'the kind, the missing languages and the unknown field are all listed',
      );
      await invalid.getByText('definition.summary.ar').waitFor();
      await axe(page, `import problems (${locale})`);
      await shot(page, `${locale}-instruments-import-errors`);

      // 3. Valid versions 1.0 and 1.1: the dialog closes, the import is announced, the history shows both.
      for (const version of ['1.0', '1.1']) {
        if (version === '1.1') {
          await page
            .getByRole('button', { name: msg(M, 'instruments.import') })
            .first()
            .click();
          await dialog.waitFor();
        }
        await fileInput.setInputFiles({
          name: `guide-${version}.json`,
          mimeType: 'application/json',
          buffer: Buffer.from(JSON.stringify(definition(key, version, title), null, 2)),
        });
        await dialog.getByRole('button', { name: msg(M, 'instruments.import.submit'), exact: true }).click();
        await dialog.waitFor({ state: 'hidden' });
        await page.getByRole('status').filter({ hasText: version }).waitFor();
      }
      // The same version again: refused, with the reason.
      await page
        .getByRole('button', { name: msg(M, 'instruments.import') })
        .first()
        .click();
      await fileInput.setInputFiles({
        name: 'again.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(definition(key, '1.1', title), null, 2)),
      });
      await dialog.getByRole('button', { name: msg(M, 'instruments.import.submit'), exact: true }).click();
      await dialog.getByText(msg(M, 'instruments.import.versionExists', { key, version: '1.1' })).waitFor();
      await dialog.getByRole('button', { name: M['action.cancel'], exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });

      const group = page.getByRole('region', { name: title });
      await group.waitFor();
      const rows = group.getByRole('row');
      assert.equal(await rows.count(), 3, 'header + two versions');
      assert.match(await rows.nth(1).innerText(), /1\.1/, 'newest version first');
      assert.ok(await group.getByText(msg(M, 'instruments.source.imported')).first().isVisible());
      assert.ok(
        await group
          .getByText(locale === 'ar' ? 'توضيحية، غير مُتحقَّق منها' : 'Illustrative, not validated')
          .first()
          .isVisible(),
      );

      // 4. Retire 1.0 after the confirmation.
      const v10 = msg(M, 'instruments.versionOf', { title, version: '1.0' });
      await group.getByRole('button', { name: `${msg(M, 'instruments.retire')} ${v10}` }).click();
      await dialog.getByText(msg(M, 'instruments.retire.new')).waitFor();
      await axe(page, `retire dialog (${locale})`);
      await shot(page, `${locale}-instruments-retire`);
      await dialog.getByRole('button', { name: msg(M, 'instruments.retire.confirm', { version: '1.0' }) }).click();
      await dialog.waitFor({ state: 'hidden' });
      await group.getByRole('row').nth(2).getByText(msg(M, 'instruments.status.retired')).waitFor();
      assert.equal(
        await group.getByRole('button', { name: `${msg(M, 'instruments.retire')} ${v10}` }).count(),
        0,
        'a retired version has no retire action',
      );
      await axe(page, `instruments after retire (${locale})`);
      await shot(page, `${locale}-instruments-history`);

      // 5. Detail of 1.1: domains and item codes; wording hidden (the admin is not certified); upload wording.
      await group
        .getByRole('link', {
          name: `${msg(M, 'instruments.view')} ${msg(M, 'instruments.versionOf', { title, version: '1.1' })}`,
        })
        .click();
      await page.waitForURL(/\/admin\/instruments\/.+\/1\.1$/);
      await page.getByText('d1.a', { exact: true }).waitFor();
      await page.getByText(msg(M, 'instruments.detail.wordingHidden')).waitFor();
      await page.getByRole('button', { name: msg(M, 'instruments.wording') }).click();
      await dialog.waitFor();
      const wordingText = JSON.stringify(
        { items: { 'd1.a': { wording: { en: 'Licensed text' } }, 'no.such': { wording: { en: 'x' } } } },
        null,
        2,
      );
      await fileInput.setInputFiles({
        name: 'wording.json',
        mimeType: 'application/json',
        buffer: Buffer.from(wordingText),
      });
      await dialog.getByRole('button', { name: msg(M, 'instruments.wording.submit'), exact: true }).click();
      const unknownLine = wordingText.split('\n').findIndex((l) => l.includes('"no.such"')) + 1;
      const wordingProblem = dialog.getByRole('listitem').filter({ hasText: 'items.no.such' });
      await wordingProblem.waitFor();
      assert.match(
        await wordingProblem.innerText(),
        new RegExp(escape(msg(M, 'instruments.problem.at', { line: String(unknownLine), column: '' }))),
      );
      await axe(page, `wording problems (${locale})`);
      await shot(page, `${locale}-instruments-wording-errors`);
      await fileInput.setInputFiles({
        name: 'wording.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify({ items: { 'd1.a': { wording: { en: 'Licensed text', ar: 'نص مرخَّص' } } } })),
      });
      await dialog.getByRole('button', { name: msg(M, 'instruments.wording.submit'), exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('status').filter({ hasText: '1.1' }).waitFor();
      assert.equal(
        await page.getByText('Licensed text').count(),
        0,
        'the uncertified administrator does not see the wording',
      );
      await axe(page, `instrument detail (${locale})`);
      await shot(page, `${locale}-instrument-detail`);

      // 6. Certifications in the user administration: grant the new instrument's certification, then revoke it.
      await page.goto(`${h.base}/admin/users`);
      await page.getByRole('table').waitFor();
      const cmRow = page.getByRole('row').filter({ hasText: demoEmail('case.manager') });
      await cmRow.getByRole('button', { name: new RegExp(`^${escape(msg(M, 'instruments.cert.open'))}`) }).click();
      await dialog.waitFor();
      await dialog.getByLabel(msg(M, 'instruments.cert.certification'), { exact: true }).selectOption(key);
      await dialog.getByRole('button', { name: msg(M, 'instruments.cert.grant'), exact: true }).click();
      const certRow = dialog.getByRole('row').filter({ hasText: key });
      await certRow.getByText(msg(M, 'instruments.cert.valid'), { exact: true }).waitFor();
      await axe(page, `certifications (${locale})`);
      await shot(page, `${locale}-user-certifications`);
      await certRow.getByRole('button', { name: new RegExp(`^${escape(msg(M, 'instruments.cert.revoke'))}`) }).click();
      await dialog.getByRole('button', { name: msg(M, 'instruments.cert.revoke.confirm') }).click();
      await certRow.getByText(msg(M, 'instruments.cert.revoked'), { exact: true }).waitFor();
      await shot(page, `${locale}-user-certifications-revoked`);
      const s = h.running.services;
      const cert = await s.db
        .selectFrom('certifications')
        .select(['revoked_at'])
        .where('certification', '=', key)
        .executeTakeFirstOrThrow();
      assert.ok(cert.revoked_at, 'revoked in the database');

      assert.deepEqual(errors, []);
      await ctx.close();
    },
  );
}
