/** Revoking a learner's certificate with a reason (coordinators; the instrument certifications it granted go too). */
import { useState } from 'react';
import { Dialog } from '../../components/dialog';
import { TextAreaField } from '../../components/field';
import { useFieldMessage } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { AcademyError } from './bits';
import { useRevokeCertificate } from './staff-api';
import type { LearnerRow } from './types';

const REASON_MIN = 3;
const REASON_MAX = 500;

/** Revoke one learner's certificate with a reason (3–500 characters); open while `learner` is set. */
export function RevokeCertificateDialog({
  cohortId,
  learner,
  onClose,
  onDone,
}: {
  cohortId: string;
  learner: LearnerRow | null;
  onClose: () => void;
  onDone: (learner: LearnerRow) => void;
}) {
  const t = useT();
  return (
    <Dialog open={learner !== null} title={t('academy.revoke.title')} onClose={onClose}>
      {learner ? (
        <RevokeForm cohortId={cohortId} learner={learner} onClose={onClose} onDone={() => onDone(learner)} />
      ) : null}
    </Dialog>
  );
}

function RevokeForm({
  cohortId,
  learner,
  onClose,
  onDone,
}: {
  cohortId: string;
  learner: LearnerRow;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const code = useFieldMessage('academy');
  const [reason, setReason] = useState('');
  const [short, setShort] = useState(false);
  const revoke = useRevokeCertificate(cohortId, { onSuccess: onDone });
  const serverReason = revoke.fieldErrors.reason;
  const reasonErr = short
    ? t('academy.revoke.reasonLength', { min: REASON_MIN, max: REASON_MAX })
    : serverReason
      ? /^too_(small|big)$/.test(serverReason)
        ? t('academy.revoke.reasonLength', { min: REASON_MIN, max: REASON_MAX })
        : code(serverReason)
      : undefined;
  return (
    <form
      className="stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const r = reason.trim();
        const bad = r.length < REASON_MIN || r.length > REASON_MAX;
        setShort(bad);
        if (!bad && learner.certificateId) revoke.mutate({ id: learner.certificateId, reason: r });
      }}
    >
      <p>{t('academy.revoke.whose', { name: learner.name, code: learner.certificate ?? '' })}</p>
      <p className="alert alert-warning">{t('academy.revoke.effect')}</p>
      {!learner.certificateId ? <p className="alert alert-error">{t('academy.revoke.noId')}</p> : null}
      {revoke.isError ? <AcademyError error={revoke.error} fields={['reason']} /> : null}
      <TextAreaField
        label={t('academy.revoke.reason')}
        hint={t('academy.revoke.reasonHint', { min: REASON_MIN, max: REASON_MAX })}
        required
        maxLength={REASON_MAX}
        value={reason}
        error={reasonErr}
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-danger" disabled={revoke.isPending || !learner.certificateId}>
          {revoke.isPending ? t('state.loading') : t('academy.revoke.submit')}
        </button>
        <button type="button" className="btn btn-quiet" onClick={onClose}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}
