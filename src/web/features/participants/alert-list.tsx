/** Case alerts as icon + text chips (never colour alone). */
import { Icon } from '../../components/icons';
import { useDynamicT } from '../../i18n/use-t';

/** A list of alert chips, or a dash when there is none. */
export function AlertList({ alerts }: { alerts: readonly string[] | undefined }) {
  const dt = useDynamicT();
  if (!alerts || alerts.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="chips">
      {alerts.map((a) => (
        <li key={a} className="chip chip-alert">
          <Icon name="alert" />
          <span>{dt(`alert.${a}`, 'alert.unknown')}</span>
        </li>
      ))}
    </ul>
  );
}
