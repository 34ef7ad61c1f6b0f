/** A horizontal scroller with fade edges where more content hides, keeping one item in view. */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/** Which edges of a horizontal scroller hide more content (works for LTR and RTL scroll offsets). */
function edgesOf(el: HTMLElement): { start: boolean; end: boolean } {
  const offset = Math.abs(el.scrollLeft);
  return { start: offset > 1, end: offset + el.clientWidth < el.scrollWidth - 1 };
}

/** Scrolls `item` into view inside `box` horizontally only (the page does not move). */
function revealIn(box: HTMLElement, item: HTMLElement): void {
  const b = box.getBoundingClientRect();
  const r = item.getBoundingClientRect();
  const pad = 24;
  if (r.left < b.left + pad) box.scrollBy({ left: r.left - b.left - pad });
  else if (r.right > b.right - pad) box.scrollBy({ left: r.right - b.right + pad });
}

/**
 * Wraps a scrolling child (found by `selector` inside the wrapper) and marks the wrapper with
 * `data-more-start` / `data-more-end`, which casework.css paints as fade edges. The element matching
 * `active` (e.g. the selected tab) is scrolled into view whenever `activeKey` changes.
 */
export function ScrollCue({
  selector,
  active,
  activeKey,
  className,
  children,
}: {
  selector: string;
  active: string;
  activeKey: string;
  className?: string;
  children: ReactNode;
}) {
  const wrap = useRef<HTMLDivElement>(null);
  const [edges, setEdges] = useState({ start: false, end: false });
  const update = useCallback(() => {
    const box = wrap.current?.querySelector<HTMLElement>(selector);
    if (!box) return;
    const next = edgesOf(box);
    setEdges((prev) => (prev.start === next.start && prev.end === next.end ? prev : next));
  }, [selector]);

  useLayoutEffect(() => {
    const box = wrap.current?.querySelector<HTMLElement>(selector);
    const item = box?.querySelector<HTMLElement>(active);
    if (box && item) revealIn(box, item);
    update();
  }, [selector, active, activeKey, update]);

  useEffect(() => {
    const box = wrap.current?.querySelector<HTMLElement>(selector);
    if (!box) return;
    box.addEventListener('scroll', update, { passive: true });
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(update);
    ro?.observe(box);
    return () => {
      box.removeEventListener('scroll', update);
      ro?.disconnect();
    };
  }, [selector, update]);

  return (
    <div
      ref={wrap}
      className={`scroll-cue${className ? ` ${className}` : ''}`}
      data-more-start={edges.start || undefined}
      data-more-end={edges.end || undefined}
    >
      {children}
    </div>
  );
}
