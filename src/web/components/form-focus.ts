/**
 * Where focus goes after a refused submit, for every form: to the first control marked invalid
 * (aria-invalid="true", which Field/SelectField/TextAreaField set with aria-describedby at their
 * message), or, when the refusal is not tied to a field, to the form's error summary (role="alert").
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';

const SUMMARY = '[role="alert"], .alert-error';

/** Focuses the first invalid control inside `root`, else its error summary; true when something took focus. */
export function focusFirstInvalid(root: HTMLElement | null): boolean {
  if (!root) return false;
  const field = root.querySelector<HTMLElement>('[aria-invalid="true"]');
  const target = field ?? root.querySelector<HTMLElement>(SUMMARY);
  if (!target) return false;
  if (!field && target.tabIndex < 0 && !target.hasAttribute('tabindex')) target.tabIndex = -1;
  target.focus();
  return document.activeElement === target;
}

/**
 * A form's refusal focus: put `ref` on the <form> (or the dialog body), call `refused()` when the
 * form's own check stops a submit, and pass the write's error so a server refusal does the same.
 * Focus moves once the refusal is drawn (after React renders the messages).
 */
export function useInvalidFocus<T extends HTMLElement = HTMLFormElement>(
  serverError?: unknown,
): { ref: RefObject<T | null>; refused: () => void } {
  const ref = useRef<T>(null);
  const [tick, setTick] = useState(0);
  const refused = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    if (tick > 0) focusFirstInvalid(ref.current);
  }, [tick]);
  useEffect(() => {
    if (serverError) focusFirstInvalid(ref.current);
  }, [serverError]);
  return { ref, refused };
}
