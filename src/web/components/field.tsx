/**
 * The form pieces every feature uses: a labelled control (input, select, text area) with its hint and
 * inline error wired through aria-describedby, and the one field-error line for hand-built controls.
 */
import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';

interface Wrap {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  className?: string;
}

/** The ids a control names in aria-describedby: its hint, any extra, and its error. */
export function describedBy(id: string, hint: unknown, error: unknown, ...extra: (string | false | undefined)[]) {
  return [hint ? `${id}-hint` : '', ...extra, error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
}

/** An inline field error, named `<id>-err` for the control's aria-describedby (nothing when there is none). */
export function FieldError({ id, children }: { id?: string; children: ReactNode }) {
  if (!children) return null;
  return (
    <p className="field-error" id={id ? `${id}-err` : undefined}>
      {children}
    </p>
  );
}

/** The wrapper of one labelled control: label, hint, the control, its error. */
export function FieldShell({
  id,
  label,
  hint,
  error,
  className,
  children,
}: Wrap & { id: string; children: ReactNode }) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children}
      <FieldError id={id}>{error}</FieldError>
    </div>
  );
}

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  hint?: ReactNode;
  error?: string;
}

/** A text-like <input> with its <label>, hint and error. */
export function Field({ label, hint, error, id, className, ...input }: FieldProps) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <FieldShell id={fid} label={label} hint={hint} error={error} className={className}>
      <input
        id={fid}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fid, hint, error)}
        {...input}
      />
    </FieldShell>
  );
}

/** A <select> with label, hint and error. */
export function SelectField({
  label,
  hint,
  error,
  className,
  children,
  id,
  ...rest
}: Wrap & SelectHTMLAttributes<HTMLSelectElement>) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <FieldShell id={fid} label={label} hint={hint} error={error} className={className}>
      <select
        id={fid}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fid, hint, error)}
        {...rest}
      >
        {children}
      </select>
    </FieldShell>
  );
}

/** A <textarea> with label, hint and error. */
export function TextAreaField({
  label,
  hint,
  error,
  className,
  id,
  ...rest
}: Wrap & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <FieldShell id={fid} label={label} hint={hint} error={error} className={className}>
      <textarea
        id={fid}
        dir="auto"
        rows={3}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fid, hint, error)}
        {...rest}
      />
    </FieldShell>
  );
}

/** The entry of a fixed list a <select> chose (undefined for anything else, such as the empty choice). */
export function chosen<T extends string>(list: readonly T[], value: string): T | undefined {
  return list.find((x) => x === value);
}
