/**
 * Logs of a workload (Deployment, StatefulSet, DaemonSet, Job, ReplicaSet, Service, or a label
 * selector): every pod's containers at once, each line prefixed and coloured by pod, pods
 * joining and leaving as they come and go, a restarted container followed into its next start
 * (as stern does). Bounded buffer; `s` saves what is buffered, `S` writes the stream to a file
 * from now on; `T` picks how far back to start; `J` pretty-prints JSON lines.
 */
import blessed from 'blessed';
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { PaneHost } from '../host.js';
import type { ModalPane } from './modal.js';
import type { Collection, KubeObject } from '../../kube/types.js';
import { LogBuffer, type LogFollower } from '../../kube/logs.js';
import type { StreamServices } from '../../kube/streams.js';
import { paths } from '../../config/paths.js';
import { escapeTags, fit, sanitizePlain } from '../sanitize.js';
import { blessedStyle, paint, type Role, type Theme } from '../theme.js';
import { PodColours, prettyJson, shortPod, SINCE_CHOICES } from '../log-lines.js';

const MAX_LINES = 10_000;
const RETRY_MS = 1000;

interface Entry { pod: string; container: string; text: string }

function selectorOf(o: KubeObject, kind: string): Record<string, string> | undefined {
  const sel = (kind === 'Service' || kind === 'ReplicationController' ? o.spec?.selector : o.spec?.selector?.matchLabels) as Record<string, string> | undefined;
  return sel && Object.keys(sel).length ? sel : undefined;
}

export class WorkloadLogsPane implements ModalPane {
  readonly element: blessed.Widgets.BoxElement;
  private readonly entries: Entry[] = [];
  private readonly buffer = new LogBuffer(MAX_LINES);
  private readonly followers = new Map<string, LogFollower>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly colours = new PodColours();
  private readonly off: () => void;
  private following = true;
  private top = 0;
  private pretty = false;
  private since = 0;
  private tee: { file: string; out: WriteStream } | undefined;
  private closed = false;
  private joined = new Set<string>();

  constructor(
    private readonly app: PaneHost,
    private readonly streams: StreamServices,
    private readonly label: string,
    private readonly namespace: string,
    private readonly selector: Record<string, string>,
    private readonly pods: Collection,
  ) {
    this.element = blessed.box({ parent: app.screen, top: 0, left: 0, width: '100%', height: '100%-1', border: { type: 'line' }, tags: true, hidden: true, label: ' logs ' });
    this.off = pods.onChange(() => this.sync());
  }

  get hints(): string {
    return `esc:close f:${this.following ? 'pause' : 'follow'} j/k g/G:scroll T:since (${SINCE_CHOICES[this.since]!.label}) J:json ${this.pretty ? 'raw' : 'pretty'} s:save S:${this.tee ? 'stop writing' : 'write stream'}`;
  }

  private matching(): KubeObject[] {
    return [...this.pods.items().values()].filter((p) => p.metadata.namespace === this.namespace && Object.entries(this.selector).every(([k, v]) => p.metadata.labels?.[k] === v));
  }

  /** Starts a stream per container of each running pod that has none; stops those of pods gone. */
  private sync(): void {
    if (this.closed) return;
    const live = new Set<string>();
    for (const p of this.matching()) {
      for (const c of (p.spec?.containers ?? []) as Array<{ name: string }>) {
        const key = `${p.metadata.name}/${c.name}`;
        live.add(key);
        const running = ((p.status?.containerStatuses ?? []) as Array<{ name: string; state?: { running?: unknown } }>).some((s) => s.name === c.name && s.state?.running);
        if (running && !this.followers.has(key)) this.follow(p.metadata.name, c.name, !this.joined.has(key));
      }
    }
    for (const [key, f] of this.followers) {
      if (live.has(key)) continue;
      f.stop();
      this.followers.delete(key);
      const [pod, container] = key.split('/') as [string, string];
      this.add({ pod, container, text: '── pod gone ──' });
    }
  }

