/**
 * A new board: program, name, members (each with a board role, exactly one chair) and the quorum rule
 * (at least N members present and the required roles among them). Each refusal is said on its field.
 */
import { useState } from 'react';
import { Dialog } from '../../components/dialog';
import { Field, FieldError, SelectField } from '../../components/field';
import { useInvalidFocus } from '../../components/form-focus';
import { ErrorAlert, useFieldMessage } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { useProgramIndex } from '../programs/program-index';
import { useCreateBoard, useStaff } from './api';
import { BOARD_ROLES, type BoardRole } from './vocabulary';
import { useBoardWords } from './words';

interface Row {
  userId: string;
  role: BoardRole | '';
}

export function BoardForm({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const fm = useFieldMessage();
  const w = useBoardWords();
  const index = useProgramIndex();
  const staff = useStaff(open);
  const [programId, setProgramId] = useState('');
  const [name, setName] = useState('');
  const [rows, setRows] = useState<Row[]>([{ userId: '', role: '' }]);
  const [chair, setChair] = useState(0);
  const [minMembers, setMinMembers] = useState('3');
  const [required, setRequired] = useState<BoardRole[]>([]);
  // After a first refused submit, the form's own check runs as the user corrects it.
  const [tried, setTried] = useState(false);
  const create = useCreateBoard({
    onSuccess: () => {
      setName('');
      setRows([{ userId: '', role: '' }]);
      setRequired([]);
      setTried(false);
      onClose();
    },
  });
  const focus = useInvalidFocus(create.error);
  const msg = (path: string, values?: Record<string, number>) => {
    const code = errs[path];
    if (!code) return undefined;
    if (code.startsWith('boards.')) return t(code as 'boards.error.chooseMember', values);
    // The server's codes whose general words do not fit a board member list.
    if (code === 'duplicate') return t('boards.error.duplicate');
    if (code === 'max') return t('boards.error.tooManyNeeded', values);
    return fm(code);
  };
  const programs = index.list.filter((p) => p.status === 'active');

  const check = (): Record<string, string> => {
    const m: Record<string, string> = {};
    if (!programId) m.programId = 'required';
    if (!name.trim()) m.name = 'required';
    const seen = new Set<string>();
    rows.forEach((r, i) => {
      if (!r.userId) m[`members.${i}.userId`] = 'boards.error.chooseMember';
      else if (seen.has(r.userId)) m[`members.${i}.userId`] = 'boards.error.duplicate';
      seen.add(r.userId);
      if (!r.role) m[`members.${i}.role`] = 'boards.error.chooseRole';
    });
    const n = Number(minMembers);
    if (!Number.isInteger(n) || n < 1) m['quorum.minMembers'] = 'boards.error.minMembers';
    else if (n > rows.length) m['quorum.minMembers'] = 'boards.error.tooManyNeeded';
    required.forEach((r, i) => {
      if (!rows.some((x) => x.role === r)) m[`quorum.requiredRoles.${i}`] = 'role_not_held';
    });
    return m;
  };

  const errs = { ...create.fieldErrors, ...(tried ? check() : {}) };
  return (
    <Dialog open={open} title={t('boards.new')} onClose={onClose}>
      <form
        ref={focus.ref}
        className="stack board-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const m = check();
          setTried(true);
          if (Object.keys(m).length) {
            focus.refused();
            return;
          }
          create.mutate({
            programId,
            name: name.trim(),
            quorum: { minMembers: Number(minMembers), requiredRoles: required },
            members: rows.map((r, i) => ({ userId: r.userId, role: r.role as BoardRole, chair: i === chair })),
          });
        }}
      >
        {create.error ? (
          <ErrorAlert error={create.error} highlighted={Object.keys(create.fieldErrors).length > 0} />
        ) : null}
        <SelectField
          label={t('boards.program')}
          required
          value={programId}
          onChange={(e) => setProgramId(e.target.value)}
          error={msg('programId')}
        >
          <option value="">{t('boards.choose')}</option>
          {programs.map((p) => (
            <option key={p.id} value={p.id}>
              {index.programName(p.id)}
            </option>
          ))}
        </SelectField>
        <Field
          label={t('boards.name')}
          required
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={msg('name')}
        />
        <fieldset className="members-fieldset">
          <legend>{t('boards.members')}</legend>
          <p className="hint">{t('boards.members.hint')}</p>
          <FieldError>{msg('members')}</FieldError>
          <ol className="member-rows">
            {rows.map((r, i) => (
              <li key={i} className="member-row">
                <SelectField
                  label={t('boards.member', { n: i + 1 })}
                  value={r.userId}
                  onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, userId: e.target.value } : x)))}
                  error={msg(`members.${i}.userId`)}
                >
                  <option value="">{t('boards.choose')}</option>
                  {staff.map((s) => (
                    <option key={s.userId} value={s.userId}>
                      {s.displayName}
                    </option>
                  ))}
                </SelectField>
                <SelectField
                  label={t('boards.role', { n: i + 1 })}
                  value={r.role}
                  onChange={(e) =>
                    setRows(rows.map((x, j) => (j === i ? { ...x, role: e.target.value as BoardRole } : x)))
                  }
                  error={msg(`members.${i}.role`)}
                >
                  <option value="">{t('boards.choose')}</option>
                  {BOARD_ROLES.map((code) => (
                    <option key={code} value={code}>
                      {w('role', code)}
                    </option>
                  ))}
                </SelectField>
                <label className="choice">
                  <input type="radio" name="chair" checked={chair === i} onChange={() => setChair(i)} />
                  {t('boards.isChair', { n: i + 1 })}
                </label>
                {rows.length > 1 ? (
                  <button
                    type="button"
                    className="btn btn-quiet btn-small"
                    onClick={() => {
                      setRows(rows.filter((_, j) => j !== i));
                      if (chair >= i && chair > 0) setChair(chair - 1);
                    }}
                  >
                    {t('boards.removeMember', { n: i + 1 })}
                  </button>
                ) : null}
              </li>
            ))}
          </ol>
          <button type="button" className="btn btn-small" onClick={() => setRows([...rows, { userId: '', role: '' }])}>
            {t('boards.addMember')}
          </button>
        </fieldset>
        <fieldset>
          <legend>{t('boards.quorum')}</legend>
          <Field
            label={t('boards.minMembers')}
            hint={t('boards.minMembers.hint')}
            type="number"
            inputMode="numeric"
            min={1}
            max={50}
            value={minMembers}
            onChange={(e) => setMinMembers(e.target.value)}
            error={msg('quorum.minMembers', { n: rows.length })}
          />
          <p className="hint">{t('boards.requiredRoles.hint')}</p>
          <ul className="role-checks">
            {BOARD_ROLES.map((code) => {
              const i = required.indexOf(code);
              const err = i >= 0 ? msg(`quorum.requiredRoles.${i}`) : undefined;
              return (
                <li key={code}>
                  <label className="choice">
                    <input
                      type="checkbox"
                      checked={i >= 0}
                      aria-invalid={err ? true : undefined}
                      onChange={(e) =>
                        setRequired(e.target.checked ? [...required, code] : required.filter((x) => x !== code))
                      }
                    />
                    {t('boards.requiredRole', { role: w('role', code) })}
                  </label>
                  <FieldError>{err}</FieldError>
                </li>
              );
            })}
          </ul>
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? t('state.loading') : t('boards.create')}
          </button>
          <button type="button" className="btn" onClick={onClose}>
            {t('action.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
