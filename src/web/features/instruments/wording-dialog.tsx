/**
 * A licensee's item wording for one version: a JSON file of item code → wording/guidance per language,
 * checked here for syntax (line and column) and sent as PUT …/wording { items }.
 */
import { useEffect, useRef, useState } from 'react';
import { errorDetails, isApiError, type ApiErrorDetail as SourceDetail } from '../../api/client';
import { Dialog } from '../../components/dialog';
import { ErrorAlert } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { useUploadWording } from './api';
import { JsonFilePicker, ProblemAlert, usePickedFile } from './bits';
import type { VersionTarget } from './retire-dialog';
import { syntaxProblems, withPositions } from './source';
import type { WordingItems } from './types';

const EXAMPLE = `{
  "items": {
    "d1.a": {
      "wording": { "en": "…", "ar": "…", "ur": "…", "fr": "…" },
      "guidance": { "en": "…" }
    }
  }
}`;

/** The file's items, accepting { "items": { … } } or the map of items alone; `extra` names stray top-level fields. */
function itemsOf(text: string): { items: WordingItems; strip: string | null; extra: string[] } | null {
  const v: unknown = JSON.parse(text);
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  if ('items' in o && o.items && typeof o.items === 'object' && !Array.isArray(o.items)) {
    return { items: o.items as WordingItems, strip: null, extra: Object.keys(o).filter((k) => k !== 'items') };
  }
  return { items: o as WordingItems, strip: 'items', extra: [] };
}

/** The upload dialog for one version (null = closed). */
export function WordingDialog({
  target,
  onClose,
  onUploaded,
}: {
  target: VersionTarget | null;
  onClose: () => void;
  onUploaded: (t: VersionTarget, count: number) => void;
}) {
  const t = useT();
  const upload = useUploadWording();
  const picked = usePickedFile();
  const [text, setText] = useState('');
  const [strip, setStrip] = useState<string | null>(null);
  const [local, setLocal] = useState<SourceDetail[] | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);

  const reset = () => {
    picked.reset();
    setText('');
    setLocal(null);
    upload.reset();
  };
  const close = () => {
    reset();
    onClose();
  };
  const serverInvalid = isApiError(upload.error, 'VALIDATION_FAILED');
  const problems = local ?? (serverInvalid ? withPositions(text, errorDetails(upload.error), strip) : null);
  useEffect(() => {
    if (local || upload.error) summaryRef.current?.focus();
  }, [local, upload.error]);

  const submit = async () => {
    if (!target) return;
    setLocal(null);
    upload.reset();
    const read = await picked.read();
    if (read === null) return;
    setText(read);
    const syntax = syntaxProblems(read);
    if (syntax.length) {
      setLocal(syntax);
      return;
    }
    const parsed = itemsOf(read);
    if (!parsed) {
      setLocal([{ path: '(file)', code: 'wording_shape', line: 1, column: 1 }]);
      return;
    }
    if (parsed.extra.length) {
      setLocal(
        withPositions(
          read,
          parsed.extra.map((k) => ({ path: k, code: 'unknown_field' })),
          null,
        ),
      );
      return;
    }
    setStrip(parsed.strip);
    upload.mutate(
      { key: target.key, version: target.version, items: parsed.items },
      {
        onSuccess: () => {
          reset();
          onUploaded(target, Object.keys(parsed.items).length);
        },
      },
    );
  };

  return (
    <Dialog open={target !== null} title={t('instruments.wording.title')} onClose={close}>
      {target ? (
        <form
          className="stack"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <p className="strong">{t('instruments.wording.which', { title: target.title, version: target.version })}</p>
          <p>
            {target.certification
              ? t('instruments.wording.lead', { certification: target.certification })
              : t('instruments.wording.leadOpen')}
          </p>
          <p>{t('instruments.wording.replaces')}</p>
          <details className="format-example">
            <summary>{t('instruments.wording.format')}</summary>
            <p className="hint">{t('instruments.wording.formatHint')}</p>
            <pre dir="ltr" lang="en">
              <code>{EXAMPLE}</code>
            </pre>
          </details>
          <JsonFilePicker
            label={t('instruments.wording.file')}
            hint={t('instruments.wording.fileHint')}
            error={picked.error}
            onPick={(f) => {
              picked.pick(f);
              setLocal(null);
              upload.reset();
            }}
          />
          {problems || upload.isError ? (
            <div ref={summaryRef} tabIndex={-1} className="problem-summary">
              {problems ? (
                <ProblemAlert
                  title={t('instruments.import.problems', { count: problems.length, file: picked.name })}
                  fix={t('instruments.wording.fix')}
                  details={problems}
                  file={picked.name}
                />
              ) : (
                <ErrorAlert
                  error={upload.error}
                  message={isApiError(upload.error, 'NOT_FOUND') ? t('instruments.detail.gone') : undefined}
                />
              )}
            </div>
          ) : null}
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={upload.isPending}>
              {upload.isPending ? t('instruments.wording.uploading') : t('instruments.wording.submit')}
            </button>
            <button type="button" className="btn btn-quiet" onClick={close}>
              {t('action.cancel')}
            </button>
          </div>
        </form>
      ) : null}
    </Dialog>
  );
}
