/**
 * One shell session: the connection (pty running kubectl, or client-node's WebSocket) feeding a
 * headless xterm whose screen the shell pane paints. The xterm's own replies (cursor position
 * reports, device attributes) go back to the shell as a real terminal's would.
 */
import xterm from '@xterm/headless';
import { startShell, type KubeConfigLike, type ShellConnection, type ShellTarget, type ShellVia } from '../../kube/exec.js';
import { keyBytes } from './keys.js';
import { lastLines } from './paint.js';

export type SessionState = 'connecting' | 'running' | 'exited';

export class TerminalSession {
  readonly term: InstanceType<typeof xterm.Terminal>;
  state: SessionState = 'connecting';
  via: ShellVia | undefined;
  exitCode: number | undefined;
  exitDetail: string | undefined;
  private conn: ShellConnection | undefined;
  private exitListeners: Array<() => void> = [];

  constructor(readonly target: ShellTarget, cols: number, rows: number, private readonly onChange: () => void) {
    this.term = new xterm.Terminal({ cols: Math.max(2, cols), rows: Math.max(1, rows), scrollback: 1000, allowProposedApi: true });
    this.term.onData((d) => this.conn?.write(d));
  }

  get label(): string {
    const t = this.target;
    return `${t.namespace}/${t.pod}${t.container ? ` (${t.container})` : ''}`;
  }

  async start(kc: KubeConfigLike, env: NodeJS.ProcessEnv): Promise<void> {
    try {
      const conn = await startShell(this.target, kc, { cols: this.term.cols, rows: this.term.rows, env });
      this.conn = conn;
      this.via = conn.via;
      this.state = 'running';
      conn.onData((d) => this.term.write(d, this.onChange));
      conn.onExit((code, detail) => {
        this.state = 'exited';
        this.exitCode = code;
        this.exitDetail = detail;
        // Let the last output be parsed before the exit line is painted.
        this.term.write('', () => { this.onChange(); for (const f of this.exitListeners) f(); });
      });
    } catch (err) {
      this.state = 'exited';
      this.exitDetail = (err as Error).message;
      for (const f of this.exitListeners) f();
    }
    this.onChange();
  }

  onExit(fn: () => void): void {
    this.exitListeners.push(fn);
  }

  /** A blessed key event for the shell; false when it has no terminal meaning. */
  key(full: string, ch: string | undefined): boolean {
    if (this.state !== 'running') return false;
    const bytes = keyBytes(full, ch, { applicationCursor: this.term.modes.applicationCursorKeysMode });
    if (bytes === undefined) return false;
    // Typing brings the view back to the prompt, like a terminal does.
    this.term.scrollToBottom();
    this.conn!.write(bytes);
    return true;
  }

  /** Puts text on the prompt line for the person to edit and run (no Enter is sent). */
  typeText(text: string): void {
    if (this.state === 'running') this.conn?.write(text.replace(/[\r\n]+/g, ' '));
  }

  resize(cols: number, rows: number): void {
    cols = Math.max(2, cols);
    rows = Math.max(1, rows);
    if (cols === this.term.cols && rows === this.term.rows) return;
    this.term.resize(cols, rows);
    this.conn?.resize(cols, rows);
  }

  /**
   * The last `n` lines of the terminal as plain text: the hook for AI hints (a later feature
   * reads what the user sees; nothing calls it to invent hints today).
   */
  lastLines(n: number): string[] {
    return lastLines(this.term, n);
  }

  close(): void {
    this.conn?.kill();
    this.term.dispose();
  }
}
