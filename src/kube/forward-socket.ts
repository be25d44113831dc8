/**
 * The WebSocket each forwarded connection opens to the API server, set up ahead of need.
 * kubectl multiplexes every local connection over one SPDY connection, so a new connection
 * costs it one stream; the v4 WebSocket protocol has one connection per stream, and client-node
 * dials TCP + TLS for each — on a busy machine most of a connection's latency. So this keeps a
 * few TLS connections to the API server ready (spares: handshake done, nothing sent — the pod
 * sees nothing until one is used), resumes TLS sessions when it dials, and offers no
 * permessage-deflate (the API server never accepts it). Spares live while the forward is in use
 * (a connection within the last 30 s), each at most SPARE_MS, sized by the recent connection
 * rate. A proxy in the kubeconfig (client-node gives a proxy agent) turns all this off.
 *
 * `connect(path, text, binary)` opens one (binary messages: the first byte is the stream); the
 * port-forward protocol on it is portforward.ts's. Credentials come from client-node's
 * KubeConfig, applied for every connection.
 */
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import WebSocket from 'ws';
import type { KubeConfig } from '@kubernetes/client-node';

const PROTOCOLS = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];
/** The TLS options client-node puts on its agent that make two connections interchangeable. */
const TLS_KEYS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'servername', 'rejectUnauthorized', 'ciphers', 'crl', 'secureOptions', 'secureProtocol', 'ecdhCurve'] as const;
/** A spare older than this is closed (servers time out connections that send nothing). */
export const SPARE_MS = 4000;
const MAX_SPARES = 8;
const IN_USE_MS = 30_000;

type Handler = (stream: number, data: Buffer) => boolean;
type TlsOptions = Partial<Record<(typeof TLS_KEYS)[number], unknown>>;

function pick(o: Record<string, unknown>): TlsOptions {
  const out: TlsOptions = {};
  for (const k of TLS_KEYS) if (o[k] !== undefined && o[k] !== null) out[k] = o[k];
  return out;
}

function sameTls(a: TlsOptions, b: TlsOptions): boolean {
  return TLS_KEYS.every((k) => {
    const x = a[k], y = b[k];
    return x === y || (Buffer.isBuffer(x) && Buffer.isBuffer(y) && x.equals(y)) || JSON.stringify(x) === JSON.stringify(y);
  });
}

interface Spare { sock: tls.TLSSocket; at: number; timer: NodeJS.Timeout; drop: () => void }

export class WarmSocketHandler {
  private tlsOptions: TlsOptions | undefined;
  private server: URL | undefined;
  private session: Buffer | undefined;
  private readonly spares: Spare[] = [];
  private dialing = 0;
  private readonly uses: number[] = [];
  private closed = false;
  /** Connections that found a spare ready, and that had to dial (for the benchmark's report). */
  readonly counts = { spare: 0, dialed: 0 };

  private readonly useSpares: boolean;

  constructor(private readonly kc: KubeConfig, opts: { spares?: boolean } = {}) {
    this.useSpares = opts.spares ?? true;
  }

  /** Dials the first spare, so the forward's first connection is quick too. */
  async prime(): Promise<void> {
    const opts = await this.options();
    if (opts.plain && this.useSpares) this.refill(1);
  }

  private async options(): Promise<{ ws: WebSocket.ClientOptions & { agent?: unknown }; uri: string; plain: boolean }> {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new Error('No cluster is defined.');
    // Credentials are applied for every connection (a token or certificate may have been refreshed).
    const ws: WebSocket.ClientOptions & { agent?: unknown } = {};
    await this.kc.applyToHTTPSOptions(ws as never);
    const agent = ws.agent;
    const plain = cluster.server.startsWith('https://') && agent instanceof https.Agent && agent.constructor === https.Agent;
    if (plain) {
      const o = pick((agent as unknown as { options: Record<string, unknown> }).options);
      if (!this.tlsOptions || !sameTls(this.tlsOptions, o)) { this.dropSpares(); this.tlsOptions = o; this.session = undefined; }
      this.server = new URL(cluster.server);
    }
    ws.perMessageDeflate = false;
    return { ws, uri: `${cluster.server.replace(/^http/, 'ws')}`, plain };
  }

