/** Localised gate descriptions and reasons (the server sends a stable reason code with parameters). */
import { useIntl } from 'react-intl';
import { useI18n } from '../../i18n/i18n-provider';
import { useContentLabel } from '../../i18n/labels';
import { useDynamicT, useT } from '../../i18n/use-t';
import type { Gate } from '../../../core/program';
import type { GateResult } from './types';

/** Describes a gate (kind + parameters) and explains a gate result's reason. */
export function useGateText() {
  const t = useT();
  const dt = useDynamicT();
  const cl = useContentLabel();
  const { locale, calendar } = useI18n();
  const intl = useIntl();
  const list = (codes: string[]) =>
    new Intl.ListFormat(locale, { type: 'conjunction' }).format(codes.map((c) => cl('consent', c)));
  const describe = (g: Gate): string => {
    switch (g.kind) {
      case 'assessment_finalised':
        return t('gate.kind.assessment_finalised', { count: g.withinDays });
      case 'plan_approved':
        return t('gate.kind.plan_approved');
      case 'consents_recorded':
        return t('gate.kind.consents_recorded', { purposes: list(g.purposes) });
      case 'min_days_in_phase':
        return t('gate.kind.min_days_in_phase', { count: g.days });
      case 'board_decision':
        return t('gate.kind.board_decision');
      default:
        return dt(`gate.kind.${(g as { kind: string }).kind}`, 'gate.kind.unknown');
    }
  };
  const reason = (r: GateResult): string => {
    const p = r.params;
    switch (r.reason) {
      case 'ok':
        return t('gate.reason.ok');
      case 'no_assessment':
        return t('gate.reason.no_assessment', { count: Number(p.withinDays ?? 0) });
      case 'assessment_too_old':
        return t('gate.reason.assessment_too_old', { age: Number(p.ageDays ?? 0), count: Number(p.withinDays ?? 0) });
      case 'plan_not_approved':
        return t('gate.reason.plan_not_approved');
      case 'consent_missing':
        return t('gate.reason.consent_missing', {
          purposes: list(
            String(p.missing ?? '')
              .split(',')
              .filter(Boolean),
          ),
        });
      case 'too_early':
        return t('gate.reason.too_early', {
          elapsed: Number(p.elapsed ?? 0),
          days: Number(p.days ?? 0),
          count: Number(p.remaining ?? 0),
        });
      case 'no_board_decision':
        return t('gate.reason.no_board_decision');
      case 'board_approved':
        return t('gate.reason.board_approved', {
          date: intl.formatDate(new Date(String(p.decidedAt ?? '')), { dateStyle: 'medium', calendar }),
        });
      default:
        return dt(`gate.reason.${r.reason}`, 'gate.reason.unknown');
    }
  };
  return { describe, reason };
}
