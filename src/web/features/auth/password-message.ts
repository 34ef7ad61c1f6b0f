/** Password error wording shared by the invitation and change-password forms. */
import type { Translate } from '../../i18n/use-t';

/** Localised text for PASSWORD_* codes (and zod field codes on the password field). */
export function pwMessage(t: Translate, code: string): string {
  switch (code) {
    case 'PASSWORD_TOO_SHORT':
    case 'too_small':
      return t('error.PASSWORD_TOO_SHORT');
    case 'PASSWORD_COMMON':
      return t('error.PASSWORD_COMMON');
    case 'PASSWORD_WRONG':
      return t('error.PASSWORD_WRONG');
    default:
      return t('field.invalid');
  }
}
