/**
 * Port-forward with a metering proxy: a local TCP listener on 127.0.0.1; every accepted
 * connection gets its own stream to the pod — a SPDY stream pair on the forward's one
 * connection to the API server, as `kubectl port-forward` does, or a v4.channel.k8s.io
 * WebSocket when the server refuses SPDY (forward-dialer.ts) — with backpressure both
 * ways (a slow client slows the pod's stream instead of filling memory). Bytes both ways,
 * connections (opened, closed, reset, timed out), errors and time to first byte are counted per
 * forward; HTTP/1.x on a connection is read into request records (http-meter.ts), summed up
 * (http-stats.ts) and watched for common trouble (forward-issues.ts); a 1 s sampler keeps a
 * short rate history for sparklines.
 */
import net from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Transport } from './transport.js';
import { ForwardRefused, resolveTarget, type ForwardSpec, type ForwardTarget } from './forward-target.js';
import { HttpConnectionParser, type HttpRecord } from './http-meter.js';
import { HttpMeter, type HttpSummary } from './http-stats.js';
import { IssueDetector, type ForwardIssue } from './forward-issues.js';
import { podTrouble } from './forward-correlate.js';
import { ForwardDialer, type ChannelHandlers, type ForwardGroup, type ForwardProtocol, type PodChannel } from './forward-dialer.js';

export { ForwardRefused, parseForwardArgs, resolveTarget, type ForwardSpec, type ForwardTarget } from './forward-target.js';
export { ForwardGroup } from './forward-dialer.js';
export { ForwardStore, type RememberedForward } from './forward-store.js';

export interface ForwardStats {
  bytesIn: number; // pod → local client
  bytesOut: number; // local client → pod
  open: number;
  /** Connections accepted (opened) since the start, and how the finished ones ended. */
  total: number;
  closed: number;
  reset: number;
  timedOut: number;
  errors: number;
  lastError?: string;
  /** Time to first byte of the pod's answer, last connection and mean (ms). */
  lastLatencyMs?: number;
  meanLatencyMs?: number;
  /** Bytes/s both ways, one sample a second, newest last. */
  rateIn: number[];
  rateOut: number[];
  /** What HTTP/1.x traffic there was (refreshed every second). */
  http: HttpSummary;
  /** Trouble seen through this forward (refreshed every second). */
  issues: ForwardIssue[];
  /** How connections reach the pod: 'spdy' (one API connection, a stream pair each), 'tunnel' (the same inside a WebSocket) or 'websocket' (one each). */
  via?: ForwardProtocol;
  /** How and why it is not 'spdy' although SPDY was asked for (the server refused the upgrade). */
  fallback?: string;
}

export interface ForwardOptions {
  /** Read HTTP/1.x on the connections (default true); off: bytes and connections only. */
  parseHttp?: boolean;
  /** A request unanswered this long is a timeout (default 30 s). */
  requestTimeoutMs?: number;
  /** The stream to the pod not open after this long: the connection timed out (default 10 s). */
  connectTimeoutMs?: number;
  /** Speak SPDY/3.1 over one connection to the API server (default true); false: a v4.channel WebSocket per connection. */
  spdy?: boolean;
  /** Forwards of other ports of the same target started together share its API connection (forward-dialer.ts). */
  group?: ForwardGroup;
  /** WebSocket path: keep TLS connections to the API server ready for the next connections (forward-socket.ts; default true; false: client-node dials each). */
  warm?: boolean;
}

const HISTORY = 60;
/** Bytes waiting (for the channel to open, or for a slow client) above this: stop reading the other side until they drain. */
const HIGH_WATER = 1024 * 1024;

/** client-node's KubeConfig, or a kubeconfig that can produce one (loaded only when a forward starts). */
export type KubeConfigLike = KubeConfig | { toClientNode(): Promise<KubeConfig> };

async function clientNodeConfig(kc: KubeConfigLike): Promise<KubeConfig> {
  return 'toClientNode' in kc && typeof kc.toClientNode === 'function' ? kc.toClientNode() : (kc as KubeConfig);
}

interface Live { parser: HttpConnectionParser | undefined; timedOut: boolean }

export class MeteredForward {
  readonly http = new HttpMeter();
  readonly stats: ForwardStats = {
    bytesIn: 0, bytesOut: 0, open: 0, total: 0, closed: 0, reset: 0, timedOut: 0, errors: 0, rateIn: [], rateOut: [],
    http: this.http.summary(), issues: [],
  };
  localPort = 0;
  target: ForwardTarget | undefined;
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private readonly live = new Set<Live>();
  private readonly detector = new IssueDetector();
  private sampler: NodeJS.Timeout | undefined;
  private lastIn = 0;
  private lastOut = 0;
  private latencySum = 0;
  private latencyCount = 0;
  private recordSeq = 0;
  private stopped = false;
  private readonly opts: Required<Omit<ForwardOptions, 'group'>>;
  private readonly group: ForwardGroup | undefined;
  /** Called after anything counted changed (the UI marks itself dirty; never renders here). */
  onChange: () => void = () => {};
  /** Bytes of each request and response body kept with its record (0: bodies are only counted). On demand, from the pane. */
  bodyLimit = 0;

