/**
 * One render per frame at most. blessed's screen.render() re-renders every element before it
 * diffs the output, so watch events only mark the screen dirty and this scheduler paints at
 * most once per `intervalMs`; a key press asks for a frame at once (next turn of the loop, so
 * a burst of keys from one read still coalesces).
 */
export class FrameScheduler {
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private last = 0;
  private stopped = false;
  frames = 0;
  /** When the frame being painted was first asked for (for the bench trace). */
  dirtySince = 0;
  private firstDirty = 0;

  constructor(private readonly paint: () => void, private intervalMs: number) {}

  setInterval(ms: number): void {
    this.intervalMs = ms;
  }

  /** Something changed: paint within one frame interval. */
  markDirty(): void {
    if (!this.dirty) this.firstDirty = Date.now();
    this.dirty = true;
    if (this.timer || this.immediate || this.stopped) return;
    const wait = Math.max(0, this.last + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.frame(), wait);
  }

  /** The user did something: paint as soon as the current input is handled. */
  soon(): void {
    if (!this.dirty) this.firstDirty = Date.now();
    this.dirty = true;
    if (this.immediate || this.stopped) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.immediate = setImmediate(() => this.frame());
  }

  /**
   * Paint now if something is due. Start-up: the first frame is painted before the event loop
   * turns, so a list page read meanwhile (the second page of a big list) does not delay it.
   */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.frame();
  }

  private frame(): void {
    this.timer = undefined;
    this.immediate = undefined;
    if (!this.dirty || this.stopped) return;
    this.dirty = false;
    this.dirtySince = this.firstDirty;
    this.last = Date.now();
    this.frames++;
    this.paint();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
  }
}
