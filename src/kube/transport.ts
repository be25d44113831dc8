/**
 * HTTP(S) to the API server with the kubeconfig's auth (token, token file, client certificate,
 * CA, insecure-skip-tls-verify, tls-server-name, basic auth, impersonation; exec plugins,
 * auth-providers and proxy-url through client-node, loaded only for them: see credentials.ts).
 *
 * We keep our own request loop (instead of client-node's fetch-based Watch) because the
 * cache needs to stream newline-delimited JSON with back-pressure-free parsing, to tell a
 * 403 from a 410 from a network error, and to abort cleanly.
 */
import http from 'node:http';
import https from 'node:https';
import type { ParsedKubeConfig } from './kubeconfig.js';

/** An answer from the API server that was not a 2xx, with the Status message when it sent one. */
export class KubeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** The server could not be reached at all (refused, reset, DNS, TLS, timeout). */
export class KubeNetworkError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

export interface RequestOptions {
  method?: string;
  query?: Record<string, string | number | boolean | undefined>;
  timeoutMs?: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  body?: string;
}

interface Prepared {
  agent: http.Agent;
  headers: Record<string, string>;
  auth?: string;
  at: number;
}

/** Credentials without an expiry (exec plugins) are re-read at most this often, or on a 401. */
const REPREPARE_MS = 10 * 60_000;

export class Transport {
  readonly server: URL;
  private prepared?: Promise<Prepared>;
  /** Requests not yet on the wire (see onWire). */
  private readonly unsent = new Set<Promise<void>>();

  constructor(private readonly kc: ParsedKubeConfig) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    // Strip a trailing slash so "server + path" never doubles it.
    this.server = new URL(cluster.server.replace(/\/+$/, ''));
  }

  /** Auth and TLS for the next request; computed once and reused (keep-alive agent). */
  private prepare(force = false): Promise<Prepared> {
    if (force || !this.prepared) {
      const p = (async () => {
        const opts: https.RequestOptions = {};
        // Long-lived watches and short requests share one keep-alive agent: no TLS handshake per request.
        await this.kc.applyToHTTPSOptions(opts, { keepAlive: true });
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(opts.headers ?? {})) {
          if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
        }
        const agent = opts.agent as http.Agent;
        return { agent, headers, auth: opts.auth ?? undefined, at: Date.now() };
      })();
      // A failing exec plugin must not poison every later request.
      p.catch(() => {
        if (this.prepared === p) this.prepared = undefined;
      });
      this.prepared = p;
    } else {
      void this.prepared.then((pp) => {
        if (Date.now() - pp.at > REPREPARE_MS) this.prepared = undefined;
      }, () => undefined);
    }
    return this.prepared;
  }

  url(path: string, query?: RequestOptions['query']): URL {
    const u = new URL(this.server.pathname.replace(/\/$/, '') + path, this.server);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u;
  }

  /**
   * Starts a request and resolves with the response once headers arrive. Retries once with
   * fresh credentials on 401 (an expired exec token).
   */
  async open(path: string, opts: RequestOptions = {}): Promise<http.IncomingMessage> {
    let res = await this.openOnce(path, opts, false);
    if (res.statusCode === 401) {
      res.resume();
      res = await this.openOnce(path, opts, true);
    }
    return res;
  }

  /**
   * Resolves once every request started so far is on the wire (connected, TLS handshake done,
   * request written) or has failed. Start-up waits for the first LIST to get there before it
   * blocks the event loop loading the UI: the handshake needs a few turns of the loop, and the
   * server then answers while the UI loads instead of after.
   */
  onWire(): Promise<void> {
    return Promise.all(this.unsent).then(() => undefined);
  }

  private async openOnce(path: string, opts: RequestOptions, fresh: boolean): Promise<http.IncomingMessage> {
    let wired!: () => void;
    const wire = new Promise<void>((r) => (wired = r));
    this.unsent.add(wire);
    void wire.then(() => this.unsent.delete(wire));
    try {
      return await this.openWired(path, opts, fresh, wired);
    } finally {
      wired();
    }
  }

  private async openWired(path: string, opts: RequestOptions, fresh: boolean, wired: () => void): Promise<http.IncomingMessage> {
    let prep: Prepared;
    try {
      prep = await this.prepare(fresh);
    } catch (err) {
      throw new KubeNetworkError(`cannot get credentials: ${(err as Error).message.trim().split('\n')[0]}`, 'AUTH');
    }
    const u = this.url(path, opts.query);
    const mod = u.protocol === 'http:' ? http : https;
    // A kept-alive socket the server dropped while idle fails before any byte of the request was
    // read: that request is sent again, once, on a fresh socket (see KubeRequester.send).
    const attempt = (retry: boolean): Promise<http.IncomingMessage> => new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const req = mod.request(u, {
        method: opts.method ?? 'GET',
        agent: prep.agent,
        auth: prep.auth,
        headers: { Accept: 'application/json', 'User-Agent': 'kai-tui', ...prep.headers, ...opts.headers },
        signal: opts.signal,
      });
      const fail = (err: NodeJS.ErrnoException) => {
        if (timer) clearTimeout(timer);
        if (retry && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE') && !opts.signal?.aborted) resolve(attempt(false));
        else reject(toNetworkError(err, u));
      };
      req.on('error', fail);
      // On the wire: the request is written and its socket connected (for TLS: handshake done).
      let written = false;
      let connected = false;
      const check = () => { if (written && connected) wired(); };
      req.on('finish', () => { written = true; check(); });
      req.on('socket', (sock) => {
        // A kept-alive socket is ready; a new one connects (and shakes hands) first.
        if (req.reusedSocket) { connected = true; check(); return; }
        sock.once(u.protocol === 'https:' ? 'secureConnect' : 'connect', () => { connected = true; check(); });
      });
      req.on('response', (res) => {
        if (timer) clearTimeout(timer);
        resolve(res);
      });
      if (opts.timeoutMs) {
        timer = setTimeout(() => req.destroy(Object.assign(new Error(`timed out after ${opts.timeoutMs} ms`), { code: 'ETIMEDOUT' })), opts.timeoutMs);
      }
      req.end(opts.body);
    });
    return attempt(true);
  }

  /** A whole JSON answer; non-2xx becomes a KubeHttpError carrying the server's Status message. */
  async json<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
    const ctl = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, ctl.signal]) : ctl.signal;
    // The timeout covers the body as well as the headers.
    const timer = opts.timeoutMs ? setTimeout(() => ctl.abort(new Error(`timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs) : undefined;
    try {
      const res = await this.open(path, { ...opts, signal, timeoutMs: undefined });
      const body = await readBody(res);
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) throw httpError(status, body, path);
      try {
        return JSON.parse(body) as T;
      } catch {
        throw new KubeHttpError(status, 'BadResponse', `${path}: the server's answer is not JSON`);
      }
    } catch (err) {
      if (ctl.signal.aborted && !(err instanceof KubeHttpError)) {
        throw new KubeNetworkError(`${this.server.host}: ${(ctl.signal.reason as Error)?.message ?? 'timed out'}`, 'ETIMEDOUT');
      }
      throw err;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** Frees pooled sockets (watches are closed by their owners). */
  close(): void {
    void this.prepared?.then((p) => p.agent.destroy(), () => undefined);
  }
}

export function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(new KubeNetworkError('connection closed while reading the answer', 'ECONNRESET')));
  });
}

