/**
 * HTTP and TCP probes as a real kubelet runs them, against the emulated servers of the pod's
 * containers (the app listens on its declared TCP ports — or, declaring none, on the probes'
 * ports): an HTTP status of 200–399 passes, anything else fails with kubelet's own text; a
 * port nothing listens on is "connection refused".
 */
import { request } from 'node:http';
import net from 'node:net';
import type { KObj } from '../types.js';
import type { PodServer } from './http-server.js';

export interface ProbeResult { ok: boolean; message: string }

/** A probe's port as a number: a name is looked up among the container's ports. */
export function probePort(port: unknown, container: KObj): number | undefined {
  if (typeof port === 'number') return port;
  if (typeof port === 'string' && /^\d+$/.test(port)) return Number(port);
  return ((container.ports ?? []) as KObj[]).find((p) => p.name === port)?.containerPort as number | undefined;
}

/** The numeric ports an HTTP or TCP probe of the container aims at (served when it declares none). */
export function probedPorts(container: KObj): number[] {
  const out: number[] = [];
  for (const p of [container.readinessProbe, container.livenessProbe, container.startupProbe] as Array<KObj | undefined>) {
    const port = probePort(p?.httpGet?.port ?? p?.tcpSocket?.port, container);
    if (port !== undefined) out.push(port);
  }
  return [...new Set(out)];
}

export function isNetProbe(p: KObj | undefined): boolean {
  return !!(p?.httpGet || p?.tcpSocket);
}

/** One run of an httpGet or tcpSocket probe; `servers` maps container ports to the emulated servers. */
export function runNetProbe(probe: KObj, container: KObj, podIP: string, servers: Map<number, PodServer>): Promise<ProbeResult> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  const port = probePort(probe.httpGet?.port ?? probe.tcpSocket?.port, container);
  const host = probe.httpGet?.host ?? podIP;
  const path = String(probe.httpGet?.path ?? '/');
  const scheme = String(probe.httpGet?.scheme ?? 'HTTP').toLowerCase();
  const refused = (what: string) => ({ ok: false, message: `${what}dial tcp ${host}:${port ?? probe.httpGet?.port ?? probe.tcpSocket?.port}: connect: connection refused` });
  const srv = port !== undefined ? servers.get(port) : undefined;
  if (probe.tcpSocket) {
    if (!srv) return Promise.resolve(refused(''));
    return new Promise((resolve) => {
      const s = net.connect(srv.port, '127.0.0.1');
      s.setTimeout(timeoutMs, () => { s.destroy(); resolve({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` }); });
      s.once('connect', () => { s.destroy(); resolve({ ok: true, message: '' }); });
      s.once('error', () => resolve(refused('')));
    });
  }
  const url = `${scheme}://${host}:${port}${path}`;
  if (!srv) return Promise.resolve(refused(`Get "${url}": `));
  return new Promise((resolve) => {
    const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32', Accept: '*/*' };
    for (const h of (probe.httpGet?.httpHeaders ?? []) as KObj[]) headers[h.name] = String(h.value);
    const req = request({ host: '127.0.0.1', port: srv.port, path, method: 'GET', headers, timeout: timeoutMs }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code >= 200 && code < 400 ? { ok: true, message: '' } : { ok: false, message: `HTTP probe failed with statuscode: ${code}` });
    });
    req.on('timeout', () => { req.destroy(); resolve({ ok: false, message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` }); });
    req.on('error', () => resolve(refused(`Get "${url}": `)));
    req.end();
  });
}
