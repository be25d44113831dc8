/**
 * `shift-f` asks which port (as k9s's port-forward dialog): the container or service ports are
 * offered, and a local port is proposed — the same number when it is free and unprivileged,
 * else a free one nearby, never a silent move. Digits edit the local port; enter forwards.
 */
import blessed from 'blessed';
import net from 'node:net';
import type { ModalPane } from './modal.js';
import type { KubeObject } from '../../kube/types.js';
import { escapeTags, fit, sanitizePlain } from '../sanitize.js';
import { blessedStyle, paint, type Theme } from '../theme.js';

export interface PortChoice { port: number | string; label: string }

/** The ports an object declares: every container port of a pod, every port of a service. */
export function declaredPorts(o: KubeObject, kind: string): PortChoice[] {
  if (kind === 'Service') {
    return ((o.spec?.ports ?? []) as Array<{ port: number; name?: string; protocol?: string; targetPort?: number | string }>)
      .map((p) => ({ port: p.port, label: `${p.port}${p.name ? ` (${p.name})` : ''} → target ${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}` }));
  }
  const out: PortChoice[] = [];
  for (const c of (o.spec?.containers ?? []) as Array<{ name: string; ports?: Array<{ containerPort: number; name?: string; protocol?: string }> }>) {
    for (const p of c.ports ?? []) out.push({ port: p.containerPort, label: `${p.containerPort}${p.name ? ` (${p.name})` : ''}/${p.protocol ?? 'TCP'} — container ${c.name}` });
  }
  return out;
}

export function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** The local port to offer: the same number if free and ≥ 1024, else the first free of +8000, +8001…, else 0 (any). */
export async function proposeLocal(remote: number | string, free = isFree): Promise<number> {
  if (typeof remote !== 'number') return 0;
  if (remote >= 1024 && (await free(remote))) return remote;
  const base = remote < 1024 ? remote + 8000 : remote + 1;
  for (let p = base; p < base + 20 && p <= 65535; p++) if (await free(p)) return p;
  return 0;
}

export class ForwardDialog implements ModalPane {
  readonly element: blessed.Widgets.BoxElement;
  readonly hints = 'j/k:port 0-9/backspace:local port enter:forward esc:cancel';
  private selected = 0;
  private local = '';
  private edited = false;

  constructor(
    screen: blessed.Widgets.Screen,
    private readonly target: string,
    private readonly ports: PortChoice[],
    private readonly propose: (remote: number | string) => Promise<number>,
    private readonly done: (choice: { remote: number | string; local: number } | undefined) => void,
    private readonly repaint: () => void,
  ) {
    this.element = blessed.box({ parent: screen, top: 'center', left: 'center', width: '70%', height: Math.min(ports.length + 8, 20), border: { type: 'line' }, tags: true });
    this.suggest();
  }

  private suggest(): void {
    if (this.edited) return;
    const remote = this.ports[this.selected]!.port;
    void this.propose(remote).then((p) => {
      if (this.edited || this.ports[this.selected]!.port !== remote) return;
      this.local = p ? String(p) : '';
      this.repaint();
    });
  }

  handleKey(full: string, ch: string | undefined): boolean {
    if (full === 'escape') { this.done(undefined); return true; }
    if (full === 'enter') {
      const local = this.local === '' ? 0 : Number(this.local);
      if (!Number.isInteger(local) || local > 65535) return true;
      this.done({ remote: this.ports[this.selected]!.port, local });
      return true;
    }
    if (full === 'j' || full === 'down') { this.selected = Math.min(this.ports.length - 1, this.selected + 1); this.suggest(); }
    else if (full === 'k' || full === 'up') { this.selected = Math.max(0, this.selected - 1); this.suggest(); }
    else if (full === 'backspace') { this.local = this.local.slice(0, -1); this.edited = true; }
    else if (ch && /^[0-9]$/.test(ch) && this.local.length < 5) { this.local += ch; this.edited = true; }
    return true;
  }

  paint(theme: Theme): void {
    this.element.style = { ...this.element.style, border: blessedStyle(theme, 'focusBorder') };
    this.element.setLabel(` port-forward ${escapeTags(sanitizePlain(this.target))} `);
    const width = Math.max(20, (this.element.width as number) - 2);
    const out = [paint(theme, 'header', 'REMOTE PORT')];
    this.ports.forEach((p, i) => {
      const text = escapeTags(fit(`${i === this.selected ? '▸ ' : '  '}${sanitizePlain(p.label)}`, width));
      out.push(i === this.selected ? paint(theme, 'selection', text) : text);
    });
    out.push('', `local port on 127.0.0.1: ${paint(theme, 'accent', this.local || '(any free port)')}${this.local && Number(this.local) < 1024 ? paint(theme, 'warn', '  below 1024: needs root') : ''}`);
    out.push(paint(theme, 'muted', 'enter forwards · digits change the local port · esc cancels'));
    this.element.setContent(out.join('\n'));
  }

  onClose(): void { this.element.destroy(); }
}
