/** A section that exists in the navigation but is delivered in a later release. */
import { PageHeader } from '../components/page';
import { EmptyState } from '../components/states';
import type { MessageKey } from '../i18n/locales';
import { useT } from '../i18n/use-t';

const TITLES: Record<string, MessageKey> = {
  work: 'nav.work',
  overview: 'nav.overview',
  boards: 'nav.boards',
  learning: 'nav.learning',
  cohorts: 'nav.cohorts',
  statistics: 'nav.statistics',
};

const LEADS: Record<string, MessageKey> = {
  work: 'soon.work',
  overview: 'soon.overview',
  boards: 'soon.boards',
  learning: 'soon.learning',
  cohorts: 'soon.cohorts',
  statistics: 'soon.statistics',
};

/** The localised "coming in a later release" page of a section. */
export function ComingSoonPage({ section }: { section: string }) {
  const t = useT();
  return (
    <>
      <PageHeader title={t(TITLES[section] ?? 'soon.title')} />
      <EmptyState title={t('soon.title')}>
        <p>{t(LEADS[section] ?? 'soon.generic')}</p>
      </EmptyState>
    </>
  );
}