  private follow(pod: string, container: string, first: boolean, sinceTime?: string): void {
    const key = `${pod}/${container}`;
    this.joined.add(key);
    const choice = SINCE_CHOICES[this.since]!;
    const f = this.streams.logs({
      namespace: this.namespace, pod, container, follow: true,
      ...(sinceTime ? { sinceTime } : choice.seconds ? { sinceSeconds: choice.seconds } : choice.seconds === 0 ? {} : { tailLines: 10 }),
    });
    this.followers.set(key, f);
    if (!first && !sinceTime) this.add({ pod, container, text: '── joined ──' });
    f.onLines = (lines) => { for (const text of lines) this.add({ pod, container, text }); };
    f.onEnd = (end) => {
      if (this.followers.get(key) !== f || this.closed) return;
      this.followers.delete(key);
      const stopped = new Date().toISOString();
      if (end.reason === 'error') this.add({ pod, container, text: `── ${end.message} ──` });
      else this.add({ pod, container, text: '── stream ended (container stopped); following its next start ──' });
      // A restarted container: ask again from the time it stopped (the next start's lines only).
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (this.closed || this.followers.has(key)) return;
        if (this.matching().some((p) => p.metadata.name === pod)) this.follow(pod, container, false, stopped);
      }, RETRY_MS);
      t.unref();
      this.timers.add(t);
    };
    void f.start();
  }

  private add(e: Entry): void {
    this.entries.push(e);
    if (this.entries.length > MAX_LINES + 500) this.entries.splice(0, this.entries.length - MAX_LINES);
    const line = `${shortPod(e.pod)} ${e.container}  ${e.text}`;
    this.buffer.push([line]);
    this.tee?.out.write(`${line}\n`);
    this.app.markDirty();
  }

  start(): void {
    this.element.show();
    this.sync();
    if (!this.matching().length) this.add({ pod: '-', container: '-', text: `no pods match ${Object.entries(this.selector).map(([k, v]) => `${k}=${v}`).join(',')} yet; waiting for them` });
  }

  private restart(): void {
    for (const f of this.followers.values()) f.stop();
    this.followers.clear();
    this.joined.clear();
    this.entries.length = 0;
    this.buffer.clear();
    this.sync();
  }

  private saveDir(): string {
    const dir = join(paths().configDir, 'logs');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  private fileName(): string {
    return `${this.label.replace(/[^a-zA-Z0-9.-]+/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`;
  }

  handleKey(full: string): boolean {
    const h = this.height();
    switch (full) {
      case 'escape': case 'q': this.app.closeModal(); return true;
      case 'f': this.following = !this.following; if (!this.following) this.top = Math.max(0, this.entries.length - h); break;
      case 'j': case 'down': this.following = false; this.top++; break;
      case 'k': case 'up': this.following = false; this.top = Math.max(0, this.top - 1); break;
      case 'g': this.following = false; this.top = 0; break;
      case 'S-g': case 'G': this.following = true; break;
      case 'S-j': case 'J': this.pretty = !this.pretty; break;
      case 'S-t': case 'T': this.since = (this.since + 1) % SINCE_CHOICES.length; this.restart(); this.app.message(`logs since: ${SINCE_CHOICES[this.since]!.label}`); break;
      case 's': {
        const file = join(this.saveDir(), this.fileName());
        writeFileSync(file, this.buffer.all().join('\n') + '\n', { mode: 0o600 });
        this.app.message(`saved ${this.buffer.length} lines to ${file}`);
        break;
      }
      case 'S-s': case 'S':
        if (this.tee) { this.tee.out.end(); this.app.message(`stopped writing ${this.tee.file}`); this.tee = undefined; } else {
          const file = join(this.saveDir(), this.fileName());
          this.tee = { file, out: createWriteStream(file, { mode: 0o600 }) };
          this.app.message(`writing the stream to ${file} (S again stops)`);
        }
        break;
      default: return true;
    }
    this.app.markDirty();
    return true;
  }

  private height(): number {
    return Math.max(1, ((this.element.height as number) || 24) - 2);
  }

  paint(theme: Theme): void {
    const width = Math.max(20, ((this.element.width as number) || 80) - 2);
    const h = this.height();
    this.element.style = { ...this.element.style, border: blessedStyle(theme, 'focusBorder') };
    const rows: Array<{ role: Role; prefix: string; text: string }> = [];
    const from = this.following ? Math.max(0, this.entries.length - h * 4) : Math.min(this.top, Math.max(0, this.entries.length - 1));
    for (const e of this.entries.slice(from, from + h * 4)) {
      const prefix = `${shortPod(e.pod)} ${e.container}  `;
      const body = this.pretty ? prettyJson(e.text) : [e.text];
      body.forEach((t, i) => rows.push({ role: this.colours.of(e.pod), prefix: i === 0 ? prefix : ' '.repeat(prefix.length), text: t }));
    }
    const shown = this.following ? rows.slice(-h) : rows.slice(0, h);
    const pods = new Set(this.matching().map((p) => p.metadata.name)).size;
    this.element.setLabel(` logs: ${escapeTags(sanitizePlain(this.label))} — ${pods} pod${pods === 1 ? '' : 's'}, ${this.followers.size} stream${this.followers.size === 1 ? '' : 's'}${this.following ? '' : ' (paused)'}${this.tee ? ' ● writing' : ''} `);
    this.element.setContent(shown.map((r) => paint(theme, r.role, escapeTags(sanitizePlain(r.prefix))) + escapeTags(fit(sanitizePlain(r.text), Math.max(1, width - r.prefix.length), false))).join('\n'));
  }

  onClose(): void {
    this.closed = true;
    this.off();
    for (const f of this.followers.values()) f.stop();
    this.followers.clear();
    for (const t of this.timers) clearTimeout(t);
    this.tee?.out.end();
    this.pods.close();
    this.element.destroy();
  }
}

/** `l` on a workload or Service: the logs of all its pods (undefined: it selects no pods). */
export function openWorkloadLogs(app: PaneHost, o: KubeObject, kind: string): boolean {
  const streams = app.streams();
  const podsKind = app.source.resolveKind('pods');
  const selector = selectorOf(o, kind);
  if (!streams || !podsKind || !selector) return false;
  const ns = o.metadata.namespace ?? 'default';
  const pods = app.source.watch(podsKind, ns);
  const pane = new WorkloadLogsPane(app, streams, `${kind.toLowerCase()}/${o.metadata.name}`, ns, selector, pods);
  app.openModal(pane);
  pane.start();
  return true;
}
