/**
 * Server side of a SPDY/3.1 session as kubectl (moby/spdystream) speaks it: the client opens
 * streams (SYN_STREAM), the server answers SYN_REPLY and both exchange DATA until FIN or RST.
 * PINGs are echoed; SETTINGS and WINDOW_UPDATE are accepted and ignored (spdystream does not
 * enforce flow control). Any malformed input closes this connection only.
 */
import type { ByteTransport } from '../transport/bytes.js';
import {
  encodeData, encodeGoaway, encodePing, encodeRst, encodeSynReply, FLAG_FIN, FrameParser, RST_INVALID_STREAM,
  SpdyProtocolError, type Frame,
} from './frames.js';
import { HeaderCodec, type Headers } from './headers.js';

/** Largest DATA payload we emit; spdystream reads any size, smaller keeps latency low. */
const MAX_DATA = 64 * 1024;
/** kubectl pings every 10 s: a connection silent for this long is dead (or never spoke SPDY). */
const IDLE_MS = 120_000;

export class SpdyStream {
  private dataCbs: Array<(b: Buffer) => void> = [];
  private endCbs: Array<() => void> = [];
  private closeCbs: Array<() => void> = [];
  /** The client closed its half (FIN). */
  remoteEnded = false;
  /** We closed our half. */
  localEnded = false;
  reset = false;

  constructor(readonly conn: SpdyConnection, readonly id: number, readonly headers: Headers) {}

  onData(cb: (b: Buffer) => void): void { this.dataCbs.push(cb); }
  onEnd(cb: () => void): void { this.remoteEnded ? cb() : this.endCbs.push(cb); }
  /** Reset by either side or the connection went away. */
  onClose(cb: () => void): void { this.closeCbs.push(cb); }

  reply(headers: Headers = {}): void {
    this.conn.send(encodeSynReply(this.id, this.conn.codec.encode(headers)));
  }

  /** Writes data; false means wait for the connection's drain. */
  write(buf: Buffer): boolean {
    if (this.localEnded || this.reset) return true;
    let ok = true;
    for (let at = 0; at < buf.length; at += MAX_DATA) {
      ok = this.conn.send(encodeData(this.id, buf.subarray(at, at + MAX_DATA), false));
    }
    return ok;
  }

  end(): void {
    if (this.localEnded || this.reset) return;
    this.localEnded = true;
    this.conn.send(encodeData(this.id, Buffer.alloc(0), true));
    this.maybeForget();
  }

  rst(status = 5): void {
    if (this.reset) return;
    this.conn.send(encodeRst(this.id, status));
    this.closed();
  }

  /** @internal */ receive(data: Buffer, fin: boolean): void {
    if (data.length) for (const cb of this.dataCbs) cb(data);
    if (fin && !this.remoteEnded) {
      this.remoteEnded = true;
      for (const cb of this.endCbs.splice(0)) cb();
      this.maybeForget();
    }
  }

  /** @internal */ closed(): void {
    if (this.reset) return;
    this.reset = true;
    this.conn.forget(this.id);
    for (const cb of this.closeCbs.splice(0)) cb();
  }

  private maybeForget(): void {
    if (this.localEnded && this.remoteEnded) this.conn.forget(this.id);
  }
}

export interface SpdyConnectionOptions {
  onStream(stream: SpdyStream): void;
  log(message: string): void;
}

export class SpdyConnection {
  readonly codec = new HeaderCodec();
  private readonly parser = new FrameParser();
  private readonly streams = new Map<number, SpdyStream>();
  private readonly drainCbs = new Set<() => void>();
  private readonly closeCbs: Array<() => void> = [];
  private lastStreamId = 0;
  private dead = false;
  /** Frames waiting while a header block is being inflated (keeps frame order). */
  private readonly queue: Frame[] = [];
  private busy = false;

  private lastSeen = Date.now();
  private readonly idleTimer: NodeJS.Timeout;

