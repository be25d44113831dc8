/**
 * The logs pane: follows a container's log through the API into a bounded buffer, painted by
 * the cockpit's frame scheduler (lines arriving only mark the screen dirty). Every line goes
 * through sanitize before it reaches blessed, so no escape sequence from a container reaches
 * the terminal.
 *
 * Keys: c/tab next container, [ ] previous/next pod (workloads), p previous instance,
 * r reconnect, t timestamps, w wrap, f/space pause/resume following, / search, n/N next/previous match,
 * j/k pgup/pgdn g/G scroll, esc close.
 */
import blessed from 'blessed';
import type { PaneHost as Cockpit } from '../host.js';
import type { ModalPane } from './modal.js';
import { LogBuffer, LogFollower, type LogEnd } from '../../kube/logs.js';
import type { Transport } from '../../kube/transport.js';
import type { KubeObject } from '../../kube/types.js';
import type { TreeNode } from '../relations.js';
import { escapeTags, fit, sanitizePlain, charWidth } from '../sanitize.js';
import { blessedStyle, paint, type Theme } from '../theme.js';

const TAIL_LINES = 1000;
const MAX_LINES = 10_000;
const WORKLOADS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'Service', 'ReplicationController'];

/** The cluster's transport, as the host hands it out (undefined: this source cannot stream). */
export function transportOf(app: Cockpit): Transport | undefined {
  return app.streams()?.transport;
}

import { podsOf } from '../../kube/streams.js';
export { podsOf };

/** Cuts one plain line into rows of `width` cells (wrap mode). */
function wrapLine(s: string, width: number): string[] {
  if (width <= 0) return [s];
  const rows: string[] = [];
  let cur = '';
  let w = 0;
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0)!);
    if (w + cw > width) { rows.push(cur); cur = ''; w = 0; }
    cur += ch;
    w += cw;
  }
  rows.push(cur);
  return rows;
}

/** How often a stopped container is asked for again (it restarts after the kubelet's back-off). */
const RESUME_EVERY_MS = 1000;

export class LogsPane implements ModalPane {
  readonly element: blessed.Widgets.BoxElement;
  private readonly buffer = new LogBuffer(MAX_LINES);
  private follower: LogFollower | undefined;
  private resumeTimer: NodeJS.Timeout | undefined;
  /** Restarts followed in this pane (a crash-looping container). */
  private restarts = 0;
  private pods: KubeObject[];
  private podIndex = 0;
  private container = 0;
  private previous = false;
  private timestamps = false;
  private wrap = false;
  private following = true;
  /** Index of the first visible line when not following. */
  private top = 0;
  private search = '';
  private typing: string | undefined;
  private state = 'connecting…';
  private droppedAt = 0;

  constructor(private readonly app: Cockpit, private readonly transport: Transport, pods: KubeObject[], container?: string) {
    this.pods = pods;
    const names = this.containers();
    if (container) this.container = Math.max(0, names.indexOf(container));
    this.element = blessed.box({ parent: app.screen, top: 0, left: 0, width: '100%', height: '100%-1', border: { type: 'line' }, tags: true, hidden: true, label: ' logs ' });
  }

  get hints(): string {
    if (this.typing !== undefined) return 'type to search  enter:keep  esc:cancel';
    return `esc:close c:container${this.pods.length > 1 ? ' [ ]:pod' : ''} p:previous r:reconnect t:timestamps w:wrap f:${this.following ? 'pause' : 'follow'} /:search n/N:match j/k g/G:scroll`;
  }

  private pod(): KubeObject {
    return this.pods[this.podIndex]!;
  }

  private containers(): string[] {
    const p = this.pods[this.podIndex];
    return ((p?.spec?.containers ?? []) as Array<{ name: string }>).map((c) => c.name);
  }

