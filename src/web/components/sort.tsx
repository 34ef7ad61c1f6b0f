/** Sortable tables: column headers with aria-sort, and client-side sorting for small lists. */
import { useMemo, useState } from 'react';

type Value = string | number | boolean | null | undefined;
export interface SortState {
  key: string;
  dir: 'asc' | 'desc';
}

/** Sorts rows by the accessor of the chosen column; empty values always last; ties keep their order. */
export function useSorted<T>(rows: readonly T[], columns: Record<string, (row: T) => Value>, initial: SortState) {
  const [sort, setSort] = useState<SortState>(initial);
  const sorted = useMemo(() => {
    const get = columns[sort.key];
    if (!get) return [...rows];
    const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
    const sign = sort.dir === 'asc' ? 1 : -1;
    return rows
      .map((row, i) => ({ row, i, v: get(row) }))
      .sort((a, b) => {
        const an = a.v === null || a.v === undefined || a.v === '';
        const bn = b.v === null || b.v === undefined || b.v === '';
        if (an || bn) return an && bn ? a.i - b.i : an ? 1 : -1;
        const av = typeof a.v === 'boolean' ? Number(a.v) : a.v;
        const bv = typeof b.v === 'boolean' ? Number(b.v) : b.v;
        const c = typeof av === 'number' && typeof bv === 'number' ? av - bv : collator.compare(String(av), String(bv));
        return c === 0 ? a.i - b.i : c * sign;
      })
      .map((x) => x.row);
  }, [rows, columns, sort]);
  const toggle = (key: string) =>
    setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' }));
  return { sorted, sort, toggle };
}

/** A column header that sorts its table (a button inside the <th>, with aria-sort on the <th>). */
export function SortHeader({
  id,
  label,
  sort,
  onSort,
  title,
}: {
  id: string;
  label: string;
  sort: SortState;
  onSort: (id: string) => void;
  title?: string;
}) {
  const active = sort.key === id;
  return (
    <th scope="col" aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined} title={title}>
      <button type="button" className="link-button th-sort" onClick={() => onSort(id)}>
        {label}
        {active ? (
          <span className="sort-mark" aria-hidden="true">
            {sort.dir === 'asc' ? '▲' : '▼'}
          </span>
        ) : null}
      </button>
    </th>
  );
}
