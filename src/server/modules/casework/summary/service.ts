/**
 * The case summary in the user's language and calendar: read through the Scope (an audited export),
 * returned as a PDF document model that the caller renders after the commit. No HTTP.
 */
import type { Label } from '../../../../core/program.ts';
import type { Scope } from '../../../access/scope.ts';
import { consents, goals, participants, sessionAttendance, sessions, transitions } from '../../../access/entities.ts';
import { labels } from '../../../content.ts';
import type { Block, PdfDoc, PdfLocale } from '../../../pdf/types.ts';
import { loadProgram } from '../../programs/routes.ts';
import { summaryText } from '../summary-text.ts';

/** The latest case sessions the summary lists. */
const SESSIONS_SHOWN = 15;

/**
 * The summary of one case as a document (profile, plan, case sessions, consent, phase history), in
 * `locale` (default: the principal's) and the principal's calendar. The export is audited.
 */
export async function caseSummaryDocument(scope: Scope, participantId: string, locale?: PdfLocale): Promise<PdfDoc> {
  const principal = scope.principal;
  const loc: PdfLocale = locale ?? principal.locale;
  const t = summaryText(loc);
  const intlLocale = `${loc}${principal.calendar === 'islamic-umalqura' ? '-u-ca-islamic-umalqura' : ''}`;
  const fmtDate = (d: Date | string | null) =>
    d
      ? new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
          typeof d === 'string' ? new Date(`${d}T00:00:00Z`) : d,
        )
      : '—';
  const lab = (l: Label | undefined, fallback: string) => (l ? l[loc] : fallback);

  const p = await scope.get(participants, participantId);
  const program = p.program_id ? await loadProgram(scope.shared, principal.tenantId, p.program_id) : null;
  const phases = program?.def.phases ?? [];
  const idx = phases.findIndex((ph) => ph.key === p.phase_key);
  const team = await scope.shared.selectFrom('teams').select('name').where('id', '=', p.team_id).executeTakeFirst();
  const domainLabels = labels('domains');
  const goalRows = await Promise.all(
    (
      await scope.select(goals).where('goals.participant_id', '=', p.id).selectAll().orderBy('goals.domain').execute()
    ).map((g) => scope.reveal(goals, g)),
  );
  // Attendance rows of this participant, then the case sessions they name (both through the scope).
  const attended = await scope
    .children(sessionAttendance)
    .select(['session_attendance.session_id', 'session_attendance.attendance', 'session_attendance.engagement'])
    .where('session_attendance.participant_id', '=', p.id)
    .execute();
  const byId = new Map(attended.map((a) => [a.session_id, a]));
  const sessionRows = byId.size
    ? (
        await scope
          .select(sessions)
          .select(['sessions.id', 'sessions.occurred_at', 'sessions.kind', 'sessions.discipline'])
          .where('sessions.id', 'in', [...byId.keys()])
          .orderBy('sessions.occurred_at', 'desc')
          .limit(SESSIONS_SHOWN)
          .execute()
      ).map((s) => ({ ...s, attendance: byId.get(s.id)!.attendance, engagement: byId.get(s.id)!.engagement }))
    : [];
  const consentRows = await scope.list(consents, (q) =>
    q.where('consents.participant_id', '=', p.id).orderBy('consents.purpose'),
  );
  const history = await scope.listFull(transitions, (q) =>
    q.where('transitions.participant_id', '=', p.id).orderBy('transitions.created_at'),
  );
  const phaseName = (key: string) => lab(phases.find((ph) => ph.key === key)?.name, key);
  const none: Block = { type: 'paragraph', text: t('none') };
  const blocks: Block[] = [
    { type: 'heading', text: t('profile') },
    {
      type: 'keyValue',
      rows: [
        [t('code'), p.code],
        [t('program'), program ? program.def.name[loc] : '—'],
        [
          t('phase'),
          idx >= 0 && p.phase_key
            ? t('phaseOf', { name: phaseName(p.phase_key), n: idx + 1, total: phases.length })
            : '—',
        ],
        [t('legalStatus'), p.legal_status ? lab(labels('legal-statuses')[p.legal_status], p.legal_status) : '—'],
        [t('team'), team?.name ?? '—'],
        [t('languages'), p.languages.join(', ') || '—'],
        [t('opened'), fmtDate(p.created_at)],
        [t('planStatus'), t(`plan.${p.plan_status}`)],
      ],
    },
    { type: 'heading', text: t('plan') },
    goalRows.length
      ? {
          type: 'table',
          columns: [t('domain'), t('goal'), t('status'), t('progress'), t('target')],
          rows: goalRows.map((g) => [
            lab(domainLabels[g.domain], g.domain),
            String(g.title ?? ''),
            t(`goal.${g.status}`),
            `${String(g.progress)}%`,
            fmtDate(g.target_date),
          ]),
        }
      : none,
    { type: 'heading', text: t('sessions') },
    sessionRows.length
      ? {
          type: 'table',
          columns: [t('date'), t('kind'), t('attendance'), t('engagement')],
          rows: sessionRows.map((r) => [
            fmtDate(r.occurred_at),
            t(`kind.${r.kind}`),
            t(`att.${r.attendance}`),
            r.engagement ? String(r.engagement) : '—',
          ]),
        }
      : none,
    { type: 'heading', text: t('consent') },
    consentRows.length
      ? {
          type: 'table',
          columns: [t('purpose'), t('basis'), t('given'), t('expires'), t('status')],
          rows: consentRows.map((r) => [
            lab(labels('consent-purposes')[r.purpose], r.purpose),
            t(`basis.${r.legal_basis}`),
            fmtDate(r.given_on),
            fmtDate(r.expires_on),
            t(`consent.${r.status}`),
          ]),
        }
      : none,
    { type: 'heading', text: t('history') },
    history.length
      ? {
          type: 'table',
          columns: [t('date'), t('from'), t('to'), t('reason')],
          rows: history.map((h) => [
            fmtDate(h.created_at),
            phaseName(h.from_phase),
            phaseName(h.to_phase),
            h.reason ?? '',
          ]),
        }
      : none,
  ];
  await scope.audit.append({
    action: 'participant.export_pdf',
    entityType: 'participant',
    entityId: p.id,
    subjectId: p.id,
    details: { locale: loc },
  });
  const demo = await scope.shared
    .selectFrom('tenants')
    .select('is_demo')
    .where('id', '=', principal.tenantId)
    .executeTakeFirst();
  return {
    locale: loc,
    title: t('title'),
    subtitle: demo?.is_demo ? `${p.code} — ${t('demo')}` : p.code,
    footer: `${t('generated', { date: fmtDate(new Date()), name: principal.displayName })} — ${t('confidential')}`,
    blocks,
  };
}
