/** Inviting one learner into a cohort (coordinators): enrolled at once if they have an account, else a one-time link. */
import { useState } from 'react';
import { CopyButton } from '../../components/copy-button';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';
import { useFieldMessage } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { AcademyError } from './bits';
import { useEnrol } from './staff-api';
import type { CohortDetail } from './types';

/** The invite dialog of one cohort. */
export function CohortInviteDialog({
  cohort,
  open,
  onClose,
}: {
  cohort: CohortDetail;
  open: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const code = useFieldMessage('academy');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const invite = useEnrol(cohort.id);
  const close = () => {
    setEmail('');
    setName('');
    invite.reset();
    onClose();
  };
  const errCode = invite.fieldErrors.email;
  const nameErr = errCode === 'name_required' ? code(errCode) : code(invite.fieldErrors.name);
  const emailErr = errCode && errCode !== 'name_required' ? code(errCode) : undefined;
  const result = invite.data?.results[0];
  return (
    <Dialog open={open} title={t('academy.invite.title')} onClose={close}>
      {invite.data && result ? (
        <div className="stack">
          <p className="alert alert-success" role="status">
            {result.outcome === 'invite'
              ? t('academy.invite.invited', { email: result.email })
              : t('academy.invite.enrolled', { email: result.email })}
          </p>
          {result.link ? (
            <>
              <p>{t('academy.invite.linkOnce')}</p>
              <p className="link-box">
                <code dir="ltr">{result.link}</code>
              </p>
              <p>
                <CopyButton text={result.link} label={t('academy.invite.copyLink')} />
              </p>
            </>
          ) : null}
          <div className="form-actions">
            <button type="button" className="btn btn-primary" onClick={close}>
              {t('action.done')}
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => {
                setEmail('');
                setName('');
                invite.reset();
              }}
            >
              {t('academy.invite.another')}
            </button>
          </div>
        </div>
      ) : (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            invite.mutate({ email: email.trim(), name: name.trim() });
          }}
        >
          {invite.isError ? <AcademyError error={invite.error} fields={['email', 'name']} /> : null}
          <Field
            label={t('academy.invite.email')}
            type="email"
            required
            dir="ltr"
            autoComplete="off"
            maxLength={254}
            value={email}
            error={emailErr}
            onChange={(e) => setEmail(e.target.value)}
          />
          <Field
            label={t('academy.invite.name')}
            hint={t('academy.invite.nameHint')}
            dir="auto"
            autoComplete="off"
            maxLength={200}
            value={name}
            error={nameErr}
            onChange={(e) => setName(e.target.value)}
          />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={invite.isPending}>
              {invite.isPending ? t('state.loading') : t('academy.invite.submit')}
            </button>
            <button type="button" className="btn btn-quiet" onClick={close}>
              {t('action.cancel')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
