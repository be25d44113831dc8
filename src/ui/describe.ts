/**
 * `kubectl describe`-like text built from the cached object and its events. Plain text: the
 * detail pane sanitises every line before it reaches the screen.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../kube/types.js';
import { age } from './columns/format.js';
import { eventLastSeen } from './columns/core.js';
import { podSummary } from './columns/pods.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const W = 20;
const field = (name: string, value: unknown, indent = '') => `${indent}${(name + ':').padEnd(W - indent.length)}${value === undefined || value === null || value === '' ? '<none>' : String(value)}`;

function mapLines(name: string, m: Record<string, string> | undefined, indent = ''): string[] {
  const entries = Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  if (entries.length === 0) return [field(name, '<none>', indent)];
  return entries.map(([k, v], i) => (i === 0 ? field(name, `${k}=${v}`, indent) : ' '.repeat(W) + `${k}=${v}`));
}

function block(title: string, value: unknown, indent = ''): string[] {
  if (value === undefined || value === null) return [];
  const text = stringify(value, { lineWidth: 0 }).trimEnd();
  return [`${indent}${title}:`, ...text.split('\n').map((l) => `${indent}  ${l}`)];
}

function containerLines(c: Any, st: Any): string[] {
  const out = [`  ${c.name}:`];
  out.push(field('Image', c.image, '    '));
  const ports = (c.ports ?? []).map((p: Any) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
  out.push(field('Port', ports || '<none>', '    '));
  if (c.command) out.push(field('Command', c.command.join(' '), '    '));
  if (c.args) out.push(field('Args', c.args.join(' '), '    '));
  const state = (s: Any, label: string) => {
    if (!s) return;
    if (s.running) out.push(field(label, 'Running', '    '), field('Started', s.running.startedAt, '      '));
    else if (s.waiting) out.push(field(label, 'Waiting', '    '), field('Reason', s.waiting.reason, '      '), ...(s.waiting.message ? [field('Message', s.waiting.message, '      ')] : []));
    else if (s.terminated) out.push(field(label, 'Terminated', '    '), field('Reason', s.terminated.reason, '      '), field('Exit Code', s.terminated.exitCode, '      '), ...(s.terminated.message ? [field('Message', s.terminated.message, '      ')] : []));
  };
  state(st?.state, 'State');
  if (st?.lastState && Object.keys(st.lastState).length) state(st.lastState, 'Last State');
  out.push(field('Ready', st ? (st.ready ? 'True' : 'False') : 'False', '    '));
  out.push(field('Restart Count', st?.restartCount ?? 0, '    '));
  if (c.resources?.limits) out.push('    Limits:', ...Object.entries(c.resources.limits).map(([k, v]) => `      ${k}: ${v}`));
  if (c.resources?.requests) out.push('    Requests:', ...Object.entries(c.resources.requests).map(([k, v]) => `      ${k}: ${v}`));
  if (c.readinessProbe) out.push(field('Readiness', probe(c.readinessProbe), '    '));
  if (c.livenessProbe) out.push(field('Liveness', probe(c.livenessProbe), '    '));
  if (c.env?.length) out.push('    Environment:', ...c.env.map((e: Any) => `      ${e.name}: ${e.value ?? (e.valueFrom ? '<set from a reference>' : '')}`));
  return out;
}

function probe(p: Any): string {
  const what = p.httpGet ? `http-get ${p.httpGet.scheme === 'HTTPS' ? 'https' : 'http'}://:${p.httpGet.port}${p.httpGet.path ?? '/'}` : p.tcpSocket ? `tcp-socket :${p.tcpSocket.port}` : p.exec ? `exec [${(p.exec.command ?? []).join(' ')}]` : 'probe';
  return `${what} delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
}

function conditions(conds: Any[] | undefined, cols: string[] = ['Type', 'Status']): string[] {
  if (!conds?.length) return [];
  const rows = conds.map((c) => cols.map((k) => String(c[k.charAt(0).toLowerCase() + k.slice(1)] ?? '')));
  const widths = cols.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => '  ' + r.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return ['Conditions:', line(cols), line(cols.map((h) => '-'.repeat(h.length))), ...rows.map(line)];
}

export function eventsFor(obj: KubeObject, events: Iterable<KubeObject>): KubeObject[] {
  const out: KubeObject[] = [];
  for (const e of events) {
    const io = e.involvedObject ?? e.regarding ?? {};
    if (obj.metadata.uid && io.uid) {
      if (io.uid === obj.metadata.uid) out.push(e);
    } else if (io.name === obj.metadata.name && io.kind === obj.kind && (io.namespace ?? '') === (obj.metadata.namespace ?? '')) out.push(e);
  }
  return out.sort((a, b) => eventLastSeen(a) - eventLastSeen(b));
}

function eventLines(evs: KubeObject[], now: number): string[] {
  if (evs.length === 0) return ['Events:            <none>'];
  const rows = evs.map((e) => {
    const count = e.count ?? e.series?.count;
    const when = age(new Date(eventLastSeen(e)).toISOString(), now) + (count && count > 1 ? ` (x${count})` : '');
    return [e.type ?? '', e.reason ?? '', when, e.source?.component ?? e.reportingController ?? e.reportingComponent ?? '', String(e.message ?? e.note ?? '').replace(/\s*\n\s*/g, ' ')];
  });
  const head = ['Type', 'Reason', 'Age', 'From', 'Message'];
  const widths = head.map((h, i) => (i === 4 ? 0 : Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) => '  ' + r.map((v, i) => (i === 4 ? v : v.padEnd(widths[i]!))).join('  ');
  return ['Events:', line(head), line(head.map((h) => '-'.repeat(h.length))), ...rows.map(line)];
}

