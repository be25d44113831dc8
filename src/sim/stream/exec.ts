/**
 * pods/exec and pods/attach: stdin, stdout, stderr, tty resize, and the exit code on the
 * status channel, over WebSocket (v5.channel.k8s.io, v4.channel.k8s.io — what kubectl 1.32 and
 * client-node use) and over the SPDY fallback (v4.channel.k8s.io streams). Sessions run in the
 * emulated shell of the container's world; nothing runs on the host.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { WebSocket } from 'ws';
import type { SimContext } from '../context.js';
import { badRequest } from '../errors.js';
import { ExecNotFound, StreamInput, type ExecSession } from '../shell/session.js';
import type { KObj } from '../types.js';
import { CLOSE, exitStatus, parseResize, pickProtocol, RESIZE, sendChannel, STATUS, STDERR, STDIN, STDOUT } from './channels.js';
import { getPod, requireRunningContainer, resolveContainer, sandboxId } from './pods.js';
import type { SpdyStream } from './spdy/connection.js';
import { rejectUpgrade } from './status.js';
import { isSpdyUpgrade, offeredStreamProtocols, openSpdy } from './transport/spdy-upgrade.js';
import { acceptWebSocket, isWebSocketUpgrade, offeredProtocols } from './transport/websocket.js';
import { urlBool } from '../api/query.js';

/** Output queued for one slow exec client before its stream is closed. */
const MAX_BUFFERED = 32 * 1024 * 1024;

const flag = (url: URL, k: string) => urlBool(url, k);

export interface ExecRequest {
  pod: KObj;
  container: string;
  argv: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  attach: boolean;
}

