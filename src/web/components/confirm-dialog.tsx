/**
 * The one confirmation for a decision (approve, return, move a phase, override, withdraw, hand over…):
 * a dialog that names what will happen, an optional or required note where the decision is a judgement,
 * the server's refusal in place, and the decision sent only from its confirm button. Escape, the close
 * button and Cancel send nothing. The page announces the outcome itself (an Announcer status region).
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useT } from '../i18n/use-t';
import { Dialog } from './dialog';
import { TextAreaField } from './field';
import { useInvalidFocus } from './form-focus';
import { ErrorAlert, useFieldMessage } from './states';

/** The note the decision takes: its label, hint, whether it is required (and how long at least). */
export interface ConfirmNote {
  label: string;
  hint?: string;
  required?: boolean;
  /** Fewest characters when required (the server's own minimum; the server stays the authority). */
  minLength?: number;
  maxLength?: number;
  /** The text to start from (e.g. what the page's form already holds). */
  initial?: string;
  /** The server's detail code for the note, when it refused it. */
  error?: string;
}

interface ConfirmDialogProps {
  open: boolean;
  title: ReactNode;
  /** What will happen, in words (case code, from → to, …). */
  children: ReactNode;
  confirmLabel: string;
  tone?: 'primary' | 'danger';
  note?: ConfirmNote;
  pending?: boolean;
  /** The write's error: shown above the note (and focused) unless `conflict` takes its place. */
  error?: unknown;
  /** A version-conflict notice, shown instead of the error (and the confirm button disabled). */
  conflict?: ReactNode;
  onConfirm: (note: string) => void;
  onCancel: () => void;
}

/** A confirmation dialog for one decision. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  tone = 'primary',
  note,
  pending = false,
  error,
  conflict,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const t = useT();
  const fm = useFieldMessage();
  const leadId = useId();
  const [text, setText] = useState('');
  const [missing, setMissing] = useState<string | undefined>();
  const focus = useInvalidFocus(error);
  const initial = note?.initial ?? '';
  useEffect(() => {
    if (open) {
      setText(initial);
      setMissing(undefined);
    }
  }, [open, initial]);
  return (
    <Dialog open={open} title={title} onClose={onCancel}>
      <form
        ref={focus.ref}
        className="stack confirm"
        aria-describedby={leadId}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const value = text.trim();
          const min = note?.minLength ?? 1;
          const m = note?.required && value.length < min ? (value ? 'too_small' : 'required') : undefined;
          setMissing(m);
          if (m) {
            focus.refused();
            return;
          }
          onConfirm(value);
        }}
      >
        {conflict ? conflict : error ? <ErrorAlert error={error} highlighted={Boolean(note?.error)} /> : null}
        <div id={leadId} className="confirm-what">
          {children}
        </div>
        {note ? (
          <TextAreaField
            label={note.label}
            hint={note.hint}
            required={note.required}
            maxLength={note.maxLength ?? 2000}
            value={text}
            error={fm(missing ?? note.error)}
            onChange={(e) => setText(e.target.value)}
          />
        ) : null}
        <div className="form-actions">
          <button
            type="submit"
            className={tone === 'danger' ? 'btn btn-danger' : 'btn btn-primary'}
            disabled={pending || Boolean(conflict)}
          >
            {pending ? t('state.loading') : confirmLabel}
          </button>
          <button type="button" className="btn" onClick={onCancel}>
            {t('action.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