  private kc: KubeConfig | undefined;
  /** Opens each connection's stream to the pod (SPDY, or WebSockets when the server refuses it). */
  dialer: ForwardDialer | undefined;

  constructor(private readonly config: KubeConfigLike, private readonly transport: Transport, readonly spec: ForwardSpec, options: ForwardOptions = {}) {
    this.opts = { parseHttp: true, requestTimeoutMs: 30_000, connectTimeoutMs: 10_000, warm: true, spdy: true, ...options };
    this.group = options.group;
  }

  get label(): string {
    return `${this.spec.kind === 'service' ? 'svc' : 'pod'}/${this.spec.name} ${this.localPort}:${this.spec.remotePort}`;
  }

  /** Resolves the target and listens; throws ForwardRefused with one clear message when it cannot. */
  async start(): Promise<number> {
    this.target = await resolveTarget(this.transport, this.spec);
    this.kc = await clientNodeConfig(this.config);
    const kc = this.kc;
    const make = () => new ForwardDialer(kc, this.opts);
    this.dialer = this.group ? this.group.acquire(make) : make();
    await this.dialer.prime(this.podPath()).catch(() => undefined);
    this.localPort = await this.listen(this.spec.localPort);
    this.sampler = setInterval(() => this.sample(), 1000);
    this.sampler.unref();
    return this.localPort;
  }

  private listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      // Half-open allowed: a client that ends its half after the request still gets the answer (as with kubectl).
      const server = net.createServer({ allowHalfOpen: true }, (s) => this.accept(s));
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

  /** Once a second: rates, request timeouts, the issue list. Also callable to refresh now. */
  sample(): void {
    const s = this.stats;
    s.rateIn.push(s.bytesIn - this.lastIn);
    s.rateOut.push(s.bytesOut - this.lastOut);
    if (s.rateIn.length > HISTORY) s.rateIn.shift();
    if (s.rateOut.length > HISTORY) s.rateOut.shift();
    this.lastIn = s.bytesIn;
    this.lastOut = s.bytesOut;
    for (const l of this.live) {
      for (const r of l.parser?.pending ?? []) {
        if (r.timedOut || l.parser!.waitedMs(r) < this.opts.requestTimeoutMs) continue;
        r.timedOut = true;
        l.timedOut = true;
        this.detector.timeout(`${r.method} ${r.path} unanswered after ${this.opts.requestTimeoutMs / 1000} s`);
      }
    }
    this.http.sample();
    s.via = this.dialer?.protocol;
    s.fallback = this.dialer?.fallback;
    this.refresh();
    this.onChange();
  }

  /** Recomputes the HTTP summary and the issue list from what was counted so far. */
  refresh(): void {
    this.stats.http = this.http.summary();
    const { issues, fresh } = this.detector.evaluate();
    this.stats.issues = issues;
    if (fresh.some((k) => k === 'resets' || k === 'timeouts' || k === '5xx-burst')) void this.correlate(fresh);
  }

  /** Looks up what the pod was doing when connections broke (restarts, events) for the issue's line. */
  private async correlate(kinds: Array<ForwardIssue['kind']>): Promise<void> {
    const pod = this.target?.pod;
    if (!pod || this.stopped) return;
    const text = await podTrouble(this.transport, this.spec.namespace, pod).catch(() => undefined);
    if (!text) return;
    for (const k of kinds) this.detector.explain(k, text);
    this.stats.issues = this.detector.evaluate().issues;
    this.onChange();
  }

  private fail(message: string): void {
    this.stats.errors++;
    this.stats.lastError = message.trim().split('\n')[0]!.slice(0, 300);
    this.onChange();
  }

  private record(r: HttpRecord): void {
    this.http.record(r);
    if (r.outcome === 'ok' && r.status !== undefined) this.detector.response(r.status, r.ttfbMs, `${r.method} ${r.path}`);
  }

