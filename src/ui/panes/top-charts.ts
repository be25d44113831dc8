/**
 * The top pane's charts, drawn with blessed-contrib (the project's chart library): per node,
 * CPU and memory as bars against allocatable (0–100 %), the top pods by CPU as a bar chart, and the
 * selected pod's CPU and memory history as line charts (the poller's ring buffers, one sample
 * every few seconds). Colours come from the theme's roles (NO_COLOR: the terminal's own); the
 * widgets only set content — the cockpit's frame scheduler renders them with everything else.
 * A new pane size rebuilds them (contrib charts size their canvas once, when attached).
 */
import blessed from 'blessed';
import contrib from 'blessed-contrib';
import type { MetricsSnapshot, Usage } from '../../kube/metrics.js';
import type { Theme } from '../theme.js';
import { sanitizePlain } from '../sanitize.js';

type Widget = blessed.Widgets.BlessedElement & { setData?(d: unknown): void; setPercent?(p: number): void };

const BASIC = new Set(['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white']);

/** A role's colour as the chart library can draw it (its 8 names); NO_COLOR: the terminal's default. */
const colour = (theme: Theme, role: 'ok' | 'warn' | 'error' | 'accent' | 'muted' | 'fg'): string => {
  if (theme.mono) return 'normal';
  const c = String(theme.roles[role]?.fg ?? '').toLowerCase().replace(/^(bright-?|light-?)/, '');
  if (BASIC.has(c)) return c;
  return c === 'gray' || c === 'grey' ? 'white' : 'normal';
};

/** Short labels fit under the bars (contrib draws them in the bar's width). */
const label = (u: Usage) => sanitizePlain(u.name).replace(/-[a-z0-9]{8,10}-([a-z0-9]{5})$/, '-$1').slice(0, 10);

export class TopCharts {
  private widgets: Widget[] = [];
  private size = '';
  private nodeCpu?: Widget;
  private nodeMem?: Widget;
  private bar?: Widget;
  private cpuLine?: Widget;
  private memLine?: Widget;
  private themeName = '';

  constructor(private readonly parent: blessed.Widgets.BoxElement) {}

  private rebuild(theme: Theme): void {
    for (const w of this.widgets) w.destroy();
    this.widgets = [];
    const width = Math.max(40, ((this.parent.width as number) || 80) - 2);
    const height = Math.max(12, ((this.parent.height as number) || 24) - 2);
    const fg = colour(theme, 'fg');
    const third = Math.max(8, Math.floor(height / 3));
    const nodeBars = (left: number, what: string, role: 'ok' | 'warn') => contrib.bar({
      top: 0, left, width: Math.floor(width / 2), height: third, label: what,
      barWidth: 6, barSpacing: 10, xOffset: 0, maxHeight: 100, barBgColor: colour(theme, role) ?? 'green', barFgColor: fg, labelColor: fg,
      border: { type: 'line' }, style: { border: { fg: colour(theme, 'muted') } },
    } as never) as unknown as Widget;
    this.nodeCpu = nodeBars(0, ' nodes: CPU % of allocatable ', 'ok');
    this.nodeMem = nodeBars(Math.floor(width / 2), ' nodes: memory % of allocatable ', 'warn');
    this.widgets.push(this.nodeCpu, this.nodeMem);
    const top = third;
    const rest = Math.max(8, height - top);
    this.bar = contrib.bar({
      top, left: 0, width, height: Math.floor(rest / 2), label: ' top pods by CPU (m) ',
      barWidth: 8, barSpacing: 12, xOffset: 0, maxHeight: 10, barBgColor: colour(theme, 'accent') ?? 'cyan', barFgColor: fg, labelColor: fg,
      border: { type: 'line' }, style: { border: { fg: colour(theme, 'muted') } },
    } as never) as unknown as Widget;
    const lineOpts = (what: string, left: number, role: 'accent' | 'warn') => ({
      top: top + Math.floor(rest / 2), left, width: Math.floor(width / 2), height: rest - Math.floor(rest / 2), label: what,
      showLegend: false, wholeNumbersOnly: true, style: { line: colour(theme, role) ?? 'yellow', text: fg, baseline: colour(theme, 'muted') ?? 'white' },
      border: { type: 'line' },
    });
    this.cpuLine = contrib.line(lineOpts(' CPU (m) ', 0, 'accent') as never) as unknown as Widget;
    this.memLine = contrib.line(lineOpts(' memory (MiB) ', Math.floor(width / 2), 'warn') as never) as unknown as Widget;
    // contrib sizes a line chart's canvas 2 cells wider than the box's inner width (the last
    // column wraps onto the next row): size it to fit, before it is attached.
    for (const l of [this.cpuLine, this.memLine] as Array<Widget & { canvasSize?: unknown; width: number; height: number }>) {
      (l as unknown as { calcSize(): void }).calcSize = function (this: { canvasSize: unknown; width: number; height: number }) { this.canvasSize = { width: this.width * 2 - 16, height: this.height * 4 - 8 }; };
    }
    this.widgets.push(this.bar, this.cpuLine, this.memLine);
    // Appended after construction: contrib makes its canvas on 'attach', which a `parent`
    // option would fire before the widget listens for it.
    for (const w of this.widgets) this.parent.append(w);
  }

  /** Draws `s` (no render: the frame does it); `selected` is the pod whose history is charted. */
  update(theme: Theme, s: MetricsSnapshot, selected: Usage | undefined): void {
    const size = `${this.parent.width}x${this.parent.height}`;
    if (size !== this.size || theme.name !== this.themeName) {
      this.size = size;
      this.themeName = theme.name;
      this.rebuild(theme);
    }
    const nodes = s.nodes.slice(0, 8);
    this.nodeCpu?.setData?.({ titles: nodes.map(label), data: nodes.map((n) => Math.max(0, Math.min(100, Math.round(n.cpuPct ?? 0)))) });
    this.nodeMem?.setData?.({ titles: nodes.map(label), data: nodes.map((n) => Math.max(0, Math.min(100, Math.round(n.memPct ?? 0)))) });
    const topPods = [...s.pods].sort((a, b) => b.cpuMilli - a.cpuMilli).slice(0, 8);
    this.bar?.setData?.({ titles: topPods.map(label), data: topPods.map((p) => Math.round(p.cpuMilli)) });
    const pod = selected ?? topPods[0];
    const series = (xs: number[]) => (xs.length ? xs : [0]);
    if (pod) {
      const cpu = series(pod.cpuHistory);
      const mem = series(pod.memHistory.map((b) => Math.round(b / 2 ** 20)));
      this.cpuLine?.setLabel(` ${label(pod)} CPU (m) `);
      this.memLine?.setLabel(` ${label(pod)} memory (MiB) `);
      this.cpuLine?.setData?.([{ x: cpu.map((_, i) => String(i - cpu.length + 1)), y: cpu, style: { line: colour(theme, 'accent') } }]);
      this.memLine?.setData?.([{ x: mem.map((_, i) => String(i - mem.length + 1)), y: mem, style: { line: colour(theme, 'warn') } }]);
    }
  }

  destroy(): void {
    for (const w of this.widgets) w.destroy();
    this.widgets = [];
    this.size = '';
  }
}
