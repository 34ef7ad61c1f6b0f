/** Pieces shared by the instrument screens: the JSON file picker, the list of problems in a file, localised text. */
import { forwardRef, useCallback, useId, useState } from 'react';
import type { ApiErrorDetail as SourceDetail } from '../../api/client';
import { useI18n } from '../../i18n/i18n-provider';
import type { LocalLabel } from '../../i18n/labels';
import type { MessageKey } from '../../i18n/locales';
import { describedBy, FieldShell } from '../../components/field';
import { useFieldMessage } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { MAX_BODY_BYTES, MAX_SOURCE_CHARS } from './api';

/** Instrument text in the user's language, else English, else any language it has; `lang` says which. */
export function useInstrumentText(): (text: LocalLabel | null | undefined) => { text: string; lang: string } | null {
  const { locale } = useI18n();
  return useCallback(
    (text) => {
      if (!text) return null;
      const order = [locale, 'en', 'ar', 'fr', 'ur'] as const;
      for (const l of order) if (text[l]) return { text: text[l], lang: l };
      return null;
    },
    [locale],
  );
}

/** The text of a chosen file, or why it cannot be sent. */
export type FileRead = { ok: true; text: string } | { ok: false; reason: 'unreadable' | 'tooLarge' };

/** Reads a picked file as text, refusing what the server would refuse for size. */
export async function readFile(file: File): Promise<FileRead> {
  let text: string;
  try {
    text = await file.text();
  } catch {
    // Chrome refuses to read a file that changed on disk after it was picked.
    return { ok: false, reason: 'unreadable' };
  }
  const bytes = new TextEncoder().encode(JSON.stringify({ source: text })).length;
  if (text.length > MAX_SOURCE_CHARS || bytes > MAX_BODY_BYTES - 1024) return { ok: false, reason: 'tooLarge' };
  return { ok: true, text };
}

/**
 * The file picked in a dialog, with its inline error: none picked yet, unreadable or too large.
 * `read` gives the file's text, or null once it has shown why the file cannot be sent.
 */
export function usePickedFile() {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const pick = (f: File | null) => {
    setFile(f);
    setMissing(false);
    setReadError(null);
  };
  const read = async (): Promise<string | null> => {
    setReadError(null);
    if (!file) {
      setMissing(true);
      return null;
    }
    const result = await readFile(file);
    if (!result.ok) {
      setReadError(result.reason === 'unreadable' ? t('instruments.file.unreadable') : t('instruments.file.tooLarge'));
      return null;
    }
    return result.text;
  };
  const error = missing ? t('instruments.file.required') : readError;
  return { name: file?.name ?? '', error, pick, reset: () => pick(null), read };
}

interface FilePickerProps {
  label: string;
  hint: string;
  error?: string | null;
  onPick: (file: File | null) => void;
}

/** A labelled <input type=file> for one JSON file, with hint and inline error. */
export const JsonFilePicker = forwardRef<HTMLInputElement, FilePickerProps>(function JsonFilePicker(
  { label, hint, error, onPick },
  ref,
) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error ?? undefined}>
      <input
        ref={ref}
        id={id}
        type="file"
        accept=".json,application/json"
        className="file-input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onPick(e.target.files?.[0] ?? null)}
      />
    </FieldShell>
  );
});

/**
 * Every problem of a file, one per line: "line L, column C — path: message (code)". Line and column
 * stay in Latin digits, as the administrator's editor shows them; paths and codes stay left to right.
 */
export function ProblemList({ details, label }: { details: SourceDetail[]; label: string }) {
  const t = useT();
  const codeText = useFieldMessage('instruments');
  const { locale } = useI18n();
  return (
    <ol className="problem-list" aria-label={label}>
      {details.map((d, i) => (
        <li key={`${i}-${d.path}-${d.code}`}>
          <span className="problem-head">
            {d.line !== undefined ? (
              <>
                <span className="problem-where">
                  {t('instruments.problem.at', { line: String(d.line), column: String(d.column ?? 1) })}
                </span>
                <span aria-hidden="true"> — </span>
              </>
            ) : null}
            <bdi>
              <code dir="ltr" className="problem-path">
                {d.path}
              </code>
            </bdi>
            :
          </span>{' '}
          <span className="problem-message">
            {d.message ? (
              <bdi lang={locale === 'en' ? undefined : 'en'}>{d.message}</bdi>
            ) : (
              <span>{codeText(d.code)}</span>
            )}{' '}
            <bdi>
              <code dir="ltr" className="problem-code">
                ({d.code})
              </code>
            </bdi>
          </span>
        </li>
      ))}
    </ol>
  );
}

/** An error alert over a file's problems: `title` is announced, `fix` says what to do, then the list. */
export function ProblemAlert({
  title,
  fix,
  details,
  file,
}: {
  title: string;
  fix: string;
  details: SourceDetail[];
  file: string;
}) {
  const t = useT();
  return (
    <div className="alert alert-error">
      <p className="alert-title" role="alert">
        {title}
      </p>
      <p>{fix}</p>
      <ProblemList details={details} label={t('instruments.problems.label', { file })} />
    </div>
  );
}

/** A chip with the version's status (active or retired). */
export function StatusChip({ status }: { status: string }) {
  const t = useT();
  return (
    <span className={`chip ${status === 'active' ? 'chip-ok' : 'chip-disabled'}`}>
      {t(status === 'active' ? 'instruments.status.active' : 'instruments.status.retired')}
    </span>
  );
}

/** A badge: shipped with Sanad, or imported by this organisation. */
export function SourceBadge({ shipped }: { shipped: boolean }) {
  const t = useT();
  return (
    <span className={`chip ${shipped ? 'chip-shipped' : 'chip-imported'}`}>
      {t(shipped ? 'instruments.source.shipped' : 'instruments.source.imported')}
    </span>
  );
}

/** Keys of the item kinds, for their localised names. */
export const KIND_KEYS: Record<string, MessageKey> = {
  risk: 'instruments.kind.risk',
  protective: 'instruments.kind.protective',
  motivation: 'instruments.kind.motivation',
  need: 'instruments.kind.need',
};
