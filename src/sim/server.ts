/**
 * The embedded cluster's HTTPS front door: bearer-token authentication, the request log,
 * discovery and OpenAPI documents, the REST handlers, then the plugins (logs, exec,
 * port-forward, metrics), then 404. Every handler is wrapped: a bad request gets a Status,
 * never a crash.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError } from './errors.js';
import type { SimPlugin } from './plugin.js';
import type { Discovery } from './api/discovery.js';
import { OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_REPLY } from './api/openapi-v2.js';
import { VERSION_INFO } from './api/discovery.js';
import type { RestHandler } from './api/rest.js';
import { readBody, sendError, sendJson } from './api/http.js';
import { ADMIN_USER, VIEWER_USER, setRequestUser, type SimUser } from './api/authz.js';

export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  contentType: string;
  /** The request body as text (protobuf bodies as latin1: Buffer.from(body, 'latin1') gives the bytes). */
  body: string;
  /** HTTP status; 0 until the response is sent (watches: while streaming). */
  status: number;
}

export interface ServerDeps {
  certPem: string;
  keyPem: string;
  token: string;
  /** A second bearer token for the read-only user (see api/authz.ts); none → only the admin token works. */
  viewerToken?: string;
  /** Throws 403 when the authenticated user may not make this request. */
  authorize?: (user: SimUser, req: IncomingMessage, url: URL) => void;
  /** Impersonation headers (--as / --as-group): the user the request runs as, or a 403. */
  impersonate?: (user: SimUser, req: IncomingMessage) => SimUser;
  discovery: Discovery;
  rest: RestHandler;
  plugins: () => SimPlugin[];
  requestLog: RequestLogEntry[];
  requestLogLimit?: number;
  /** What /version answers (default VERSION_INFO). */
  versionInfo?: typeof VERSION_INFO;
  log(message: string): void;
}

const MAX_LOG_BYTES = 64 * 1024 * 1024;
const PUBLIC = new Set(['/version', '/healthz', '/livez', '/readyz']);
const notFoundStatus = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource');

function authenticate(req: IncomingMessage, deps: ServerDeps): SimUser | undefined {
  const h = String(req.headers.authorization ?? '');
  if (h === `Bearer ${deps.token}`) return ADMIN_USER;
  if (deps.viewerToken && h === `Bearer ${deps.viewerToken}`) return VIEWER_USER;
  return undefined;
}

