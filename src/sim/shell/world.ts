/**
 * Builds the small believable world of one container: its files (OS, app config, mounted
 * ConfigMaps/Secrets, service-account token, /proc), its resolved environment, its processes,
 * and network access to cluster services through the pods' real loopback servers.
 * One world per container instance, so files written in one exec are there in the next.
 */
import http from 'node:http';
import type { SimContext } from '../context.js';
import type { KObj } from '../types.js';
import { profileFor } from './images.js';
import type { HttpResult, Proc, ShellWorld } from './types.js';
import { Vfs } from './vfs.js';
import { networkAllows } from '../network-policy.js';
import { COMMANDS } from './commands/index.js';

const GR = {
  pods: { group: '', resource: 'pods' },
  services: { group: '', resource: 'services' },
  endpoints: { group: '', resource: 'endpoints' },
  configmaps: { group: '', resource: 'configmaps' },
  secrets: { group: '', resource: 'secrets' },
  nodes: { group: '', resource: 'nodes' },
};

const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** A ClusterIP for services that have none recorded (stable per name). */
function fallbackIp(seed: string, prefix = '10.96'): string {
  let h = 0;
  for (const c of seed) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  return `${prefix}.${(h >> 8) & 0xff}.${(h & 0xff) || 1}`;
}

export const serviceIp = (svc: KObj): string => {
  const ip = svc.spec?.clusterIP;
  return ip && ip !== 'None' ? ip : fallbackIp(`${svc.metadata.namespace}/${svc.metadata.name}`);
};

function parseQuantityBytes(q: string | undefined): number | undefined {
  if (!q) return undefined;
  const m = /^(\d+(?:\.\d+)?)([EPTGMK]i?|[kmu]?)$/.exec(String(q));
  if (!m) return undefined;
  const mult: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, m: 1e-3 };
  return Number(m[1]) * (mult[m[2]!] ?? 1);
}

/** The environment the kubelet gives the container (service links, env, envFrom, downward API). */
export function containerEnv(ctx: SimContext, pod: KObj, container: KObj, profile = profileFor(container.image ?? '')): Record<string, string> {
  const ns = pod.metadata.namespace!;
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOSTNAME: pod.spec?.hostname ?? pod.metadata.name!,
    ...profile.env,
  };
  const k8s = ctx.api.get(GR.services, 'default', 'kubernetes');
  const kIp = k8s ? serviceIp(k8s) : '10.96.0.1';
  if (pod.spec?.enableServiceLinks !== false) {
    for (const svc of ctx.api.list(GR.services, ns)) {
      if (svc.spec?.clusterIP === 'None') continue;
      const n = svc.metadata.name!.toUpperCase().replace(/-/g, '_');
      const ip = serviceIp(svc);
      const ports: KObj[] = svc.spec?.ports ?? [];
      if (!ports.length) continue;
      env[`${n}_SERVICE_HOST`] = ip;
      env[`${n}_SERVICE_PORT`] = String(ports[0]!.port);
      env[`${n}_PORT`] = `${(ports[0]!.protocol ?? 'TCP').toLowerCase()}://${ip}:${ports[0]!.port}`;
      for (const p of ports) {
        const proto = (p.protocol ?? 'TCP') as string;
        const base = `${n}_PORT_${p.port}_${proto}`;
        if (p.name) env[`${n}_SERVICE_PORT_${String(p.name).toUpperCase().replace(/-/g, '_')}`] = String(p.port);
        env[base] = `${proto.toLowerCase()}://${ip}:${p.port}`;
        env[`${base}_PROTO`] = proto.toLowerCase();
        env[`${base}_PORT`] = String(p.port);
        env[`${base}_ADDR`] = ip;
      }
    }
  }
  Object.assign(env, {
    KUBERNETES_SERVICE_HOST: kIp, KUBERNETES_SERVICE_PORT: '443', KUBERNETES_SERVICE_PORT_HTTPS: '443',
    KUBERNETES_PORT: `tcp://${kIp}:443`, KUBERNETES_PORT_443_TCP: `tcp://${kIp}:443`,
    KUBERNETES_PORT_443_TCP_PROTO: 'tcp', KUBERNETES_PORT_443_TCP_PORT: '443', KUBERNETES_PORT_443_TCP_ADDR: kIp,
  });
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = ctx.api.get(GR.configmaps, ns, from.configMapRef.name);
      for (const [k, v] of Object.entries(cm?.data ?? {})) env[prefix + k] = String(v);
    }
    if (from.secretRef) {
      const s = ctx.api.get(GR.secrets, ns, from.secretRef.name);
      for (const [k, v] of Object.entries(s?.data ?? {})) env[prefix + k] = b64(String(v));
      for (const [k, v] of Object.entries(s?.stringData ?? {})) env[prefix + k] = String(v);
    }
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) {
      env[e.name] = String(e.value).replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, k) => env[k] ?? m);
      continue;
    }
    const vf = e.valueFrom ?? {};
    if (vf.configMapKeyRef) {
      const cm = ctx.api.get(GR.configmaps, ns, vf.configMapKeyRef.name);
      const v = cm?.data?.[vf.configMapKeyRef.key];
      if (v !== undefined) env[e.name] = String(v);
    } else if (vf.secretKeyRef) {
      const s = ctx.api.get(GR.secrets, ns, vf.secretKeyRef.name);
      const v = s?.data?.[vf.secretKeyRef.key];
      if (v !== undefined) env[e.name] = b64(String(v));
      else if (s?.stringData?.[vf.secretKeyRef.key] !== undefined) env[e.name] = String(s.stringData[vf.secretKeyRef.key]);
    } else if (vf.fieldRef) {
      const path: string = vf.fieldRef.fieldPath;
      const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
      const v = m ? pod.metadata[m[1] as 'labels' | 'annotations']?.[m[2]!]
        : path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], pod);
      if (v !== undefined) env[e.name] = String(v);
    } else if (vf.resourceFieldRef) {
      const [kind, res] = String(vf.resourceFieldRef.resource).split('.');
      const q = container.resources?.[kind!]?.[res!];
      const n = res === 'cpu' ? Math.ceil(parseQuantityBytes(q) ?? 4) : parseQuantityBytes(q) ?? 16 * 1024 ** 3;
      env[e.name] = String(Math.round(n));
    }
  }
  return env;
}

