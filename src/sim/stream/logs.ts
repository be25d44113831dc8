/**
 * pods/log: the container's log lines from the kubelet's buffers, with container, follow,
 * previous, tailLines, sinceSeconds, sinceTime, timestamps and limitBytes, and the apiserver's
 * and kubelet's error messages. Follow keeps the chunked response open, one write per line.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from '../context.js';
import { ApiError, badRequest, invalid } from '../errors.js';
import type { LogEntry } from '../runtime/types.js';
import type { KObj } from '../types.js';
import { containerStatus, getPod, resolveContainer } from './pods.js';
import { sendStatus } from './status.js';
import { queryBool } from '../api/query.js';

interface LogQuery {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceMs?: number;
  limitBytes?: number;
}

const bool = queryBool;

function intParam(url: URL, name: string, min: number): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${v}`);
  if (n < min) throw invalid('PodLogOptions', '', [{ field: name, message: `Invalid value: ${n}: must be greater than ${min === 0 ? 'or equal to 0' : 'than 0'}` }]);
  return n;
}

export function parseLogQuery(url: URL, pod: KObj): LogQuery {
  const container = resolveContainer(pod, url.searchParams.get('container'));
  const sinceSeconds = intParam(url, 'sinceSeconds', 1);
  const sinceTime = url.searchParams.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime) throw badRequest('at most one of `sinceTime` or `sinceSeconds` may be specified');
  let sinceMs: number | undefined;
  if (sinceSeconds !== undefined) sinceMs = Date.now() - sinceSeconds * 1000;
  if (sinceTime) {
    sinceMs = Date.parse(sinceTime);
    if (Number.isNaN(sinceMs)) throw badRequest(`invalid sinceTime: ${sinceTime}`);
  }
  return {
    container,
    follow: bool(url.searchParams.get('follow')),
    previous: bool(url.searchParams.get('previous')),
    timestamps: bool(url.searchParams.get('timestamps')),
    tailLines: intParam(url, 'tailLines', 0),
    sinceMs,
    limitBytes: intParam(url, 'limitBytes', 1),
  };
}

/** RFC3339Nano as the kubelet writes it (trailing zeros trimmed). */
export function rfc3339Nano(d: Date, seq: number): string {
  const iso = d.toISOString().slice(0, 23);
  const nanos = `${iso.slice(20)}${String((seq * 7919) % 1_000_000).padStart(6, '0')}`.replace(/0+$/, '');
  return `${iso.slice(0, 19)}${nanos ? `.${nanos}` : ''}Z`;
}

function waitingError(pod: KObj, container: string): ApiError | undefined {
  const st = containerStatus(pod, container);
  const w = st?.state?.waiting;
  if (!w) return undefined;
  const reason = w.reason === 'ImagePullBackOff' || w.reason === 'ErrImagePull' ? 'trying and failing to pull image' : w.reason ?? 'ContainerCreating';
  return badRequest(`container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${reason}`);
}

export async function serveLogs(ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL, ns: string, name: string): Promise<void> {
  let q: LogQuery;
  let pod: KObj;
  let entries: LogEntry[] | undefined;
  try {
    if (req.method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
    pod = getPod(ctx, ns, name);
    q = parseLogQuery(url, pod);
    const key = { namespace: ns, pod: name, container: q.container };
    if (!pod.spec?.nodeName) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end();
      return;
    }
    entries = ctx.runtime?.logs(key, q.previous);
    if (!entries) {
      if (q.previous) throw badRequest(`previous terminated container "${q.container}" in pod "${name}" not found`);
      const w = waitingError(pod, q.container);
      if (w) throw w;
      entries = [];
    }
  } catch (e) {
    sendStatus(res, e);
    return;
  }
  const key = { namespace: ns, pod: name, container: q.container };
  let list = entries;
  if (q.sinceMs !== undefined) list = list.filter((e) => e.time.getTime() >= q.sinceMs!);
  if (q.tailLines !== undefined) list = q.tailLines === 0 ? [] : list.slice(-q.tailLines);
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'X-Content-Type-Options': 'nosniff' });
  res.socket?.setNoDelay(true);
  let sent = 0;
  let seq = entries.length - list.length;
  let done = false;
  let unsubscribe = () => {};
  const finish = () => {
    if (done) return;
    done = true;
    unsubscribe();
    res.end();
  };
  /** Writes one line; false once limitBytes is reached. */
  const write = (e: LogEntry): boolean => {
    let text = `${q.timestamps ? `${rfc3339Nano(e.time, seq)} ` : ''}${e.line}\n`;
    seq++;
    if (q.limitBytes !== undefined) {
      const room = q.limitBytes - sent;
      if (room <= 0) return false;
      const buf = Buffer.from(text);
      if (buf.length > room) text = buf.subarray(0, room).toString('utf8');
    }
    sent += Buffer.byteLength(text);
    res.write(text);
    return q.limitBytes === undefined || sent < q.limitBytes;
  };
  for (const e of list) {
    if (!write(e)) return finish();
  }
  const running = !!containerStatus(pod, q.container)?.state?.running;
  if (!q.follow || q.previous || !running || !ctx.runtime) return finish();
  unsubscribe = ctx.runtime.follow(key, (e) => {
    if (done) return;
    if (e === null || !write(e)) finish();
  });
  res.on('close', () => {
    done = true;
    unsubscribe();
  });
}
