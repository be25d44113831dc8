/**
 * pods/portforward: relays each forwarded connection to the pod's real loopback server
 * (runtime.portFor). kubectl speaks SPDY (an error + a data stream per connection, paired by
 * requestid); client-node speaks v4.channel.k8s.io (data channel 2i, error 2i+1, each opened
 * with the 2-byte little-endian port).
 */
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { SimContext } from '../context.js';
import { badRequest } from '../errors.js';
import type { KObj } from '../types.js';
import { getPod, requireRunningPod, sandboxId } from './pods.js';
import type { SpdyConnection, SpdyStream } from './spdy/connection.js';
import { rejectUpgrade } from './status.js';
import { openSpdy, wantsSpdy } from './transport/spdy-upgrade.js';
import { acceptWebSocket, isWebSocketUpgrade, offeredProtocols } from './transport/websocket.js';

/** CPU charged to the serving container: per connection and per MiB relayed. */
const CPU_MS_PER_CONN = 3;
const CPU_MS_PER_MIB = 8;

interface Target { ctx: SimContext; pod: KObj }

/** The message kubelet + containerd give when nothing listens on the port. */
export function refusedMessage(pod: KObj, port: number): string {
  const sb = sandboxId(pod);
  return `error forwarding port ${port} to pod ${sb}, uid : failed to execute portforward in network namespace ` +
    `"/var/run/netns/cni-${sb.slice(0, 8)}-${sb.slice(8, 12)}-${sb.slice(12, 16)}-${sb.slice(16, 20)}-${sb.slice(20, 32)}": ` +
    `failed to connect to localhost:${port} inside namespace "${sb}", IPv4: dial tcp4 127.0.0.1:${port}: ` +
    `connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused `;
}

function containerForPort(pod: KObj, port: number): string {
  const cs: KObj[] = pod.spec?.containers ?? [];
  const hit = cs.find((c) => (c.ports ?? []).some((p: KObj) => p.containerPort === port));
  return (hit ?? cs[0])?.name ?? '';
}

interface Relay {
  toPod(b: Buffer): void;
  endToPod(): void;
  abort(): void;
}

/**
 * Connects to the pod's server for `port` and wires it to a client stream. `send` returns false
 * when the client side is congested; `waitDrain` resolves when it can take more.
 */
function relay(
  t: Target, port: number,
  io: { send(b: Buffer): boolean; waitDrain(cb: () => void): void; end(): void; fail(msg: string): void },
): Relay {
  const { ctx, pod } = t;
  const key = { namespace: pod.metadata.namespace!, pod: pod.metadata.name!, container: containerForPort(pod, port) };
  const target = ctx.runtime?.portFor(key.namespace, key.pod, port);
  if (target === undefined) {
    io.fail(refusedMessage(pod, port));
    io.end();
    return { toPod() {}, endToPod() {}, abort() {} };
  }
  ctx.runtime?.addLoad(key, CPU_MS_PER_CONN);
  let bytes = 0;
  const charge = () => {
    if (bytes > 0) ctx.runtime?.addLoad(key, (bytes / (1 << 20)) * CPU_MS_PER_MIB);
    bytes = 0;
  };
  const sock = net.connect({ host: '127.0.0.1', port: target });
  sock.setNoDelay(true);
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    charge();
    io.end();
  };
  sock.on('data', (b: Buffer) => {
    bytes += b.length;
    if (bytes > 1 << 20) charge();
    if (!io.send(b)) {
      sock.pause();
      io.waitDrain(() => sock.resume());
    }
  });
  sock.on('error', (e: NodeJS.ErrnoException) => {
    if (!done && e.code === 'ECONNREFUSED') io.fail(refusedMessage(pod, port));
    finish();
  });
  sock.on('end', () => finish());
  sock.on('close', () => finish());
  return {
    toPod: (b) => {
      bytes += b.length;
      if (!sock.destroyed) sock.write(b);
    },
    endToPod: () => sock.end(),
    abort: () => {
      done = true;
      sock.destroy();
    },
  };
}

// ---- SPDY (kubectl) --------------------------------------------------------------------------

