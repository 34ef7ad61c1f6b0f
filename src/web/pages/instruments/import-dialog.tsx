/** Importing an instrument version from a JSON file: every problem listed with its line and column. */
import { useEffect, useRef, useState } from 'react';
import type { InstrumentItem } from '../../api/assessments';
import { isApiError } from '../../api/client';
import { sourceDetails, useImportInstrument } from '../../api/instruments';
import { Dialog } from '../../components/dialog';
import { ErrorAlert } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { JsonFilePicker, ProblemList, readFile, useFileReadMessage } from './bits';
import { peekKeyVersion, withPositions } from './source';

/** The import dialog; `onImported` runs with the new version's summary. */
export function ImportDialog({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported: (item: InstrumentItem) => void }) {
  const t = useT();
  const fileMessage = useFileReadMessage();
  const run = useImportInstrument();
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);

  const reset = () => {
    setFile(null);
    setText('');
    setFileError(null);
    setMissing(false);
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
    setFileError(null);
    run.reset();
    if (!file) {
      setMissing(true);
      return;
    }
    const read = await readFile(file);
    if (!read.ok) {
      setFileError(fileMessage(read.reason));
      return;
    }
    setText(read.text);
    run.mutate(read.text, {
      onSuccess: (item) => {
        reset();
        onImported(item);
      },
    });
  };

  const invalid = isApiError(run.error, 'VALIDATION_FAILED');
  const exists = isApiError(run.error, 'ALREADY_EXISTS');
  const details = invalid || exists ? withPositions(text, sourceDetails(run.error), 'definition') : [];
  const peek = exists ? peekKeyVersion(text) : {};
  const shippedKey = exists && details.some((d) => d.code === 'shipped');
  const fileName = file?.name ?? '';

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
          error={missing ? t('instruments.file.required') : fileError}
          onPick={(f) => {
            setFile(f);
            setMissing(false);
            setFileError(null);
            run.reset();
          }}
        />
        {run.isError ? (
          <div ref={summaryRef} tabIndex={-1} className="problem-summary">
            {invalid ? (
              <div className="alert alert-error">
                <p className="alert-title" role="alert">
                  {t('instruments.import.problems', { count: details.length, file: fileName })}
                </p>
                <p>{t('instruments.import.fix')}</p>
                <ProblemList details={details} label={t('instruments.problems.label', { file: fileName })} />
              </div>
            ) : exists ? (
              <div className="alert alert-error">
                <p className="alert-title" role="alert">
                  {shippedKey
                    ? t('instruments.import.shippedKey', { key: peek.key ?? '' })
                    : t('instruments.import.versionExists', { key: peek.key ?? '', version: peek.version ?? '' })}
                </p>
                <p>{shippedKey ? t('instruments.import.shippedKey.fix') : t('instruments.import.versionExists.fix')}</p>
                <ProblemList details={details} label={t('instruments.problems.label', { file: fileName })} />
              </div>
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
