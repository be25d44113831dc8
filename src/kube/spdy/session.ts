/**
 * The client side of a SPDY/3.1 port-forward session, as kubectl speaks it: ONE connection to
 * the API server per target pod (upgraded to SPDY, or a WebSocket carrying SPDY: wire.ts), and
 * for every forwarded connection a pair
 * of streams tied by a `requestid` header — `streamtype: error` (we half-close it at once; the
 * kubelet writes why forwarding failed) and `streamtype: data`. A new connection costs two
 * frames instead of a TCP + TLS + HTTP handshake, and data frames carry no masking and no
 * channel byte.
 *
 * The codec is the embedded cluster's pure one (src/sim/stream/spdy/frames.ts, headers.ts:
 * framing and header-block encoding, no cluster state). The server's header blocks (SYN_REPLY)
 * are never inflated: nothing in them is needed, and skipping them keeps the inbound side
 * synchronous. SPDY flow control is not enforced by spdystream (kubelet, kubectl), so neither
 * side sends WINDOW_UPDATEs; back-pressure is the TCP connection's: a stream whose client
 * reads slowly pauses the whole connection (as kubectl's does) until that client catches up.
 */
import {
  encodeData, encodeGoaway, encodePing, encodeRst, encodeSynStream, FLAG_FIN, FrameParser, RST_CANCEL, type Frame,
} from '../../sim/stream/spdy/frames.js';
import { HeaderCodec } from '../../sim/stream/spdy/headers.js';
import { upgradeToSpdy, type Wire, type WireTarget } from './wire.js';

export { UpgradeRefused } from './wire.js';

/** Outbound bytes queued on the connection above this: writers are told to wait for drain. */
const HIGH_WATER = 1024 * 1024;
/** A PING every this long keeps idle connections alive through proxies and finds dead ones. */
const PING_MS = 30_000;
/** Stream ids are 31 bits; a session this close to the end takes no new pairs. */
const LAST_STREAM_ID = 0x7fff0000;

export interface PairHandlers {
  /** The server accepted the data stream (SYN_REPLY). */
  opened(): void;
  data(b: Buffer): void;
  /** The pod side is done: the data stream ended and the error stream said all it had ('' when fine). */
  end(errorText: string): void;
  /** A stream was reset by the server, or the connection to the API server is gone. */
  broken(why: string): void;
  /** Outbound bytes drained after write() returned false. */
  drain(): void;
}

/** One forwarded connection: the data and error streams of one requestid. */
export class SpdyPair {
  readonly halfClose = true;
  private errText = '';
  private dataEnded = false;
  private errEnded = false;
  private localEnded = false;
  private done = false;
  private paused = false;

  constructor(private readonly session: SpdySession, readonly dataId: number, readonly errId: number, private readonly h: PairHandlers) {}

  /** Bytes for the pod; false: wait for the drain handler before writing more. */
  write(b: Buffer): boolean {
    if (this.done || this.localEnded) return true;
    return this.session.send(encodeData(this.dataId, b, false), this);
  }

  /** The client ended its half: FIN on the data stream (the pod's connection gets EOF). */
  end(): void {
    if (this.done || this.localEnded) return;
    this.localEnded = true;
    this.session.send(encodeData(this.dataId, Buffer.alloc(0), true));
  }

  /** The local connection is gone: a FIN when the pod side already finished, else a reset of both streams. */
  close(): void {
    if (this.done) return;
    if (this.dataEnded && this.errEnded) this.end();
    else {
      // Cancel what the server may still send on; a stream it already ended needs nothing.
      const rst = [...(this.dataEnded ? [] : [encodeRst(this.dataId, RST_CANCEL)]), ...(this.errEnded ? [] : [encodeRst(this.errId, RST_CANCEL)])];
      this.session.send(Buffer.concat(rst));
    }
    this.finish();
  }

  /** Stop delivering the pod's bytes (the client reads slowly); see the file comment. */
  pause(): void {
    if (this.paused || this.done) return;
    this.paused = true;
    this.session.hold(1);
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.session.hold(-1);
  }

  /** @internal */ onFrame(f: Frame): void {
    if (this.done) return;
    switch (f.kind) {
      case 'syn_reply':
        if (f.streamId === this.dataId) this.h.opened();
        return;
      case 'data': {
        const fin = (f.flags & FLAG_FIN) !== 0;
        if (f.streamId === this.dataId) {
          if (f.data.length) this.h.data(f.data);
          if (fin) this.dataEnded = true;
        } else {
          if (f.data.length) this.errText += f.data.toString('utf8');
          if (fin) this.errEnded = true;
        }
        // kubectl's way: the connection is over when the data stream ended AND the error stream
        // said all it had (a refused port writes the error, then ends both).
        if (fin && this.dataEnded && this.errEnded) this.h.end(this.errText);
        return;
      }
      case 'rst_stream':
        this.finish();
        this.h.broken(this.errText.trim() || `the API server reset the ${f.streamId === this.dataId ? 'data' : 'error'} stream (status ${f.status})`);
        return;
      default:
    }
  }

