/**
 * The exec shell pane (`s`): a full-width modal over the cockpit showing a TerminalSession —
 * `kubectl exec -it` in a pty (or client-node's WebSocket exec) rendered through a headless
 * xterm. While it is open every key goes to the shell except ctrl-], which leaves it (the
 * shell keeps running; `s` on the same pod comes back to it). Several shells can be open.
 */
import blessed from 'blessed';
import type { PaneHost as Cockpit } from '../host.js';
import type { ModalPane } from './modal.js';
import { defaultContainer, readPod, runningPodFor, type PodLike, type ShellTarget } from '../../kube/exec.js';
import { TerminalSession } from '../terminal/session.js';
import { cursorVisible, paintTerminal } from '../terminal/paint.js';
import { isLeaveChord, LEAVE_CHORD_LABEL } from '../terminal/keys.js';
import { blessedStyle, paint, type Theme } from '../theme.js';
import { escapeTags, fit, sanitizePlain } from '../sanitize.js';
import { containerHint, errorLine, ruleHint, type ShellHint } from '../../ai/shell-hints.js';

const WORKLOADS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job']);

/** The shell pane's host: what it needs from the cockpit. */
type Host = Pick<Cockpit, 'screen' | 'source' | 'loaded' | 'theme' | 'selection' | 'treeSelection' | 'openModal' | 'closeModal' | 'message' | 'markDirty' | 'openChat'>;

/** Model hints wait this long after an error line, and are dropped when the person types on. */
const HINT_DEBOUNCE_MS = 800;

export class ShellPane implements ModalPane {
  readonly element: blessed.Widgets.BoxElement;
  private sessions: TerminalSession[] = [];
  private active: TerminalSession | undefined;
  private picking: { pod: PodLike; containers: string[]; index: number } | undefined;
  private open = false;
  /** The hint strip: what the container is, then what the last error means (rules, then the model). */
  hint: ShellHint | undefined;
  private hintFor: string | undefined;
  private hintTimer: NodeJS.Timeout | undefined;
  private hintAbort: AbortController | undefined;
  private readonly modelHints = new Map<string, ShellHint>();

  constructor(private readonly host: Host, private readonly env: NodeJS.ProcessEnv = process.env) {
    this.element = blessed.box({ parent: host.screen, border: { type: 'line' }, tags: true, hidden: true, wrap: false, top: 0, left: 0, width: '100%', height: '100%-1' });
  }

  /** The `shell` action: a tree container/pod row, a pod, a workload's running pod; the container from the row, the annotation or a pick. */
  async openForSelection(): Promise<void> {
    // The tree focused on a container row (or a pod row) of an ownership tree: that container.
    const node = this.host.treeSelection();
    const podRef = node?.container ? { namespace: node.container.namespace, name: node.container.pod } : node?.ref?.kind === 'Pod' ? node.ref : undefined;
    if (podRef) {
      const pod = await readPod(this.host.loaded.kc, podRef.namespace ?? 'default', podRef.name);
      this.openForPod(pod, node?.container?.name);
      return;
    }
    const sel = this.host.selection();
    if (!sel) { this.host.message('shell: select a pod (or a workload) first', 'error'); return; }
    const kindName = sel.object.kind ?? sel.kind.kind;
    let pod: PodLike | undefined;
    if (kindName === 'Pod') pod = sel.object as unknown as PodLike;
    else if (WORKLOADS.has(kindName)) {
      const labels = (sel.object as { spec?: { selector?: { matchLabels?: Record<string, string> } } }).spec?.selector?.matchLabels ?? {};
      pod = await runningPodFor(await this.host.loaded.kc.toClientNode(), sel.object.metadata.namespace ?? 'default', labels);
      if (!pod) { this.host.message(`shell: ${kindName.toLowerCase()}/${sel.object.metadata.name} has no Running pod`, 'error'); return; }
    } else { this.host.message(`shell: ${kindName} has no containers — select a pod or a workload`, 'error'); return; }
    this.openForPod(pod);
  }

