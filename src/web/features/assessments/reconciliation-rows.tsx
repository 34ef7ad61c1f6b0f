/** Agreement among a team's assessors on an item, and one item's row of the reconciliation table. No totals, no scores. */
import { useState, type ReactNode } from 'react';
import { Icon } from '../../components/icons';
import { useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import type { InstrumentQuestion } from '../instruments/types';

export type Agreement = 'agreed' | 'differs' | 'awaiting';

/** One assessment of the team, as a column. */
export interface Column {
  assessmentId: string;
  assessorId: string;
  status: string;
  lead: boolean;
  label: string;
}

/** Agreement on one scale among the assessors who rated the item. */
export function scaleAgreement(scale: string, ratings: Record<string, string>[]): Agreement {
  const values = ratings.map((r) => r[scale] ?? '');
  const given = values.filter(Boolean);
  if (new Set(given).size > 1) return 'differs';
  if (given.length < 2 || given.length < values.length) return 'awaiting';
  return 'agreed';
}

/** Agreement on an item: it differs when any scale differs, agrees when every scale agrees. */
export function itemAgreement(scales: string[], ratings: Record<string, string>[]): Agreement {
  if (ratings.length < 2) return 'awaiting';
  const per = scales.map((s) => scaleAgreement(s, ratings));
  return per.includes('differs') ? 'differs' : per.every((a) => a === 'agreed') ? 'agreed' : 'awaiting';
}

const MARKER_ICON = { agreed: 'check', differs: 'differs', awaiting: 'pending' } as const;

/** The agreement marker: an icon and a word, never colour alone. */
function Marker({ state }: { state: Agreement }) {
  const t = useT();
  return (
    <span className={`recon-marker recon-${state}`}>
      <Icon name={MARKER_ICON[state]} />
      {t(`recon.state.${state}`)}
    </span>
  );
}

interface ItemRowsProps {
  item: InstrumentQuestion;
  state: Agreement;
  columns: Column[];
  ratingOf: (c: Column) => Record<string, string> | null;
  scaleLabel: (scale: string) => string;
  optionLabel: (scale: string, value: string) => string;
  dissent: { who: string; what: string }[];
  form: ReactNode;
}

/** One item: a row of the assessors' ratings side by side, then its dissent and the lead's control. */
export function ItemRows({ item, state, columns, ratingOf, scaleLabel, optionLabel, dissent, form }: ItemRowsProps) {
  const t = useT();
  const pick = useLabel();
  // The lead's control starts open where the ratings differ; the user's toggling is kept.
  const [open, setOpen] = useState(state === 'differs');
  const rated = columns.map(ratingOf).filter((x): x is Record<string, string> => x !== null);
  const differing = item.scales.filter((s) => scaleAgreement(s, rated) === 'differs');
  return (
    <tbody className="recon-item" data-item={item.code}>
      <tr>
        <th scope="row" className="recon-item-head">
          {pick(item.title, item.code)}
          <bdi className="code recon-code">{item.code}</bdi>
          {item.wording ? <span className="recon-wording">{pick(item.wording)}</span> : null}
        </th>
        {columns.map((c) => {
          const r = ratingOf(c);
          return (
            <td key={c.assessmentId}>
              {r ? (
                <ul className="recon-values">
                  {item.scales.map((s) => (
                    <li key={s} className={differing.includes(s) ? 'recon-value-differs' : undefined}>
                      <span className="muted">{scaleLabel(s)}:</span>{' '}
                      {r[s] ? optionLabel(s, r[s]) : t('recon.notRated')}
                    </li>
                  ))}
                </ul>
              ) : (
                <span className="muted">{t('recon.notRated')}</span>
              )}
            </td>
          );
        })}
        <td>
          <Marker state={state} />
          {differing.length > 0 ? (
            <span className="recon-which">
              {t('recon.differsOn', { scales: differing.map(scaleLabel).join(', ') })}
            </span>
          ) : null}
        </td>
      </tr>
      {dissent.length > 0 || form ? (
        <tr className="recon-item-more">
          <td colSpan={columns.length + 2}>
            {dissent.length > 0 ? (
              <div className="recon-dissent">
                <p className="alert-title">{t('recon.dissent')}</p>
                <ul>
                  {dissent.map((d) => (
                    <li key={d.who}>
                      {d.who}: {d.what}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {form ? (
              <details className="recon-record" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
                <summary>
                  {t('recon.record.summary')}
                  <span className="visually-hidden"> — {pick(item.title, item.code)}</span>
                </summary>
                {form}
              </details>
            ) : null}
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}