export function parseExecRequest(ctx: SimContext, url: URL, ns: string, name: string, attach: boolean): ExecRequest {
  const pod = getPod(ctx, ns, name);
  const container = resolveContainer(pod, url.searchParams.get('container'));
  const argv = url.searchParams.getAll('command');
  if (!attach && !argv.length) throw badRequest('you must specify at least one command for the container');
  const r = { pod, container, argv, stdin: flag(url, 'stdin'), stdout: flag(url, 'stdout'), stderr: flag(url, 'stderr'), tty: flag(url, 'tty'), attach };
  if (!r.stdin && !r.stdout && !r.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  requireRunningContainer(pod, container);
  return r;
}

export type StartSession = (io: { stdin?: StreamInput; out(s: string): void; outBytes(b: Buffer): void; err(s: string): void; signal: AbortSignal }) => ExecSession;

/** What a transport gives a session: output channels and the final status. */
interface Wire {
  out(s: string | Buffer): void;
  err(s: string): void;
  finish(status: Record<string, unknown>): void;
}

/** The transport-independent part: starts the session, reports its end as a Status. */
function bind(ctx: SimContext, r: ExecRequest, wire: Wire, start: StartSession) {
  const ac = new AbortController();
  const stdin = r.stdin ? new StreamInput() : undefined;
  const decoder = new StringDecoder('utf8');
  const label = `${r.pod.metadata.namespace}/${r.pod.metadata.name}/${r.container}`;
  let session: ExecSession | undefined;
  const out = (s: string) => { if (r.stdout) wire.out(s); };
  const outBytes = (b: Buffer) => { if (r.stdout) wire.out(b); };
  const err = (s: string) => { if (r.stderr || r.tty) (r.tty ? wire.out : wire.err)(s); };
  try {
    session = start({ stdin, out, outBytes, err, signal: ac.signal });
    // Attach reports no exit code (the stream just ends); kubectl reads it from the pod status.
    session.exit.then((code) => wire.finish(exitStatus(r.attach ? 0 : code, r.argv)), (e) => {
      ctx.log(`exec ${label}: session failed: ${(e as Error).message}`);
      wire.finish({ metadata: {}, status: 'Failure', reason: 'InternalError', code: 500, message: `Internal error occurred: ${(e as Error).message}` });
    });
  } catch (e) {
    if (!(e instanceof ExecNotFound)) {
      ctx.log(`exec ${label}: cannot start: ${(e as Error).message}`);
      wire.finish({ metadata: {}, status: 'Failure', reason: 'InternalError', code: 500, message: `Internal error occurred: ${(e as Error).message}` });
      return { label, stdin: () => {}, stdinEnd: () => {}, resize: () => {}, abort: () => ac.abort() };
    }
    wire.finish({
      metadata: {}, status: 'Failure', reason: 'InternalError', code: 500,
      message: `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${sandboxId(r.pod).split('').reverse().join('')}": OCI runtime exec failed: exec failed: unable to start container process: ${e.message}: unknown`,
    });
  }
  return {
    label,
    stdin: (b: Buffer) => stdin?.push(decoder.write(b)),
    stdinEnd: () => stdin?.end(),
    resize: (body: Buffer) => {
      const size = parseResize(body);
      if (size) session?.resize(size.cols, size.rows);
      else ctx.log(`exec ${label}: ignoring malformed resize message`);
    },
    abort: () => {
      ac.abort();
      stdin?.end();
    },
  };
}

/** WebSocket: one binary message per chunk, first byte = channel. */
export function serveChannels(ctx: SimContext, ws: WebSocket, protocol: string, r: ExecRequest, start: StartSession): void {
  // A command printing without end to a client that does not read: stop before memory runs out.
  const guard = (ch: number, x: string | Buffer) => {
    if (ws.bufferedAmount > MAX_BUFFERED) {
      ctx.log(`exec ${r.pod.metadata.namespace}/${r.pod.metadata.name}: client is not reading; closing the stream`);
      ws.terminate();
      return;
    }
    sendChannel(ws, ch, x);
  };
  const s = bind(ctx, r, {
    out: (x) => guard(STDOUT, x),
    err: (x) => guard(STDERR, x),
    finish: (status) => {
      // The status, then the close, each in its own TLS record once the previous one is out:
      // clients that wait on the raw socket between frames (Python's) would miss a status
      // that shares a record with the close.
      sendChannel(ws, STATUS, JSON.stringify(status), () => setTimeout(() => { if (ws.readyState === ws.OPEN) ws.close(1000); }, 10));
    },
  }, start);
  // Text frames carry the same channel byte + data: the Python client sends stdin that way
  // (the real server accepts both), so they are read like binary ones.
  ws.on('message', (raw: Buffer | ArrayBuffer | Buffer[]) => {
    const data = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
    if (!data.length) return;
    const ch = data[0]!;
    const body = data.subarray(1);
    if (ch === STDIN) s.stdin(body);
    else if (ch === RESIZE) s.resize(body);
    else if (ch === CLOSE && protocol.startsWith('v5')) {
      if (body[0] === STDIN) s.stdinEnd();
    } else ctx.log(`exec ${s.label}: ignoring message on unknown channel ${ch}`);
  });
  ws.on('close', () => s.abort());
}

/** SPDY fallback: the client opens error/stdin/stdout/stderr/resize streams, then we run. */
function serveSpdyExec(ctx: SimContext, req: IncomingMessage, socket: Duplex, head: Buffer, r: ExecRequest, start: StartSession): void {
  const want = new Set(['error', ...(r.stdin ? ['stdin'] : []), ...(r.stdout ? ['stdout'] : []), ...(r.stderr && !r.tty ? ['stderr'] : []), ...(r.tty ? ['resize'] : [])]);
  const streams = new Map<string, SpdyStream>();
  let started = false;
  openSpdy(req, socket, head, 'v4.channel.k8s.io', (st, conn) => {
    st.reply();
    const type = st.headers['streamtype'] ?? '';
    streams.set(type, st);
    if (started || ![...want].every((w) => streams.has(w))) return;
    started = true;
    const endAll = () => {
      for (const x of streams.values()) x.end();
      setTimeout(() => conn.close(), 100).unref();
    };
    const s = bind(ctx, r, {
      out: (x) => streams.get('stdout')?.write(Buffer.isBuffer(x) ? x : Buffer.from(x)),
      err: (x) => streams.get('stderr')?.write(Buffer.from(x)),
      finish: (status) => {
        streams.get('error')?.write(Buffer.from(JSON.stringify(status)));
        endAll();
      },
    }, start);
    const sin = streams.get('stdin');
    sin?.onData((b) => s.stdin(b));
    sin?.onEnd(() => s.stdinEnd());
    let pending = '';
    streams.get('resize')?.onData((b) => {
      pending += b.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const l of lines) if (l.trim()) s.resize(Buffer.from(l));
    });
    conn.onClose(() => s.abort());
  }, (m) => ctx.log(`exec ${r.pod.metadata.namespace}/${r.pod.metadata.name}: ${m}`));
}

/** Accepts an exec/attach upgrade on either transport after validating it like the apiserver. */
export function acceptExec(ctx: SimContext, req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, ns: string, name: string, attach: boolean, startFor: (r: ExecRequest) => StartSession): void {
  let r: ExecRequest;
  try {
    r = parseExecRequest(ctx, url, ns, name, attach);
  } catch (e) {
    rejectUpgrade(socket, e);
    return;
  }
  if (isWebSocketUpgrade(req)) {
    const protocol = pickProtocol(offeredProtocols(req));
    if (!protocol) {
      rejectUpgrade(socket, badRequest(`unable to upgrade connection: no supported subprotocol in [${offeredProtocols(req).join(' ')}]`));
      return;
    }
    acceptWebSocket(req, socket, head, protocol, (ws) => serveChannels(ctx, ws, protocol, r, startFor(r)));
    return;
  }
  if (isSpdyUpgrade(req) && offeredStreamProtocols(req).includes('v4.channel.k8s.io')) {
    serveSpdyExec(ctx, req, socket, head, r, startFor(r));
    return;
  }
  rejectUpgrade(socket, badRequest('Upgrade request required'));
}
