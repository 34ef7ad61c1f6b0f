/**
 * The minutes of a board meeting as a document in the chosen language and the user's calendar: the
 * board, date and place, who attended (with their seats), the quorum, then per agenda item the case,
 * the question, the quorum for the item, recusals (names only: a conflict's details stay in the
 * system), the votes with their reasons, the decision with its reasons, conditions and next review,
 * and the dissent beside it; then the chair's sign-off (or "draft") and the amendments made after it,
 * below the original. Read exactly as the meeting is read (`getMeeting`: the same people, the same
 * agenda items, the view audited), plus an audited export. The caller renders it after the commit.
 * No HTTP.
 */
import type { BoardRole } from '../../../core/boards.ts';
import type { Scope } from '../../access/scope.ts';
import { under } from '../../i18n/index.ts';
import type { Block, PdfDoc, PdfLocale } from '../../pdf/types.ts';
import type { Services } from '../../services.ts';
import { loadProgram } from '../programs/service.ts';
import { getMeeting } from './agenda.ts';

/** The minutes of one meeting as a PDF document model, in `locale` (default: the user's). The export is audited. */
export async function minutesDocument(
  scope: Scope,
  services: Services,
  meetingId: string,
  locale?: PdfLocale,
): Promise<PdfDoc> {
  // Who may read the meeting, and which of its items they see: exactly as GET /board-meetings/{id}.
  const m = await getMeeting(scope, services, meetingId);
  const principal = scope.principal;
  const loc: PdfLocale = locale ?? principal.locale;
  const t = under('boards.minutes', loc);
  const intlLocale = `${loc}${principal.calendar === 'islamic-umalqura' ? '-u-ca-islamic-umalqura' : ''}`;
  const fmtDate = (d: string | Date | null) =>
    d
      ? new Intl.DateTimeFormat(intlLocale, { dateStyle: 'long', timeZone: 'UTC' }).format(
          typeof d === 'string' ? new Date(d.length === 10 ? `${d}T00:00:00Z` : d) : d,
        )
      : '—';
  const fmtDateTime = (d: string) =>
    new Intl.DateTimeFormat(intlLocale, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'UTC',
      timeZoneName: 'short',
    }).format(new Date(d));
  const role = (r: BoardRole) => t(`role.${r}`);
  // Names and free text set inside a line of a right-to-left page keep their own direction (first strong
  // isolate), so "Board (demo)" does not come out as "(demo) Board".
  const iso = (text: string) => (loc === 'ar' || loc === 'ur' ? `\u2068${text}\u2069` : text);
  const program = await loadProgram(scope.shared, principal.tenantId, m.board.programId).catch(() => null);
  const phaseName = (key: string | null) =>
    key ? (program?.def.phases.find((p) => p.key === key)?.name[loc] ?? key) : '—';
  const quorumText = (q: { met: boolean; present: number; needed: number; missingRoles: BoardRole[] }) =>
    [
      t(q.met ? 'quorumMet' : 'quorumNotMet', { present: q.present, needed: q.needed }),
      ...(q.missingRoles.length ? [t('missingRoles', { roles: q.missingRoles.map(role).join(', ') })] : []),
    ].join(' — ');
  const present = new Set(m.present);
  const memberName = (id: string) => m.board.members.find((x) => x.userId === id)?.displayName;

  const blocks: Block[] = [
    {
      type: 'keyValue',
      rows: [
        [t('board'), m.board.name],
        [t('program'), program ? program.def.name[loc] : '—'],
        [t('date'), fmtDateTime(m.scheduledFor)],
        [t('place'), [m.place, m.online ? t('online') : null].filter(Boolean).join(' — ') || '—'],
        [t('state'), t(`state.${m.state}`)],
      ],
    },
    { type: 'heading', text: t('attendance') },
    {
      type: 'table',
      columns: [t('member'), t('boardRole'), t('presence')],
      rows: m.board.members.map((x) => [
        x.chair ? t('chairName', { name: iso(x.displayName) }) : x.displayName,
        role(x.role),
        present.has(x.userId) ? t('present') : t('absent'),
      ]),
    },
    { type: 'heading', text: t('quorum') },
    {
      type: 'keyValue',
      rows: [
        [
          t('quorumRule'),
          m.board.quorum.requiredRoles.length
            ? t('ruleWithRoles', {
                n: m.board.quorum.minMembers,
                roles: m.board.quorum.requiredRoles.map(role).join(', '),
              })
            : t('rule', { n: m.board.quorum.minMembers }),
        ],
        [t('quorumAtMeeting'), quorumText(m.quorum)],
      ],
    },
    { type: 'heading', text: t('agenda') },
  ];
  if (!m.items.length) blocks.push({ type: 'paragraph', text: t('noItems') });
  m.items.forEach((item, i) => {
    const d = item.decision;
    const dissent = item.votes.filter((v) => v.vote === 'disagree');
    blocks.push(
      { type: 'heading', text: t('item', { n: i + 1, code: item.code }) },
      {
        type: 'keyValue',
        rows: [
          [t('code'), item.code],
          [t('phase'), phaseName(item.phaseKey)],
          [t('question'), t(`q.${item.question}`)],
          [t('source'), t(`src.${item.source}`)],
          [t('reason'), item.reason ?? '—'],
          [t('itemQuorum'), quorumText(item.quorum)],
          // Names only: the details of a conflict of interest stay in the system.
          [t('recused'), item.recused.map((r) => r.displayName).join(', ') || t('none')],
        ],
      },
      item.votes.length
        ? {
            type: 'table',
            columns: [t('member'), t('vote'), t('voteReason')],
            rows: item.votes.map((v) => [memberName(v.userId) ?? v.displayName, t(`v.${v.vote}`), v.reason ?? '—']),
          }
        : { type: 'paragraph', text: t('noVotes') },
    );
    if (item.discussion) blocks.push({ type: 'keyValue', rows: [[t('discussion'), item.discussion]] });
    blocks.push(
      d
        ? {
            type: 'keyValue',
            rows: [
              [t('decision'), t(`o.${d.outcome}`)],
              [t('wording'), d.wording],
              [t('reasons'), d.reasons ?? '—'],
              [
                t('tally'),
                t('tallyOf', { agree: d.tally.agree, disagree: d.tally.disagree, abstain: d.tally.abstain }),
              ],
              [t('conditions'), d.conditions.length ? d.conditions.join('; ') : t('none')],
              [t('nextReview'), fmtDate(d.nextReviewOn)],
              // The dissent is kept beside the decision.
              [
                t('dissent'),
                dissent.length
                  ? dissent
                      .map((v) => {
                        const who = iso(memberName(v.userId) ?? v.displayName);
                        return v.reason ? `${who}: ${iso(v.reason)}` : who;
                      })
                      .join('\n')
                  : t('noDissent'),
              ],
            ],
          }
        : { type: 'paragraph', text: t('notDecided') },
    );
  });

  blocks.push({ type: 'heading', text: t('signoff') });
  if (m.state === 'signed') {
    const signer = await scope.shared
      .selectFrom('board_meetings as bm')
      .leftJoin('users as u', 'u.id', 'bm.signed_by')
      .select(['u.display_name'])
      .where('bm.tenant_id', '=', principal.tenantId)
      .where('bm.id', '=', m.id)
      .executeTakeFirst();
    blocks.push({
      type: 'keyValue',
      rows: [
        [t('signedBy'), signer?.display_name ?? '—'],
        [t('signedOn'), fmtDate(m.signedAt)],
      ],
    });
  } else {
    blocks.push({ type: 'paragraph', text: t('draft') });
  }
  if (m.amendments.length) {
    blocks.push({ type: 'heading', text: t('amendments') });
    for (const a of m.amendments)
      blocks.push({
        type: 'keyValue',
        rows: [[t('amendmentOf', { date: fmtDate(a.at), name: iso(a.by) }), a.text]],
      });
  }

  await scope.audit.append({
    action: 'board.minutes.export',
    entityType: 'board_meeting',
    entityId: m.id,
    purpose: 'board_meeting',
    details: { locale: loc, items: m.items.length, state: m.state },
  });
  const demo = await scope.shared
    .selectFrom('tenants')
    .select('is_demo')
    .where('id', '=', principal.tenantId)
    .executeTakeFirst();
  return {
    locale: loc,
    title: t('title'),
    subtitle: demo?.is_demo ? `${iso(m.board.name)} — ${t('demo')}` : m.board.name,
    footer: `${t('generated', { date: fmtDate(new Date()), name: principal.displayName })} — ${t('confidential')}`,
    blocks,
  };
}