  constructor(private readonly transport: ByteTransport, private readonly opts: SpdyConnectionOptions) {
    this.idleTimer = setInterval(() => {
      if (Date.now() - this.lastSeen > IDLE_MS) {
        this.opts.log('spdy: closing idle connection');
        this.close();
      }
    }, IDLE_MS / 4);
    this.idleTimer.unref();
    transport.onData((b) => this.ingest(b));
    transport.onDrain(() => { for (const d of [...this.drainCbs]) d(); });
    transport.onClose(() => this.teardown());
  }

  get isClosed(): boolean { return this.dead; }

  /** Called when the transport can take more bytes after a write returned false. */
  onDrain(cb: () => void): () => void {
    this.drainCbs.add(cb);
    return () => this.drainCbs.delete(cb);
  }

  onClose(cb: () => void): void { this.dead ? cb() : this.closeCbs.push(cb); }

  /** @internal */ send(frame: Buffer): boolean {
    if (this.dead) return true;
    return this.transport.write(frame);
  }

  /** @internal */ forget(id: number): void { this.streams.delete(id); }

  /** Feeds raw bytes (also used for bytes read ahead with the upgrade request). */
  ingest(chunk: Buffer): void {
    if (this.dead) return;
    this.lastSeen = Date.now();
    try {
      this.queue.push(...this.parser.push(chunk));
    } catch (e) {
      this.fail(e);
      return;
    }
    this.pump();
  }

  private fail(e: unknown): void {
    if (this.dead) return;
    const msg = e instanceof SpdyProtocolError ? e.message : `internal error: ${(e as Error).message}`;
    this.opts.log(`spdy: closing connection: ${msg}`);
    this.send(encodeGoaway(this.lastStreamId, 1));
    this.close();
  }

  private pump(): void {
    while (!this.busy && !this.dead && this.queue.length) {
      const f = this.queue.shift()!;
      try {
        if (f.kind === 'syn_stream' || f.kind === 'syn_reply' || f.kind === 'headers') {
          this.busy = true;
          this.codec.decode(f.block).then((h) => {
            this.busy = false;
            if (this.dead) return;
            try {
              this.handle(f, h);
            } catch (e) {
              this.fail(e);
              return;
            }
            this.pump();
          }, (e) => this.fail(e));
          return;
        }
        this.handle(f, {});
      } catch (e) {
        this.fail(e);
        return;
      }
    }
  }

  private handle(f: Frame, headers: Headers): void {
    switch (f.kind) {
      case 'syn_stream': {
        if (this.streams.has(f.streamId) || f.streamId <= this.lastStreamId || f.streamId % 2 === 0) {
          throw new SpdyProtocolError(`invalid new stream id ${f.streamId}`);
        }
        this.lastStreamId = f.streamId;
        const s = new SpdyStream(this, f.streamId, headers);
        this.streams.set(f.streamId, s);
        this.opts.onStream(s);
        if (f.flags & FLAG_FIN) s.receive(Buffer.alloc(0), true);
        return;
      }
      case 'headers':
      case 'syn_reply':
        // Decoded only to keep the zlib stream in step; servers need nothing from these.
        return;
      case 'data': {
        const s = this.streams.get(f.streamId);
        if (!s) {
          this.send(encodeRst(f.streamId, RST_INVALID_STREAM));
          return;
        }
        s.receive(f.data, (f.flags & FLAG_FIN) !== 0);
        return;
      }
      case 'rst_stream':
        this.streams.get(f.streamId)?.closed();
        return;
      case 'ping':
        this.send(encodePing(f.id));
        return;
      case 'goaway':
        this.close();
        return;
      default:
        return;
    }
  }

  close(): void {
    if (this.dead) return;
    this.transport.close();
    this.teardown();
  }

  private teardown(): void {
    if (this.dead) return;
    this.dead = true;
    clearInterval(this.idleTimer);
    for (const s of [...this.streams.values()]) s.closed();
    this.streams.clear();
    this.codec.close();
    for (const cb of this.closeCbs.splice(0)) cb();
  }
}