/** Files of mounted volumes: ConfigMap/Secret keys as files, emptyDir/PVC as directories. */
function mountVolumes(ctx: SimContext, vfs: Vfs, pod: KObj, container: KObj, mounts: string[]): void {
  const ns = pod.metadata.namespace!;
  const vols = new Map<string, KObj>((pod.spec?.volumes ?? []).map((v: KObj) => [v.name, v]));
  for (const m of container.volumeMounts ?? []) {
    const v = vols.get(m.name);
    const at: string = m.mountPath;
    vfs.mkdirp(at);
    mounts.push(at);
    if (!v) continue;
    const writeKeys = (data: Record<string, string>, items: KObj[] | undefined, decode: boolean) => {
      const val = (k: string) => (decode ? b64(data[k]!) : data[k]!);
      if (m.subPath) {
        if (data[m.subPath] !== undefined) {
          vfs.remove(at, true);
          vfs.put(at, val(m.subPath));
        }
        return;
      }
      const ts = '..2024_11_21_09_00_00.000000001';
      if (items?.length) for (const it of items) { if (data[it.key] !== undefined) vfs.put(`${at}/${it.path}`, val(it.key)); }
      else for (const k of Object.keys(data)) {
        vfs.put(`${at}/${ts}/${k}`, val(k));
        vfs.symlink(`${at}/..data`, ts);
        vfs.symlink(`${at}/${k}`, `..data/${k}`);
      }
    };
    if (v.configMap) {
      const cm = ctx.api.get(GR.configmaps, ns, v.configMap.name);
      writeKeys(cm?.data ?? {}, v.configMap.items, false);
    } else if (v.secret) {
      const s = ctx.api.get(GR.secrets, ns, v.secret.secretName);
      writeKeys(s?.data ?? {}, v.secret.items, true);
    } else if (v.persistentVolumeClaim) {
      vfs.mkdirp(`${at}/lost+found`);
    } else if (v.downwardAPI) {
      for (const it of v.downwardAPI.items ?? []) {
        const path = it.fieldRef?.fieldPath as string | undefined;
        if (path === 'metadata.labels') vfs.put(`${at}/${it.path}`, Object.entries(pod.metadata.labels ?? {}).map(([k, x]) => `${k}="${x}"`).join('\n'));
        else if (path) vfs.put(`${at}/${it.path}`, String(path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], pod) ?? ''));
      }
    }
  }
}

