/** Schedule a meeting of a board: date and time, place or online. */
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';
import { useInvalidFocus } from '../../components/form-focus';
import { ErrorAlert, useFieldMessage } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { useScheduleMeeting, type Board } from './api';

export function ScheduleDialog({ board, open, onClose }: { board: Board; open: boolean; onClose: () => void }) {
  const t = useT();
  const fm = useFieldMessage();
  const navigate = useNavigate();
  const [when, setWhen] = useState('');
  const [place, setPlace] = useState('');
  const [online, setOnline] = useState(false);
  const [tried, setTried] = useState(false);
  const schedule = useScheduleMeeting({ onSuccess: (r) => navigate(`/boards/meetings/${r.id}`) });
  const check = () => {
    const m: Record<string, string> = {};
    const d = when ? new Date(when) : null;
    if (!d || Number.isNaN(d.getTime())) m.scheduledFor = 'required';
    if (!online && !place.trim()) m.place = 'boards.placeOrOnline';
    return m;
  };
  // After a first refused submit, the form's own check follows the corrections.
  const errs = { ...schedule.fieldErrors, ...(tried ? check() : {}) };
  const focus = useInvalidFocus(schedule.error);
  return (
    <Dialog open={open} title={t('boards.schedule.title', { board: board.name })} onClose={onClose}>
      <form
        ref={focus.ref}
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const m = check();
          const d = new Date(when);
          setTried(true);
          if (Object.keys(m).length) {
            focus.refused();
            return;
          }
          schedule.mutate({
            boardId: board.id,
            body: { scheduledFor: d.toISOString(), place: place.trim() || undefined, online },
          });
        }}
      >
        {schedule.error ? (
          <ErrorAlert error={schedule.error} highlighted={Object.keys(schedule.fieldErrors).length > 0} />
        ) : null}
        <Field
          label={t('boards.when')}
          type="datetime-local"
          required
          value={when}
          onChange={(e) => setWhen(e.target.value)}
          error={fm(errs.scheduledFor)}
        />
        <Field
          label={t('boards.place')}
          hint={t('boards.place.hint')}
          maxLength={200}
          value={place}
          onChange={(e) => setPlace(e.target.value)}
          error={errs.place === 'boards.placeOrOnline' ? t('boards.placeOrOnline') : fm(errs.place)}
        />
        <label className="choice">
          <input type="checkbox" checked={online} onChange={(e) => setOnline(e.target.checked)} />
          {t('boards.online')}
        </label>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={schedule.isPending}>
            {schedule.isPending ? t('state.loading') : t('boards.schedule')}
          </button>
          <button type="button" className="btn" onClick={onClose}>
            {t('action.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
