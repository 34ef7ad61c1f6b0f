/**
 * Comparison over time (a lazily loaded chunk of the Assessments tab): per domain of one instrument,
 * how items' ratings on one scale moved between finalised assessments. A hand-written SVG chart per
 * domain (one line per rating value: how many of the domain's items had that value at each time),
 * time flowing in the reading direction, with a data table and an item-by-item table as the text
 * alternative. A display aid: counts are never added up into a total or a score.
 */
import { useId, useMemo, useState } from 'react';
import { useIntl } from 'react-intl';
import { SelectField } from '../../components/field';
import { Icon } from '../../components/icons';
import { ErrorAlert, Loading } from '../../components/states';
import { useI18n } from '../../i18n/i18n-provider';
import { useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { useInstruments, useInstrumentVersion } from '../instruments/api';
import type { ScaleOption } from '../instruments/types';
import { useComparison } from './api';
import { domainItems } from './rules';
import type { AssessmentSummary, Comparison } from './types';

/** Series styles by option position: colour, dash and marker shape, so no series relies on colour alone. */
const COLOURS = ['#0b5c6b', '#8a5a00', '#a4161a', '#4d5661', '#1d6b3a', '#5b3a8c'];
const DASHES = ['', '7 4', '2 3', '9 3 2 3', '4 2', '1 2'];
const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross', 'bar'] as const;

function Marker({ shape, x, y, colour }: { shape: (typeof SHAPES)[number]; x: number; y: number; colour: string }) {
  const r = 4;
  switch (shape) {
    case 'circle':
      return <circle cx={x} cy={y} r={r} fill={colour} />;
    case 'square':
      return <rect x={x - r} y={y - r} width={r * 2} height={r * 2} fill={colour} />;
    case 'triangle':
      return <path d={`M${x} ${y - r - 1}L${x + r + 1} ${y + r}L${x - r - 1} ${y + r}Z`} fill={colour} />;
    case 'diamond':
      return <path d={`M${x} ${y - r - 1}L${x + r + 1} ${y}L${x} ${y + r + 1}L${x - r - 1} ${y}Z`} fill={colour} />;
    case 'cross':
      return (
        <path
          d={`M${x - r} ${y - r}L${x + r} ${y + r}M${x + r} ${y - r}L${x - r} ${y + r}`}
          stroke={colour}
          strokeWidth={2.2}
        />
      );
    default:
      return <rect x={x - r} y={y - 1.5} width={r * 2} height={3} fill={colour} />;
  }
}

/** A legend swatch: the series' line and marker. */
function Swatch({ i }: { i: number }) {
  const colour = COLOURS[i % COLOURS.length]!;
  return (
    <svg className="compare-swatch" viewBox="0 0 28 12" width="28" height="12" aria-hidden="true" focusable="false">
      <line
        x1="1"
        y1="6"
        x2="27"
        y2="6"
        stroke={colour}
        strokeWidth="2"
        strokeDasharray={DASHES[i % DASHES.length] || undefined}
      />
      <Marker shape={SHAPES[i % SHAPES.length]!} x={14} y={6} colour={colour} />
    </svg>
  );
}

interface ChartProps {
  label: string;
  ticks: string[];
  options: ScaleOption[];
  counts: Record<string, number>[];
  items: number;
  rtl: boolean;
}

/**
 * One domain's chart: x = finalised assessments in time order (mirrored in RTL), y = items with each
 * value. Text anchors are logical (start/end follow the inherited writing direction), so they need no
 * mirroring of their own.
 */
function DomainChart({ label, ticks, options, counts, items, rtl }: ChartProps) {
  const W = 360;
  const H = 190;
  const pad = { start: 34, end: 14, top: 12, bottom: 34 };
  const plotW = W - pad.start - pad.end;
  const plotH = H - pad.top - pad.bottom;
  const n = ticks.length;
  const max = Math.max(1, items);
  const step = max <= 6 ? 1 : Math.ceil(max / 5);
  const yTicks: number[] = [];
  for (let v = 0; v <= max; v += step) yTicks.push(v);
  const mx = (x: number) => (rtl ? W - x : x);
  const inset = 16; // keeps the first and last points clear of the axis and its labels
  const xAt = (i: number) =>
    mx(pad.start + inset + (n === 1 ? (plotW - 2 * inset) / 2 : (i / (n - 1)) * (plotW - 2 * inset)));
  const yAt = (v: number) => pad.top + (1 - v / max) * plotH;
  // Series drawn side by side by a few pixels, so equal counts stay visible.
  const offset = (k: number) => (k - (options.length - 1) / 2) * 4;
  const labelled = n <= 5 ? ticks.map((_, i) => i) : [0, n - 1];
  return (
    <svg className="compare-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} focusable="false">
      {yTicks.map((v) => (
        <g key={v}>
          <line x1={mx(pad.start)} x2={mx(W - pad.end)} y1={yAt(v)} y2={yAt(v)} stroke="#d7dce1" strokeWidth={1} />
          <text x={mx(pad.start - 6)} y={yAt(v) + 4} textAnchor="end" className="compare-tick">
            {v}
          </text>
        </g>
      ))}
      <line x1={mx(pad.start)} x2={mx(pad.start)} y1={pad.top} y2={pad.top + plotH} stroke="#8a949e" strokeWidth={1} />
      <line
        x1={mx(pad.start)}
        x2={mx(W - pad.end)}
        y1={pad.top + plotH}
        y2={pad.top + plotH}
        stroke="#8a949e"
        strokeWidth={1}
      />
      {ticks.map((tk, i) => (
        <g key={i}>
          <line x1={xAt(i)} x2={xAt(i)} y1={pad.top + plotH} y2={pad.top + plotH + 4} stroke="#8a949e" />
          {labelled.includes(i) ? (
            <text
              x={xAt(i)}
              y={pad.top + plotH + 18}
              textAnchor={n === 1 ? 'middle' : i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle'}
              className="compare-tick compare-xtick"
            >
              {tk}
            </text>
          ) : null}
        </g>
      ))}
      {options.map((o, k) => {
        const colour = COLOURS[k % COLOURS.length]!;
        const pts = counts.map((c, i) => [xAt(i) + offset(k), yAt(c[o.value] ?? 0)] as const);
        return (
          <g key={o.value}>
            {pts.length > 1 ? (
              <polyline
                points={pts.map(([x, y]) => `${x},${y}`).join(' ')}
                fill="none"
                stroke={colour}
                strokeWidth={2}
                strokeDasharray={DASHES[k % DASHES.length] || undefined}
                strokeLinejoin="round"
              />
            ) : null}
            {pts.map(([x, y], i) => (
              <Marker key={i} shape={SHAPES[k % SHAPES.length]!} x={x} y={y} colour={colour} />
            ))}
          </g>
        );
      })}
    </svg>
  );
}

/** The comparison section of the Assessments tab. */
export function AssessmentComparison({
  participantId,
  finals,
}: {
  participantId: string;
  finals: AssessmentSummary[];
}) {
  const t = useT();
  const pick = useLabel();
  const intl = useIntl();
  const { dir, calendar } = useI18n();
  const uid = useId();
  const latestOf = (key: string) =>
    finals
      .filter((a) => a.instrumentKey === key)
      .reduce((a, b) => ((a.finalisedAt ?? '') > (b.finalisedAt ?? '') ? a : b));
  const keys = [...new Set(finals.map((a) => a.instrumentKey))];
  const newest = finals.reduce((a, b) => ((a.finalisedAt ?? '') > (b.finalisedAt ?? '') ? a : b));
  const [instrumentKey, setInstrumentKey] = useState(newest.instrumentKey);
  const latest = latestOf(instrumentKey);
  const inst = useInstrumentVersion(instrumentKey, latest.instrumentVersion);
  const def = inst.data?.definition;
  const [chosenScale, setScale] = useState<string | null>(null);
  const scaleKey =
    chosenScale ??
    (def ? (def.scales.find((s) => s.key === 'presence') ?? def.scales[0])?.key : undefined) ??
    'presence';
  const cmp = useComparison(participantId, instrumentKey, scaleKey);
  const instruments = useInstruments();
  const titles = (key: string) => pick(instruments.data?.items.find((x) => x.key === key)?.title, key);

  const scale = def?.scales.find((s) => s.key === scaleKey);
  const itemTitles = useMemo(
    () => new Map((def?.domains ?? []).flatMap(domainItems).map((i) => [i.code, i.title])),
    [def],
  );

  const data: Comparison | undefined = cmp.data;
  const sameDay = (data?.assessments ?? []).some((a, i, all) =>
    all.some((b, j) => j !== i && a.finalisedAt.slice(0, 10) === b.finalisedAt.slice(0, 10)),
  );
  const fmt = (iso: string) =>
    intl.formatDate(
      new Date(iso),
      sameDay ? { dateStyle: 'short', timeStyle: 'short', calendar } : { dateStyle: 'medium', calendar },
    );
  const ticks = (data?.assessments ?? []).map((a) => fmt(a.finalisedAt));
  const options = scale?.options ?? [];
  const valueLabel = (v: string | null) =>
    v ? pick(options.find((o) => o.value === v)?.label, v) : t('compare.notRated');

  return (
    <section className="card stack compare" aria-labelledby={`${uid}-t`}>
      <h2 id={`${uid}-t`}>{t('compare.title')}</h2>
      <p className="compare-aid" role="note">
        <Icon name="alert" />
        <span>
          <strong>{t('compare.aid')}</strong> {t('compare.aid.body')}
        </span>
      </p>
      <div className="compare-controls">
        {keys.length > 1 ? (
          <SelectField
            label={t('assess.instrument')}
            value={instrumentKey}
            onChange={(e) => {
              setInstrumentKey(e.target.value);
              setScale(null);
            }}
          >
            {keys.map((k) => (
              <option key={k} value={k}>
                {titles(k)}
              </option>
            ))}
          </SelectField>
        ) : (
          <p>
            <span className="muted">{t('assess.instrument')}:</span> {pick(def?.title, instrumentKey)}
          </p>
        )}
        {def && def.scales.length > 1 ? (
          <SelectField label={t('compare.scale')} value={scaleKey} onChange={(e) => setScale(e.target.value)}>
            {def.scales.map((s) => (
              <option key={s.key} value={s.key}>
                {pick(s.label, s.key)}
              </option>
            ))}
          </SelectField>
        ) : null}
      </div>
      {inst.isError ? <ErrorAlert error={inst.error} onRetry={() => void inst.refetch()} /> : null}
      {cmp.isError ? <ErrorAlert error={cmp.error} onRetry={() => void cmp.refetch()} /> : null}
      {cmp.isPending || inst.isPending ? <Loading /> : null}
      {data && def ? (
        <>
          {data.assessments.length < 2 ? <p className="alert alert-info">{t('compare.needTwo')}</p> : null}
          <ul className="compare-legend" aria-label={t('compare.legend', { scale: pick(scale?.label, scaleKey) })}>
            {options.map((o, k) => (
              <li key={o.value}>
                <Swatch i={k} />
                {pick(o.label, o.value)}
              </li>
            ))}
          </ul>
          <div className="compare-grid">
            {data.domains.map((d) => {
              const domain = def.domains.find((x) => x.key === d.key);
              const name = pick(domain?.title, d.key);
              if (d.items.length === 0) return null;
              const chartLabel = t('compare.chart.label', {
                domain: name,
                scale: pick(scale?.label, scaleKey),
                count: data.assessments.length,
                from: ticks[0] ?? '',
                to: ticks[ticks.length - 1] ?? '',
              });
              return (
                <figure key={d.key} className="compare-domain" aria-labelledby={`${uid}-${d.key}`}>
                  <h3 id={`${uid}-${d.key}`}>{name}</h3>
                  <p className="muted small">{t('compare.axis', { scale: pick(scale?.label, scaleKey) })}</p>
                  <DomainChart
                    label={chartLabel}
                    ticks={ticks}
                    options={options}
                    counts={d.displayAidCounts}
                    items={d.items.length}
                    rtl={dir === 'rtl'}
                  />
                  <details>
                    <summary>{t('compare.dataTable')}</summary>
                    <div
                      className="table-wrap"
                      role="region"
                      tabIndex={0}
                      aria-label={t('compare.dataTable.label', { domain: name })}
                    >
                      <table className="table compare-table">
                        <caption className="visually-hidden">{t('compare.dataTable.label', { domain: name })}</caption>
                        <thead>
                          <tr>
                            <th scope="col">{pick(scale?.label, scaleKey)}</th>
                            {ticks.map((tk, i) => (
                              <th key={i} scope="col">
                                {tk}
                              </th>
                            ))}
                          </tr>
                        </thead>
                        <tbody>
                          {options.map((o) => (
                            <tr key={o.value}>
                              <th scope="row">{pick(o.label, o.value)}</th>
                              {d.displayAidCounts.map((c, i) => (
                                <td key={i}>{t('compare.items', { count: c[o.value] ?? 0 })}</td>
                              ))}
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </div>
                  </details>
                  <details>
                    <summary>{t('compare.itemTable')}</summary>
                    <div
                      className="table-wrap"
                      role="region"
                      tabIndex={0}
                      aria-label={t('compare.itemTable.label', { domain: name })}
                    >
                      <table className="table compare-table">
                        <caption className="visually-hidden">{t('compare.itemTable.label', { domain: name })}</caption>
                        <thead>
                          <tr>
                            <th scope="col">{t('compare.item')}</th>
                            {ticks.map((tk, i) => (
                              <th key={i} scope="col">
                                {tk}
                              </th>
                            ))}
                            <th scope="col">{t('compare.movement')}</th>
                          </tr>
                        </thead>
                        <tbody>
                          {d.items.map((it) => {
                            const moved = new Set(it.values.filter(Boolean)).size > 1;
                            return (
                              <tr key={it.code}>
                                <th scope="row" className="compare-item">
                                  {pick(itemTitles.get(it.code), it.code)}
                                  <bdi className="code compare-code">{it.code}</bdi>
                                </th>
                                {it.values.map((v, i) => (
                                  <td key={i}>{valueLabel(v)}</td>
                                ))}
                                <td>
                                  <span className={`recon-marker ${moved ? 'recon-differs' : 'recon-agreed'}`}>
                                    <Icon name={moved ? 'differs' : 'check'} />
                                    {moved ? t('compare.changed') : t('compare.unchanged')}
                                  </span>
                                </td>
                              </tr>
                            );
                          })}
                        </tbody>
                      </table>
                    </div>
                  </details>
                </figure>
              );
            })}
          </div>
        </>
      ) : null}
    </section>
  );
}
