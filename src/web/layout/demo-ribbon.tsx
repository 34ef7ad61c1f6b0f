/** The persistent "demo data" ribbon, shown for demo deployments and demo tenants. */
import { useHealth, useMe } from '../api/queries';
import { useT } from '../i18n/use-t';

/** Renders the ribbon when /api/health says demo or the tenant is a demo tenant. */
export function DemoRibbon() {
  const t = useT();
  const health = useHealth();
  const me = useMe();
  const demo = Boolean(health.data?.demo || me.data?.tenant.isDemo);
  if (!demo) return null;
  return (
    <p className="demo-ribbon" role="note">
      <strong>{t('demo.ribbon')}</strong>
    </p>
  );
}