  async connect(path: string, textHandler: ((text: string) => boolean) | null, binaryHandler: Handler): Promise<WebSocket> {
    const { ws: opts, uri, plain } = await this.options();
    if (!plain) return this.open(`${uri}${path}`, opts, textHandler, binaryHandler);
    const now = Date.now();
    this.uses.push(now);
    while (this.uses.length && this.uses[0]! < now - IN_USE_MS) this.uses.shift();
    const spare = this.useSpares ? this.take() : undefined;
    if (this.useSpares) this.refill();
    delete opts.agent;
    if (spare) {
      try {
        const ws = await this.open(`${uri}${path}`, { ...opts, createConnection: () => spare } as WebSocket.ClientOptions, textHandler, binaryHandler);
        this.counts.spare++;
        return ws;
      } catch {
        // The server closed the spare just then: once more on a fresh connection.
      }
    }
    this.counts.dialed++;
    return this.open(`${uri}${path}`, { ...opts, createConnection: () => this.dial() } as WebSocket.ClientOptions, textHandler, binaryHandler);
  }

  /** Closes the spares; connections in use are the forward's to close. */
  close(): void {
    this.closed = true;
    this.dropSpares();
  }

  private open(url: string, opts: WebSocket.ClientOptions, textHandler: ((text: string) => boolean) | null, binaryHandler: Handler): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, PROTOCOLS, opts);
      let open = false;
      ws.binaryType = 'nodebuffer';
      ws.on('open', () => { open = true; resolve(ws); });
      ws.on('error', (e) => { if (!open) reject(e); });
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary) {
          if (textHandler && !textHandler(data.toString('utf8'))) ws.close();
          return;
        }
        if (!binaryHandler(data[0]!, data.subarray(1))) ws.close();
      });
    });
  }

  private dial(): tls.TLSSocket {
    const host = this.server!.hostname.replace(/^\[|\]$/g, '');
    const sock = tls.connect({
      ...(this.tlsOptions as tls.ConnectionOptions), host, port: Number(this.server!.port || 443),
      servername: (this.tlsOptions?.servername as string | undefined) ?? (net.isIP(host) ? undefined : host), session: this.session,
    });
    // No Nagle: the upgrade request must not wait for an ACK.
    sock.setNoDelay(true);
    sock.on('session', (s: Buffer) => { this.session = s; });
    return sock;
  }

  /** How many spares to keep: none when unused for a while, else about the connections of the last 2 s. */
  private wanted(): number {
    const now = Date.now();
    if (this.closed || !this.uses.length || this.uses[this.uses.length - 1]! < now - IN_USE_MS) return 0;
    const recent = this.uses.filter((t) => t >= now - 2000).length;
    return Math.min(MAX_SPARES, Math.max(1, recent));
  }

  private refill(target = this.wanted()): void {
    while (!this.closed && this.tlsOptions && this.spares.length + this.dialing < target) {
      this.dialing++;
      const sock = this.dial();
      let settled = false;
      const settle = () => { if (!settled) { settled = true; this.dialing--; } };
      const fail = () => { settle(); sock.destroy(); };
      sock.once('error', fail);
      sock.once('close', settle);
      sock.once('secureConnect', () => {
        settle();
        sock.off('error', fail);
        if (this.closed || this.spares.length >= Math.max(target, this.wanted())) { sock.destroy(); return; }
        const spare: Spare = {
          sock, at: Date.now(),
          timer: setTimeout(() => { spare.drop(); this.refill(); }, SPARE_MS),
          drop: () => { this.remove(spare); sock.destroy(); },
        };
        spare.timer.unref();
        // Anything the server says to an idle spare (a timeout, a close) makes it unusable.
        sock.on('data', spare.drop);
        sock.on('close', spare.drop);
        sock.on('error', spare.drop);
        this.spares.push(spare);
      });
    }
  }

  private remove(s: Spare): void {
    clearTimeout(s.timer);
    const i = this.spares.indexOf(s);
    if (i >= 0) this.spares.splice(i, 1);
  }

  private take(): tls.TLSSocket | undefined {
    for (let s = this.spares.shift(); s; s = this.spares.shift()) {
      clearTimeout(s.timer);
      s.sock.off('data', s.drop);
      s.sock.off('close', s.drop);
      s.sock.off('error', s.drop);
      if (!s.sock.destroyed && s.sock.writable && Date.now() - s.at < SPARE_MS) return s.sock;
      s.sock.destroy();
    }
    return undefined;
  }

  private dropSpares(): void {
    for (const s of [...this.spares]) s.drop();
  }
}