export function describe(obj: KubeObject, kind: string, events: Iterable<KubeObject>, now = Date.now()): string[] {
  const m = obj.metadata;
  const spec: Any = obj.spec ?? {};
  const status: Any = obj.status ?? {};
  const out: string[] = [field('Name', m.name)];
  if (m.namespace) out.push(field('Namespace', m.namespace));
  out.push(...mapLines('Labels', m.labels));
  const ann = Object.fromEntries(Object.entries(m.annotations ?? {}).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration'));
  out.push(...mapLines('Annotations', ann));
  out.push(field('CreationTimestamp', m.creationTimestamp));
  if (m.deletionTimestamp) out.push(field('Terminating Since', m.deletionTimestamp));
  const owner = (m.ownerReferences ?? []).find((r) => r.controller) ?? m.ownerReferences?.[0];
  if (owner) out.push(field('Controlled By', `${owner.kind}/${owner.name}`));

  switch (kind) {
    case 'Pod': {
      const s = podSummary(obj);
      out.push(field('Node', spec.nodeName ? `${spec.nodeName}${status.hostIP ? `/${status.hostIP}` : ''}` : '<none>'));
      out.push(field('Service Account', spec.serviceAccountName ?? 'default'));
      out.push(field('Start Time', status.startTime));
      out.push(field('Status', s.status === status.phase ? status.phase : `${status.phase ?? 'Unknown'} (${s.status})`));
      if (status.reason) out.push(field('Reason', status.reason));
      if (status.message) out.push(field('Message', status.message));
      out.push(field('IP', status.podIP));
      out.push(field('QoS Class', status.qosClass));
      const statuses = new Map<string, Any>((status.containerStatuses ?? []).map((c: Any) => [c.name, c]));
      const initStatuses = new Map<string, Any>((status.initContainerStatuses ?? []).map((c: Any) => [c.name, c]));
      if (spec.initContainers?.length) out.push('Init Containers:', ...spec.initContainers.flatMap((c: Any) => containerLines(c, initStatuses.get(c.name))));
      out.push('Containers:', ...(spec.containers ?? []).flatMap((c: Any) => containerLines(c, statuses.get(c.name))));
      out.push(...conditions(status.conditions));
      if (spec.volumes?.length) out.push('Volumes:', ...spec.volumes.map((v: Any) => `  ${v.name}: ${Object.keys(v).filter((k) => k !== 'name').join(', ')}`));
      out.push(field('Node-Selectors', Object.entries(spec.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>'));
      break;
    }
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
    case 'DaemonSet': {
      out.push(field('Selector', Object.entries(spec.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',')));
      if (kind !== 'DaemonSet') {
        out.push(field('Replicas', `${spec.replicas ?? 1} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ${status.availableReplicas ?? 0} available | ${(status.replicas ?? 0) - (status.availableReplicas ?? 0)} unavailable`));
      } else {
        out.push(field('Desired Nodes', status.desiredNumberScheduled ?? 0), field('Ready', status.numberReady ?? 0), field('Available', status.numberAvailable ?? 0));
      }
      if (spec.strategy?.type) out.push(field('StrategyType', spec.strategy.type));
      const tpl = spec.template?.spec;
      if (tpl) {
        out.push('Pod Template:', ...mapLines('  Labels', spec.template?.metadata?.labels));
        out.push('  Containers:', ...(tpl.containers ?? []).flatMap((c: Any) => containerLines(c, undefined).map((l) => '  ' + l).filter((l) => !/State:|Ready:|Restart Count:/.test(l))));
      }
      out.push(...conditions(status.conditions, ['Type', 'Status', 'Reason']));
      break;
    }
    case 'Service': {
      out.push(field('Selector', Object.entries(spec.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>'));
      out.push(field('Type', spec.type ?? 'ClusterIP'));
      out.push(field('IP', spec.clusterIP));
      for (const p of spec.ports ?? []) {
        out.push(field('Port', `${p.name ?? '<unset>'}  ${p.port}/${p.protocol ?? 'TCP'}`));
        out.push(field('TargetPort', `${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}`));
        if (p.nodePort) out.push(field('NodePort', `${p.name ?? '<unset>'}  ${p.nodePort}/${p.protocol ?? 'TCP'}`));
      }
      out.push(field('Session Affinity', spec.sessionAffinity ?? 'None'));
      break;
    }
    case 'Node': {
      out.push(field('Unschedulable', spec.unschedulable ? 'true' : 'false'));
      if (spec.taints?.length) out.push(field('Taints', spec.taints.map((t: Any) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')));
      out.push(...conditions(status.conditions, ['Type', 'Status', 'Reason', 'Message']));
      if (status.addresses?.length) out.push('Addresses:', ...status.addresses.map((a: Any) => `  ${a.type}: ${a.address}`));
      if (status.capacity) out.push('Capacity:', ...Object.entries(status.capacity).map(([k, v]) => `  ${k}: ${v}`));
      if (status.allocatable) out.push('Allocatable:', ...Object.entries(status.allocatable).map(([k, v]) => `  ${k}: ${v}`));
      if (status.nodeInfo) out.push('System Info:', ...Object.entries(status.nodeInfo).map(([k, v]) => `  ${k}: ${v}`));
      break;
    }
    case 'Secret': {
      out.push('', field('Type', obj.type ?? 'Opaque'), '', 'Data', '====');
      for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, string>)) out.push(`${k}:  ${Buffer.from(v, 'base64').length} bytes`);
      break;
    }
    case 'ConfigMap': {
      out.push('', 'Data', '====');
      for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, string>)) out.push(`${k}:`, '----', ...String(v).split('\n'), '');
      break;
    }
    case 'Event':
      out.push(field('Type', obj.type), field('Reason', obj.reason), field('Object', `${obj.involvedObject?.kind}/${obj.involvedObject?.name}`), field('Message', obj.message), field('Count', obj.count ?? 1));
      return out;
    default:
      out.push(...block('Spec', obj.spec), ...block('Status', obj.status));
      if (!obj.spec && !obj.status) {
        const rest = Object.fromEntries(Object.entries(obj).filter(([k]) => !['apiVersion', 'kind', 'metadata'].includes(k)));
        if (Object.keys(rest).length) out.push(...stringify(rest, { lineWidth: 0 }).trimEnd().split('\n'));
      }
  }
  out.push(...eventLines(eventsFor(obj, events), now));
  return out;
}
