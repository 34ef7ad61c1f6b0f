/**
 * Validates a JSON file's text against a zod schema and reports every problem with its field path
 * AND the line and column where it sits in the file, so an administrator can fix the file they wrote.
 */
import {
  findNodeAtLocation,
  getNodeValue,
  parseTree,
  printParseErrorCode,
  type Node,
  type ParseError,
} from 'jsonc-parser';
import type { ZodType } from 'zod';
import type { ErrorDetail } from './errors.ts';
import { scanJson } from './json-scan.ts';

/** Deepest nesting a definition file may have (instruments need about a dozen levels). */
const MAX_SOURCE_DEPTH = 64;

/** Line and column (1-based) of a character offset. */
function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** The node at a path, or the nearest ancestor that exists (a missing field points at its object). */
function nearest(root: Node, path: (string | number)[]): Node {
  for (let n = path.length; n >= 0; n--) {
    const found = findNodeAtLocation(root, path.slice(0, n));
    if (found) return found;
  }
  return root;
}

export type SourceResult<T> = { ok: true; value: T } | { ok: false; details: ErrorDetail[] };

/**
 * Parses strict JSON (no comments, no trailing commas, no key twice in one object, at most
 * MAX_SOURCE_DEPTH levels) and validates it; errors carry line/column.
 */
export function parseSource<T>(schema: ZodType<T>, text: string, prefix = ''): SourceResult<T> {
  const where = (path: string) => [prefix, path].filter(Boolean).join('.') || '(file)';
  // First a flat scan: the tree parser below recurses, so deep nesting must be refused before it.
  const structure = scanJson(text, { maxDepth: MAX_SOURCE_DEPTH });
  const deep = structure.find((p) => p.code === 'too_deep');
  if (deep)
    return {
      ok: false,
      details: [
        {
          path: where(deep.path),
          code: 'too_deep',
          message: `nested deeper than ${MAX_SOURCE_DEPTH} levels`,
          ...position(text, deep.offset),
        },
      ],
    };
  const syntax: ParseError[] = [];
  const root = parseTree(text, syntax, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (syntax.length || !root) {
    const path = prefix || '(file)';
    if (!syntax.length)
      return { ok: false, details: [{ path, code: 'json_syntax', message: 'empty file', line: 1, column: 1 }] };
    return {
      ok: false,
      details: syntax.slice(0, 20).map((e) => ({
        path,
        code: 'json_syntax',
        message: printParseErrorCode(e.error),
        ...position(text, e.offset),
      })),
    };
  }
  // A repeated key would silently lose its first value; every repetition is named where it is.
  if (structure.length)
    return {
      ok: false,
      details: structure.map((p) => ({
        path: where(p.path),
        code: p.code,
        message: 'this key appears twice in one object',
        ...position(text, p.offset),
      })),
    };
  const parsed = schema.safeParse(getNodeValue(root));
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    details: parsed.error.issues.slice(0, 100).map((i) => {
      const path = i.path.filter((x): x is string | number => typeof x !== 'symbol');
      const node = nearest(root, path);
      return {
        path: where(path.join('.')),
        code: i.code === 'unrecognized_keys' ? 'unknown_field' : i.code,
        message: i.message,
        ...position(text, node.offset),
      };
    }),
  };
}