/** Turns a non-2xx answer into an error with the server's own message, as kubectl prints it. */
export function httpError(status: number, body: string, path: string): KubeHttpError {
  try {
    const st = JSON.parse(body) as { kind?: string; message?: string; reason?: string };
    if (st && st.kind === 'Status' && st.message) return new KubeHttpError(status, st.reason ?? '', st.message);
  } catch {
    // not a Status: fall through
  }
  const reason = http.STATUS_CODES[status] ?? 'Error';
  const text = body.trim().split('\n')[0]?.slice(0, 200);
  return new KubeHttpError(status, reason.replace(/ /g, ''), `${path}: ${status} ${reason}${text ? `: ${text}` : ''}`);
}

export function toNetworkError(err: Error, u: URL): Error {
  if (err instanceof KubeNetworkError || err instanceof KubeHttpError) return err;
  if (err.name === 'AbortError') return err;
  const code = (err as NodeJS.ErrnoException).code;
  const host = u.host;
  const what =
    code === 'ECONNREFUSED' ? `connection refused by ${host}`
    : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? `cannot resolve ${u.hostname}`
    : code === 'ECONNRESET' ? `connection to ${host} was reset`
    : code === 'ETIMEDOUT' ? `${host} did not answer in time`
    : code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN' || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || code === 'ERR_TLS_CERT_ALTNAME_INVALID'
      ? `TLS: cannot verify ${host}'s certificate (${code}); check certificate-authority in the kubeconfig`
    : `${host}: ${err.message}`;
  return new KubeNetworkError(what, code);
}