  openForPod(pod: PodLike, container?: string): void {
    const names = (pod.spec?.containers ?? []).map((c) => c.name);
    const chosen = container ?? defaultContainer(pod);
    if (!chosen && names.length > 1) {
      this.picking = { pod, containers: names, index: 0 };
      this.show();
      return;
    }
    this.picking = undefined;
    this.hint = containerHint(pod as never, chosen);
    this.hintFor = undefined;
    const target: ShellTarget = {
      namespace: pod.metadata.namespace ?? 'default', pod: pod.metadata.name ?? '', container: chosen,
      context: this.host.source.context, kubeconfigFiles: this.host.loaded.files,
    };
    const same = this.sessions.find((s) => s.state !== 'exited' && s.target.namespace === target.namespace && s.target.pod === target.pod && s.target.container === target.container && s.target.context === target.context);
    if (same) { this.active = same; this.show(); return; }
    // An ended shell of the same container gives way to the new one.
    for (const old of this.sessions.filter((x) => x.state === 'exited' && x.label === `${target.namespace}/${target.pod}${target.container ? ` (${target.container})` : ''}`)) this.drop(old);
    const { cols, rows } = this.termSize();
    const s = new TerminalSession(target, cols, rows, () => this.host.markDirty());
    s.onExit(() => {
      if (!this.open || this.active !== s) this.host.message(`shell ${s.label} ended${s.exitCode !== undefined ? ` with exit code ${s.exitCode}` : ''}`);
    });
    this.sessions.push(s);
    this.active = s;
    this.show();
    // client-node is loaded on first use (it is not on the cockpit's startup path).
    void this.host.loaded.kc.toClientNode().then((kc) => s.start(kc, this.env), (err: Error) => this.host.message(`shell: ${err.message}`, 'error'));
  }

  /** A user plugin's command in a local pty (its variables in the environment), shown like a shell. */
  openLocal(name: string, command: string, env: Record<string, string>): void {
    const target: ShellTarget = { namespace: 'plugin', pod: name, context: this.host.source.context, kubeconfigFiles: this.host.loaded.files, local: { command, env } };
    const { cols, rows } = this.termSize();
    const s = new TerminalSession(target, cols, rows, () => this.host.markDirty());
    s.onExit(() => {
      if (!this.open || this.active !== s) this.host.message(`plugin ${name} ended${s.exitCode !== undefined ? ` with exit code ${s.exitCode}` : ''}`);
    });
    this.picking = undefined;
    this.sessions.push(s);
    this.active = s;
    this.show();
    void s.start(this.host.loaded.kc, this.env);
  }

  private show(): void {
    this.open = true;
    this.host.openModal(this);
  }

  onClose(): void {
    this.open = false;
  }

  get hints(): string {
    if (this.picking) return 'j/k:choose container enter:open shell esc:cancel';
    const s = this.active;
    if (s?.state === 'exited') return `enter/esc:close the ended shell ${LEAVE_CHORD_LABEL}:leave`;
    return `${LEAVE_CHORD_LABEL}:leave the shell (it keeps running; s returns)  f2:copy the hint's command to the prompt  f3:ask the chat — other keys go to the shell`;
  }

  /** The recent transcript (for the chat's cockpit_state tool and f3). */
  transcript(): string | undefined {
    return this.active?.lastLines(40).join('\n');
  }

  private askChat(s: TerminalSession): void {
    const lines = s.lastLines(15).join('\n').trim();
    this.host.openChat(`What does this mean, in the shell of ${s.label}?\n\n${lines}`);
  }

  private cancelModelHint(): void {
    clearTimeout(this.hintTimer);
    this.hintTimer = undefined;
    this.hintAbort?.abort();
    this.hintAbort = undefined;
  }

