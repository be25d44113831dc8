import { appendFileSync } from 'node:fs';
import type { TablePane } from '../panes/table.js';
import type { RowList } from '../rows.js';

/**
 * KAI_TUI_BENCH=<file>: one JSON line per measurement (first painted table, key → frame,
 * change → frame for objects carrying the bench annotation). Only used by test/bench.
 */
export class BenchTrace {
  private firstPaintDone = false;
  private firstRowsDone = false;
  private keyAt: number[] = [];
  private seen = new Set<string>();
  constructor(private readonly file: string) {
    // `up`: ms since the process started (performance.now()), which the launch's wall clock cannot split.
    this.write({ ev: 'start', t: Date.now(), up: Math.round(performance.now()), pid: process.pid });
  }
  private write(o: object): void {
    try { appendFileSync(this.file, JSON.stringify(o) + '\n'); } catch { /* the bench reads what it can */ }
  }
  keyReceived(): void {
    this.keyAt.push(Date.now());
  }
  painted(table: TablePane, rows: RowList, offset: number, visible: number, dirtySince: number, started: number, parts: Record<string, number>): void {
    const t = Date.now();
    this.write({ ev: 'frame', dirty: dirtySince, start: started, t, parts });
    for (const k of this.keyAt) this.write({ ev: 'key', recv: k, painted: t });
    this.keyAt = [];
    if (!this.firstRowsDone && rows.length > 0) {
      // The first frame with rows (a big list shows its first page while the rest loads).
      this.firstRowsDone = true;
      // `cpu`: the process's CPU time so far (user + system), steadier than wall time on a busy machine.
      const cpu = process.cpuUsage();
      this.write({ ev: 'firstRows', t, up: Math.round(performance.now()), cpu: Math.round((cpu.user + cpu.system) / 1000), rows: rows.length });
    }
    if (!this.firstPaintDone && rows.length > 0 && table.collection?.state().phase === 'synced') {
      this.firstPaintDone = true;
      this.write({ ev: 'firstPaint', t, rows: rows.length });
    }
    for (let i = offset; i < Math.min(rows.length, offset + visible); i++) {
      const sent = rows.at(i)?.metadata.annotations?.['kai-tui.dev/bench-sent'];
      if (sent && !this.seen.has(sent)) {
        this.seen.add(sent);
        this.write({ ev: 'seen', sent: Number(sent), t });
      }
    }
  }
}
