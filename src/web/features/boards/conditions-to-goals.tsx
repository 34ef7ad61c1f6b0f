/**
 * A decision's conditions become plan goals in one step, for the case team (plan.write): choose the
 * plan domain, add; once added, the decision says when. The plan then goes back for approval.
 */
import { useState } from 'react';
import { useCan } from '../../api/abilities';
import { DateTime } from '../../components/date-time';
import { SelectField } from '../../components/field';
import { useInvalidFocus } from '../../components/form-focus';
import { Announcer, ErrorAlert, useFieldMessage } from '../../components/states';
import { useContentLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { DOMAINS } from '../casework/vocabulary';
import { useConditionsToGoals, type AgendaItem } from './api';

export function ConditionsToGoals({ meetingId, item }: { meetingId: string; item: AgendaItem }) {
  const t = useT();
  const cl = useContentLabel();
  const fm = useFieldMessage();
  const can = useCan();
  const d = item.decision;
  const [domain, setDomain] = useState('');
  const [missing, setMissing] = useState<string | undefined>();
  const [done, setDone] = useState('');
  const add = useConditionsToGoals(meetingId, item.participantId, {
    onSuccess: (r) => setDone(t('boards.toGoals.done', { count: r.goalIds.length, code: item.code })),
  });
  const focus = useInvalidFocus(add.error);
  if (!d || d.conditions.length === 0) return null;
  if (d.conditionsAppliedAt)
    return (
      <p className="muted small">
        {t('boards.toGoals.applied')} <DateTime value={d.conditionsAppliedAt} mode="date" />
      </p>
    );
  if (!can('plan.write')) return null;
  return (
    <form
      ref={focus.ref}
      className="stack to-goals"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!domain) {
          setMissing('required');
          focus.refused();
          return;
        }
        setMissing(undefined);
        add.mutate({ decisionId: d.id, domain });
      }}
    >
      <SelectField
        label={t('boards.toGoals.domain')}
        hint={t('boards.toGoals.hint')}
        value={domain}
        required
        error={fm(missing)}
        onChange={(e) => setDomain(e.target.value)}
      >
        <option value="">{t('intake.choose')}</option>
        {DOMAINS.map((k) => (
          <option key={k} value={k}>
            {cl('domain', k)}
          </option>
        ))}
      </SelectField>
      {add.error ? <ErrorAlert error={add.error} /> : null}
      <div className="form-actions">
        <button type="submit" className="btn" disabled={add.isPending}>
          {t('boards.toGoals.add')}
        </button>
      </div>
      <Announcer text={done} />
    </form>
  );
}
