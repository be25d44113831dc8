/**
 * `shift-f` asks which port (as k9s's port-forward dialog): the container or service ports are
 * offered, and a local port is proposed — the same number when it is free and unprivileged,
 * else a free one nearby, never a silent move. Digits edit the local port; space marks several
 * ports (each with its own local port) to forward together; enter forwards.
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

export interface ForwardChoice { remote: number | string; local: number }

export class ForwardDialog implements ModalPane {
  readonly element: blessed.Widgets.BoxElement;
  readonly hints = 'j/k:port space:mark more ports 0-9/backspace:local port enter:forward esc:cancel';
  private selected = 0;
  /** The local port of each offered port as typed or proposed ('' = any free port). */
  private readonly locals: string[];
  private readonly edited: boolean[];
  /** Ports marked with space: several ports of the target in one go (one API connection). */
  private readonly marked = new Set<number>();
  private problem = '';

  constructor(
    screen: blessed.Widgets.Screen,
    private readonly target: string,
    private readonly ports: PortChoice[],
    private readonly propose: (remote: number | string) => Promise<number>,
    private readonly done: (choices: ForwardChoice[] | undefined) => void,
    private readonly repaint: () => void,
  ) {
    this.locals = ports.map(() => '');
    this.edited = ports.map(() => false);
    this.element = blessed.box({ parent: screen, top: 'center', left: 'center', width: '70%', height: Math.min(ports.length + 9, 20), border: { type: 'line' }, tags: true });
    this.suggest();
  }

  private suggest(i = this.selected): void {
    if (this.edited[i]) return;
    void this.propose(this.ports[i]!.port).then((p) => {
      if (this.edited[i]) return;
      this.locals[i] = p ? String(p) : '';
      this.repaint();
    });
  }

  /** What enter forwards: the marked ports, or the one under the cursor when none is marked. */
  private choices(): ForwardChoice[] | undefined {
    const picked = this.marked.size ? [...this.marked].sort((a, b) => a - b) : [this.selected];
    const out = picked.map((i) => ({ remote: this.ports[i]!.port, local: this.locals[i] === '' ? 0 : Number(this.locals[i]) }));
    if (out.some((c) => !Number.isInteger(c.local) || c.local > 65535)) { this.problem = 'a local port is out of range'; return undefined; }
    const taken = out.map((c) => c.local).filter((p) => p > 0);
    const twice = taken.find((p, i) => taken.indexOf(p) !== i);
    if (twice) { this.problem = `local port ${twice} is chosen twice: change one (digits) or empty it for any free port`; return undefined; }
    return out;
  }

  handleKey(full: string, ch: string | undefined): boolean {
    this.problem = '';
    const i = this.selected;
    if (full === 'escape') { this.done(undefined); return true; }
    if (full === 'enter') {
      const c = this.choices();
      if (c) this.done(c);
      return true;
    }
    if (full === 'j' || full === 'down') { this.selected = Math.min(this.ports.length - 1, i + 1); this.suggest(); }
    else if (full === 'k' || full === 'up') { this.selected = Math.max(0, i - 1); this.suggest(); }
    else if (full === 'space') { if (!this.marked.delete(i)) this.marked.add(i); }
    else if (full === 'backspace') { this.locals[i] = this.locals[i]!.slice(0, -1); this.edited[i] = true; }
    else if (ch && /^[0-9]$/.test(ch) && this.locals[i]!.length < 5) { this.locals[i] += ch; this.edited[i] = true; }
    return true;
  }

  paint(theme: Theme): void {
    this.element.style = { ...this.element.style, border: blessedStyle(theme, 'focusBorder') };
    this.element.setLabel(` port-forward ${escapeTags(sanitizePlain(this.target))} `);
    const width = Math.max(20, (this.element.width as number) - 2);
    const out = [paint(theme, 'header', 'REMOTE PORT')];
    this.ports.forEach((p, i) => {
      const mark = this.marked.size ? (this.marked.has(i) ? '[x] ' : '[ ] ') : '';
      const local = this.marked.has(i) ? `  → 127.0.0.1:${this.locals[i] || 'any'}` : '';
      const text = escapeTags(fit(`${i === this.selected ? '▸ ' : '  '}${mark}${sanitizePlain(p.label)}${local}`, width));
      out.push(i === this.selected ? paint(theme, 'selection', text) : text);
    });
    const local = this.locals[this.selected]!;
    out.push('', `local port on 127.0.0.1: ${paint(theme, 'accent', local || '(any free port)')}${local && Number(local) < 1024 ? paint(theme, 'warn', '  below 1024: needs root') : ''}`);
    if (this.problem) out.push(paint(theme, 'warn', escapeTags(this.problem)));
    const n = this.marked.size;
    out.push(paint(theme, 'muted', `enter forwards ${n > 1 ? `the ${n} marked ports` : n === 1 ? 'the marked port' : 'this port'} · space marks more ports · digits change the local port · esc cancels`));
    this.element.setContent(out.join('\n'));
  }

  onClose(): void { this.element.destroy(); }
}
