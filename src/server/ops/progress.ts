/** Progress reporting for long operations (backup, restore): a callback, called at a bounded rate. */

/** Reports `done` of `total` (rows). */
export type Progress = (done: number, total: number) => void;

/** Calls onProgress at most every 200 ms, plus always at 0 and at the end. */
export function throttle(onProgress: Progress | undefined, total: number): (done: number, force?: boolean) => void {
  let last = 0;
  return (done, force) => {
    if (!onProgress) return;
    const now = Date.now();
    if (force || now - last >= 200) {
      last = now;
      onProgress(done, total);
    }
  };
}
