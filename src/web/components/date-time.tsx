/** Dates in the user's locale and calendar, with the other calendar on hover. */
import { useIntl } from 'react-intl';
import { useI18n } from '../i18n/i18n-provider';

const STYLES = {
  date: { dateStyle: 'medium' },
  datetime: { dateStyle: 'medium', timeStyle: 'short' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

/** Renders an ISO time as <time>, formatted with Intl in the chosen calendar. */
export function DateTime({
  value,
  mode = 'datetime',
}: {
  value: string | null | undefined;
  mode?: 'date' | 'datetime';
}) {
  const intl = useIntl();
  const { locale, calendar } = useI18n();
  if (!value) return <span className="muted">—</span>;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return <bdi>{value}</bdi>;
  const other = calendar === 'gregory' ? 'islamic-umalqura' : 'gregory';
  const main = intl.formatDate(d, { ...STYLES[mode], calendar });
  let title: string;
  try {
    title = new Intl.DateTimeFormat(`${locale}-u-ca-${other}`, {
      dateStyle: 'long',
      timeStyle: mode === 'date' ? undefined : 'short',
    }).format(d);
  } catch {
    title = d.toISOString();
  }
  return (
    <time dateTime={d.toISOString()} title={title}>
      {main}
    </time>
  );
}

/** Whole days between an ISO time and now (null when there is no time). */
export function daysSince(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.now() - new Date(iso).getTime();
  return Number.isFinite(ms) ? Math.max(0, Math.floor(ms / 86_400_000)) : null;
}
