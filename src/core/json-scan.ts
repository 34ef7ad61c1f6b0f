/**
 * One linear pass over JSON text with jsonc-parser's scanner: finds keys that occur twice in one
 * object, and nesting deeper than a limit. `JSON.parse` and jsonc-parser's tree both keep the last
 * of two equal keys without a word, so a body or file could say one thing to a reviewer and another
 * to the server; Sanad refuses such input instead. The pass keeps an explicit stack (no recursion),
 * so it is safe on any nesting, unlike jsonc-parser's recursive `parseTree` and `visit`.
 */
import { createScanner } from 'jsonc-parser';

// jsonc-parser's SyntaxKind is a const enum, which isolated modules cannot read; these are its values.
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const COMMA = 5;
const STRING = 10;
const EOF = 17;

/** One structural problem: what (stable code), where (dotted path) and the character offset in the text. */
export interface JsonProblem {
  code: 'duplicate_key' | 'too_deep';
  /** Dotted path of the repeated key (or of the container that nests too deep), e.g. `identity.givenName`. */
  path: string;
  /** Offset of the second occurrence of the key (or of the opening bracket that is one level too deep). */
  offset: number;
}

interface Frame {
  /** Keys seen so far in an object; null for an array. */
  keys: Set<string> | null;
  /** The current key (object) or index (array). */
  at: string | number;
  /** In an object: the next string is a key. */
  expectKey: boolean;
}

/**
 * Duplicate keys at any depth (each with its path and offset, at most `limit`) and, when `maxDepth`
 * is given, the first container nested deeper than that (scanning stops there). Meant for text that
 * is valid JSON; on malformed text it still ends, but what it reports may not mean much.
 */
export function scanJson(text: string, opts: { maxDepth?: number; limit?: number } = {}): JsonProblem[] {
  const maxDepth = opts.maxDepth ?? Number.POSITIVE_INFINITY;
  const limit = opts.limit ?? 20;
  const scanner = createScanner(text, true);
  const stack: Frame[] = [];
  const out: JsonProblem[] = [];
  const path = () => stack.map((f) => f.at).join('.');
  // Compared as plain numbers against the constants above (SyntaxKind cannot be imported).
  for (let tok: number = scanner.scan(); tok !== EOF; tok = scanner.scan()) {
    const top = stack[stack.length - 1];
    if (tok === OPEN_BRACE || tok === OPEN_BRACKET) {
      if (stack.length >= maxDepth) {
        out.push({ code: 'too_deep', path: path(), offset: scanner.getTokenOffset() });
        return out;
      }
      stack.push(
        tok === OPEN_BRACE ? { keys: new Set(), at: '', expectKey: true } : { keys: null, at: 0, expectKey: false },
      );
    } else if (tok === CLOSE_BRACE || tok === CLOSE_BRACKET) {
      stack.pop();
    } else if (tok === COMMA && top) {
      if (top.keys) top.expectKey = true;
      else top.at = (top.at as number) + 1;
    } else if (tok === STRING && top?.keys && top.expectKey) {
      // The decoded key: "a" and "\u0061" are the same key, as JSON.parse sees them.
      const key = scanner.getTokenValue();
      top.expectKey = false;
      top.at = key;
      if (!top.keys.has(key)) top.keys.add(key);
      else if (out.push({ code: 'duplicate_key', path: path(), offset: scanner.getTokenOffset() }) >= limit) return out;
    }
  }
  return out;
}