function serveSpdy(t: Target, conn: SpdyConnection, s: SpdyStream, pairs: Map<string, { data?: SpdyStream; error?: SpdyStream }>): void {
  s.reply();
  const type = s.headers['streamtype'];
  const rid = s.headers['requestid'] ?? s.headers['port'] ?? String(s.id);
  if (type !== 'data' && type !== 'error') {
    s.rst(2);
    return;
  }
  const pair = pairs.get(rid) ?? {};
  pair[type] = s;
  pairs.set(rid, pair);
  if (!pair.data || !pair.error) return;
  pairs.delete(rid);
  const { data, error } = pair;
  const port = Number(data.headers['port']);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    error.write(Buffer.from(`invalid port ${data.headers['port']}`));
    error.end();
    data.end();
    return;
  }
  const r = relay(t, port, {
    send: (b) => data.write(b),
    waitDrain: (cb) => {
      const off = conn.onDrain(() => {
        off();
        cb();
      });
    },
    end: () => {
      data.end();
      error.end();
    },
    fail: (msg) => error.write(Buffer.from(msg)),
  });
  data.onData((b) => r.toPod(b));
  data.onEnd(() => r.endToPod());
  data.onClose(() => r.abort());
}

// ---- v4.channel.k8s.io WebSocket (client-node) ---------------------------------------------

function portPrefix(channel: number, port: number): Buffer {
  return Buffer.from([channel, port & 0xff, (port >> 8) & 0xff]);
}

function serveWebSocket(t: Target, ws: WebSocket, ports: number[]): void {
  const relays: Relay[] = [];
  let open = ports.length;
  // Flow control by event, as the SPDY side has: a relay paused on a full WebSocket resumes
  // when a send's callback (its frame handed to the socket) finds the buffer low again.
  let waiters: Array<() => void> = [];
  const flushed = () => {
    if (!waiters.length || (ws.readyState === ws.OPEN && ws.bufferedAmount >= 1 << 19)) return;
    const w = waiters;
    waiters = [];
    w.forEach((cb) => cb());
  };
  ws.on('close', () => { waiters.forEach((cb) => cb()); waiters = []; });
  ports.forEach((port, i) => {
    ws.send(portPrefix(2 * i, port));
    ws.send(portPrefix(2 * i + 1, port));
    relays.push(relay(t, port, {
      send: (b) => {
        if (ws.readyState !== ws.OPEN) return true;
        ws.send(Buffer.concat([Buffer.from([2 * i]), b]), flushed);
        return ws.bufferedAmount < 1 << 20;
      },
      waitDrain: (cb) => {
        if (ws.readyState !== ws.OPEN || ws.bufferedAmount < 1 << 19) cb();
        else waiters.push(cb);
      },
      end: () => {
        if (--open === 0 && ws.readyState === ws.OPEN) ws.close(1000);
      },
      fail: (msg) => {
        if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([2 * i + 1]), Buffer.from(msg)]));
      },
    }));
  });
  ws.on('message', (b: Buffer, isBinary: boolean) => {
    if (!isBinary) {
      t.ctx.log('portforward: closing: text message on a binary channel protocol');
      ws.close(1003, 'binary messages only');
      return;
    }
    if (b.length === 0) return;
    const ch = b[0]!;
    const r = ch % 2 === 0 ? relays[ch / 2] : undefined;
    if (!r) {
      t.ctx.log(`portforward: ignoring message on unknown channel ${ch}`);
      return;
    }
    r.toPod(b.subarray(1));
  });
  ws.on('close', () => relays.forEach((r) => r.abort()));
}

export function handlePortForward(ctx: SimContext, req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, ns: string, name: string): void {
  let pod: KObj;
  try {
    pod = getPod(ctx, ns, name);
    requireRunningPod(pod);
  } catch (e) {
    rejectUpgrade(socket, e);
    return;
  }
  const t: Target = { ctx, pod };
  if (wantsSpdy(req, 'portforward.k8s.io')) {
    const pairs = new Map<string, { data?: SpdyStream; error?: SpdyStream }>();
    openSpdy(req, socket, head, 'portforward.k8s.io', (s, conn) => serveSpdy(t, conn, s, pairs), (m) => ctx.log(`portforward ${ns}/${name}: ${m}`));
    return;
  }
  if (isWebSocketUpgrade(req)) {
    const offered = offeredProtocols(req);
    const proto = ['v4.channel.k8s.io'].find((p) => offered.includes(p));
    const ports = url.searchParams.getAll('ports').flatMap((p) => p.split(',')).map((p) => Number(p.trim()));
    if (!proto) {
      rejectUpgrade(socket, badRequest(`unable to upgrade connection: no supported subprotocol in [${offered.join(' ')}]`));
      return;
    }
    if (!ports.length || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
      rejectUpgrade(socket, badRequest('query parameter "port" is required'));
      return;
    }
    acceptWebSocket(req, socket, head, proto, (ws) => serveWebSocket(t, ws, ports));
    return;
  }
  rejectUpgrade(socket, badRequest('Upgrade request required'));
}