  /** (Re)starts the stream for the current pod/container/options. */
  start(resumeAfter?: string): void {
    this.follower?.stop();
    clearTimeout(this.resumeTimer);
    if (!resumeAfter) {
      this.buffer.clear();
      this.top = 0;
      this.droppedAt = 0;
    }
    const p = this.pod();
    const container = this.containers()[this.container];
    this.state = resumeAfter ? 'waiting for the container to start again…' : 'connecting…';
    const f = new LogFollower(this.transport, {
      namespace: p.metadata.namespace ?? 'default', pod: p.metadata.name, container,
      previous: this.previous, timestamps: this.timestamps, follow: !this.previous,
      ...(resumeAfter ? { sinceTime: resumeAfter } : { tailLines: TAIL_LINES }),
    });
    this.follower = f;
    let resumed = !resumeAfter;
    f.onLines = (lines) => {
      if (this.follower !== f) return;
      if (!resumed) {
        resumed = true;
        this.restarts++;
        this.buffer.push([`──── the container started again (restart ${this.restarts} seen here) ────`]);
        this.state = 'streaming';
      }
      this.buffer.push(lines);
      this.app.markDirty();
    };
    f.onEnd = (end: LogEnd) => {
      if (this.follower !== f) return;
      // A crash-looping container: keep following the next instance, as kubectl logs -f users expect.
      const waiting = end.reason === 'error' && /waiting to start|ContainerCreating|PodInitializing|CrashLoopBackOff/i.test(end.message);
      if (!this.previous && (end.reason === 'ended' || (resumeAfter && waiting))) {
        const since = resumeAfter && !resumed ? resumeAfter : new Date().toISOString();
        if (end.reason === 'ended' && resumed) this.buffer.push(['──── the container stopped; following its next start ────']);
        this.state = 'container stopped: waiting for it to start again (r reconnects now)';
        this.resumeTimer = setTimeout(() => { if (this.follower === f) this.start(since); }, RESUME_EVERY_MS);
        this.app.markDirty();
        return;
      }
      this.state = end.reason === 'error' ? `error: ${end.message}` : end.reason === 'ended' ? 'end of the previous log' : 'stopped';
      this.app.markDirty();
    };
    void f.start().then(() => {
      if (this.follower === f && this.state === 'connecting…') { this.state = this.previous ? 'previous instance' : 'streaming'; this.app.markDirty(); }
    });
  }

  onClose(): void {
    clearTimeout(this.resumeTimer);
    this.follower?.stop();
    this.follower = undefined;
    this.element.destroy();
  }

  private visibleRows(): number {
    return Math.max(1, (this.element.height as number) - 3);
  }

  private width(): number {
    return Math.max(10, (this.element.width as number) - 2);
  }

  private matches(line: string): boolean {
    return !!this.search && line.toLowerCase().includes(this.search.toLowerCase());
  }

  /** Moves to the next/previous line holding the search term. */
  private jump(dir: 1 | -1): void {
    const lines = this.buffer.all();
    if (!this.search || !lines.length) return;
    const from = this.following ? lines.length - 1 : this.top;
    for (let k = 1; k <= lines.length; k++) {
      const i = (from + dir * k + lines.length * 2) % lines.length;
      if (this.matches(lines[i]!)) {
        this.following = false;
        this.top = Math.max(0, i - Math.floor(this.visibleRows() / 2));
        return;
      }
    }
    this.app.message(`no line matches "${this.search}"`, 'error');
  }

  private scroll(delta: number): void {
    const n = this.buffer.length;
    const max = Math.max(0, n - this.visibleRows());
    if (this.following) this.top = max;
    this.top = Math.max(0, Math.min(max, this.top + delta));
    this.following = this.top >= max && delta > 0;
  }

