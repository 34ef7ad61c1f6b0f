/** One instrument version: its domains and items (wording only when the reader is certified), scales, and the admin actions. */
import '../../styles/instruments.css';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page';
import { EmptyState, ErrorAlert, Loading, Announcer } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { useInstrumentActions } from './actions';
import { useInstrumentVersion } from './api';
import { KIND_KEYS, SourceBadge, StatusChip, useInstrumentText } from './bits';
import type { InstrumentDomain, Scale } from './types';

function ScaleList({ scales, caption }: { scales: Scale[]; caption: string }) {
  const text = useInstrumentText();
  return (
    <div>
      <h3>{caption}</h3>
      <dl className="kv scale-list">
        {scales.map((s) => (
          <div key={s.key} className="kv-row">
            <dt>
              <span lang={text(s.label)?.lang}>{text(s.label)?.text}</span> <code dir="ltr">{s.key}</code>
            </dt>
            <dd>{s.options.map((o) => text(o.label)?.text ?? o.value).join(' · ')}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function DomainSection({
  domain,
  scaleNames,
  level,
}: {
  domain: InstrumentDomain;
  scaleNames: Map<string, string>;
  level: 2 | 3 | 4;
}) {
  const t = useT();
  const text = useInstrumentText();
  const title = text(domain.title);
  const Heading = `h${level}` as const;
  const headId = `domain-${domain.key}`;
  return (
    <section className="instrument-domain" aria-labelledby={headId}>
      <Heading id={headId}>
        <span lang={title?.lang}>{title?.text ?? domain.key}</span>{' '}
        <code dir="ltr" className="instrument-key">
          {domain.key}
        </code>
      </Heading>
      {domain.items.length ? (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">
              {t('instruments.detail.itemsOf', { domain: title?.text ?? domain.key })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('instruments.detail.code')}</th>
                <th scope="col">{t('instruments.detail.item')}</th>
                <th scope="col">{t('instruments.detail.kind')}</th>
                <th scope="col">{t('instruments.detail.scales')}</th>
              </tr>
            </thead>
            <tbody>
              {domain.items.map((it) => {
                const itemTitle = text(it.title);
                const wording = text(it.wording);
                const guidance = text(it.guidance);
                return (
                  <tr key={it.code}>
                    <th scope="row">
                      <code dir="ltr">{it.code}</code>
                    </th>
                    <td>
                      <span className="strong" lang={itemTitle?.lang}>
                        {itemTitle?.text}
                      </span>
                      {wording ? (
                        <p className="item-wording" lang={wording.lang}>
                          {wording.text}
                        </p>
                      ) : null}
                      {guidance ? (
                        <p className="item-guidance small">
                          <span className="muted">{t('instruments.detail.guidance')} </span>
                          <span lang={guidance.lang}>{guidance.text}</span>
                        </p>
                      ) : null}
                      {it.evidenceRequired ? (
                        <p className="small muted">{t('instruments.detail.evidenceRequired')}</p>
                      ) : null}
                    </td>
                    <td>{KIND_KEYS[it.kind] ? t(KIND_KEYS[it.kind]!) : <code dir="ltr">{it.kind}</code>}</td>
                    <td>{it.scales.map((s) => scaleNames.get(s) ?? s).join(' · ')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {domain.subdomains.map((d) => (
        <DomainSection key={d.key} domain={d} scaleNames={scaleNames} level={level === 2 ? 3 : 4} />
      ))}
    </section>
  );
}

/** The /admin/instruments/:key/:version page. */
export function InstrumentDetailPage() {
  const t = useT();
  const text = useInstrumentText();
  const { key = '', version = '' } = useParams();
  const q = useInstrumentVersion(key, version);
  const actions = useInstrumentActions();
  const back = (
    <p className="breadcrumb">
      <Link to="/admin/instruments">{t('instruments.back')}</Link>
    </p>
  );
  if (q.isPending)
    return (
      <>
        {back}
        <Loading />
      </>
    );
  if (q.isError)
    return (
      <>
        {back}
        <PageHeader title={t('instruments.detail.title', { key, version })} />
        <ErrorAlert
          error={q.error}
          message={isApiError(q.error, 'NOT_FOUND') ? t('instruments.detail.gone') : undefined}
          onRetry={() => void q.refetch()}
        />
      </>
    );
  const d = q.data.definition;
  const title = text(d.title)?.text ?? d.key;
  const summary = text(d.summary);
  const notice = text(d.notice);
  const scaleNames = new Map(d.scales.map((s) => [s.key, text(s.label)?.text ?? s.key]));
  const target = { key: d.key, version: d.version, title, certification: d.certification ?? null };
  const itemCount = (doms: InstrumentDomain[]): number =>
    doms.reduce((n, x) => n + x.items.length + itemCount(x.subdomains), 0);

  return (
    <>
      {back}
      <PageHeader
        title={t('instruments.versionOf', { title, version: d.version })}
        lead={summary ? <span lang={summary.lang}>{summary.text}</span> : undefined}
        actions={
          <>
            <button type="button" className="btn" onClick={() => actions.setWording(target)}>
              <Icon name="upload" />
              {t('instruments.wording')}
            </button>
            {!q.data.shipped && q.data.status === 'active' ? (
              <button type="button" className="btn btn-danger" onClick={() => actions.setRetiring(target)}>
                {t('instruments.retire')}
              </button>
            ) : null}
          </>
        }
      />
      <Announcer text={actions.announce} />
      {notice ? (
        <p className="alert alert-warning instrument-banner" lang={notice.lang}>
          <Icon name="alert" />
          <span>{notice.text}</span>
        </p>
      ) : null}
      <dl className="kv card instrument-facts">
        <dt>{t('instruments.detail.key')}</dt>
        <dd>
          <code dir="ltr">{d.key}</code>
        </dd>
        <dt>{t('instruments.col.version')}</dt>
        <dd>
          <bdi dir="ltr">{d.version}</bdi>
        </dd>
        <dt>{t('instruments.col.status')}</dt>
        <dd>
          <StatusChip status={q.data.status} />
        </dd>
        <dt>{t('instruments.col.source')}</dt>
        <dd>
          <SourceBadge shipped={q.data.shipped} />
        </dd>
        <dt>{t('instruments.cert.certification')}</dt>
        <dd>{d.certification ? <code dir="ltr">{d.certification}</code> : t('instruments.certification.none')}</dd>
        <dt>{t('instruments.detail.items')}</dt>
        <dd>{t('instruments.detail.itemCount', { count: itemCount(d.domains), domains: d.domains.length })}</dd>
        {d.reassessEveryDays ? (
          <>
            <dt>{t('instruments.detail.reassess')}</dt>
            <dd>{t('instruments.detail.reassessDays', { count: d.reassessEveryDays })}</dd>
          </>
        ) : null}
      </dl>
      {q.data.wordingHidden ? (
        <div className="alert alert-info">
          <p className="alert-title">
            <Icon name="lock" /> {t('instruments.detail.wordingHidden')}
          </p>
          <p>{t('instruments.detail.wordingHidden.body', { certification: d.certification ?? '' })}</p>
        </div>
      ) : null}
      <section className="card instrument-scales" aria-labelledby="scales-head">
        <h2 id="scales-head">{t('instruments.detail.scalesTitle')}</h2>
        <ScaleList scales={d.scales} caption={t('instruments.detail.ratingScales')} />
        <ScaleList scales={d.judgements} caption={t('instruments.detail.judgements')} />
      </section>
      <section aria-labelledby="domains-head" className="instrument-domains">
        <h2 id="domains-head">{t('instruments.detail.domains')}</h2>
        {d.domains.length === 0 ? (
          <EmptyState title={t('instruments.detail.noDomains')} />
        ) : (
          d.domains.map((dom) => <DomainSection key={dom.key} domain={dom} scaleNames={scaleNames} level={3} />)
        )}
      </section>
      {actions.dialogs}
    </>
  );
}