  /** Rules at once; the model (when one is configured) after a pause, cached per error line. */
  private updateHint(s: TerminalSession): void {
    const lines = s.lastLines(8);
    const err = errorLine(lines);
    if (!err || err === this.hintFor) return;
    this.hintFor = err;
    this.hint = ruleHint(lines) ?? this.hint;
    const cached = this.modelHints.get(err);
    if (cached) { this.hint = cached; return; }
    this.cancelModelHint();
    this.hintTimer = setTimeout(() => {
      const ac = new AbortController();
      this.hintAbort = ac;
      void modelHint(this.host, s.label, lines, ac.signal).then((h) => {
        if (!h || ac.signal.aborted || this.hintFor !== err) return;
        this.modelHints.set(err, h);
        this.hint = h;
        this.host.markDirty();
      }).catch(() => undefined);
    }, HINT_DEBOUNCE_MS);
  }

  handleKey(full: string, ch: string | undefined): boolean {
    if (this.picking) return this.pickKey(full, ch);
    if (isLeaveChord(full, ch)) { this.leave(); return true; }
    const s = this.active;
    if (!s) { this.leave(); return true; }
    if (s.state === 'exited') {
      if (full === 'enter' || full === 'escape' || full === 'q') this.dismiss(s);
      return true;
    }
    // shift-pgup/pgdn scroll the scrollback, as in most terminals (the shell never sees them).
    if (full === 'S-pageup' || full === 'S-pagedown') { s.term.scrollPages(full === 'S-pageup' ? -1 : 1); this.host.markDirty(); return true; }
    // f2 copies the hint's suggestion into the prompt line (the person edits and runs it); f3 asks the chat.
    if (full === 'f2') { if (this.hint?.suggest) s.typeText(this.hint.suggest); return true; }
    if (full === 'f3') { this.askChat(s); return true; }
    // Typing on: a pending model hint is no longer wanted.
    this.cancelModelHint();
    s.key(full, ch);
    return true;
  }

  private pickKey(full: string, ch: string | undefined): boolean {
    const p = this.picking!;
    if (full === 'escape' || isLeaveChord(full, ch)) { this.picking = undefined; this.leave(); return true; }
    if (full === 'down' || full === 'j') p.index = Math.min(p.containers.length - 1, p.index + 1);
    else if (full === 'up' || full === 'k') p.index = Math.max(0, p.index - 1);
    else if (full === 'enter') this.openForPod(p.pod, p.containers[p.index]);
    else if (ch && /^[1-9]$/.test(ch) && Number(ch) <= p.containers.length) this.openForPod(p.pod, p.containers[Number(ch) - 1]);
    return true;
  }

  private leave(): void {
    this.host.closeModal();
  }

  /** Forgets an ended shell; shows another open one, or goes back to the cockpit. */
  private dismiss(s: TerminalSession): void {
    this.drop(s);
    this.active = this.sessions[this.sessions.length - 1];
    if (!this.active) this.leave();
  }

  private drop(s: TerminalSession): void {
    this.sessions = this.sessions.filter((x) => x !== s);
    s.close();
  }

  /** Terminal cells inside the border, less the pane's own status line. */
  private termSize(): { cols: number; rows: number } {
    const w = typeof this.element.width === 'number' && !this.element.hidden ? this.element.width : (this.host.screen.width as number);
    const h = typeof this.element.height === 'number' && !this.element.hidden ? this.element.height : (this.host.screen.height as number) - 1;
    return { cols: Math.max(2, w - 2), rows: Math.max(1, h - 4) };
  }

