/** 404 and 403 pages inside the signed-in shell. */
import { Link } from 'react-router';
import { PageHeader } from '../components/page';
import { EmptyState } from '../components/states';
import { useT } from '../i18n/use-t';

/** Nothing lives at this address. */
export function NotFoundPage() {
  const t = useT();
  return (
    <>
      <PageHeader title={t('notFound.title')} />
      <EmptyState title={t('notFound.body')} actions={<Link to="/">{t('notFound.home')}</Link>} />
    </>
  );
}

/** The user's roles do not include this section. */
export function ForbiddenPage() {
  const t = useT();
  return (
    <>
      <PageHeader title={t('forbidden.title')} />
      <EmptyState title={t('forbidden.body')} actions={<Link to="/">{t('notFound.home')}</Link>} />
    </>
  );
}