  handleKey(full: string, ch: string | undefined): boolean {
    if (this.typing !== undefined) {
      if (full === 'escape') this.typing = undefined;
      else if (full === 'enter') { this.search = this.typing; this.typing = undefined; if (this.search) this.jump(-1); }
      else if (full === 'backspace') this.typing = this.typing.slice(0, -1);
      else if (full === 'C-u') this.typing = '';
      else if (ch && ch.length === 1 && ch >= ' ') this.typing += ch;
      return true;
    }
    const page = this.visibleRows();
    switch (full) {
      case 'escape': case 'q': this.app.closeModal(); return true;
      case 'C-c': this.app.quit(); return true;
      case 'c': case 'tab': {
        const n = this.containers().length;
        if (n <= 1) { this.app.message('this pod has one container'); return true; }
        this.container = (this.container + 1) % n;
        this.start();
        return true;
      }
      case ']': case '[': {
        if (this.pods.length <= 1) { this.app.message('one pod only'); return true; }
        this.podIndex = (this.podIndex + (full === ']' ? 1 : this.pods.length - 1)) % this.pods.length;
        this.container = 0;
        this.start();
        return true;
      }
      case 'p': this.previous = !this.previous; this.following = true; this.start(); return true;
      case 'r': this.following = true; this.start(); return true;
      case 't': this.timestamps = !this.timestamps; this.start(); return true;
      case 'w': this.wrap = !this.wrap; return true;
      case 'f': case 'space': this.following = !this.following; if (!this.following) this.top = Math.max(0, this.buffer.length - page); return true;
      case '/': this.typing = ''; return true;
      case 'n': this.jump(1); return true;
      case 'S-n': case 'N': this.jump(-1); return true;
      case 'j': case 'down': this.scroll(1); return true;
      case 'k': case 'up': this.scroll(-1); return true;
      case 'pagedown': case 'C-f': this.scroll(page); return true;
      case 'pageup': case 'C-b': this.scroll(-page); return true;
      case 'g': case 'home': this.following = false; this.top = 0; return true;
      case 'S-g': case 'G': case 'end': this.following = true; return true;
    }
    return false;
  }

  /** One plain (already neutralised) line → tag text with search matches highlighted. */
  private render(line: string, theme: Theme): string {
    if (!this.search) return escapeTags(line);
    const lower = line.toLowerCase();
    const term = this.search.toLowerCase();
    let out = '';
    let i = 0;
    for (let at = lower.indexOf(term); at >= 0; at = lower.indexOf(term, i)) {
      out += escapeTags(line.slice(i, at)) + paint(theme, 'mark', `{inverse}${escapeTags(line.slice(at, at + term.length))}{/inverse}`);
      i = at + term.length;
    }
    return out + escapeTags(line.slice(i));
  }

