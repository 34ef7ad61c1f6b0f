/**
 * The one mapping between database rows (snake_case columns, Date timestamps) and API objects
 * (camelCase keys, ISO strings), driven by the module's zod schema: a field added to the schema and to
 * the table flows through without a hand-written mapper (docs/ARCHITECTURE.md, "add a field").
 */
import type { z } from '@hono/zod-openapi';

/** `legalStatus` → `legal_status`. */
export function columnName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * An API object with the schema's fields taken from a row: timestamps as ISO strings, a missing value
 * as null. A field whose column the row lacks (e.g. an encrypted one the reader's roles may not see)
 * is left out, so optional fields stay optional.
 */
export function rowToApi<S extends z.ZodObject>(schema: S, row: object): z.infer<S> {
  const source = row as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(schema.shape)) {
    const column = columnName(key);
    if (!(column in source)) continue;
    const v = source[column];
    out[key] = v instanceof Date ? v.toISOString() : (v ?? null);
  }
  return out as z.infer<S>;
}

/** Columns for an insert or update from plain API fields; fields left undefined are not written. */
export function apiToColumns(fields: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [columnName(k), v]),
  );
}