  paint(theme: Theme): void {
    this.element.style.border = blessedStyle(theme, 'focusBorder');
    const { cols, rows } = this.termSize();
    if (this.picking) {
      const p = this.picking;
      this.element.setLabel(paint(theme, 'title', ` shell ${escapeTags(sanitizePlain(`${p.pod.metadata.namespace}/${p.pod.metadata.name}`))}: choose a container `));
      const lines = p.containers.map((c, i) => {
        const text = escapeTags(fit(`${i + 1}  ${sanitizePlain(c)}`, cols));
        return i === p.index ? paint(theme, 'selection', text) : text;
      });
      this.element.setContent(lines.join('\n'));
      return;
    }
    const s = this.active;
    if (!s) { this.element.setContent(''); return; }
    s.resize(cols, rows);
    const count = this.sessions.length > 1 ? ` [${this.sessions.indexOf(s) + 1}/${this.sessions.length}]` : '';
    const via = s.target.local ? 'local command (pty)' : s.via === 'kubectl' ? 'kubectl exec (pty)' : s.via === 'websocket' ? 'WebSocket exec (no kubectl on PATH)' : 'connecting…';
    this.element.setLabel(paint(theme, 'title', ` shell ${escapeTags(sanitizePlain(s.label))}${count} — ${via} — ${LEAVE_CHORD_LABEL} leaves `));
    const lines = paintTerminal(s.term, { cursor: s.state === 'running' && cursorVisible(s.term), mono: theme.mono });
    let status: string;
    if (s.state === 'exited') {
      const how = s.exitCode !== undefined ? `shell exited with code ${s.exitCode}` : `shell ended${s.exitDetail ? `: ${sanitizePlain(s.exitDetail)}` : ''}`;
      status = paint(theme, s.exitCode === 0 ? 'ok' : 'error', escapeTags(fit(how, Math.max(0, cols - 40), false))) + escapeTags(` — enter/esc closes, ${LEAVE_CHORD_LABEL} leaves`);
    } else if (s.state === 'connecting') status = paint(theme, 'muted', 'connecting…');
    else status = paint(theme, 'muted', escapeTags(`${LEAVE_CHORD_LABEL} leaves the shell (it keeps running; s on this pod returns)`));
    if (s.state === 'running' && !s.target.local) this.updateHint(s);
    const h = this.hint;
    const hintLine = h ? paint(theme, h.source === 'model' ? 'accent' : 'warn', escapeTags(fit(`${h.source === 'model' ? 'AI' : 'hint'}: ${sanitizePlain(h.text)}${h.suggest ? `  [f2: ${sanitizePlain(h.suggest)}]` : ''}`, cols, false))) : '';
    this.element.setContent([...lines, hintLine, status].join('\n'));
  }

  /** Ends every shell (the cockpit is quitting). */
  closeAll(): void {
    for (const s of this.sessions) s.close();
    this.sessions = [];
    this.active = undefined;
  }
}

/** A one-line model hint about an error line, only when a model is configured (not the default guess). */
async function modelHint(host: Host, label: string, lines: string[], signal: AbortSignal): Promise<ShellHint | undefined> {
  const [{ Assistant }, { KindIndex }, { loadSettings }] = await Promise.all([import('../../ai/assistant.js'), import('../../ops/kinds.js'), import('../../config/settings.js')]);
  const a = new Assistant({ settings: loadSettings(), loaded: host.loaded, kinds: new KindIndex({ kinds: () => host.source.kinds() }), namespace: host.loaded.namespace, readOnly: true });
  if (a.cfg.source === 'default local Ollama') return undefined;
  const r = await a.ask(`Shell of ${label}:\n<<<SHELL\n${lines.join('\n')}\nSHELL>>>`, { task: 'shell-hint', tools: [], signal });
  const text = r.answer.trim().split('\n')[0] ?? '';
  if (!text) return undefined;
  const [explain, suggest] = text.split(/\s+try:\s+/);
  return { text: explain!.slice(0, 160), suggest: suggest?.trim().replace(/^`|`$/g, ''), source: 'model' };
}

const panes = new WeakMap<Cockpit, ShellPane>();

/** The cockpit's one shell pane (created on first use; its shells end when the process does). */
export function shellPaneFor(app: Cockpit): ShellPane {
  let pane = panes.get(app);
  if (!pane) {
    const p = new ShellPane(app);
    panes.set(app, p);
    app.shellTranscript = () => p.transcript();
    process.once('exit', () => p.closeAll());
    pane = p;
  }
  return pane;
}

/** Wires `s` to the shell pane (the cockpit's extensions list calls it at start). */
export function install(app: Cockpit): void {
  app.actions.set('shell', () => shellPaneFor(app).openForSelection());
}
