/**
 * Reading an uploaded JSON file in the browser: syntax problems with line and column (the same
 * parser the server uses), and the line and column of a field path the API names without one.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { ApiErrorDetail as SourceDetail } from '../../api/client';

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

function parse(text: string): { root: Node | undefined; errors: ParseError[] } {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  return { root, errors };
}

/** Syntax problems of strict JSON (no comments, no trailing commas), at most 20. */
export function syntaxProblems(text: string): SourceDetail[] {
  const { root, errors } = parse(text);
  if (!errors.length && root) return [];
  if (!errors.length) return [{ path: '(file)', code: 'json_syntax', message: 'empty file', line: 1, column: 1 }];
  return errors.slice(0, 20).map((e) => ({
    path: '(file)',
    code: 'json_syntax',
    message: printParseErrorCode(e.error),
    ...position(text, e.offset),
  }));
}

/**
 * The node a dotted path names, or its nearest existing ancestor. Keys may contain dots (item codes
 * such as "d1.a"), so each step takes the longest run of segments that is a property of the object.
 */
function locate(root: Node, segments: string[]): Node {
  let node = root;
  let i = 0;
  while (i < segments.length) {
    if (node.type === 'array') {
      const child = node.children?.[Number(segments[i])];
      if (!child || !/^\d+$/.test(segments[i]!)) return node;
      node = child;
      i++;
      continue;
    }
    if (node.type !== 'object') return node;
    let next: Node | undefined;
    let used = 0;
    for (let n = segments.length - i; n >= 1 && !next; n--) {
      const key = segments.slice(i, i + n).join('.');
      const prop = node.children?.find((p) => p.children?.[0]?.value === key);
      if (prop?.children?.[1]) {
        next = prop.children[1];
        used = n;
      }
    }
    if (!next) return node;
    node = next;
    i += used;
  }
  return node;
}

/**
 * Fills in line and column for details that lack them, from the file's text. `strip` is the prefix
 * the API puts before paths inside the file (e.g. "definition" for an import).
 */
export function withPositions(text: string, details: SourceDetail[], strip: string | null): SourceDetail[] {
  if (details.every((d) => d.line !== undefined)) return details;
  const { root } = parse(text);
  if (!root) return details;
  return details.map((d) => {
    if (d.line !== undefined) return d;
    let path = d.path === '(file)' ? '' : d.path;
    if (strip !== null) {
      if (path === strip) path = '';
      else if (path.startsWith(`${strip}.`)) path = path.slice(strip.length + 1);
    }
    const node = locate(root, path ? path.split('.') : []);
    return { ...d, ...position(text, node.offset) };
  });
}

/** Reads a key/version pair out of file text when it is valid JSON (for friendlier messages). */
export function peekKeyVersion(text: string): { key?: string; version?: string } {
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return {
        key: typeof o.key === 'string' ? o.key : undefined,
        version: typeof o.version === 'string' ? o.version : undefined,
      };
    }
  } catch {
    /* not JSON */
  }
  return {};
}
