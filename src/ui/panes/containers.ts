/**
 * A pod's containers (enter on a pod row, as in k9s): init, sidecar and app containers with
 * image, readiness, state, restarts, probes and ports, live from the cache. `l` shows the
 * selected container's logs, `s` opens a shell in it, esc goes back to the pods.
 */
import blessed from 'blessed';
import type { KubeObject } from '../../kube/types.js';
import type { ModalPane } from './modal.js';
import { escapeTags, fit, sanitizePlain, displayWidth } from '../sanitize.js';
import { blessedStyle, paint, type Role, type Theme } from '../theme.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export interface ContainerRow {
  name: string;
  init: boolean;
  image: string;
  ready: string;
  state: string;
  restarts: number;
  probes: string;
  ports: string;
  health: 'ok' | 'warn' | 'error' | 'muted';
}

function stateOf(st: Any): { text: string; health: ContainerRow['health'] } {
  const s = st?.state ?? {};
  if (s.running) return { text: 'Running', health: 'ok' };
  if (s.waiting) return { text: s.waiting.reason ?? 'Waiting', health: /BackOff|Err|Invalid/.test(s.waiting.reason ?? '') ? 'error' : 'warn' };
  if (s.terminated) return { text: s.terminated.reason ?? `Exit ${s.terminated.exitCode}`, health: s.terminated.exitCode === 0 ? 'muted' : 'error' };
  return { text: 'Waiting', health: 'warn' };
}

/** The rows of a pod: init containers first (as they run), then the app containers. */
export function containerRows(pod: KubeObject): ContainerRow[] {
  const spec: Any = pod.spec ?? {};
  const status: Any = pod.status ?? {};
  const rows: ContainerRow[] = [];
  const add = (c: Any, st: Any, init: boolean) => {
    const { text, health } = stateOf(st);
    const probe = (p: Any, letter: string) => (p ? letter : '');
    rows.push({
      name: c.name,
      init,
      image: c.image ?? '',
      ready: st?.ready ? 'true' : 'false',
      state: text,
      restarts: Number(st?.restartCount ?? 0),
      probes: [probe(c.livenessProbe, 'L'), probe(c.readinessProbe, 'R'), probe(c.startupProbe, 'S')].filter(Boolean).join(':') || 'off',
      ports: ((c.ports ?? []) as Any[]).map((p) => `${p.name ? `${p.name}:` : ''}${p.containerPort}/${p.protocol ?? 'TCP'}`).join(','),
      health,
    });
  };
  const initStatus = new Map<string, Any>(((status.initContainerStatuses ?? []) as Any[]).map((s) => [s.name, s]));
  for (const c of spec.initContainers ?? []) add(c, initStatus.get(c.name), true);
  const appStatus = new Map<string, Any>(((status.containerStatuses ?? []) as Any[]).map((s) => [s.name, s]));
  for (const c of spec.containers ?? []) add(c, appStatus.get(c.name), false);
  return rows;
}

export interface ContainersHost {
  screen: blessed.Widgets.Screen;
  /** The pod as the cache has it now (undefined once deleted). */
  pod(): KubeObject | undefined;
  logs(pod: KubeObject, container: string): void;
  shell(pod: KubeObject, container: string): void;
  close(): void;
}

const COLUMNS = ['NAME', 'INIT', 'IMAGE', 'READY', 'STATE', 'RESTARTS', 'PROBES(L:R:S)', 'PORTS'] as const;

export class ContainersPane implements ModalPane {
  readonly element: blessed.Widgets.BoxElement;
  readonly hints = 'j/k:move l:logs s:shell esc:back';
  private selected = 0;
  private rows: ContainerRow[] = [];

  constructor(private readonly host: ContainersHost, private readonly label: string) {
    this.element = blessed.box({ parent: host.screen, top: 0, left: 0, width: '100%', height: '100%-2', border: { type: 'line' }, tags: true });
  }

  handleKey(full: string): boolean {
    const row = this.rows[this.selected];
    const pod = this.host.pod();
    if (full === 'escape' || full === 'q') { this.host.close(); return true; }
    if (full === 'j' || full === 'down') this.selected = Math.min(this.rows.length - 1, this.selected + 1);
    else if (full === 'k' || full === 'up') this.selected = Math.max(0, this.selected - 1);
    else if ((full === 'l' || full === 'enter') && row && pod) this.host.logs(pod, row.name);
    else if (full === 's' && row && pod) this.host.shell(pod, row.name);
    return true;
  }

  paint(theme: Theme): void {
    const pod = this.host.pod();
    this.rows = pod ? containerRows(pod) : [];
    this.selected = Math.max(0, Math.min(this.selected, this.rows.length - 1));
    this.element.style = { ...this.element.style, border: blessedStyle(theme, 'focusBorder') };
    this.element.setLabel(` containers: ${escapeTags(sanitizePlain(this.label))} [${this.rows.length}] `);
    const width = Math.max(20, (this.element.width as number) - 2);
    const cells = (r: ContainerRow) => [r.name, r.init ? 'init' : '', r.image, r.ready, r.state, String(r.restarts), r.probes, r.ports].map((x) => sanitizePlain(x));
    const body = this.rows.map(cells);
    const widths = COLUMNS.map((h, i) => Math.max(h.length, ...body.map((c) => displayWidth(c[i]!))));
    // IMAGE gives way first when the pane is narrow.
    const over = widths.reduce((s, w) => s + w + 2, 0) - width;
    if (over > 0) widths[2] = Math.max(12, widths[2]! - over);
    const line = (c: string[]) => c.map((x, i) => fit(x, widths[i]!)).join('  ');
    const out = [paint(theme, 'header', escapeTags(fit(line([...COLUMNS]), width)))];
    if (!pod) out.push(paint(theme, 'muted', 'the pod is gone'));
    this.rows.forEach((r, i) => {
      const text = escapeTags(fit(line(body[i]!), width));
      const role: Role = i === this.selected ? 'selection' : r.health === 'ok' ? 'ok' : r.health === 'muted' ? 'muted' : r.health === 'warn' ? 'warn' : 'error';
      out.push(paint(theme, role, text));
    });
    this.element.setContent(out.join('\n'));
  }

  onClose(): void { this.element.destroy(); }
}
