/** Confirming the retirement of an imported version: finished assessments keep it, new ones cannot use it. */
import { isApiError } from '../../api/client';
import { useRetireInstrument } from './api';
import { Dialog } from '../../components/dialog';
import { ErrorAlert } from '../../components/states';
import { useT } from '../../i18n/use-t';

/** The version a dialog acts on. */
export interface VersionTarget {
  key: string;
  version: string;
  title: string;
  certification?: string | null;
}

/** The "retire this version?" dialog (null = closed). */
export function RetireDialog({
  target,
  onClose,
  onRetired,
}: {
  target: VersionTarget | null;
  onClose: () => void;
  onRetired: (t: VersionTarget) => void;
}) {
  const t = useT();
  const retire = useRetireInstrument();
  const close = () => {
    retire.reset();
    onClose();
  };
  return (
    <Dialog open={target !== null} title={t('instruments.retire.title')} onClose={close}>
      {target ? (
        <div className="stack">
          <p className="strong">{t('instruments.retire.which', { title: target.title, version: target.version })}</p>
          <ul className="retire-effects">
            <li>{t('instruments.retire.keep')}</li>
            <li>{t('instruments.retire.new')}</li>
            <li>{t('instruments.retire.final')}</li>
          </ul>
          {retire.isError ? (
            <ErrorAlert
              error={retire.error}
              message={isApiError(retire.error, 'NOT_FOUND') ? t('instruments.retire.gone') : undefined}
            />
          ) : null}
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-danger"
              disabled={retire.isPending}
              onClick={() =>
                retire.mutate(
                  { key: target.key, version: target.version },
                  {
                    onSuccess: () => {
                      retire.reset();
                      onRetired(target);
                    },
                  },
                )
              }
            >
              {t('instruments.retire.confirm', { version: target.version })}
            </button>
            <button type="button" className="btn btn-quiet" onClick={close}>
              {t('action.cancel')}
            </button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}
