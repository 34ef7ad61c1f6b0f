/** Administration → Instruments: shipped and imported instruments by key with their version history; import, retire, wording. */
import '../../styles/instruments.css';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page';
import { EmptyState, ReadState, Announcer } from '../../components/states';
import { useI18n } from '../../i18n/i18n-provider';
import { useT } from '../../i18n/use-t';
import { useInstrumentActions } from './actions';
import { compareVersions, useInstruments } from './api';
import { SourceBadge, StatusChip, useInstrumentText } from './bits';
import { ImportDialog } from './import-dialog';
import type { VersionTarget } from './retire-dialog';
import type { InstrumentItem } from './types';

interface Group {
  key: string;
  title: string;
  /** Newest version first. */
  versions: InstrumentItem[];
}

/** The /admin/instruments page. */
export function InstrumentsPage() {
  const t = useT();
  const text = useInstrumentText();
  const { locale } = useI18n();
  const list = useInstruments();
  const [importing, setImporting] = useState(false);
  const actions = useInstrumentActions();
  const title = (i: InstrumentItem) => text(i.title)?.text ?? i.key;

  const groups = useMemo<Group[]>(() => {
    const byKey = new Map<string, InstrumentItem[]>();
    for (const i of list.data?.items ?? []) byKey.set(i.key, [...(byKey.get(i.key) ?? []), i]);
    const collator = new Intl.Collator(locale);
    return [...byKey.entries()]
      .map(([key, versions]) => {
        const sorted = [...versions].sort((a, b) => compareVersions(b.version, a.version));
        return { key, title: text(sorted[0]!.title)?.text ?? key, versions: sorted };
      })
      .sort((a, b) => collator.compare(a.title, b.title) || a.key.localeCompare(b.key));
  }, [list.data, locale, text]);

  const importButton = (
    <button type="button" className="btn btn-primary" onClick={() => setImporting(true)}>
      <Icon name="upload" />
      {t('instruments.import')}
    </button>
  );

  return (
    <>
      <PageHeader title={t('instruments.title')} lead={t('instruments.lead')} actions={importButton} />
      <Announcer text={actions.announce} />
      <ReadState
        read={list}
        empty={() =>
          groups.length === 0 && (
            <EmptyState title={t('instruments.empty')} actions={importButton}>
              <p>{t('instruments.empty.body')}</p>
            </EmptyState>
          )
        }
      >
        {(data) => (
          <>
            <p className="muted">
              {t('instruments.count', { instruments: groups.length, versions: data.items.length })}
            </p>
            {groups.map((g) => {
              const latest = g.versions[0]!;
              const headId = `instrument-${g.key}`;
              return (
                <section key={g.key} className="card instrument-group" aria-labelledby={headId}>
                  <div className="instrument-head">
                    <h2 id={headId}>
                      <span lang={text(latest.title)?.lang}>{g.title}</span>
                    </h2>
                    <code dir="ltr" className="instrument-key">
                      {g.key}
                    </code>
                  </div>
                  <p className="muted small">
                    {latest.certification ? (
                      <>
                        {t('instruments.certification')} <code dir="ltr">{latest.certification}</code>
                      </>
                    ) : (
                      t('instruments.certification.none')
                    )}
                  </p>
                  <div className="table-wrap">
                    <table className="table">
                      <caption className="visually-hidden">{t('instruments.history', { title: g.title })}</caption>
                      <thead>
                        <tr>
                          <th scope="col">{t('instruments.col.version')}</th>
                          <th scope="col">{t('instruments.col.title')}</th>
                          <th scope="col">{t('instruments.col.status')}</th>
                          <th scope="col">{t('instruments.col.source')}</th>
                          <th scope="col">
                            <span className="visually-hidden">{t('instruments.col.actions')}</span>
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {g.versions.map((v) => {
                          const target: VersionTarget = {
                            key: v.key,
                            version: v.version,
                            title: title(v),
                            certification: v.certification,
                          };
                          const notice = text(v.notice);
                          return (
                            <tr key={v.version} className={v.status === 'retired' ? 'row-retired' : undefined}>
                              <th scope="row">
                                <bdi dir="ltr" className="version">
                                  {v.version}
                                </bdi>
                              </th>
                              <td>
                                <span lang={text(v.title)?.lang}>{title(v)}</span>
                                {notice ? (
                                  <p className="instrument-notice" lang={notice.lang}>
                                    <Icon name="alert" />
                                    <span>{notice.text}</span>
                                  </p>
                                ) : null}
                              </td>
                              <td>
                                <StatusChip status={v.status} />
                              </td>
                              <td>
                                <SourceBadge shipped={v.shipped} />
                              </td>
                              <td className="row-actions">
                                <Link
                                  className="btn btn-small"
                                  to={`/admin/instruments/${encodeURIComponent(v.key)}/${encodeURIComponent(v.version)}`}
                                >
                                  {t('instruments.view')}
                                  <span className="visually-hidden">
                                    {' '}
                                    {t('instruments.versionOf', { title: title(v), version: v.version })}
                                  </span>
                                </Link>
                                <button
                                  type="button"
                                  className="btn btn-small btn-quiet"
                                  onClick={() => actions.setWording(target)}
                                >
                                  {t('instruments.wording')}
                                  <span className="visually-hidden">
                                    {' '}
                                    {t('instruments.versionOf', { title: title(v), version: v.version })}
                                  </span>
                                </button>
                                {!v.shipped && v.status === 'active' ? (
                                  <button
                                    type="button"
                                    className="btn btn-small btn-danger"
                                    onClick={() => actions.setRetiring(target)}
                                  >
                                    {t('instruments.retire')}
                                    <span className="visually-hidden">
                                      {' '}
                                      {t('instruments.versionOf', { title: title(v), version: v.version })}
                                    </span>
                                  </button>
                                ) : null}
                              </td>
                            </tr>
                          );
                        })}
                      </tbody>
                    </table>
                  </div>
                </section>
              );
            })}
          </>
        )}
      </ReadState>
      <ImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        onImported={(item) => {
          setImporting(false);
          actions.setAnnounce(t('instruments.imported', { title: title(item), version: item.version }));
        }}
      />
      {actions.dialogs}
    </>
  );
}
