/** Administration → Programs: the tenant's programs and creating one from a framework template. */
import '../../styles/casework.css';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { DateTime } from '../../components/date-time';
import { Dialog } from '../../components/dialog';
import { PageHeader } from '../../components/page';
import { EmptyState, ErrorAlert, ReadState } from '../../components/states';
import { useContentLabel, useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { useCreateProgram, usePrograms, useTemplates } from './api';

function CreateDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const pick = useLabel();
  const cl = useContentLabel();
  const navigate = useNavigate();
  const templates = useTemplates();
  const create = useCreateProgram({
    onSuccess: (p) => {
      onClose();
      void navigate(`/admin/programs/${p.id}`);
    },
  });
  return (
    <Dialog open={open} title={t('programs.create.title')} onClose={onClose}>
      <p>{t('programs.create.lead')}</p>
      {create.isError ? <ErrorAlert error={create.error} /> : null}
      <ReadState read={templates}>
        {(data) => (
          <ul className="template-list">
            {data.items.map((tpl) => (
              <li key={tpl.framework} className="card">
                <h3>{pick(tpl.definition.name)}</h3>
                <p>{pick(tpl.definition.summary)}</p>
                <p className="small muted">
                  {t('programs.phasesCount', { count: tpl.definition.phases.length })} ·{' '}
                  {tpl.definition.phases.map((p) => pick(p.name)).join(' · ')}
                </p>
                <p className="small muted">{tpl.definition.domains.map((d) => cl('domain', d)).join(' · ')}</p>
                <button
                  type="button"
                  className="btn btn-primary btn-small"
                  disabled={create.isPending}
                  onClick={() => create.mutate(tpl.framework)}
                >
                  {t('programs.create.use', { name: pick(tpl.definition.name) })}
                </button>
              </li>
            ))}
          </ul>
        )}
      </ReadState>
    </Dialog>
  );
}

/** The /admin/programs page. */
export function ProgramsPage() {
  const t = useT();
  const pick = useLabel();
  const programs = usePrograms();
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title={t('programs.title')}
        lead={t('programs.lead')}
        actions={
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            {t('programs.create')}
          </button>
        }
      />
      <ReadState
        read={programs}
        empty={(data) =>
          data.items.length === 0 && (
            <EmptyState
              title={t('programs.empty')}
              actions={
                <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
                  {t('programs.create')}
                </button>
              }
            >
              <p>{t('programs.empty.body')}</p>
            </EmptyState>
          )
        }
      >
        {(data) => (
          <div className="table-wrap" role="region" tabIndex={0} aria-label={t('programs.title')}>
            <table className="table">
              <caption className="visually-hidden">{t('programs.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('programs.col.name')}</th>
                  <th scope="col">{t('programs.col.framework')}</th>
                  <th scope="col">{t('programs.col.phases')}</th>
                  <th scope="col">{t('programs.col.status')}</th>
                  <th scope="col">{t('programs.col.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <Link to={`/admin/programs/${p.id}`} className="strong">
                        {pick(p.definition.name)}
                      </Link>
                    </td>
                    <td>{t(`programs.framework.${p.framework}`)}</td>
                    <td>{t('programs.phasesCount', { count: p.definition.phases.length })}</td>
                    <td>
                      <span className={`chip ${p.status === 'active' ? 'chip-ok' : 'chip-disabled'}`}>
                        {t(`programs.status.${p.status}`)}
                      </span>
                    </td>
                    <td>
                      <DateTime value={p.updatedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ReadState>
      <CreateDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
