/** Importing an instrument version from a JSON file: every problem listed with its line and column. */
import { useEffect, useRef, useState } from 'react';
import { errorDetails, isApiError } from '../../api/client';
import { Dialog } from '../../components/dialog';
import { ErrorAlert } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { useImportInstrument } from './api';
import { JsonFilePicker, ProblemAlert, usePickedFile } from './bits';
import { peekKeyVersion, withPositions } from './source';
import type { InstrumentItem } from './types';

/** The import dialog; `onImported` runs with the new version's summary. */
export function ImportDialog({
  open,
  onClose,
  onImported,
}: {
  open: boolean;
  onClose: () => void;
  onImported: (item: InstrumentItem) => void;
}) {
  const t = useT();
  const run = useImportInstrument();
  const picked = usePickedFile();
  const [text, setText] = useState('');
  const summaryRef = useRef<HTMLDivElement>(null);

  const reset = () => {
    picked.reset();
    setText('');
    run.reset();
  };
  const close = () => {
    reset();
    onClose();
  };
  // Problems are announced and focused, so a keyboard user lands on them.
  useEffect(() => {
    if (run.isError) summaryRef.current?.focus();
  }, [run.isError, run.error]);

  const submit = async () => {
    run.reset();
    const read = await picked.read();
    if (read === null) return;
    setText(read);
    run.mutate(read, {
      onSuccess: (item) => {
        reset();
        onImported(item);
      },
    });
  };

  const invalid = isApiError(run.error, 'VALIDATION_FAILED');
  const exists = isApiError(run.error, 'ALREADY_EXISTS');
  const details = invalid || exists ? withPositions(text, errorDetails(run.error), 'definition') : [];
  const peek = exists ? peekKeyVersion(text) : {};
  const shippedKey = exists && details.some((d) => d.code === 'shipped');

  return (
    <Dialog open={open} title={t('instruments.import.title')} onClose={close}>
      <form
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p>{t('instruments.import.lead')}</p>
        <JsonFilePicker
          label={t('instruments.import.file')}
          hint={t('instruments.import.fileHint')}
          error={picked.error}
          onPick={(f) => {
            picked.pick(f);
            run.reset();
          }}
        />
        {run.isError ? (
          <div ref={summaryRef} tabIndex={-1} className="problem-summary">
            {invalid ? (
              <ProblemAlert
                title={t('instruments.import.problems', { count: details.length, file: picked.name })}
                fix={t('instruments.import.fix')}
                details={details}
                file={picked.name}
              />
            ) : exists ? (
              <ProblemAlert
                title={
                  shippedKey
                    ? t('instruments.import.shippedKey', { key: peek.key ?? '' })
                    : t('instruments.import.versionExists', { key: peek.key ?? '', version: peek.version ?? '' })
                }
                fix={shippedKey ? t('instruments.import.shippedKey.fix') : t('instruments.import.versionExists.fix')}
                details={details}
                file={picked.name}
              />
            ) : (
              <ErrorAlert error={run.error} />
            )}
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={run.isPending}>
            {run.isPending ? t('instruments.import.importing') : t('instruments.import.submit')}
          </button>
          <button type="button" className="btn btn-quiet" onClick={close}>
            {t('action.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