  paint(theme: Theme): void {
    const el = this.element;
    const width = this.width();
    const rows = this.visibleRows();
    const lines = this.buffer.all();
    // Lines that fell off the buffer's top move a paused view with them.
    if (this.buffer.dropped !== this.droppedAt) { this.top = Math.max(0, this.top - (this.buffer.dropped - this.droppedAt)); this.droppedAt = this.buffer.dropped; }
    const out: string[] = [];
    if (this.wrap) {
      // Following: fill from the bottom; paused: from `top` down.
      if (this.following) {
        for (let i = lines.length - 1; i >= 0 && out.length < rows; i--) {
          const parts = wrapLine(sanitizePlain(lines[i]), width).map((r) => this.render(r, theme));
          out.unshift(...parts);
        }
        while (out.length > rows) out.shift();
      } else {
        for (let i = this.top; i < lines.length && out.length < rows; i++) out.push(...wrapLine(sanitizePlain(lines[i]), width).map((r) => this.render(r, theme)));
        out.length = Math.min(out.length, rows);
      }
    } else {
      const start = this.following ? Math.max(0, lines.length - rows) : Math.min(this.top, Math.max(0, lines.length - rows));
      if (!this.following) this.top = start;
      for (let i = start; i < Math.min(lines.length, start + rows); i++) out.push(this.render(fit(sanitizePlain(lines[i]), width, false), theme));
    }
    if (lines.length === 0) out.push(paint(theme, 'muted', escapeTags(this.state === 'streaming' ? '(no log lines yet: waiting for the container to write)' : this.state)));
    const p = this.pod();
    const cs = this.containers();
    const flags = [
      this.previous ? 'previous' : this.following ? 'following' : 'paused',
      this.timestamps ? 'timestamps' : '',
      this.wrap ? 'wrap' : '',
      `${lines.length} lines`,
      this.search ? `search "${this.search}"` : '',
    ].filter(Boolean).join(' | ');
    const head = `${p.metadata.namespace}/${p.metadata.name}${this.pods.length > 1 ? ` (${this.podIndex + 1}/${this.pods.length})` : ''} [${cs[this.container] ?? '?'}${cs.length > 1 ? ` ${this.container + 1}/${cs.length}` : ''}]`;
    const stateRole = this.state.startsWith('error') ? 'error' : 'muted';
    const status = this.typing !== undefined
      ? paint(theme, 'accent', escapeTags(`/${sanitizePlain(this.typing)}`)) + '█'
      : paint(theme, 'title', escapeTags(fit(sanitizePlain(flags), Math.max(10, width - 2), false))) + '  ' + paint(theme, stateRole, escapeTags(fit(sanitizePlain(this.state), Math.max(0, width - flags.length - 4), false)));
    el.setLabel(` logs: ${sanitizePlain(head).replace(/[{}]/g, '')} `);
    el.style = { ...el.style, border: blessedStyle(theme, 'focusBorder') };
    el.setContent([status, ...out].join('\n'));
  }
}

/** `l` on a pod (or a workload/service: its pods, Running first). */
export async function openLogs(app: Cockpit): Promise<void> {
  const transport = transportOf(app);
  if (!transport) { app.message('logs: this cluster source cannot stream', 'error'); return; }
  // A pod or container row of the ownership tree (when the tree is focused) comes first.
  const node = (app as { treeSelection?: () => TreeNode | undefined }).treeSelection?.();
  const podRef = node?.container ? { namespace: node.container.namespace, name: node.container.pod } : node?.ref?.kind === 'Pod' ? node.ref : undefined;
  if (podRef) {
    const ns = podRef.namespace ?? app.namespace ?? 'default';
    const pod = await transport.json<KubeObject>(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(podRef.name)}`, { timeoutMs: 10_000 });
    const pane = new LogsPane(app, transport, [pod], node?.container?.name);
    app.openModal(pane);
    pane.start();
    return;
  }
  const sel = app.selection();
  if (!sel) { app.message('logs: select a pod (or a workload) first', 'error'); return; }
  const kind = sel.object.kind ?? sel.kind.kind;
  let pods: KubeObject[];
  if (kind === 'Pod') pods = [sel.object];
  else if (WORKLOADS.includes(kind)) {
    // Every pod of the workload at once, joining and leaving as they come (workload-logs.ts).
    const { openWorkloadLogs } = await import('./workload-logs.js');
    if (openWorkloadLogs(app, sel.object, kind)) return;
    pods = await podsOf(transport, sel.object, kind);
    if (!pods.length) { app.message(`logs: ${kind.toLowerCase()}/${sel.object.metadata.name} has no pods`, 'error'); return; }
  } else { app.message(`logs: ${kind} has no logs — select a pod or a workload`, 'error'); return; }
  const pane = new LogsPane(app, transport, pods);
  app.openModal(pane);
  pane.start();
}

/** Logs of one container of a pod (from the containers pane). */
export function openContainerLogs(app: Cockpit, pod: KubeObject, container: string): void {
  const transport = transportOf(app);
  if (!transport) { app.message('logs: this cluster source cannot stream', 'error'); return; }
  const pane = new LogsPane(app, transport, [pod], container);
  app.openModal(pane);
  pane.start();
}
