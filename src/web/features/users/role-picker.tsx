/** Checkbox group of every role, with localised names. */
import { ROLES, type Role } from '../../../core/roles';
import { FieldError } from '../../components/field';
import { useRoleName } from '../../components/role-list';
import { useT } from '../../i18n/use-t';

interface Props {
  value: readonly Role[];
  onChange: (roles: Role[]) => void;
  error?: string;
  name: string;
}

/** A fieldset of role checkboxes. */
export function RolePicker({ value, onChange, error, name }: Props) {
  const t = useT();
  const roleName = useRoleName();
  const errId = `${name}-err`;
  return (
    <fieldset
      className={`field role-picker${error ? ' field-invalid' : ''}`}
      aria-describedby={error ? errId : undefined}
    >
      <legend>{t('users.roles')}</legend>
      <div className="role-grid">
        {ROLES.map((r) => (
          <label key={r} className="choice">
            <input
              type="checkbox"
              name={name}
              value={r}
              checked={value.includes(r)}
              onChange={(e) => onChange(e.target.checked ? [...value, r] : value.filter((x) => x !== r))}
            />
            {roleName(r)}
          </label>
        ))}
      </div>
      <FieldError id={name}>{error}</FieldError>
    </fieldset>
  );
}
