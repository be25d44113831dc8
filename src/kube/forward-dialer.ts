/**
 * How a forwarded connection reaches the pod. By default over SPDY/3.1 as kubectl does: one
 * upgraded connection to the API server per target pod (spdy/session.ts), dialed when the
 * forward starts and again after it drops, and a stream pair per local connection. When the
 * server refuses the SPDY upgrade (a proxy in front of the API server that strips `Upgrade:
 * SPDY/3.1`), the same SPDY session runs inside one WebSocket (`SPDY/3.1+portforward.k8s.io`,
 * kubectl's tunnel: spdy/wire.ts); when that is refused too, one v4.channel.k8s.io WebSocket
 * per connection (forward-socket.ts). Each step lasts for the rest of the forward's life and
 * is said (`fallback`). All give portforward.ts the same PodChannel.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type https from 'node:https';
import { SpdySession } from './spdy/session.js';
import { tunnelSpdy, upgradeToSpdy, UpgradeRefused } from './spdy/wire.js';
import type { WarmSocketHandler } from './forward-socket.js';

export interface ChannelHandlers {
  /** The stream to the pod is open (the server accepted it). */
  opened(): void;
  /** Bytes from the pod. */
  data(b: Buffer): void;
  /** The pod side is done; `errorText` is what the kubelet said went wrong ('' when nothing). */
  end(errorText: string): void;
  /** The stream or the connection to the API server broke. */
  broken(why: string): void;
  /** Bytes for the pod may be written again after write() returned false. */
  drain(): void;
}

export interface PodChannel {
  /** Bytes for the pod; false: stop reading the client until the drain handler. */
  write(b: Buffer): boolean;
  /** The client ended its half (a FIN to the pod when halfClose). */
  end(): void;
  /** The pod can be told the client is done sending while its answer still flows (SPDY: yes; v4 WebSocket: no). */
  readonly halfClose: boolean;
  /** The local connection is gone. */
  close(): void;
  /** The client reads slowly: stop delivering the pod's bytes for a while. */
  pause(): void;
  resume(): void;
}

/** spdy: SPDY upgrade; tunnel: SPDY inside one WebSocket; websocket: v4.channel, a WebSocket per connection. */
export type ForwardProtocol = 'spdy' | 'tunnel' | 'websocket';

const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;

export class ForwardDialer {
  protocol: ForwardProtocol;
  /** Why the forward speaks WebSocket instead of SPDY (the server refused the upgrade). */
  fallback: string | undefined;
  /** For the benchmark's report and tests: SPDY connections dialed, stream pairs opened, and the WebSocket path's spares. */
  readonly counts = { sessions: 0, pairs: 0, websockets: 0 };
  private session: { path: string; ready: Promise<SpdySession>; live?: SpdySession } | undefined;
  private ws: WarmSocketHandler | undefined;
  private closed = false;
  private refusedSpdy: string | undefined;

  constructor(private readonly kc: KubeConfig, private readonly opts: { spdy: boolean; warm: boolean; connectTimeoutMs: number }) {
    this.protocol = opts.spdy ? 'spdy' : 'websocket';
  }

  /** The WebSocket path's handler (spare TLS connections), once that path is in use. */
  get socketHandler(): WarmSocketHandler | undefined { return this.ws; }

  /** Makes the first connection quick: the SPDY connection (or a spare TLS connection) dialed now. */
  async prime(path: string): Promise<void> {
    while (this.protocol !== 'websocket') {
      const tried = this.protocol;
      try {
        await this.sessionFor(path);
        return;
      } catch (e) {
        if (!this.maybeFallBack(e, tried)) return;
      }
    }
    await (await this.wsHandler()).prime();
  }

  async open(path: string, port: number, h: ChannelHandlers): Promise<PodChannel> {
    while (this.protocol !== 'websocket') {
      const tried = this.protocol;
      try {
        const s = await this.sessionFor(path);
        if (this.closed) throw new Error('the forward stopped');
        this.counts.pairs++;
        return s.openPair(port, h);
      } catch (e) {
        if (!this.maybeFallBack(e, tried)) throw e;
      }
    }
    return this.openWebSocket(path, port, h);
  }

  close(): void {
    this.closed = true;
    void this.session?.ready.then((s) => s.close(), () => undefined);
    this.session = undefined;
    this.ws?.close();
  }

