/**
 * The sim's clock: durations run `timeScale` times faster than the wall clock (so a 5-minute
 * CrashLoopBackOff takes 30 s at timeScale 10), while now() stays the real time — timestamps
 * on objects must look real to kubectl, which computes AGE against its own clock.
 */
import type { SimClock } from './context.js';

export function createClock(timeScale = 1): SimClock & { stopAll(): void } {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new Error(`timeScale must be a positive number, got ${timeScale}`);
  const timers = new Set<NodeJS.Timeout>();
  const wall = (simMs: number) => Math.max(0, simMs / timeScale);
  return {
    timeScale,
    now: () => Date.now(),
    setTimeout(fn, simMs) {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, wall(simMs));
      t.unref?.();
      timers.add(t);
      return () => {
        clearTimeout(t);
        timers.delete(t);
      };
    },
    setInterval(fn, simMs) {
      const t = setInterval(fn, Math.max(1, wall(simMs)));
      t.unref?.();
      timers.add(t);
      return () => {
        clearInterval(t);
        timers.delete(t);
      };
    },
    /** Cancels every pending timer (on stop). */
    stopAll() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