export interface WorldHooks {
  /** Stops PID 1 (the container's command) when it runs in the emulated shell. */
  killMain?(signal: string): boolean;
  /** argv of PID 1 as it really runs. */
  mainArgv?: string[];
}

const NETPOL = { group: 'networking.k8s.io', resource: 'networkpolicies' };

/** Waits out a connection nobody answers; rejects with ETIMEDOUT (or when the command is interrupted). */
function dropped(signal: AbortSignal, ms: number): Promise<never> {
  return new Promise((_, reject) => {
    const t = setTimeout(() => reject(Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' })), ms);
    signal.addEventListener('abort', () => { clearTimeout(t); reject(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' })); }, { once: true });
  });
}

export function buildWorld(ctx: SimContext, pod: KObj, containerName: string, hooks: WorldHooks = {}): ShellWorld {
  const ns = pod.metadata.namespace!;
  const podName = pod.metadata.name!;
  const container: KObj = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c: KObj) => c.name === containerName) ?? { name: containerName };
  const profile = profileFor(container.image ?? '');
  const hostname = pod.spec?.hostname ?? podName;
  const podIP: string = pod.status?.podIP ?? fallbackIp(`${ns}/${podName}`, '10.244');
  const vfs = new Vfs();
  const startedAt = Date.parse(pod.status?.containerStatuses?.find((s: KObj) => s.name === containerName)?.state?.running?.startedAt ?? '') || Date.now();
  const env = containerEnv(ctx, pod, container, profile);
  const alpine = profile.flavor === 'busybox';

  for (const d of ['/bin', '/dev', '/etc', '/home', '/lib', '/media', '/mnt', '/opt', '/proc', '/root', '/run', '/sbin', '/srv', '/sys', '/tmp', '/usr/bin', '/usr/lib', '/usr/local/bin', '/usr/sbin', '/usr/share', '/var/cache', '/var/lib', '/var/log', '/var/run', '/var/tmp']) vfs.mkdirp(d);
  for (const name of COMMANDS.keys()) {
    if (!/^[a-z]/.test(name)) continue;
    vfs.put(`/bin/${name}`, '\x7fELF', 0o755);
    vfs.put(`/usr/bin/${name}`, '\x7fELF', 0o755);
  }
  for (const name of profile.commands ?? []) vfs.put(`/usr/bin/${name}`, '\x7fELF', 0o755);
  vfs.put('/dev/null', '');
  vfs.put('/etc/os-release', profile.osRelease);
  vfs.put('/etc/hostname', `${hostname}\n`);
  vfs.put('/etc/hosts', `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${podIP}\t${hostname}\n`);
  vfs.put('/etc/resolv.conf', `search ${ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`);
  vfs.put('/etc/passwd', alpine
    ? 'root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\ndaemon:x:2:2:daemon:/sbin:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n'
    : 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n');
  vfs.put('/etc/group', 'root:x:0:\nbin:x:1:\ndaemon:x:2:\nnogroup:x:65534:\n');
  const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
  if (pod.spec?.automountServiceAccountToken !== false) {
    vfs.put(`${sa}/namespace`, ns);
    vfs.put(`${sa}/ca.crt`, '-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIYmFkY2FmZWJhZGNhZmUwDQYJKoZIhvcNAQELBQAwFTET\n-----END CERTIFICATE-----\n');
    vfs.put(`${sa}/token`, `eyJhbGciOiJSUzI1NiIsImtpZCI6InNpbSJ9.${Buffer.from(JSON.stringify({ sub: `system:serviceaccount:${ns}:${pod.spec?.serviceAccountName ?? 'default'}` })).toString('base64url')}.c2ln`);
  }
  const mainArgv = hooks.mainArgv ?? [...(container.command ?? profile.entrypoint), ...(container.args ?? [])];
  vfs.put('/proc/1/cmdline', `${mainArgv.join('\0')}\0`);
  vfs.put('/proc/1/comm', `${(mainArgv[0] ?? 'sh').replace(/^.*\//, '')}\n`);
  vfs.put('/proc/version', 'Linux version 5.15.0-1057-gke (builder@kernel) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0, GNU ld (GNU Binutils for Ubuntu) 2.38) #1 SMP Thu Oct 10 06:32:51 UTC 2024\n');
  vfs.put('/proc/uptime', () => `${((Date.now() - startedAt) / 1000 + 86_400).toFixed(2)} ${((Date.now() - startedAt) / 250).toFixed(2)}\n`);
  vfs.put('/proc/cpuinfo', Array.from({ length: 4 }, (_, i) => `processor\t: ${i}\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\ncpu MHz\t\t: 2200.000\ncache size\t: 56320 KB\n`).join('\n'));
  const mounts: string[] = [];
  mountVolumes(ctx, vfs, pod, container, mounts);
  vfs.put('/proc/mounts', ['overlay / overlay rw,relatime 0 0', 'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0', 'tmpfs /dev tmpfs rw,nosuid,size=65536k,mode=755 0 0', 'shm /dev/shm tmpfs rw,nosuid,nodev,noexec,relatime,size=65536k 0 0', ...mounts.map((m) => `tmpfs ${m} tmpfs ro,relatime 0 0`), `tmpfs ${sa} tmpfs ro,relatime 0 0`].join('\n') + '\n');
  profile.files(vfs);
  vfs.put('/var/log/dpkg.log', alpine ? '' : '2024-11-12 08:14:02 startup archives unpack\n2024-11-12 08:14:03 install ca-certificates:all <none> 20230311\n');
  if (alpine) vfs.put('/var/log/apk.log', '');

  const memory = () => {
    const node = pod.spec?.nodeName ? ctx.api.get(GR.nodes, undefined, pod.spec.nodeName) : undefined;
    const total = (parseQuantityBytes(node?.status?.capacity?.memory) ?? 16 * 1024 ** 3) / 1024;
    const mine = (ctx.runtime?.usage({ namespace: ns, pod: podName, container: containerName })?.memoryBytes ?? 48 << 20) / 1024;
    const limit = parseQuantityBytes(container.resources?.limits?.memory);
    return { totalKb: Math.round(total), usedKb: Math.round(total * 0.28 + mine), limitKb: limit ? Math.round(limit / 1024) : undefined };
  };

  let nextPid = 7 + profile.extraProcs.length;
  const execProcs = new Map<number, Proc & { abort?: () => void }>();
  const rss = () => Math.round((ctx.runtime?.usage({ namespace: ns, pod: podName, container: containerName })?.memoryBytes ?? 24 << 20) / 1024);

  /** Cluster DNS: service names in this or another namespace, pod IPs, service IPs, localhost. */
  const target = (host: string, port: number): { ns: string; pod: string; port: number } | 'refused' | undefined => {
    const h = host.toLowerCase().replace(/\.$/, '');
    if (h === 'localhost' || h === '127.0.0.1' || h === hostname || h === podIP) return { ns, pod: podName, port };
    for (const p of ctx.api.list(GR.pods)) if (p.status?.podIP === h) return { ns: p.metadata.namespace!, pod: p.metadata.name!, port };
    const svc = findService(h);
    if (!svc) return undefined;
    const sp: KObj | undefined = (svc.spec?.ports ?? []).find((p: KObj) => p.port === port) ?? (svc.spec?.clusterIP === 'None' ? { port, targetPort: port } : undefined);
    if (!sp) return 'refused';
    const eps = ctx.api.get(GR.endpoints, svc.metadata.namespace, svc.metadata.name!);
    const addrs: KObj[] = (eps?.subsets ?? []).flatMap((s: KObj) => s.addresses ?? []);
    const ready = addrs.map((a) => a.targetRef?.name).filter(Boolean) as string[];
    if (!ready.length) return 'refused';
    const podN = ready[Math.floor(Math.random() * ready.length)]!;
    let tp = sp.targetPort ?? sp.port;
    if (typeof tp === 'string') {
      const pd = ctx.api.get(GR.pods, svc.metadata.namespace, podN);
      tp = (pd?.spec?.containers ?? []).flatMap((c: KObj) => c.ports ?? []).find((p: KObj) => p.name === tp)?.containerPort ?? sp.port;
    }
    return { ns: svc.metadata.namespace!, pod: podN, port: Number(tp) };
  };
  const findService = (h: string): KObj | undefined => {
    const parts = h.split('.');
    if (/^\d+\.\d+\.\d+\.\d+$/.test(h)) return ctx.api.list(GR.services).find((s) => serviceIp(s) === h);
    if (parts.length === 1) return ctx.api.get(GR.services, ns, parts[0]!);
    if (parts.length === 2 || (parts[2] === 'svc' && (parts.length === 3 || parts.slice(3).join('.') === 'cluster.local'))) {
      return ctx.api.get(GR.services, parts[1]!, parts[0]!);
    }
    return undefined;
  };

  return {
    flavor: profile.flavor, imageCommands: profile.commands ?? [], hostname, podIP, vfs, env, clock: ctx.clock, startedAt,
    processes() {
      const main = mainArgv.join(' ') || 'sh';
      const procs: Proc[] = [{ pid: 1, user: 'root', cmd: profile.entrypoint[0] === 'nginx' && !container.command ? 'nginx: master process nginx -g daemon off;' : main, startedAt, rssKb: rss() }];
      profile.extraProcs.forEach((cmd, i) => procs.push({ pid: 7 + i, user: /nginx/.test(cmd) ? (alpine ? 'nginx' : '101') : 'root', cmd, startedAt, rssKb: 2048 }));
      for (const p of execProcs.values()) procs.push(p);
      return procs.sort((a, b) => a.pid - b.pid);
    },
    spawnProc(cmd, abort?: () => void) {
      const pid = ++nextPid;
      execProcs.set(pid, { pid, user: 'root', cmd, startedAt: Date.now(), rssKb: 1600, abort });
      return { pid, done: () => execProcs.delete(pid) };
    },
    memory,
    lookup(host) {
      const h = host.toLowerCase();
      if (h === 'localhost') return { ip: '127.0.0.1', fqdn: 'localhost' };
      if (/^\d+\.\d+\.\d+\.\d+$/.test(h)) return { ip: h, fqdn: h };
      if (h === hostname) return { ip: podIP, fqdn: hostname };
      const svc = findService(h);
      if (!svc) return undefined;
      return { ip: serviceIp(svc), fqdn: `${svc.metadata.name}.${svc.metadata.namespace}.svc.cluster.local` };
    },
    async fetch(url, init) {
      const u = new URL(url);
      const port = Number(u.port || 80);
      const t = target(u.hostname, port);
      const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      if (!t || t === 'refused') throw refused();
      if (t.pod !== podName || t.ns !== ns) {
        const dst = ctx.api.get(GR.pods, t.ns, t.pod);
        const nsLabels = (n: string) => ctx.api.get({ group: '', resource: 'namespaces' }, undefined, n)?.metadata.labels;
        const verdict = dst ? networkAllows(ctx.api.list(NETPOL), { pod: ctx.api.get(GR.pods, ns, podName) ?? pod, namespaceLabels: nsLabels(ns) }, { pod: dst, namespaceLabels: nsLabels(t.ns) }, t.port) : { ok: true as const };
        // A dropped SYN is never answered: the client waits for its own timeout, as on a real cluster.
        if (!verdict.ok) await dropped(init.signal, init.connectTimeoutMs ?? 130_000 / ctx.clock.timeScale);
      }
      const local = ctx.runtime?.portFor(t.ns, t.pod, t.port);
      if (local === undefined) throw refused();
      return new Promise<HttpResult>((resolve, reject) => {
        const req = http.request({
          host: '127.0.0.1', port: local, method: init.method, path: `${u.pathname}${u.search}`,
          headers: { Host: u.host, ...init.headers }, signal: init.signal, agent: false,
        }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (let i = 0; i < res.rawHeaders.length; i += 2) headers[res.rawHeaders[i]!] = res.rawHeaders[i + 1]!;
            resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers, body: Buffer.concat(chunks), httpVersion: res.httpVersion });
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(init.body);
      });
    },
    kill(pid, signal) {
      if (pid === 1) return hooks.killMain?.(signal) ?? false;
      const p = execProcs.get(pid);
      if (!p) return profile.extraProcs.length > 0 && pid >= 7 && pid < 7 + profile.extraProcs.length;
      p.abort?.();
      return true;
    },
  };
}
