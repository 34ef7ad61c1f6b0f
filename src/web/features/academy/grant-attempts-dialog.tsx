/** Giving a learner extra quiz attempts for one module (coordinators). */
import { useState } from 'react';
import { isApiError } from '../../api/client';
import { Dialog } from '../../components/dialog';
import { SelectField } from '../../components/field';
import { ErrorAlert, useFieldMessage } from '../../components/states';
import { useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { AcademyError } from './bits';
import { useGrantAttempts } from './staff-api';
import type { CohortDetail, LearnerRow } from './types';

const COUNTS = [1, 2, 3, 4, 5];

interface GrantProps {
  cohort: CohortDetail;
  myEmail: string | undefined;
  onClose: () => void;
}

/** Give a learner extra quiz attempts (1–5) for one module; open while `learner` is set. */
export function GrantAttemptsDialog({
  learner,
  onDone,
  ...rest
}: GrantProps & {
  learner: LearnerRow | null;
  onDone: (learner: LearnerRow, moduleNo: number, count: number) => void;
}) {
  const t = useT();
  return (
    <Dialog open={learner !== null} title={t('academy.grant.title')} onClose={rest.onClose}>
      {learner ? <GrantForm {...rest} learner={learner} onDone={(n, count) => onDone(learner, n, count)} /> : null}
    </Dialog>
  );
}

function GrantForm({
  cohort,
  learner,
  myEmail,
  onClose,
  onDone,
}: GrantProps & { learner: LearnerRow; onDone: (moduleNo: number, count: number) => void }) {
  const t = useT();
  const text = useLabel();
  const code = useFieldMessage('academy');
  const first =
    learner.current && cohort.modules.some((m) => m.id === learner.current)
      ? learner.current
      : (cohort.modules[0]?.id ?? '');
  const [moduleId, setModuleId] = useState(first);
  const [count, setCount] = useState(1);
  const grant = useGrantAttempts(cohort.id, learner.enrolmentId, {
    onSuccess: (v) => onDone(cohort.modules.findIndex((m) => m.id === v.moduleId) + 1, v.count),
  });
  const errs = grant.fieldErrors;
  const self = Boolean(myEmail && myEmail.toLowerCase() === learner.email.toLowerCase());
  const forbidden = isApiError(grant.error, 'FORBIDDEN');
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        grant.mutate({ moduleId, count });
      }}
    >
      <p>{t('academy.grant.lead', { name: learner.name })}</p>
      {forbidden ? (
        <ErrorAlert error={grant.error} message={self ? t('academy.grant.self') : undefined} />
      ) : grant.isError ? (
        <AcademyError error={grant.error} fields={['moduleId', 'count']} />
      ) : null}
      <div className="form-grid">
        <SelectField
          label={t('academy.grant.module')}
          required
          value={moduleId}
          error={code(errs.moduleId)}
          onChange={(e) => setModuleId(e.target.value)}
        >
          {cohort.modules.map((m, i) => (
            <option key={m.id} value={m.id}>
              {t('academy.grant.moduleOption', { n: i + 1, title: text(m.title, m.id) })}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('academy.grant.count')}
          value={count}
          error={code(errs.count)}
          onChange={(e) => setCount(Number(e.target.value))}
        >
          {COUNTS.map((n) => (
            <option key={n} value={n}>
              {t('academy.grant.countOption', { count: n })}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={grant.isPending || !moduleId}>
          {grant.isPending ? t('state.loading') : t('academy.grant.submit')}
        </button>
        <button type="button" className="btn btn-quiet" onClick={onClose}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}
