/**
 * Port-forward with a metering proxy: a local TCP listener on 127.0.0.1; every accepted
 * connection gets its own client-node `PortForward` WebSocket (v4.channel.k8s.io) to the pod,
 * like `kubectl port-forward` opens one stream pair per connection. Bytes both ways,
 * connections, errors and time to first byte are counted per forward; a 1 s sampler keeps a
 * short rate history for sparklines.
 */
import net from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KubeConfig, PortForward } from '@kubernetes/client-node';
import { KubeHttpError, type Transport } from './transport.js';
import type { KubeObject } from './types.js';

export interface ForwardSpec {
  namespace: string;
  /** What the user named: a pod or a service (resolved to a ready pod, like kubectl). */
  kind: 'pod' | 'service';
  name: string;
  /** The port on the pod or service: a number or a port name. */
  remotePort: number | string;
  /** Wanted local port; 0 (or busy) → the OS picks one. */
  localPort: number;
}

export interface ForwardTarget { pod: string; port: number }

export interface ForwardStats {
  bytesIn: number; // pod → local client
  bytesOut: number; // local client → pod
  open: number;
  total: number;
  errors: number;
  lastError?: string;
  /** Time to first byte of the pod's answer, last connection and mean (ms). */
  lastLatencyMs?: number;
  meanLatencyMs?: number;
  /** Bytes/s both ways, one sample a second, newest last. */
  rateIn: number[];
  rateOut: number[];
}

/** The forward cannot start (pod not Running, no ready pod, no such port…): one clear message. */
export class ForwardRefused extends Error {}

const HISTORY = 60;

/** `svc/web 8080:80`, `pod/x 9000`, `web :80` (a pod) → spec; throws ForwardRefused with usage otherwise. */
export function parseForwardArgs(args: string[], namespace: string): ForwardSpec {
  let ns = namespace;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if ((a === '-n' || a === '--namespace') && args[i + 1]) ns = args[++i]!;
    else if (a.startsWith('--namespace=')) ns = a.slice(12);
    else rest.push(a);
  }
  const usage = 'usage: :pf svc/NAME|pod/NAME [LOCAL:]REMOTE [-n NAMESPACE]';
  const [target, ports] = rest;
  if (!target || !ports || rest.length > 2) throw new ForwardRefused(usage);
  const m = /^(?:(po|pod|pods|svc|service|services)\/)?([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(target);
  if (!m) throw new ForwardRefused(`not a pod or service name: ${target} (${usage})`);
  const kind = m[1] && /^s/.test(m[1]) ? 'service' : 'pod';
  const pm = /^(?:(\d*):)?([a-z0-9-]+)$/i.exec(ports);
  if (!pm) throw new ForwardRefused(`bad ports '${ports}' (${usage})`);
  const local = pm[1] ? Number(pm[1]) : pm[1] === '' ? 0 : /^\d+$/.test(pm[2]!) ? Number(pm[2]) : 0;
  const remote = /^\d+$/.test(pm[2]!) ? Number(pm[2]) : pm[2]!;
  if (local > 65535 || (typeof remote === 'number' && (remote < 1 || remote > 65535))) throw new ForwardRefused(`port out of range in '${ports}'`);
  return { namespace: ns, kind, name: m[2]!, remotePort: remote, localPort: local };
}

function podPhase(p: KubeObject): string {
  return (p.status?.phase as string | undefined) ?? 'Unknown';
}

function podReady(p: KubeObject): boolean {
  return podPhase(p) === 'Running' && !p.metadata.deletionTimestamp &&
    ((p.status?.conditions as Array<{ type: string; status: string }> | undefined) ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function namedPort(pod: KubeObject, name: string): number | undefined {
  for (const c of (pod.spec?.containers ?? []) as Array<{ ports?: Array<{ name?: string; containerPort: number }> }>) {
    for (const p of c.ports ?? []) if (p.name === name) return p.containerPort;
  }
  return undefined;
}

function selectorString(sel: Record<string, string>): string {
  return Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',');
}

/** The pod and its port for a spec, as kubectl resolves them (a ready pod behind a service). */
export async function resolveTarget(transport: Transport, spec: ForwardSpec): Promise<ForwardTarget> {
  const ns = encodeURIComponent(spec.namespace);
  const get = async <T>(path: string, what: string, query?: Record<string, string>): Promise<T> => {
    try {
      return await transport.json<T>(path, { query, timeoutMs: 10_000 });
    } catch (err) {
      if (err instanceof KubeHttpError && err.status === 404) throw new ForwardRefused(`${what} not found in namespace ${spec.namespace}`);
      throw err;
    }
  };
  if (spec.kind === 'pod') {
    const pod = await get<KubeObject>(`/api/v1/namespaces/${ns}/pods/${encodeURIComponent(spec.name)}`, `pod ${spec.name}`);
    const phase = podPhase(pod);
    if (phase !== 'Running') throw new ForwardRefused(`cannot port-forward: pod ${spec.name} is ${phase}, not Running`);
    const port = typeof spec.remotePort === 'number' ? spec.remotePort : namedPort(pod, spec.remotePort);
    if (port === undefined) throw new ForwardRefused(`pod ${spec.name} has no port named '${spec.remotePort}'`);
    return { pod: spec.name, port };
  }
  const svc = await get<KubeObject>(`/api/v1/namespaces/${ns}/services/${encodeURIComponent(spec.name)}`, `service ${spec.name}`);
  const ports = (svc.spec?.ports ?? []) as Array<{ name?: string; port: number; targetPort?: number | string; protocol?: string }>;
  const sp = ports.find((p) => (typeof spec.remotePort === 'number' ? p.port === spec.remotePort : p.name === spec.remotePort));
  if (!sp) throw new ForwardRefused(`service ${spec.name} has no port ${spec.remotePort} (it has ${ports.map((p) => p.name ? `${p.port}/${p.name}` : p.port).join(', ') || 'none'})`);
  const selector = svc.spec?.selector as Record<string, string> | undefined;
  if (!selector || Object.keys(selector).length === 0) throw new ForwardRefused(`service ${spec.name} has no selector: nothing to forward to`);
  const list = await get<{ items: KubeObject[] }>(`/api/v1/namespaces/${ns}/pods`, 'pods', { labelSelector: selectorString(selector) });
  const pods = list.items.filter(podReady).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const pod = pods[0] ?? list.items.find((p) => podPhase(p) === 'Running' && !p.metadata.deletionTimestamp);
  if (!pod) throw new ForwardRefused(`cannot port-forward: no Running pod behind service ${spec.name}`);
  const tp = sp.targetPort ?? sp.port;
  const port = typeof tp === 'number' ? tp : /^\d+$/.test(tp) ? Number(tp) : namedPort(pod, tp);
  if (port === undefined) throw new ForwardRefused(`pod ${pod.metadata.name} has no port named '${tp}'`);
  return { pod: pod.metadata.name, port };
}

/** A counting sink for one direction. */
function counter(onData: (b: Buffer) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      onData(chunk);
      cb();
    },
  });
}