  private accept(sock: net.Socket): void {
    if (this.stopped || !this.target || !this.dialer) { sock.destroy(); return; }
    const s = this.stats;
    s.open++;
    s.total++;
    this.sockets.add(sock);
    const live: Live = {
      parser: this.opts.parseHttp ? new HttpConnectionParser({
        connection: s.total, onRecord: (r) => this.record(r), onProtocol: (p, note) => this.http.protocol(p, note), nextId: () => ++this.recordSeq,
        bodyLimit: () => this.bodyLimit,
      }) : undefined,
      timedOut: false,
    };
    this.live.add(live);
    this.onChange();
    let sentAt = 0;
    let answered = false;
    let errText = '';
    let closed = false;
    let channel: PodChannel | undefined;
    /** How the pod side ended it, when it did (decided before the client socket is closed). */
    let podEnd: { how: 'reset'; why: string } | undefined;
    const close = (how: 'closed' | 'reset' | 'timeout', why = '') => {
      if (closed) return;
      closed = true;
      clearTimeout(connectTimer);
      this.sockets.delete(sock);
      this.live.delete(live);
      s.open--;
      if (how === 'closed' && podEnd) ({ how, why } = podEnd);
      if (how === 'closed' && live.timedOut && !this.stopped) how = 'timeout';
      if (this.stopped) how = 'closed';
      if (how === 'reset') { s.reset++; this.detector.reset(why); } else if (how === 'timeout') { s.timedOut++; if (!live.timedOut) this.detector.timeout(why); } else s.closed++;
      live.parser?.end(how === 'closed' ? 'closed' : 'reset');
      if (errText) this.fail(errText);
      channel?.close();
      sock.destroy();
      this.onChange();
    };
    sock.on('error', (e: NodeJS.ErrnoException) => close('reset', `the client's connection failed (${e.code ?? e.message})`));
    // The client ended its half: the pod gets EOF; without half-close (WebSocket), the connection ends.
    const clientEnded = (c: PodChannel) => { c.end(); if (!c.halfClose) sock.end(); };
    sock.on('end', () => { if (channel) clientEnded(channel); });
    sock.on('close', () => close('closed'));
    // The stream to the pod must open in time; a stuck API server or kubelet is a timeout.
    const connectTimer = setTimeout(() => {
      errText ||= `the stream to pod ${this.target?.pod} did not open within ${this.opts.connectTimeoutMs / 1000} s`;
      close('timeout', errText);
    }, this.opts.connectTimeoutMs);
    connectTimer.unref();

    // Client → pod. Until the channel is open the bytes wait here; past the high water mark
    // (here or in the channel) the client is not read until they drain.
    const waiting: Buffer[] = [];
    let waitingBytes = 0;
    sock.on('data', (b: Buffer) => {
      if (!sentAt) sentAt = Date.now();
      s.bytesOut += b.length;
      live.parser?.client(b);
      if (channel) { if (!channel.write(b)) sock.pause(); return; }
      waiting.push(b);
      waitingBytes += b.length;
      if (waitingBytes > HIGH_WATER) sock.pause();
    });
    sock.on('drain', () => channel?.resume());
    let corked = false;
    const uncork = () => { corked = false; sock.uncork(); };
    const handlers: ChannelHandlers = {
      opened: () => clearTimeout(connectTimer),
      // Pod → client.
      data: (data) => {
        if (closed) return;
        if (!answered && sentAt) {
          answered = true;
          const ms = Date.now() - sentAt;
          s.lastLatencyMs = ms;
          this.latencySum += ms;
          this.latencyCount++;
          s.meanLatencyMs = this.latencySum / this.latencyCount;
        }
        s.bytesIn += data.length;
        live.parser?.server(data);
        // A slow client: past the high water mark, stop reading the pod's stream until the client
        // has taken what it has (not at the socket's own 16 KiB: pausing every message costs throughput).
        if (!sock.destroyed) {
          // The pieces read from the API connection in one turn of the event loop go out in one
          // writev (a TLS read yields 16 KiB at a time; a syscall each costs more than the copy).
          if (!corked) { corked = true; sock.cork(); setImmediate(uncork); }
          sock.write(data);
          if (sock.writableLength > HIGH_WATER) channel?.pause();
        }
      },
      end: (text) => {
        if (closed) return;
        errText ||= text;
        if (errText) {
          close('reset', errText.trim().split('\n')[0]!);
          // The kubelet could not reach the port: a service's pod may have been replaced.
          if (this.spec.kind === 'service') void this.reresolve();
          return;
        }
        // The pod side closed while a request waited for (the rest of) its answer: to the
        // client that is a reset, whatever the close looked like.
        if (live.parser?.midExchange) podEnd = { how: 'reset', why: 'the pod side closed while a request waited for its answer' };
        // Let what the pod sent reach the client before closing.
        sock.end(() => close('closed'));
      },
      broken: (why) => { errText ||= why; close('reset', errText); },
      drain: () => { if (!closed) sock.resume(); },
    };
    this.dialer.open(this.podPath(), this.target.port, handlers).then(
      (c) => {
        if (closed) { c.close(); return; }
        channel = c;
        let ok = true;
        for (const b of waiting.splice(0)) ok = c.write(b);
        waitingBytes = 0;
        if (ok && sock.isPaused()) sock.resume();
        if (sock.readableEnded) clientEnded(c);
      },
      (e: Error) => {
        errText = `cannot reach pod ${this.target?.pod}: ${e.message}`;
        close('reset', errText);
        // A service's pod may have been replaced: pick a ready one for the next connection.
        if (this.spec.kind === 'service') void this.reresolve();
      },
    );
  }

  private podPath(): string {
    return `/api/v1/namespaces/${encodeURIComponent(this.spec.namespace)}/pods/${encodeURIComponent(this.target!.pod)}/portforward`;
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
    if (this.dialer) { if (this.group) this.group.release(); else this.dialer.close(); }
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
