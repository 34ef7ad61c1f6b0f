/** The assessment PDF in the user's language; item wording only for certified readers. */
import { createRoute, z } from '@hono/zod-openapi';
import type { DomainT } from '../../../core/instrument.ts';
import { isCertified, visibleDefinition } from '../../../core/licence.ts';
import { Scope } from '../../access/scope.ts';
import { assessmentRatings, assessments, participants } from '../../access/entities.ts';
import { errors, requireUser, router } from '../../http/openapi.ts';
import { renderDocument } from '../../pdf/index.ts';
import type { Block, PdfLocale } from '../../pdf/types.ts';
import { certificationsOf, findInstrument } from '../instruments/routes.ts';
import { words } from '../../i18n/index.ts';

/** The report's words: the `assessmentPdf.*` messages of the server catalogue. */
const WORDS = words('assessmentPdf');

/** Routes for /assessments/{id}/report.pdf. */
export function assessmentPdfRoutes() {
  const app = router();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/assessments/{id}/report.pdf',
      tags: ['assessments'],
      summary: 'Assessment report PDF (audited; wording only when certified)',
      request: {
        params: z.object({ id: z.string().max(64) }),
        query: z.object({ locale: z.enum(['en', 'ar', 'ur', 'fr']).optional() }),
      },
      responses: {
        200: {
          description: 'PDF',
          content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const principal = requireUser(c);
      const locale: PdfLocale = c.req.valid('query').locale ?? principal.locale;
      const w = WORDS[locale];
      const s = c.get('services');
      const doc = await Scope.run(s, principal, c.get('requestId'), async (scope) => {
        const a = await scope.get(assessments, c.req.valid('param').id);
        const p = await scope.get(participants, a.participant_id);
        const inst = await findInstrument(
          scope.shared,
          scope.principal.tenantId,
          a.instrument_key,
          a.instrument_version,
        );
        const certified = isCertified(
          await certificationsOf(scope.shared, scope.principal),
          inst.def.certification,
          new Date(),
        );
        const def = visibleDefinition(inst.def, certified);
        const rows = await scope
          .children(assessmentRatings)
          .select(['assessment_ratings.item_code', 'assessment_ratings.ratings'])
          .where('assessment_ratings.assessment_id', '=', a.id)
          .execute();
        const rated = new Map(rows.map((r) => [r.item_code, r.ratings]));
        const optionLabel = (scale: string, value: string | undefined) =>
          value
            ? (def.scales.find((x) => x.key === scale)?.options.find((o) => o.value === value)?.label[locale] ?? value)
            : '—';
        const judgement = a.judgement;
        const blocks: Block[] = [
          {
            type: 'keyValue',
            rows: [
              [w.code, p.code],
              [w.status, a.status === 'final' ? w.final : w.draft],
              [
                w.finalised,
                a.finalised_at instanceof Date
                  ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(a.finalised_at)
                  : '—',
              ],
            ],
          },
          ...(def.notice ? [{ type: 'paragraph' as const, text: def.notice[locale] }] : []),
          { type: 'heading', text: w.judgement },
          {
            type: 'keyValue',
            rows: def.judgements.map(
              (j) =>
                [j.label[locale], j.options.find((o) => o.value === judgement[j.key])?.label[locale] ?? '—'] as [
                  string,
                  string,
                ],
            ),
          },
        ];
        if (def.wordingHidden) blocks.push({ type: 'paragraph', text: w.hidden });
        const walk = (d: DomainT) => {
          blocks.push({ type: 'heading', text: d.title[locale] });
          const scales = def.scales.filter((x) => d.items.some((i) => i.scales.includes(x.key)));
          blocks.push({
            type: 'table',
            columns: [w.item, ...(def.wordingHidden ? [] : [w.wording]), ...scales.map((x) => x.label[locale])],
            rows: d.items.map((i) => [
              `${i.code} — ${i.title[locale]}`,
              ...(def.wordingHidden ? [] : [i.wording?.[locale] ?? i.wording?.en ?? '—']),
              ...scales.map((x) => optionLabel(x.key, rated.get(i.code)?.[x.key])),
            ]),
          });
          d.subdomains.forEach(walk);
        };
        def.domains.forEach(walk);
        for (const [label, field] of [
          [w.formulation, 'formulation'],
          [w.scenarios, 'scenarios'],
          [w.plan, 'management_plan'],
          [w.reasons, 'judgement_reasons'],
        ] as const) {
          if (field in a && a[field])
            blocks.push({ type: 'heading', text: label }, { type: 'paragraph', text: String(a[field]) });
        }
        await scope.audit.append({
          action: 'assessment.export_pdf',
          entityType: 'assessment',
          entityId: a.id,
          subjectId: p.id,
          details: { locale, wording: !def.wordingHidden },
        });
        // Rendered after the commit: CPU-bound work must not hold a connection, a transaction and an audit chain.
        return {
          locale,
          title: inst.def.title[locale],
          subtitle: p.code,
          footer: `${inst.def.key} ${inst.def.version}`,
          blocks,
        };
      });
      const pdf = await renderDocument(doc);
      return c.body(new Uint8Array(pdf), 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': 'attachment; filename="assessment.pdf"',
      });
    },
  );
  return app;
}
