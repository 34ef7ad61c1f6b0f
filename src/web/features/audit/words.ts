/** Words for the codes of the audit trail, the access log and the timeline (raw codes stay available as titles). */
import { useCallback } from 'react';
import {
  auditActionKey,
  auditPurposeKey,
  isAuditAction,
  isAuditEntityType,
  knownPurpose,
} from '../../../core/audit-actions';
import { useDynamicT, useT } from '../../i18n/use-t';

/** A stored purpose (`code: free text`) as words for its code and the free text after it. */
export interface PurposeWords {
  words: string;
  text: string | null;
}

/** Looks up the words of action and purpose codes in the current language. */
export function useAuditWords() {
  const t = useT();
  const dt = useDynamicT();
  const action = useCallback(
    (code: string): string => (isAuditAction(code) ? t(auditActionKey(code)) : t('audit.action.unknown')),
    [t],
  );
  const purpose = useCallback(
    (stored: string): PurposeWords => {
      const code = knownPurpose(stored);
      const rest = stored.includes(':') ? stored.slice(stored.indexOf(':') + 1).trim() : '';
      if (!code) return { words: stored, text: null };
      return { words: t(auditPurposeKey(code)), text: rest || null };
    },
    [t],
  );
  const role = useCallback((code: string): string => dt(`role.${code}`, 'role.unknown', { role: code }), [dt]);
  const entity = useCallback(
    (code: string): string => (isAuditEntityType(code) ? t(`audit.entity.${code}`) : t('audit.entity.unknown')),
    [t],
  );
  return { action, purpose, role, entity };
}
