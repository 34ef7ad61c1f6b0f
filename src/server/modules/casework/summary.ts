/** The case summary PDF in the user's language and calendar (Arabic and Urdu shaped, right-to-left). */
import { createRoute, z } from '@hono/zod-openapi';
import type { Label } from '../../../core/program.ts';
import { Scope } from '../../access/scope.ts';
import { consents, goals, participants, transitions } from '../../access/entities.ts';
import { labels } from '../../content.ts';
import { errors, requireUser, router } from '../../http/openapi.ts';
import { renderDocument } from '../../pdf/index.ts';
import type { Block, PdfLocale } from '../../pdf/types.ts';
import { loadProgram } from '../programs/routes.ts';
import { summaryText } from './summary-text.ts';

const IdParam = z.object({ id: z.string().max(64) });
const Query = z.object({ locale: z.enum(['en', 'ar', 'ur', 'fr']).optional() });

/** Routes for /participants/{id}/summary.pdf. */
export function summaryRoutes() {
  const app = router();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/summary.pdf',
      tags: ['participants'],
      summary: 'Case summary as PDF (audited)',
      request: { params: IdParam, query: Query },
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
      const t = summaryText(locale);
      const intlLocale = `${locale}${principal.calendar === 'islamic-umalqura' ? '-u-ca-islamic-umalqura' : ''}`;
      const fmtDate = (d: Date | string | null) =>
        d
          ? new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
              typeof d === 'string' ? new Date(`${d}T00:00:00Z`) : d,
            )
          : '—';
      const lab = (l: Label | undefined, fallback: string) => (l ? l[locale] : fallback);
      const doc = await Scope.run(c.get('services'), principal, c.get('requestId'), async (scope) => {
        const p = await scope.get(participants, c.req.valid('param').id);
        const program = p.program_id
          ? await loadProgram(scope.tx, scope.principal.tenantId, p.program_id as string)
          : null;
        const phases = program?.def.phases ?? [];
        const idx = phases.findIndex((ph) => ph.key === p.phase_key);
        const team = await scope.tx
          .selectFrom('teams')
          .select('name')
          .where('id', '=', p.team_id as string)
          .executeTakeFirst();
        const domainLabels = labels('domains');
        const goalRows = await Promise.all(
          (
            await scope
              .select(goals)
              .where('goals.participant_id', '=', p.id as string)
              .selectAll()
              .orderBy('goals.domain')
              .execute()
          ).map((g) => scope.reveal(goals, g as never)),
        );
        const sessionRows = await scope.tx
          .selectFrom('sessions as s')
          .innerJoin('session_attendance as a', 'a.session_id', 's.id')
          .select(['s.occurred_at', 's.kind', 's.discipline', 'a.attendance', 'a.engagement'])
          .where('a.participant_id', '=', p.id as string)
          .where('s.tenant_id', '=', scope.principal.tenantId)
          .orderBy('s.occurred_at', 'desc')
          .limit(15)
          .execute();
        const consentRows = await scope.list(consents, (q) =>
          q.where('consents.participant_id', '=', p.id as string).orderBy('consents.purpose'),
        );
        const history = await scope.listFull(transitions, (q) =>
          q.where('transitions.participant_id', '=', p.id as string).orderBy('transitions.created_at'),
        );
        const phaseName = (key: string) => lab(phases.find((ph) => ph.key === key)?.name, key);
        const blocks: Block[] = [
          { type: 'heading', text: t('profile') },
          {
            type: 'keyValue',
            rows: [
              [t('code'), p.code as string],
              [t('program'), program ? program.def.name[locale] : '—'],
              [
                t('phase'),
                idx >= 0
                  ? t('phaseOf', { name: phaseName(p.phase_key as string), n: idx + 1, total: phases.length })
                  : '—',
              ],
              [
                t('legalStatus'),
                p.legal_status
                  ? lab(labels('legal-statuses')[p.legal_status as string], p.legal_status as string)
                  : '—',
              ],
              [t('team'), team?.name ?? '—'],
              [t('languages'), ((p.languages as string[]) ?? []).join(', ') || '—'],
              [t('opened'), fmtDate(p.created_at as Date)],
              [t('planStatus'), t(`plan.${String(p.plan_status)}` as never)],
            ],
          },
          { type: 'heading', text: t('plan') },
          goalRows.length
            ? {
                type: 'table',
                columns: [t('domain'), t('goal'), t('status'), t('progress'), t('target')],
                rows: goalRows.map((g) => [
                  lab(domainLabels[g.domain as string], g.domain as string),
                  String(g.title ?? ''),
                  t(`goal.${String(g.status)}` as never),
                  `${String(g.progress)}%`,
                  fmtDate(g.target_date as string | null),
                ]),
              }
            : { type: 'paragraph', text: t('none') },
          { type: 'heading', text: t('sessions') },
          sessionRows.length
            ? {
                type: 'table',
                columns: [t('date'), t('kind'), t('attendance'), t('engagement')],
                rows: sessionRows.map((r) => [
                  fmtDate(r.occurred_at),
                  t(`kind.${r.kind}` as never),
                  t(`att.${r.attendance}` as never),
                  r.engagement ? String(r.engagement) : '—',
                ]),
              }
            : { type: 'paragraph', text: t('none') },
          { type: 'heading', text: t('consent') },
          consentRows.length
            ? {
                type: 'table',
                columns: [t('purpose'), t('basis'), t('given'), t('expires'), t('status')],
                rows: consentRows.map((r) => [
                  lab(labels('consent-purposes')[r.purpose as string], r.purpose as string),
                  t(`basis.${String(r.legal_basis)}` as never),
                  fmtDate(r.given_on as string),
                  fmtDate((r.expires_on as string | null) ?? null),
                  t(`consent.${String(r.status)}` as never),
                ]),
              }
            : { type: 'paragraph', text: t('none') },
          { type: 'heading', text: t('history') },
          history.length
            ? {
                type: 'table',
                columns: [t('date'), t('from'), t('to'), t('reason')],
                rows: history.map((h) => [
                  fmtDate(h.created_at as Date),
                  phaseName(h.from_phase as string),
                  phaseName(h.to_phase as string),
                  h.reason as string,
                ]),
              }
            : { type: 'paragraph', text: t('none') },
        ];
        await scope.audit.append({
          action: 'participant.export_pdf',
          entityType: 'participant',
          entityId: p.id as string,
          subjectId: p.id as string,
          details: { locale },
        });
        const demo = await scope.tx
          .selectFrom('tenants')
          .select('is_demo')
          .where('id', '=', scope.principal.tenantId)
          .executeTakeFirst();
        // Rendered after the commit: CPU-bound work must not hold a connection, a transaction and an audit chain.
        return {
          locale,
          title: t('title'),
          subtitle: demo?.is_demo ? `${p.code as string} — ${t('demo')}` : (p.code as string),
          footer: `${t('generated', { date: fmtDate(new Date()), name: scope.principal.displayName })} — ${t('confidential')}`,
          blocks,
        };
      });
      const pdf = await renderDocument(doc);
      return c.body(new Uint8Array(pdf), 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="case-summary.pdf"`,
      });
    },
  );
  return app;
}