  /**
   * True when the error says the server will not speak `tried`: from now on the next way —
   * SPDY upgrade → SPDY in one WebSocket → a v4 WebSocket per connection. (Concurrent
   * connections refused alike move it one step only.)
   */
  private maybeFallBack(e: unknown, tried: ForwardProtocol): boolean {
    // 401/403/404 are about credentials or the pod, not the protocol: the WebSocket would fail alike.
    if (!(e instanceof UpgradeRefused) || [401, 403, 404].includes(e.status)) return false;
    if (this.protocol !== tried) return true;
    if (tried === 'spdy') {
      this.protocol = 'tunnel';
      this.refusedSpdy = e.message;
      this.fallback = `SPDY inside one WebSocket: the API server refused the SPDY upgrade (${e.message})`;
    } else {
      this.protocol = 'websocket';
      this.fallback = `a WebSocket per connection: the API server refused SPDY (upgrade: ${this.refusedSpdy ?? 'not tried'}; in a WebSocket: ${e.message})`;
    }
    this.session = undefined;
    return true;
  }

  private sessionFor(path: string): Promise<SpdySession> {
    const cur = this.session;
    if (cur && cur.path === path && (!cur.live || cur.live.usable)) return cur.ready;
    // A new target (a service's pod was replaced), the connection dropped, or it has no stream
    // ids left: dial again; the old one closes once its streams are done.
    if (cur) void cur.ready.then((s) => s.retire(), () => undefined);
    const entry: NonNullable<ForwardDialer['session']> = { path, ready: this.dial(path) };
    this.session = entry;
    entry.ready.then((s) => {
      entry.live = s;
      s.onClose(() => { if (this.session === entry) this.session = undefined; });
    }, () => { if (this.session === entry) this.session = undefined; });
    return entry.ready;
  }

  private async dial(path: string): Promise<SpdySession> {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new Error('No cluster is defined.');
    // Credentials are applied for every connection (a token or certificate may have been refreshed).
    const request: https.RequestOptions = {};
    await this.kc.applyToHTTPSOptions(request as never);
    const s = await SpdySession.open({ server: new URL(cluster.server), path, request, timeoutMs: this.opts.connectTimeoutMs }, this.protocol === 'tunnel' ? tunnelSpdy : upgradeToSpdy);
    this.counts.sessions++;
    if (this.closed) s.close();
    return s;
  }

  private async wsHandler(): Promise<WarmSocketHandler> {
    // client-node's ws is loaded only when this path is used.
    this.ws ??= new (await import('./forward-socket.js')).WarmSocketHandler(this.kc, { spares: this.opts.warm });
    return this.ws;
  }

  /** v4.channel.k8s.io: channel 0 data, 1 errors, each opened with the 2-byte port. */
  private async openWebSocket(path: string, port: number, h: ChannelHandlers): Promise<PodChannel> {
    const handler = await this.wsHandler();
    const skip = [2, 2];
    let errText = '';
    const ws = await handler.connect(`${path}?ports=${port}`, null, (stream, data) => {
      if (stream > 1) return false;
      const n = Math.min(skip[stream]!, data.length);
      skip[stream]! -= n;
      if (n) data = data.subarray(n);
      if (!data.length) return true;
      if (stream === 1) errText += data.toString('utf8');
      else h.data(data);
      return true;
    });
    this.counts.websockets++;
    let blocked = false;
    ws.on('close', () => h.end(errText));
    ws.on('error', (e) => h.broken(errText.trim() || e.message));
    h.opened();
    return {
      write: (b) => {
        const frame = Buffer.allocUnsafe(b.length + 1);
        frame[0] = 0;
        b.copy(frame, 1);
        ws.send(frame, () => { if (blocked && ws.bufferedAmount < LOW_WATER) { blocked = false; h.drain(); } });
        if (ws.bufferedAmount > HIGH_WATER) blocked = true;
        return !blocked;
      },
      // v4 has no half-close: the stream lasts until either side closes it.
      end: () => undefined,
      halfClose: false,
      close: () => { try { ws.close(); } catch { /* already closed */ } },
      pause: () => ws.pause(),
      resume: () => ws.resume(),
    };
  }
}

/**
 * Several ports of one target forwarded together (`:pf svc/web 8080:80 8443:443`): each port is
 * its own MeteredForward with its own meters, and they share one dialer — so one SPDY
 * connection to the API server carries the streams of every port, as kubectl's does. The dialer
 * closes when the last of them stops.
 */
export class ForwardGroup {
  private dialer: ForwardDialer | undefined;
  private users = 0;

  acquire(make: () => ForwardDialer): ForwardDialer {
    this.dialer ??= make();
    this.users++;
    return this.dialer;
  }

  release(): void {
    if (--this.users > 0) return;
    this.dialer?.close();
    this.dialer = undefined;
  }
}
