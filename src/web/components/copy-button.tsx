/** Copies a text to the clipboard and says so (live region). */
import { useState } from 'react';
import { useT } from '../i18n/use-t';
import { Icon } from './icons';

/** A button that copies `text`; falls back to selecting nothing when the clipboard is unavailable. */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const t = useT();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <span className="copy">
      <button
        type="button"
        className="btn btn-small"
        onClick={() => {
          if (!navigator.clipboard) return setState('failed');
          navigator.clipboard.writeText(text).then(
            () => setState('copied'),
            () => setState('failed'),
          );
        }}
      >
        <Icon name="copy" />
        {label ?? t('action.copy')}
      </button>
      <span className="copy-status" role="status" aria-live="polite">
        {state === 'copied' ? t('copy.copied') : state === 'failed' ? t('copy.failed') : ''}
      </span>
    </span>
  );
}
