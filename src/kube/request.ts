/**
 * A raw HTTPS client over a loaded kubeconfig: sends exactly the method, path, query, content
 * type and body it is given (the operations pipeline hashes these and must execute the very
 * bytes it previewed, so no generated client sits in between). Auth and TLS come from
 * the kubeconfig's applyToHTTPSOptions (credentials.ts).
 */
import https from 'node:https';
import http from 'node:http';
import type { LoadedKubeConfig } from './kubeconfig.js';

export interface RawRequest {
  method: string;
  /** Absolute API path, e.g. /apis/apps/v1/namespaces/default/deployments/web */
  path: string;
  /** Query parameters in the order they are sent. */
  query?: Array<[string, string]>;
  contentType?: string;
  /** The exact request body (already serialised). */
  body?: string;
}

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
  /** The parsed JSON body when the reply is JSON. */
  json?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function queryString(query: Array<[string, string]> | undefined): string {
  if (!query || query.length === 0) return '';
  return '?' + query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/** Credentials are re-read after this long (a rotated token file, an exec plugin's new token). */
const REPREPARE_MS = 60_000;

export class KubeRequester {
  readonly server: string;
  private prepared: Promise<https.RequestOptions & { at: number }> | undefined;
  constructor(readonly loaded: LoadedKubeConfig, private readonly timeoutMs = 30_000) {
    this.server = loaded.server.replace(/\/+$/, '');
  }

  /**
   * TLS and auth once, on a keep-alive agent shared by every request: a plan of 10,000 steps
   * must not pay 10,000 TLS handshakes (they were two thirds of `apply -f` of many documents).
   */
  private prepare(): Promise<https.RequestOptions & { at: number }> {
    const current = this.prepared;
    if (current) {
      void current.then((p) => { if (Date.now() - p.at > REPREPARE_MS && this.prepared === current) this.prepared = undefined; }, () => undefined);
      return current;
    }
    const p = (async () => {
      const opts: https.RequestOptions = {};
      await this.loaded.kc.applyToHTTPSOptions(opts, { keepAlive: true });
      return { ...opts, at: Date.now() };
    })();
    p.catch(() => { if (this.prepared === p) this.prepared = undefined; });
    this.prepared = p;
    return p;
  }

  async request(req: RawRequest): Promise<RawResponse> {
    const url = new URL(this.server + req.path + queryString(req.query));
    const { at: _at, headers: authHeaders, ...tls } = await this.prepare();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(authHeaders ?? {})) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
    const opts: https.RequestOptions = {
      ...tls,
      method: req.method,
      hostname: url.hostname,
      port: url.port || (url.protocol === 'https:' ? 443 : 80),
      path: url.pathname + url.search,
    };
    headers.Accept = 'application/json';
    if (req.body !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(req.body));
    }
    opts.headers = headers;
    const mod = url.protocol === 'http:' ? http : https;
    return this.send(mod, opts, req, true);
  }

  /**
   * A kept-alive socket the server closed while idle fails the next request with ECONNRESET
   * before any byte of it was read (the server answers what it has read): that one request is
   * sent again, once, on a fresh socket — it never reached the server, so nothing runs twice.
   */
  private send(mod: typeof https | typeof http, opts: https.RequestOptions, req: RawRequest, retry: boolean): Promise<RawResponse> {
    return new Promise<RawResponse>((resolve, reject) => {
      let answered = false;
      const r = mod.request(opts, (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const contentType = String(res.headers['content-type'] ?? '');
          let json: unknown;
          if (text && (contentType.includes('json') || /^\s*[{[]/.test(text))) {
            try { json = JSON.parse(text); } catch { /* not JSON after all */ }
          }
          resolve({ status: res.statusCode ?? 0, contentType, text, json });
        });
      });
      r.setTimeout(this.timeoutMs, () => r.destroy(new Error(`request to ${this.server} timed out after ${this.timeoutMs} ms`)));
      r.on('error', (err: NodeJS.ErrnoException) => {
        if (retry && !answered && r.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) resolve(this.send(mod, opts, req, false));
        else reject(err);
      });
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });
  }

  /** GET returning the parsed object, or undefined on 404; throws KubeError otherwise. */
  async getJson(path: string, query?: Array<[string, string]>): Promise<any | undefined> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const res = await this.request({ method: 'GET', path, query });
    if (res.status === 404) return undefined;
    if (res.status >= 400) throw KubeError.from(res);
    return res.json;
  }
}

/** An API error carrying the server's Status message exactly. */
export class KubeError extends Error {
  constructor(message: string, readonly status: number, readonly reason?: string, readonly body?: unknown) { super(message); }
  static from(res: RawResponse): KubeError {
    const st = res.json;
    const message = st && typeof st.message === 'string' ? st.message : (res.text.trim() || `HTTP ${res.status}`);
    return new KubeError(message, res.status, st?.reason, st);
  }
}