  /** @internal */ lost(why: string): void {
    if (this.done) return;
    this.finish();
    this.h.broken(why);
  }

  /** @internal */ drained(): void { if (!this.done) this.h.drain(); }

  private finish(): void {
    if (this.done) return;
    this.resume();
    this.done = true;
    this.session.forget(this);
  }
}

export class SpdySession {
  private readonly parser = new FrameParser();
  private readonly codec = new HeaderCodec();
  private readonly pairs = new Map<number, SpdyPair>();
  private readonly waiting = new Set<SpdyPair>();
  private readonly closers: Array<(why: string) => void> = [];
  private nextId = 1;
  private requestId = 0;
  private holds = 0;
  private pingSent = 0;
  private readonly pinger: NodeJS.Timeout;
  private dead = false;
  private draining = false;

  /** Dials the API server over `how` (wire.ts) and starts a session on the connection. */
  static async open(t: WireTarget, how: (t: WireTarget) => Promise<Wire> = upgradeToSpdy): Promise<SpdySession> {
    return new SpdySession(await how(t));
  }

  private constructor(private readonly wire: Wire) {
    this.pinger = setInterval(() => this.ping(), PING_MS);
    this.pinger.unref();
    wire.attach({
      data: (b) => this.ingest(b),
      drain: () => { for (const p of [...this.waiting]) { this.waiting.delete(p); p.drained(); } },
      close: (why) => this.teardown(why),
    });
  }

  /** Open and able to take new pairs. */
  get usable(): boolean { return !this.dead && !this.draining && this.nextId < LAST_STREAM_ID; }
  get open(): number { return this.pairs.size / 2; }

  onClose(cb: (why: string) => void): void { this.closers.push(cb); }

  /** A stream pair to `port` of the pod; bytes may be written at once (before the server replies). */
  openPair(port: number, h: PairHandlers): SpdyPair {
    const errId = this.nextId;
    const dataId = errId + 2;
    this.nextId += 4;
    const rid = String(this.requestId++);
    const pair = new SpdyPair(this, dataId, errId, h);
    this.pairs.set(errId, pair);
    this.pairs.set(dataId, pair);
    // Both SYN_STREAMs and the FIN of the error stream (we never write on it) in one write.
    this.send(Buffer.concat([
      encodeSynStream(errId, this.codec.encode({ streamtype: 'error', port: String(port), requestid: rid })),
      encodeData(errId, Buffer.alloc(0), true),
      encodeSynStream(dataId, this.codec.encode({ streamtype: 'data', port: String(port), requestid: rid })),
    ]));
    return pair;
  }

  /** Ends the connection once its pairs are done (a replaced target). */
  retire(): void {
    this.draining = true;
    if (!this.pairs.size) this.close();
  }

  close(why = 'the forward stopped'): void {
    if (this.dead) return;
    this.wire.end(encodeGoaway(0, 0));
    this.teardown(why);
  }

  /** @internal */ send(frame: Buffer, from?: SpdyPair): boolean {
    if (this.dead) return true;
    this.wire.write(frame);
    if (this.wire.queued <= HIGH_WATER) return true;
    if (from) this.waiting.add(from);
    return false;
  }

  /** @internal */ hold(delta: number): void {
    const was = this.holds;
    this.holds += delta;
    if (was === 0 && this.holds > 0) this.wire.pause();
    else if (was > 0 && this.holds === 0) this.wire.resume();
  }

  /** @internal */ forget(p: SpdyPair): void {
    this.pairs.delete(p.dataId);
    this.pairs.delete(p.errId);
    this.waiting.delete(p);
    if (this.draining && !this.pairs.size) this.close();
  }

  private ping(): void {
    if (this.dead) return;
    if (this.pingSent) {
      // The last PING (30 s ago) got no answer: the connection is dead without saying so.
      this.wire.destroy();
      this.teardown('the API server stopped answering pings');
      return;
    }
    this.pingSent = 1 + 2 * Math.floor(Math.random() * 0x3fffffff);
    this.send(encodePing(this.pingSent));
  }

  private ingest(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.parser.push(chunk);
    } catch (e) {
      this.close(`the API server sent something that is not SPDY/3.1: ${(e as Error).message}`);
      return;
    }
    for (const f of frames) {
      if (this.dead) return;
      switch (f.kind) {
        case 'data': case 'syn_reply': case 'rst_stream':
          this.pairs.get(f.streamId)?.onFrame(f);
          break;
        case 'ping':
          if (f.id % 2 === 0) this.send(encodePing(f.id));
          else if (f.id === this.pingSent) this.pingSent = 0;
          break;
        case 'goaway':
          // No new streams; the ones open may finish.
          this.retire();
          break;
        default:
          // SETTINGS, WINDOW_UPDATE, HEADERS, server SYN_STREAMs: nothing a port-forward client needs.
      }
    }
  }

  private teardown(why: string): void {
    if (this.dead) return;
    this.dead = true;
    clearInterval(this.pinger);
    this.codec.close();
    const pairs = new Set(this.pairs.values());
    this.pairs.clear();
    for (const p of pairs) p.lost(why);
    for (const c of this.closers.splice(0)) c(why);
  }
}
