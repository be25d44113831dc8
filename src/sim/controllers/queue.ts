/**
 * A work queue like client-go's: keys are coalesced (an object changed ten times before the
 * controller ran is reconciled once), processed off the watch callback, and can be re-queued
 * after a simulated delay. Handlers that throw are retried with a short back-off.
 */
import type { SimClock } from '../context.js';

export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly delayed = new Map<string, { at: number; cancel: () => void }>();
  private scheduled = false;
  private stopped = false;
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly clock: SimClock,
    private readonly handler: (key: string) => void,
    private readonly log: (m: string) => void = () => {},
    private readonly name = 'queue',
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  /** Re-queues after `simMs` of simulated time; an earlier pending request wins. */
  addAfter(key: string, simMs: number): void {
    if (this.stopped) return;
    if (simMs <= 0) return this.add(key);
    const at = this.clock.now() + simMs / this.clock.timeScale;
    const prev = this.delayed.get(key);
    if (prev && prev.at <= at) return;
    prev?.cancel();
    const cancel = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, simMs);
    this.delayed.set(key, { at, cancel });
  }

  stop(): void {
    this.stopped = true;
    for (const d of this.delayed.values()) d.cancel();
    this.delayed.clear();
    this.pending.clear();
  }

  private drain(): void {
    this.scheduled = false;
    if (this.stopped) return;
    const keys = [...this.pending];
    this.pending.clear();
    for (const k of keys) {
      try {
        this.handler(k);
        this.failures.delete(k);
      } catch (e) {
        const n = (this.failures.get(k) ?? 0) + 1;
        this.failures.set(k, n);
        if (n <= 3 || n % 20 === 0) this.log(`${this.name}: ${k}: ${(e as Error).message}`);
        this.addAfter(k, Math.min(5_000, 50 * 2 ** Math.min(n, 7)) * this.clock.timeScale);
      }
    }
  }
}
