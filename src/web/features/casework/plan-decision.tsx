/** The supervisor's decision on a submitted plan version: approve or return, confirmed in a dialog with an optional note. */
import { useState } from 'react';
import { ConflictNotice } from '../../components/conflict-notice';
import { Dialog } from '../../components/dialog';
import { TextAreaField } from '../../components/field';
import { ErrorAlert, useFieldMessage } from '../../components/states';
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
  const fm = useFieldMessage();
  const [asking, setAsking] = useState<Decision | null>(null);
  const [note, setNote] = useState('');
  const decide = useDecidePlan(participantId);
  const refresh = useRefreshCase(participantId);
  const n = version.number;
  const close = () => {
    setAsking(null);
    decide.reset();
  };
  const confirm = (decision: Decision) =>
    decide.mutate(
      { version, decision, note: note.trim() || undefined },
      {
        onSuccess: () => {
          setAsking(null);
          setNote('');
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
      <Dialog
        open={asking !== null}
        title={asking === 'return' ? t('plan.decide.confirm.return', { n }) : t('plan.decide.confirm.approve', { n })}
        onClose={close}
      >
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (asking) confirm(asking);
          }}
        >
          {decide.isError ? (
            decide.conflict ? (
              <ConflictNotice message={t('plan.decide.conflict')} onReload={() => void refresh()} />
            ) : (
              <ErrorAlert error={decide.error} highlighted={Boolean(decide.fieldErrors.note)} />
            )
          ) : null}
          <TextAreaField
            label={t('plan.decide.note')}
            hint={asking === 'return' ? t('plan.decide.note.hint') : t('plan.decide.note.optional')}
            maxLength={2000}
            value={note}
            error={fm(decide.fieldErrors.note)}
            onChange={(e) => setNote(e.target.value)}
          />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={decide.isPending}>
              {asking === 'return' ? t('plan.return') : t('plan.approve')}
            </button>
            <button type="button" className="btn" onClick={close}>
              {t('action.cancel')}
            </button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