/** client-node's KubeConfig, or a kubeconfig that can produce one (loaded only when a forward starts). */
export type KubeConfigLike = KubeConfig | { toClientNode(): Promise<KubeConfig> };

async function clientNodeConfig(kc: KubeConfigLike): Promise<KubeConfig> {
  return 'toClientNode' in kc && typeof kc.toClientNode === 'function' ? kc.toClientNode() : (kc as KubeConfig);
}

export class MeteredForward {
  readonly stats: ForwardStats = { bytesIn: 0, bytesOut: 0, open: 0, total: 0, errors: 0, rateIn: [], rateOut: [] };
  localPort = 0;
  target: ForwardTarget | undefined;
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private sampler: NodeJS.Timeout | undefined;
  private lastIn = 0;
  private lastOut = 0;
  private latencySum = 0;
  private latencyCount = 0;
  private stopped = false;
  /** Called after anything counted changed (the UI marks itself dirty; never renders here). */
  onChange: () => void = () => {};

  private kc: KubeConfig | undefined;
  private PortForwardClass: typeof PortForward | undefined;

  constructor(private readonly config: KubeConfigLike, private readonly transport: Transport, readonly spec: ForwardSpec) {}

  get label(): string {
    return `${this.spec.kind === 'service' ? 'svc' : 'pod'}/${this.spec.name} ${this.localPort}:${this.spec.remotePort}`;
  }

  /** Resolves the target and listens; throws ForwardRefused with one clear message when it cannot. */
  async start(): Promise<number> {
    this.target = await resolveTarget(this.transport, this.spec);
    this.kc = await clientNodeConfig(this.config);
    // client-node is loaded on the first forward only (the cockpit starts without it).
    this.PortForwardClass = (await import('@kubernetes/client-node')).PortForward;
    this.localPort = await this.listen(this.spec.localPort);
    this.sampler = setInterval(() => this.sample(), 1000);
    this.sampler.unref();
    return this.localPort;
  }

