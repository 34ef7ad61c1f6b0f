/** Localised role names as small chips. */
import { useDynamicT } from '../i18n/use-t';

/** The localised name of a role code. */
export function useRoleName(): (role: string) => string {
  const dt = useDynamicT();
  return (role) => dt(`role.${role}`, 'role.unknown', { role });
}

/** A list of role chips. */
export function RoleList({ roles }: { roles: readonly string[] }) {
  const name = useRoleName();
  if (roles.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="chips">
      {roles.map((r) => (
        <li key={r} className="chip">
          {name(r)}
        </li>
      ))}
    </ul>
  );
}
