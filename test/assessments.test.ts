/** SPJ assessments: licence gating, ratings on the scale, encrypted evidence, finalise locks, amend keeps the original, no totals, the gate. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { itemsByCode } from '../src/core/assessment.ts';
import { shippedInstruments } from '../src/server/content.ts';
import { call, closeShared, intake, makeTenant, shared$, ownerDb } from './helpers.ts';

let ctx: Awaited<ReturnType<typeof shared$>>;
let t: Awaited<ReturnType<typeof makeTenant>>;
const spj = shippedInstruments().find((d) => d.key === 'sanad-spj-template')!;
const guide = shippedInstruments().find((d) => d.key === 'sanad-needs-guide')!;
before(async () => {
  ctx = await shared$();
  t = await makeTenant(ctx.services, {
    admin: { roles: ['tenant_admin'] },
    psy: { roles: ['psychologist'], team: 'a' },
    cm: { roles: ['case_manager'], team: 'a' },
    mentor: { roles: ['mentor'], team: 'a' },
    cmB: { roles: ['case_manager'], team: 'b' },
  });
  await call(ctx.app, 'POST', `/api/v1/users/${t.users.psy!.id}/certifications`, {
    cookie: t.users.admin!.cookie,
    body: { certification: 'sanad-spj-template', expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() },
  });
});
after(closeShared);

async function newCase() {
  const r = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: intake({ teamId: t.teamA }),
  });
  assert.equal(r.status, 201, r.text);
  return r.body as { id: string };
}

async function rateAll(
  id: string,
  def: typeof spj,
  cookie: string,
  version: number,
  evidenceText = 'Synthetic interview note',
): Promise<number> {
  let v = version;
  for (const [code, item] of itemsByCode(def)) {
    const ratings = Object.fromEntries(item.scales.map((s) => [s, s === 'presence' ? 'partly' : 'moderate']));
    const r = await call(ctx.app, 'PUT', `/api/v1/assessments/${id}/items/${code}`, {
      cookie,
      body: { ratings, evidence: [{ text: evidenceText, sourceType: 'interview', confidence: 'moderate' }] },
      headers: { 'if-match': String(v) },
    });
    assert.equal(r.status, 200, r.text);
    v = r.body.version;
  }
  return v;
}

test('a licensed instrument needs a valid certification to assess; the needs guide needs none', async () => {
  const p = await newCase();
  const denied = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/assessments`, {
    cookie: t.users.cm!.cookie,
    body: { instrumentKey: 'sanad-spj-template', instrumentVersion: '1.0' },
  });
  assert.equal(denied.status, 403);
  assert.equal(denied.body.error.details[0].code, 'not_certified');
  const ok = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/assessments`, {
    cookie: t.users.cm!.cookie,
    body: { instrumentKey: 'sanad-needs-guide', instrumentVersion: '1.0' },
  });
  assert.equal(ok.status, 201, ok.text);
  const unknown = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/assessments`, {
    cookie: t.users.cm!.cookie,
    body: { instrumentKey: 'vera-2r', instrumentVersion: '1.0' },
  });
  assert.equal(unknown.status, 400);
});

test('rate, formulate, judge, finalise; finalised is locked; amending keeps the original; the gate sees it', async () => {
  const p = await newCase();
  const a = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/assessments`, {
    cookie: t.users.psy!.cookie,
    body: { instrumentKey: 'sanad-spj-template', instrumentVersion: '1.0' },
  });
  assert.equal(a.status, 201, a.text);
  const first = [...itemsByCode(spj).keys()][0]!;
  const off = await call(ctx.app, 'PUT', `/api/v1/assessments/${a.body.id}/items/${first}`, {
    cookie: t.users.psy!.cookie,
    body: { ratings: { presence: '9' } },
    headers: { 'if-match': '1' },
  });
  assert.equal(off.status, 400);
  assert.deepEqual(off.body.error.details, [{ path: 'ratings.presence', code: 'not_on_scale' }]);
  const early = await call(ctx.app, 'POST', `/api/v1/assessments/${a.body.id}/finalise`, {
    cookie: t.users.psy!.cookie,
    headers: { 'if-match': '1' },
  });
  assert.equal(early.status, 400);
  assert.ok(early.body.error.details.some((d: { code: string }) => d.code === 'not_rated'));
  let v = await rateAll(a.body.id, spj, t.users.psy!.cookie, 1);
  const stale = await call(ctx.app, 'PATCH', `/api/v1/assessments/${a.body.id}`, {
    cookie: t.users.psy!.cookie,
    body: { formulation: 'x' },
    headers: { 'if-match': '1' },
  });
  assert.equal(stale.status, 409);
  const badJ = await call(ctx.app, 'PATCH', `/api/v1/assessments/${a.body.id}`, {
    cookie: t.users.psy!.cookie,
    body: { judgement: { level_of_concern: 'catastrophic' } },
    headers: { 'if-match': String(v) },
  });
  assert.equal(badJ.status, 400);
  const judged = await call(ctx.app, 'PATCH', `/api/v1/assessments/${a.body.id}`, {
    cookie: t.users.psy!.cookie,
    body: {
      formulation: 'Synthetic formulation text',
      scenarios: 'Synthetic scenarios',
      managementPlan: 'Synthetic plan',
      judgement: { level_of_concern: 'moderate', urgency: 'routine' },
      judgementReasons: 'Synthetic reasons',
    },
    headers: { 'if-match': String(v) },
  });
  assert.equal(judged.status, 200, judged.text);
  v = judged.body.version;
  const fin = await call(ctx.app, 'POST', `/api/v1/assessments/${a.body.id}/finalise`, {
    cookie: t.users.psy!.cookie,
    headers: { 'if-match': String(v) },
  });
  assert.equal(fin.status, 200, fin.text);
  assert.equal(fin.body.status, 'final');
  // No number anywhere sums ratings: no score, total or probability in the response.
  assert.doesNotMatch(fin.text, /"(score|total|probability|risk_score)"/i);
  const locked = await call(ctx.app, 'PATCH', `/api/v1/assessments/${a.body.id}`, {
    cookie: t.users.psy!.cookie,
    body: { formulation: 'changed' },
    headers: { 'if-match': String(fin.body.version) },
  });
  assert.equal(locked.status, 400);
  assert.equal(locked.body.error.details[0].code, 'assessment_final');
  const amend = await call(ctx.app, 'POST', `/api/v1/assessments/${a.body.id}/amend`, { cookie: t.users.psy!.cookie });
  assert.equal(amend.status, 201, amend.text);
  assert.equal(amend.body.supersedesId, a.body.id);
  assert.equal(amend.body.ratings.length, itemsByCode(spj).size);
  assert.equal(amend.body.ratings[0].evidence[0].text, 'Synthetic interview note');
  const original = await call(ctx.app, 'GET', `/api/v1/assessments/${a.body.id}`, { cookie: t.users.psy!.cookie });
  assert.equal(original.body.status, 'final');
  // The case-work gate "assessment finalised in the last N days" now reads it.
  await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/consents`, {
    cookie: t.users.cm!.cookie,
    body: { purpose: 'services', legalBasis: 'consent', givenOn: '2026-01-10', source: 'form' },
  });
  const g0 = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/gates`, { cookie: t.users.cm!.cookie });
  const moved = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/transitions`, {
    cookie: t.users.cm!.cookie,
    body: { toPhase: g0.body.next, reason: 'Consent recorded' },
    headers: { 'if-match': String(g0.body.participantVersion) },
  });
  assert.equal(moved.status, 201, moved.text);
  const gates = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/gates`, { cookie: t.users.cm!.cookie });
  const assessed = gates.body.results.find((r: { gate: { kind: string } }) => r.gate.kind === 'assessment_finalised');
  assert.ok(assessed, 'the assessment phase has the gate');
  assert.equal(assessed.met, true, JSON.stringify(assessed));
  assert.equal(assessed.params.ageDays, 0);
  // Evidence, formulation and scenarios are encrypted at rest; every view is audited.
  for (const table of ['assessments', 'assessment_ratings']) {
    const rows = await sql<{
      t: string;
    }>`select t::text as t from ${sql.table(table)} t where tenant_id = ${t.tenantId}`.execute(ctx.services.db);
    assert.ok(
      !rows.rows.some((r) => r.t.includes('Synthetic') || r.t.includes(Buffer.from('Synthetic').toString('hex'))),
      table,
    );
  }
  const views = await ctx.services.db
    .selectFrom('audit_events')
    .select('action')
    .where('entity_id', '=', a.body.id)
    .where('action', '=', 'assessment.read')
    .execute();
  assert.ok(views.length >= 2);
});

test('mentors see ratings but not evidence or formulation; other teams and tenants get 404 everywhere', async () => {
  const p = await newCase();
  const a = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/assessments`, {
    cookie: t.users.cm!.cookie,
    body: { instrumentKey: 'sanad-needs-guide', instrumentVersion: '1.0' },
  });
  const v = await rateAll(a.body.id, guide, t.users.cm!.cookie, 1, 'clinical evidence');
  await call(ctx.app, 'PATCH', `/api/v1/assessments/${a.body.id}`, {
    cookie: t.users.cm!.cookie,
    body: { formulation: 'clinical formulation' },
    headers: { 'if-match': String(v) },
  });
  const m = await call(ctx.app, 'GET', `/api/v1/assessments/${a.body.id}`, { cookie: t.users.mentor!.cookie });
  assert.equal(m.status, 200);
  assert.ok(!m.text.includes('clinical evidence') && !m.text.includes('clinical formulation'));
  const other = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
  for (const cookie of [t.users.cmB!.cookie, other.users.cm!.cookie]) {
    assert.equal((await call(ctx.app, 'GET', `/api/v1/assessments/${a.body.id}`, { cookie })).status, 404);
    assert.equal(
      (
        await call(ctx.app, 'PATCH', `/api/v1/assessments/${a.body.id}`, {
          cookie,
          body: { formulation: 'x' },
          headers: { 'if-match': '1' },
        })
      ).status,
      404,
    );
    assert.equal(
      (
        await call(ctx.app, 'PUT', `/api/v1/assessments/${a.body.id}/items/x`, {
          cookie,
          body: { ratings: {} },
          headers: { 'if-match': '1' },
        })
      ).status,
      404,
    );
    assert.equal(
      (
        await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/assessments`, {
          cookie,
          body: { instrumentKey: 'sanad-needs-guide', instrumentVersion: '1.0' },
        })
      ).status,
      404,
    );
    assert.equal((await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/assessments`, { cookie })).status, 404);
  }
});

test('recommendations become plan goals in one step; a due reassessment shows in the work queue', async () => {
  const p = await newCase();
  const a = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/assessments`, {
    cookie: t.users.cm!.cookie,
    body: { instrumentKey: 'sanad-needs-guide', instrumentVersion: '1.0' },
  });
  const rec = await call(ctx.app, 'POST', `/api/v1/assessments/${a.body.id}/recommendations`, {
    cookie: t.users.cm!.cookie,
    body: {
      items: [
        { domain: 'economic', title: 'Find stable work' },
        { domain: 'family_social', title: 'Regular family contact' },
      ],
    },
  });
  assert.equal(rec.status, 201, rec.text);
  assert.equal(rec.body.goalIds.length, 2);
  const bad = await call(ctx.app, 'POST', `/api/v1/assessments/${a.body.id}/recommendations`, {
    cookie: t.users.cm!.cookie,
    body: { items: [{ domain: 'health', title: 'x' }] },
  });
  assert.equal(bad.status, 400, 'the community program has no health domain');
  assert.equal(bad.body.error.details[0].path, 'items.0.domain');
  const plan = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/plan`, { cookie: t.users.cm!.cookie });
  assert.deepEqual(plan.body.goals.map((g: { title: string }) => g.title).sort(), [
    'Find stable work',
    'Regular family contact',
  ]);
  // Finalise, then backdate it past the guide's 90-day interval.
  const v = await rateAll(a.body.id, guide, t.users.cm!.cookie, 1);
  const j = await call(ctx.app, 'PATCH', `/api/v1/assessments/${a.body.id}`, {
    cookie: t.users.cm!.cookie,
    body: { judgement: { priority: 'medium' } },
    headers: { 'if-match': String(v) },
  });
  const fin = await call(ctx.app, 'POST', `/api/v1/assessments/${a.body.id}/finalise`, {
    cookie: t.users.cm!.cookie,
    headers: { 'if-match': String(j.body.version) },
  });
  assert.equal(fin.status, 200, fin.text);
  const cmp = await call(
    ctx.app,
    'GET',
    `/api/v1/participants/${p.id}/assessments/compare?instrumentKey=sanad-needs-guide`,
    { cookie: t.users.cm!.cookie },
  );
  assert.equal(cmp.status, 200, cmp.text);
  assert.equal(cmp.body.assessments.length, 1);
  assert.equal(cmp.body.domains.length, guide.domains.length);
  assert.ok(cmp.body.domains[0].items[0].values[0]);
  assert.doesNotMatch(cmp.text, /"(score|total|probability)"/i);
  assert.equal(
    (
      await call(ctx.app, 'GET', `/api/v1/participants/${p.id}/assessments/compare?instrumentKey=sanad-needs-guide`, {
        cookie: t.users.cmB!.cookie,
      })
    ).status,
    404,
  );
  await ownerDb()
    .updateTable('assessments')
    .set({ finalised_at: new Date(Date.now() - 100 * 86_400_000) })
    .where('id', '=', a.body.id)
    .execute();
  const work = await call(ctx.app, 'GET', '/api/v1/work', { cookie: t.users.cm!.cookie });
  assert.ok(
    work.body.items.some(
      (i: { kind: string; participantId: string }) => i.kind === 'reassessment_due' && i.participantId === p.id,
    ),
  );
});

test('team assessment: independent ratings, reconciliation shows agreement, the lead’s agreed rating keeps dissent', async () => {
  const tt = await makeTenant(ctx.services, {
    lead: { roles: ['case_manager'], team: 'a' },
    psy: { roles: ['psychologist'], team: 'a' },
    sw: { roles: ['social_worker'], team: 'a' },
  });
  const p = (
    await call(ctx.app, 'POST', '/api/v1/participants', {
      cookie: tt.users.lead!.cookie,
      body: intake({ teamId: tt.teamA }),
    })
  ).body;
  const lead = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/assessments`, {
    cookie: tt.users.lead!.cookie,
    body: { instrumentKey: 'sanad-needs-guide', instrumentVersion: '1.0' },
  });
  const a1 = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/assessments`, {
    cookie: tt.users.psy!.cookie,
    body: { instrumentKey: 'sanad-needs-guide', instrumentVersion: '1.0', joinAssessmentId: lead.body.id },
  });
  const a2 = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/assessments`, {
    cookie: tt.users.sw!.cookie,
    body: { instrumentKey: 'sanad-needs-guide', instrumentVersion: '1.0', joinAssessmentId: lead.body.id },
  });
  assert.equal(a1.status, 201, a1.text);
  assert.equal(a1.body.groupId, lead.body.id);
  const [code, item] = [...itemsByCode(guide).entries()][0]!;
  const rating = (presence: string) =>
    Object.fromEntries(item.scales.map((s) => [s, s === 'presence' ? presence : 'high']));
  const ev = [{ text: 'Synthetic', sourceType: 'interview', confidence: 'high' }];
  assert.equal(
    (
      await call(ctx.app, 'PUT', `/api/v1/assessments/${a1.body.id}/items/${code}`, {
        cookie: tt.users.psy!.cookie,
        body: { ratings: rating('present'), evidence: ev },
        headers: { 'if-match': '1' },
      })
    ).status,
    200,
  );
  assert.equal(
    (
      await call(ctx.app, 'PUT', `/api/v1/assessments/${a2.body.id}/items/${code}`, {
        cookie: tt.users.sw!.cookie,
        body: { ratings: rating('partly'), evidence: ev },
        headers: { 'if-match': '1' },
      })
    ).status,
    200,
  );
  const rec = await call(ctx.app, 'GET', `/api/v1/assessments/${lead.body.id}/reconciliation`, {
    cookie: tt.users.lead!.cookie,
  });
  assert.equal(rec.status, 200, rec.text);
  const row = rec.body.items.find((i: { itemCode: string }) => i.itemCode === code);
  assert.equal(row.agreed, false);
  assert.equal(Object.keys(row.byAssessor).length, 2);
  const lv = (await call(ctx.app, 'GET', `/api/v1/assessments/${lead.body.id}`, { cookie: tt.users.lead!.cookie })).body
    .version;
  const agreed = await call(ctx.app, 'PUT', `/api/v1/assessments/${lead.body.id}/items/${code}`, {
    cookie: tt.users.lead!.cookie,
    body: { ratings: rating('present'), evidence: ev },
    headers: { 'if-match': String(lv) },
  });
  assert.equal(agreed.status, 200, agreed.text);
  const kept = agreed.body.ratings.find((r: { itemCode: string }) => r.itemCode === code);
  assert.deepEqual(kept.dissent, [{ assessorId: tt.users.sw!.id, ratings: rating('partly') }]);
  const wrong = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/assessments`, {
    cookie: tt.users.psy!.cookie,
    body: { instrumentKey: 'sanad-spj-template', instrumentVersion: '1.0', joinAssessmentId: lead.body.id },
  });
  assert.equal(wrong.status, 403, 'uncertified for the SPJ template');
  // The lead's own rating counts towards agreement; names come with the assessors.
  const rec2 = await call(ctx.app, 'GET', `/api/v1/assessments/${lead.body.id}/reconciliation`, {
    cookie: tt.users.psy!.cookie,
  });
  const row2 = rec2.body.items.find((i: { itemCode: string }) => i.itemCode === code);
  assert.equal(Object.keys(row2.byAssessment).length, 3);
  assert.equal(row2.agreed, false, 'one assessor still differs');
  assert.deepEqual(
    rec2.body.assessors.map((x: { displayName: string }) => x.displayName),
    ['lead', 'psy', 'sw'],
  );
  // Nobody rates twice in one group, nor joins their own draft.
  for (const key of ['psy', 'lead'] as const) {
    const twice = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/assessments`, {
      cookie: tt.users[key]!.cookie,
      body: { instrumentKey: 'sanad-needs-guide', instrumentVersion: '1.0', joinAssessmentId: lead.body.id },
    });
    assert.deepEqual([twice.status, twice.body.error?.details?.[0]?.code], [400, 'already_in_group'], key);
  }
  // The social worker changes their mind after the lead saved: dissent is refreshed when the lead finalises.
  const swv = (await call(ctx.app, 'GET', `/api/v1/assessments/${a2.body.id}`, { cookie: tt.users.sw!.cookie })).body
    .version;
  assert.equal(
    (
      await call(ctx.app, 'PUT', `/api/v1/assessments/${a2.body.id}/items/${code}`, {
        cookie: tt.users.sw!.cookie,
        body: { ratings: rating('present'), evidence: ev },
        headers: { 'if-match': String(swv) },
      })
    ).status,
    200,
  );
  const agreedNow = (
    await call(ctx.app, 'GET', `/api/v1/assessments/${lead.body.id}/reconciliation`, { cookie: tt.users.lead!.cookie })
  ).body.items.find((i: { itemCode: string }) => i.itemCode === code);
  assert.equal(agreedNow.agreed, true, 'lead and both assessors now agree');
  let v = await rateAll(lead.body.id, guide, tt.users.lead!.cookie, agreed.body.version);
  v = (
    await call(ctx.app, 'PUT', `/api/v1/assessments/${lead.body.id}/items/${code}`, {
      cookie: tt.users.lead!.cookie,
      body: { ratings: rating('present'), evidence: ev },
      headers: { 'if-match': String(v) },
    })
  ).body.version;
  v = (
    await call(ctx.app, 'PATCH', `/api/v1/assessments/${lead.body.id}`, {
      cookie: tt.users.lead!.cookie,
      body: { judgement: { priority: 'medium' } },
      headers: { 'if-match': String(v) },
    })
  ).body.version;
  const fin = await call(ctx.app, 'POST', `/api/v1/assessments/${lead.body.id}/finalise`, {
    cookie: tt.users.lead!.cookie,
    headers: { 'if-match': String(v) },
  });
  assert.equal(fin.status, 200, fin.text);
  const first = fin.body.ratings.find((r: { itemCode: string }) => r.itemCode === code);
  assert.ok(
    first.dissent.every((d: { assessorId: string }) => d.assessorId !== tt.users.sw!.id),
    'stale dissent of the social worker is gone',
  );
});

test('the assessment PDF leaves out item wording for readers who are not certified', async () => {
  const p = await newCase();
  const a = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/assessments`, {
    cookie: t.users.psy!.cookie,
    body: { instrumentKey: 'sanad-spj-template', instrumentVersion: '1.0' },
  });
  assert.equal(a.status, 201, a.text);
  const wording = [...itemsByCode(spj).values()][0]!.wording!.en!;
  const probe = wording.split(' ').slice(0, 4).join(' ');
  const textOf = async (cookie: string) => {
    const res = await ctx.app.request(`/api/v1/assessments/${a.body.id}/report.pdf?locale=en`, { headers: { cookie } });
    assert.equal(res.status, 200);
    const buf = Buffer.from(await res.arrayBuffer());
    assert.equal(buf.subarray(0, 5).toString(), '%PDF-');
    const { execFileSync } = await import('node:child_process');
    try {
      return execFileSync('pdftotext', ['-', '-'], { input: buf }).toString('utf8').replace(/\s+/g, ' ');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  };
  const certified = await textOf(t.users.psy!.cookie);
  const uncertified = await textOf(t.users.cm!.cookie);
  if (certified === null || uncertified === null) return; // poppler missing: CI installs it
  assert.ok(certified.includes(probe), 'certified readers see the wording');
  assert.ok(!uncertified.includes(probe), 'others do not');
  assert.ok(uncertified.includes('certified readers'));
  const ev = await ctx.services.db
    .selectFrom('audit_events')
    .select('action')
    .where('entity_id', '=', a.body.id)
    .where('action', '=', 'assessment.export_pdf')
    .execute();
  assert.equal(ev.length, 2);
});

test("an imported instrument's reassessment interval makes a work-queue task too", async () => {
  const def = {
    key: 'tenant-review',
    version: '2.0',
    certification: null,
    reassessEveryDays: 30,
    title: { en: 'Tenant review', ar: 'مراجعة', ur: 'جائزہ', fr: 'Revue' },
    summary: { en: 'Review', ar: 'مراجعة', ur: 'جائزہ', fr: 'Revue' },
    scales: [
      {
        key: 'presence',
        label: { en: 'Presence', ar: 'وجود', ur: 'موجودگی', fr: 'Présence' },
        options: [
          { value: 'absent', label: { en: 'Absent', ar: 'غائب', ur: 'غیر موجود', fr: 'Absent' } },
          { value: 'present', label: { en: 'Present', ar: 'موجود', ur: 'موجود', fr: 'Présent' } },
        ],
      },
    ],
    judgements: [
      {
        key: 'concern',
        label: { en: 'Concern', ar: 'قلق', ur: 'تشویش', fr: 'Préoccupation' },
        options: [
          { value: 'low', label: { en: 'Low', ar: 'منخفض', ur: 'کم', fr: 'Faible' } },
          { value: 'high', label: { en: 'High', ar: 'مرتفع', ur: 'زیادہ', fr: 'Élevée' } },
        ],
      },
    ],
    domains: [
      {
        key: 'd1',
        title: { en: 'Domain', ar: 'مجال', ur: 'شعبہ', fr: 'Domaine' },
        items: [
          {
            code: 'd1.a',
            kind: 'need',
            title: { en: 'Item', ar: 'بند', ur: 'آئٹم', fr: 'Élément' },
            scales: ['presence'],
          },
        ],
      },
    ],
  };
  const imp = await call(ctx.app, 'POST', '/api/v1/instruments', {
    cookie: t.users.admin!.cookie,
    body: { definition: def },
  });
  assert.equal(imp.status, 201, imp.text);
  const p = await newCase();
  const a = await call(ctx.app, 'POST', `/api/v1/participants/${p.id}/assessments`, {
    cookie: t.users.cm!.cookie,
    body: { instrumentKey: 'tenant-review', instrumentVersion: '2.0' },
  });
  assert.equal(a.status, 201, a.text);
  const r = await call(ctx.app, 'PUT', `/api/v1/assessments/${a.body.id}/items/d1.a`, {
    cookie: t.users.cm!.cookie,
    body: { ratings: { presence: 'absent' } },
    headers: { 'if-match': '1' },
  });
  assert.equal(r.status, 200, r.text);
  const j = await call(ctx.app, 'PATCH', `/api/v1/assessments/${a.body.id}`, {
    cookie: t.users.cm!.cookie,
    body: { judgement: { concern: 'low' } },
    headers: { 'if-match': String(r.body.version) },
  });
  const fin = await call(ctx.app, 'POST', `/api/v1/assessments/${a.body.id}/finalise`, {
    cookie: t.users.cm!.cookie,
    headers: { 'if-match': String(j.body.version) },
  });
  assert.equal(fin.status, 200, fin.text);
  const due = async () =>
    (await call(ctx.app, 'GET', '/api/v1/work', { cookie: t.users.cm!.cookie })).body.items.some(
      (i: { kind: string; participantId: string }) => i.kind === 'reassessment_due' && i.participantId === p.id,
    );
  assert.equal(await due(), false, 'not due right after finalising');
  await ownerDb()
    .updateTable('assessments')
    .set({ finalised_at: new Date(Date.now() - 20 * 86_400_000) })
    .where('id', '=', a.body.id)
    .execute();
  assert.equal(await due(), true, '30-day interval: due within 14 days');
});
