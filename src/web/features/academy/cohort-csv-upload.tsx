/** Enrolling learners from a CSV file: every row checked first, then the good rows enrolled all at once. */
import { useEffect, useId, useRef, useState } from 'react';
import { CopyButton } from '../../components/copy-button';
import { describedBy, FieldShell } from '../../components/field';
import { Icon } from '../../components/icons';
import { Loading, useFieldMessage } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { AcademyError } from './bits';
import { useEnrol } from './staff-api';
import type { CohortDetail, EnrolResultRow } from './types';

/** The largest file the server takes (characters of CSV text). */
const MAX_CSV_CHARS = 200_000;

/** One CSV row's result in words. */
function Outcome({ r, committed }: { r: EnrolResultRow; committed: boolean }) {
  const t = useT();
  const code = useFieldMessage('academy');
  if (r.outcome === 'error')
    return (
      <span className="outcome outcome-error">
        <Icon name="cross" />
        {code(r.code)}
      </span>
    );
  return (
    <span className="outcome outcome-ok">
      <Icon name="check" />
      {r.outcome === 'invite'
        ? committed
          ? t('academy.csv.invited')
          : t('academy.csv.willInvite')
        : committed
          ? t('academy.csv.enrolled')
          : t('academy.csv.willEnrol')}
    </span>
  );
}

function ResultTable({ rows, committed, caption }: { rows: EnrolResultRow[]; committed: boolean; caption: string }) {
  const t = useT();
  return (
    <div className="table-wrap csv-table" role="region" tabIndex={0} aria-label={caption}>
      <table className="table table-dense">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('academy.csv.line')}</th>
            <th scope="col">{t('academy.invite.email')}</th>
            <th scope="col">{t('academy.csv.result')}</th>
            {committed ? <th scope="col">{t('academy.csv.link')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.line}-${r.email}`} className={r.outcome === 'error' ? 'row-error' : undefined}>
              <td>
                <bdi>{r.line}</bdi>
              </td>
              <td>
                <bdi dir="ltr">{r.email || '—'}</bdi>
              </td>
              <td>
                <Outcome r={r} committed={committed} />
              </td>
              {committed ? (
                <td>{r.link ? <CopyButton text={r.link} label={t('academy.invite.copyLink')} /> : null}</td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Choose a CSV file → preview every row → enrol the good rows (all or nothing) → the result with invitation links. */
export function CsvUpload({ cohort, onClose }: { cohort: CohortDetail; onClose: () => void }) {
  const t = useT();
  const fileId = useId();
  const headRef = useRef<HTMLHeadingElement>(null);
  const [csv, setCsv] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [onlyProblems, setOnlyProblems] = useState(false);
  // One hook, two uses: checking every row (commit: false), then enrolling the good ones (commit: true).
  const preview = useEnrol(cohort.id);
  const commit = useEnrol(cohort.id);
  useEffect(() => headRef.current?.focus(), []);

  const choose = async (file: File | undefined) => {
    preview.reset();
    commit.reset();
    setCsv(null);
    setFileError(null);
    if (!file) return;
    setFileName(file.name);
    const text = await file.text();
    if (text.length > MAX_CSV_CHARS) {
      setFileError(t('academy.csv.tooLarge'));
      return;
    }
    setCsv(text);
    preview.mutate({ csv: text, commit: false });
  };

  const p = preview.data;
  const shown = p ? (onlyProblems ? p.results.filter((r) => r.outcome === 'error') : p.results) : [];
  const done = commit.data;
  return (
    <section className="card csv-upload" aria-labelledby="csv-head">
      <div className="module-head">
        <h2 id="csv-head" ref={headRef} tabIndex={-1}>
          {t('academy.csv.title')}
        </h2>
        <button type="button" className="btn btn-quiet btn-small" onClick={onClose}>
          {t('action.close')}
        </button>
      </div>
      {done ? (
        <div className="stack">
          <p className="alert alert-success" role="status">
            {t('academy.csv.done', { enrolled: done.enrolled, invited: done.invited })}
          </p>
          {done.invited > 0 ? <p>{t('academy.csv.linksOnce')}</p> : null}
          <ResultTable rows={done.results} committed caption={t('academy.csv.resultCaption')} />
          <div className="form-actions">
            <button type="button" className="btn btn-primary" onClick={onClose}>
              {t('action.done')}
            </button>
          </div>
        </div>
      ) : (
        <div className="stack">
          <p className="muted">{t('academy.csv.help')}</p>
          <FieldShell id={fileId} label={t('academy.csv.file')} error={fileError ?? undefined}>
            <input
              id={fileId}
              type="file"
              accept=".csv,text/csv"
              aria-describedby={describedBy(fileId, null, fileError)}
              onChange={(e) => void choose(e.target.files?.[0])}
            />
          </FieldShell>
          {preview.isPending ? <Loading label={t('academy.csv.checking', { file: fileName })} /> : null}
          {preview.isError ? (
            <AcademyError
              error={preview.error}
              onRetry={csv ? () => preview.mutate({ csv, commit: false }) : undefined}
            />
          ) : null}
          {p ? (
            <>
              <p role="status" className="strong">
                {t('academy.csv.summary', { rows: p.rows, ok: p.ok, errors: p.errors })}
              </p>
              {p.errors > 0 ? <p className="muted">{t('academy.csv.skipped')}</p> : null}
              {p.errors > 0 && p.ok > 0 ? (
                <label className="choice">
                  <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)} />
                  {t('academy.csv.onlyProblems')}
                </label>
              ) : null}
              <ResultTable rows={shown} committed={false} caption={t('academy.csv.previewCaption')} />
              {commit.isPending ? (
                <div className="progress-row" role="status">
                  <progress aria-label={t('academy.csv.enrolling', { count: p.ok })} />
                  <span>{t('academy.csv.enrolling', { count: p.ok })}</span>
                </div>
              ) : null}
              {commit.isError ? <AcademyError error={commit.error} /> : null}
              <div className="form-actions">
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={p.ok === 0 || commit.isPending || !csv}
                  onClick={() => csv && commit.mutate({ csv, commit: true })}
                >
                  {t('academy.csv.commit', { count: p.ok })}
                </button>
              </div>
            </>
          ) : null}
        </div>
      )}
    </section>
  );
}
