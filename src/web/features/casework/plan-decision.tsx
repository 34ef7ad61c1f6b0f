/** The supervisor's decision on a submitted plan version: approve or return, confirmed in a dialog with an optional note. */
import { useState } from 'react';
import { ConflictNotice } from '../../components/conflict-notice';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useT } from '../../i18n/use-t';
import { useDecidePlan, useRefreshCase } from './api';
import type { PlanVersion } from './types';

type Decision = 'approve' | 'return';

/** The decision card; `onDone` receives the words to announce once the decision is recorded. */
export function PlanDecision({
  version,
  participantId,
  onDone,
}: {
  version: PlanVersion;
  participantId: string;
  onDone: (message: string) => void;
}) {
  const t = useT();
  const [asking, setAsking] = useState<Decision | null>(null);
  const decide = useDecidePlan(participantId);
  const refresh = useRefreshCase(participantId);
  const n = version.number;
  const close = () => {
    setAsking(null);
    decide.reset();
  };
  const confirm = (decision: Decision, note: string) =>
    decide.mutate(
      { version, decision, note: note || undefined },
      {
        onSuccess: () => {
          setAsking(null);
          onDone(decision === 'approve' ? t('plan.decide.done.approve', { n }) : t('plan.decide.done.return', { n }));
        },
      },
    );
  return (
    <div className="card stack">
      <h3>{t('plan.decide.title', { n })}</h3>
      <p>{t('plan.decide.lead')}</p>
      <div className="form-actions">
        <button type="button" className="btn btn-primary" onClick={() => setAsking('approve')}>
          {t('plan.approve')}
        </button>
        <button type="button" className="btn" onClick={() => setAsking('return')}>
          {t('plan.return')}
        </button>
      </div>
      <ConfirmDialog
        open={asking !== null}
        title={asking === 'return' ? t('plan.decide.confirm.return', { n }) : t('plan.decide.confirm.approve', { n })}
        confirmLabel={asking === 'return' ? t('plan.return') : t('plan.approve')}
        note={{
          label: t('plan.decide.note'),
          hint: asking === 'return' ? t('plan.decide.note.hint') : t('plan.decide.note.optional'),
          error: decide.fieldErrors.note,
        }}
        pending={decide.isPending}
        error={decide.error}
        conflict={
          decide.conflict ? (
            <ConflictNotice message={t('plan.decide.conflict')} onReload={() => void refresh()} />
          ) : undefined
        }
        onConfirm={(note) => asking && confirm(asking, note)}
        onCancel={close}
      >
        <p>{asking === 'return' ? t('casework.plan.what.return', { n }) : t('casework.plan.what.approve', { n })}</p>
      </ConfirmDialog>
    </div>
  );
}
