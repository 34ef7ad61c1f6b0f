/** The "new password" and "confirm" pair of the invitation and change-password forms. */
import { Field } from '../../components/field';
import { useT } from '../../i18n/use-t';
import { pwMessage } from './password-message';

export function NewPasswordFields(props: {
  value: string;
  confirm: string;
  /** The server's or the strength check's code for the new password, if any. */
  code?: string;
  mismatch: boolean;
  onChange: (v: string) => void;
  onConfirm: (v: string) => void;
}) {
  const t = useT();
  return (
    <>
      <Field
        label={t('password.new')}
        hint={t('password.rules')}
        type="password"
        name="new-password"
        autoComplete="new-password"
        required
        minLength={12}
        value={props.value}
        error={props.code ? pwMessage(t, props.code) : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <Field
        label={t('password.confirm')}
        type="password"
        name="confirm-password"
        autoComplete="new-password"
        required
        minLength={12}
        value={props.confirm}
        error={props.mismatch ? t('password.mismatch') : undefined}
        onChange={(e) => props.onConfirm(e.target.value)}
      />
    </>
  );
}
