/** A notice on a case with no consent given (e.g. just after intake), linking to the Consent tab. */
import { Link } from 'react-router';
import { useCan } from '../../api/abilities';
import { useT } from '../../i18n/use-t';
import { useConsents } from '../casework/api';

/** Shown while no consent is recorded as given; it goes once one is (the consent write refreshes the list). */
export function ConsentMissingNotice({ participantId }: { participantId: string }) {
  const can = useCan();
  return can('consent.read') ? <Notice participantId={participantId} /> : null;
}

function Notice({ participantId }: { participantId: string }) {
  const t = useT();
  const consents = useConsents(participantId);
  if (!consents.data || consents.data.items.some((c) => c.status === 'given')) return null;
  return (
    <div className="alert alert-warning" role="status">
      <p className="alert-title">{t('case.consentMissing.title')}</p>
      <p>
        {t('case.consentMissing.body')} <Link to="?tab=consent">{t('case.consentMissing.link')}</Link>
      </p>
    </div>
  );
}
