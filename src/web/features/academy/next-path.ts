/** The one check for `/login?next=…` (no dependencies: the sign-in page imports it). */

/**
 * Where to go after signing in (`/login?next=…`): only a same-origin relative path that starts with
 * a single "/" — never "//host", a backslash (browsers read "/\\host" as "//host"), a scheme, control
 * or white-space characters, or any of these hidden behind percent-encoding. Anything else is null
 * (the caller goes to the user's home).
 */
export function safeNextPath(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2000) return null;
  const unsafe = (x: string) => !x.startsWith('/') || x.startsWith('//') || /[\\\u0000-\u001f\u007f-\u009f]/.test(x);
  if (/\s/.test(raw)) return null;
  if (unsafe(raw)) return null;
  // Percent-encoding must not hide a second slash, a backslash or a control character: decode until stable.
  let cur = raw;
  for (let i = 0; i < 5; i++) {
    let next: string;
    try {
      next = decodeURIComponent(cur);
    } catch {
      return null;
    }
    if (unsafe(next)) return null;
    if (next === cur) break;
    cur = next;
    if (i === 4) return null;
  }
  const base = 'https://sanad.invalid';
  let u: URL;
  try {
    u = new URL(raw, base);
  } catch {
    return null;
  }
  if (u.origin !== base) return null;
  return raw;
}