  private listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = net.createServer((s) => this.accept(s));
      const onError = (err: NodeJS.ErrnoException) => {
        if ((err.code === 'EADDRINUSE' || err.code === 'EACCES') && port !== 0) {
          // The wanted port is busy: let the OS choose (the pane shows which one).
          this.listen(0).then(resolve, reject);
          return;
        }
        reject(new ForwardRefused(`cannot listen on 127.0.0.1:${port}: ${err.message}`));
      };
      server.once('error', onError);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', onError);
        server.on('error', (err) => this.fail(err.message));
        this.server = server;
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  }

  private sample(): void {
    const s = this.stats;
    s.rateIn.push(s.bytesIn - this.lastIn);
    s.rateOut.push(s.bytesOut - this.lastOut);
    if (s.rateIn.length > HISTORY) s.rateIn.shift();
    if (s.rateOut.length > HISTORY) s.rateOut.shift();
    this.lastIn = s.bytesIn;
    this.lastOut = s.bytesOut;
    this.onChange();
  }

  private fail(message: string): void {
    this.stats.errors++;
    this.stats.lastError = message.trim().split('\n')[0]!.slice(0, 300);
    this.onChange();
  }

  private accept(sock: net.Socket): void {
    if (this.stopped || !this.target || !this.kc || !this.PortForwardClass) { sock.destroy(); return; }
    const s = this.stats;
    s.open++;
    s.total++;
    this.sockets.add(sock);
    this.onChange();
    let sentAt = 0;
    let answered = false;
    let errText = '';
    let closed = false;
    let ws: { close(): void; on(ev: string, fn: (...a: unknown[]) => void): void } | undefined;
    const close = () => {
      if (closed) return;
      closed = true;
      this.sockets.delete(sock);
      s.open--;
      if (errText) this.fail(errText);
      try { ws?.close(); } catch { /* already closed */ }
      sock.destroy();
      this.onChange();
    };
    sock.on('error', () => close());
    sock.on('close', () => close());
    // Client → pod: counted, then handed to client-node as its stdin. A PassThrough holds the
    // bytes until the WebSocket is open, and keeps a client's half-close from closing the
    // WebSocket (v4 has no half-close: the pod's answer would be lost).
    const input = new PassThrough();
    sock.on('data', (b: Buffer) => {
      if (!sentAt) sentAt = Date.now();
      s.bytesOut += b.length;
      input.write(b);
    });
    const output = counter((b) => {
      if (!b.length) return;
      if (!answered && sentAt) {
        answered = true;
        const ms = Date.now() - sentAt;
        s.lastLatencyMs = ms;
        this.latencySum += ms;
        this.latencyCount++;
        s.meanLatencyMs = this.latencySum / this.latencyCount;
      }
      s.bytesIn += b.length;
      if (!sock.destroyed) sock.write(b);
    });
    const err = counter((b) => { errText += b.toString('utf8'); });
    const pf = new this.PortForwardClass(this.kc, true);
    pf.portForward(this.spec.namespace, this.target.pod, [this.target.port], output, err, input).then(
      (w) => {
        ws = w as unknown as typeof ws;
        if (closed) { try { ws!.close(); } catch { /* gone */ } return; }
        ws!.on('close', () => {
          // Let what the pod sent reach the client before closing.
          if (errText) close();
          else sock.end(() => close());
        });
        ws!.on('error', (e) => { errText ||= (e as Error).message; close(); });
      },
      (e: Error) => {
        errText = `cannot reach pod ${this.target?.pod}: ${e.message}`;
        close();
        // A service's pod may have been replaced: pick a ready one for the next connection.
        if (this.spec.kind === 'service') void this.reresolve();
      },
    );
  }

  private resolving = false;

  private async reresolve(): Promise<void> {
    if (this.resolving || this.stopped) return;
    this.resolving = true;
    try {
      this.target = await resolveTarget(this.transport, this.spec);
      this.onChange();
    } catch {
      // Keep the old target: the next failure tries again.
    } finally {
      this.resolving = false;
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.sampler) clearInterval(this.sampler);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** Forwards remembered across runs (`<configDir>/forwards.json`), offered again at the next start. */
export class ForwardStore {
  constructor(private readonly file: string) {}

  load(): Array<ForwardSpec & { context: string }> {
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as { forwards?: unknown };
      if (!Array.isArray(data.forwards)) return [];
      return data.forwards.filter((f): f is ForwardSpec & { context: string } =>
        !!f && typeof f === 'object' && typeof (f as ForwardSpec).name === 'string' && typeof (f as ForwardSpec).namespace === 'string' &&
        ((f as ForwardSpec).kind === 'pod' || (f as ForwardSpec).kind === 'service') && typeof (f as { context?: unknown }).context === 'string');
    } catch {
      return [];
    }
  }

  save(forwards: Array<ForwardSpec & { context: string }>): void {
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify({ forwards }, null, 2) + '\n');
      renameSync(tmp, this.file);
    } catch {
      // Remembering is a convenience; a read-only config dir must not break forwarding.
    }
  }
}