/** Authenticates and authorizes; the error to answer with, or undefined to go on. */
function admit(req: IncomingMessage, url: URL, deps: ServerDeps): ApiError | undefined {
  const authenticated = authenticate(req, deps);
  if (!authenticated) return unauthorized();
  try {
    const user = deps.impersonate ? deps.impersonate(authenticated, req) : authenticated;
    setRequestUser(req, user);
    deps.authorize?.(user, req, url);
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  return undefined;
}

const unauthorized = () => new ApiError(401, 'Unauthorized', 'Unauthorized');

export function createSimServer(deps: ServerDeps): https.Server {
  const limit = deps.requestLogLimit ?? 5000;
  let logBytes = 0;
  let logLength = 0;
  const server = https.createServer({ cert: deps.certPem, key: deps.keyPem, noDelay: true, keepAlive: true });

  const record = (req: IncomingMessage, url: URL, body: string, res: ServerResponse): RequestLogEntry => {
    const entry: RequestLogEntry = {
      method: req.method ?? 'GET', path: url.pathname, query: url.search.replace(/^\?/, ''),
      contentType: String(req.headers['content-type'] ?? ''), body, status: 0,
    };
    const log = deps.requestLog;
    // Tests may clear or trim the log: recount its bytes when it changed behind our back.
    if (log.length !== logLength) logBytes = log.reduce((n, e) => n + e.body.length, 0);
    log.push(entry);
    logBytes += body.length;
    // Bounded by count and by body bytes (a burst of 3 MiB bodies must not hold gigabytes).
    let drop = 0;
    while (drop < log.length - 1 && (log.length - drop > limit || logBytes > MAX_LOG_BYTES)) logBytes -= log[drop++]!.body.length;
    if (drop) log.splice(0, drop);
    logLength = log.length;
    const done = () => {
      entry.status ||= res.statusCode;
    };
    res.on('finish', done);
    res.on('close', done);
    return entry;
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res).catch((err) => {
      try {
        sendError(res, err);
      } catch {
        res.destroy();
      }
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'https://127.0.0.1');
    } catch {
      return sendError(res, new ApiError(400, 'BadRequest', 'malformed request URL'));
    }
    const path = url.pathname.replace(/\/+$/, '') || '/';
    let body = '';
    let bodyErr: unknown;
    const streaming = /\/(exec|attach|portforward|proxy)(\/|$)/.test(path) || req.headers.upgrade;
    if (!streaming && req.method !== 'GET' && req.method !== 'HEAD') {
      try {
        body = await readBody(req);
      } catch (e) {
        bodyErr = e;
      }
    }
    record(req, url, body, res);
    if (!PUBLIC.has(path)) {
      const denied = admit(req, url, deps);
      if (denied) return sendError(res, denied);
    }
    if (bodyErr) return sendError(res, bodyErr);
    try {
      if (req.method === 'GET' && serveDiscovery(path, req, res)) return;
      if (path.startsWith('/api/') || path.startsWith('/apis/')) {
        if (deps.rest.handle(req, res, url, body)) return;
      }
      for (const p of deps.plugins()) {
        if (p.http && (await p.http(req, res, url))) return;
      }
      sendError(res, notFoundStatus());
    } catch (e) {
      if (!(e instanceof ApiError)) deps.log(`sim: ${req.method} ${url.pathname}: ${(e as Error)?.stack ?? String(e)}`);
      sendError(res, e);
    }
  }

  function serveDiscovery(path: string, req: IncomingMessage, res: ServerResponse): boolean {
    const d = deps.discovery;
    if (path === '/version') return sendJson(res, 200, deps.versionInfo ?? VERSION_INFO), true;
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return true;
    }
    if (path === '/api') {
      const host = String(req.headers.host ?? '127.0.0.1');
      return sendJson(res, 200, d.apiVersions(host)), true;
    }
    if (path === '/apis') return sendJson(res, 200, d.apiGroupList()), true;
    if (path === '/openapi/v2') {
      // kubectl asks for protobuf; browsers and other clients get the JSON document.
      const doc = d.openapiV2.get((deps.versionInfo ?? VERSION_INFO).gitVersion);
      const accept = String(req.headers.accept ?? '');
      const pb = accept.includes(OPENAPI_V2_PROTOBUF) || accept.includes(OPENAPI_V2_PROTOBUF_REPLY);
      const body = pb ? doc.pb : Buffer.from(doc.json);
      res.writeHead(200, { 'Content-Type': pb ? OPENAPI_V2_PROTOBUF_REPLY : 'application/json', 'Content-Length': body.length, 'Cache-Control': 'no-cache, private' });
      res.end(body);
      return true;
    }
    if (path === '/openapi/v3') return sendJson(res, 200, d.openapiRoot()), true;
    let m = /^\/openapi\/v3\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (m) {
      const doc = m[1] ? d.openapiGroupVersion('', m[1]) : d.openapiGroupVersion(m[2]!, m[3]!);
      if (!doc) return sendError(res, notFoundStatus()), true;
      sendJson(res, 200, doc);
      return true;
    }
    m = /^\/api\/([^/]+)$/.exec(path);
    if (m) {
      const doc = d.resourceList('', m[1]!);
      return doc ? sendJson(res, 200, doc) : sendError(res, notFoundStatus()), true;
    }
    m = /^\/apis\/([^/]+)$/.exec(path);
    if (m) {
      const doc = d.apiGroup(m[1]!);
      return doc ? sendJson(res, 200, doc) : sendError(res, notFoundStatus()), true;
    }
    m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
    if (m) {
      const doc = d.resourceList(m[1]!, m[2]!);
      if (doc) return sendJson(res, 200, doc), true;
      // Unknown to us: a plugin may serve it (it also lists it in its discovery groups).
      return false;
    }
    return false;
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      deps.requestLog.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search.replace(/^\?/, ''), contentType: String(req.headers['content-type'] ?? ''), body: '', status: 101 });
      const denied = admit(req, url, deps);
      if (denied) {
        const s = JSON.stringify(denied.toStatus());
        const line = denied.code === 403 ? '403 Forbidden' : '401 Unauthorized';
        socket.end(`HTTP/1.1 ${line}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(s)}\r\nConnection: close\r\n\r\n${s}`);
        return;
      }
      for (const p of deps.plugins()) {
        if (p.upgrade && p.upgrade(req, socket, head, url)) return;
      }
      const s = JSON.stringify(notFoundStatus().toStatus());
      socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(s)}\r\nConnection: close\r\n\r\n${s}`);
    } catch (e) {
      deps.log(`sim: upgrade: ${(e as Error).message}`);
      socket.destroy();
    }
  });
  server.on('clientError', (_err, socket) => {
    try {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    } catch {
      socket.destroy();
    }
  });
  return server;
}
