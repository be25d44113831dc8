/** The read-only cluster tools: list, get, describe, events, logs, api-resources, CRD schemas, top. */
import { DEFAULT_BUDGET, objectYaml, tailLines, headLines } from '../budget.js';
import { apiFailure, collectionPath, kindOf, objectPath } from './paths.js';
import { num, str, type Tool, type ToolContext } from './types.js';

const nsArg = { type: 'string', description: 'Namespace (default: the current one)' };

/** One line per object: what a person scans first (kubectl get's columns, roughly). */
export function summarise(kind: string, o: any): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const ns = o.metadata?.namespace ? `${o.metadata.namespace}/` : '';
  const name = `${ns}${o.metadata?.name}`;
  if (kind === 'Pod') {
    const cs = (o.status?.containerStatuses ?? []) as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    const ready = cs.filter((c) => c.ready).length;
    const restarts = cs.reduce((s, c) => s + (c.restartCount ?? 0), 0);
    const why = [...(o.status?.initContainerStatuses ?? []), ...cs].map((c) => c.state?.waiting?.reason ?? c.state?.terminated?.reason).filter(Boolean);
    const sched = (o.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled' && c.status === 'False'); // eslint-disable-line @typescript-eslint/no-explicit-any
    return `${name} phase=${o.status?.phase ?? '?'} ready=${ready}/${(o.spec?.containers ?? []).length} restarts=${restarts}${why.length ? ` reason=${[...new Set(why)].join(',')}` : ''}${o.status?.reason ? ` status=${o.status.reason}` : ''}${sched ? ` unscheduled="${String(sched.message ?? '').slice(0, 120)}"` : ''} node=${o.spec?.nodeName ?? '-'}`;
  }
  const s = o.status ?? {};
  const parts: string[] = [];
  if (o.spec?.replicas !== undefined) parts.push(`replicas=${s.readyReplicas ?? 0}/${o.spec.replicas}`);
  if (s.phase) parts.push(`phase=${s.phase}`);
  for (const c of (s.conditions ?? []).slice(0, 4)) parts.push(`${c.type}=${c.status}${c.reason ? `(${c.reason})` : ''}`);
  if (kind === 'Event') return `${o.type} ${o.reason} ${o.involvedObject?.kind}/${o.involvedObject?.name}: ${String(o.message ?? '').slice(0, 200)} (x${o.count ?? 1}, last ${o.lastTimestamp ?? o.eventTime ?? '?'})`;
  return `${name}${parts.length ? ' ' + parts.join(' ') : ''}`;
}

async function listItems(ctx: ToolContext, kindName: string, args: Record<string, unknown>) {
  const k = kindOf(ctx, kindName);
  const all = args.allNamespaces === true;
  const ns = all ? undefined : str(args, 'namespace') ?? ctx.namespace;
  const query: Array<[string, string]> = [['limit', String(num(args, 'limit', 200, 500))]];
  const ls = str(args, 'labelSelector'); if (ls) query.push(['labelSelector', ls]);
  const fs = str(args, 'fieldSelector'); if (fs) query.push(['fieldSelector', fs]);
  const res = await ctx.cluster.get(collectionPath(k, ns), query, ctx.signal);
  if (res.status >= 400) return { k, error: apiFailure(res.status, res.json, `list ${k.resource}`) };
  const items = ((res.json?.items ?? []) as any[]).map((i) => ({ ...i, kind: k.kind, apiVersion: res.json?.apiVersion ?? k.version })); // eslint-disable-line @typescript-eslint/no-explicit-any
  return { k, items, more: res.json?.metadata?.continue ? true : false };
}

export const kubeList: Tool = {
  modifies: false, timeoutMs: 20_000,
  spec: {
    name: 'kube_list',
    description: 'List objects of a kind (pods, deployments, services, events, any CRD…) with a one-line status each. Supports label and field selectors.',
    parameters: { type: 'object', properties: { kind: { type: 'string', description: 'Kind or resource name: pods, deploy, svc, ingresses…' }, namespace: nsArg, allNamespaces: { type: 'boolean' }, labelSelector: { type: 'string' }, fieldSelector: { type: 'string' }, limit: { type: 'integer' } }, required: ['kind'] },
  },
  async run(args, ctx) {
    const r = await listItems(ctx, str(args, 'kind', true)!, args);
    if ('error' in r) return r.error!;
    if (r.k.kind === 'Secret') for (const s of r.items) ctx.redactor.learnSecret(s);
    const lines = r.items.map((o) => summarise(r.k.kind, ctx.redactor.object(o)));
    return headLines(`${lines.length} ${r.k.resource}${r.more ? ' (more exist: narrow with a selector)' : ''}\n${lines.join('\n')}`, DEFAULT_BUDGET);
  },
};

export const kubeGet: Tool = {
  modifies: false, timeoutMs: 20_000,
  spec: {
    name: 'kube_get',
    description: 'Get one object as YAML (secret values withheld; big objects cut by section: status and conditions first).',
    parameters: { type: 'object', properties: { kind: { type: 'string' }, name: { type: 'string' }, namespace: nsArg }, required: ['kind', 'name'] },
  },
  async run(args, ctx) {
    const k = kindOf(ctx, str(args, 'kind', true)!);
    const name = str(args, 'name', true)!;
    const res = await ctx.cluster.get(objectPath(k, str(args, 'namespace') ?? ctx.namespace, name), undefined, ctx.signal);
    if (res.status >= 400) return apiFailure(res.status, res.json, `get ${k.resource}/${name}`);
    return objectYaml(ctx.redactor.object({ ...res.json, kind: k.kind }));
  },
};

async function eventsFor(ctx: ToolContext, namespace: string | undefined, kind?: string, name?: string): Promise<string[]> {
  const q: Array<[string, string]> = [];
  const fields = [kind ? `involvedObject.kind=${kind}` : '', name ? `involvedObject.name=${name}` : ''].filter(Boolean);
  if (fields.length) q.push(['fieldSelector', fields.join(',')]);
  const res = await ctx.cluster.get(namespace ? `/api/v1/namespaces/${encodeURIComponent(namespace)}/events` : '/api/v1/events', q, ctx.signal);
  if (res.status >= 400) return [apiFailure(res.status, res.json, 'list events')];
  const items = (res.json?.items ?? []) as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  items.sort((a, b) => String(b.lastTimestamp ?? b.eventTime ?? '').localeCompare(String(a.lastTimestamp ?? a.eventTime ?? '')));
  return items.slice(0, 40).map((e) => ctx.redactor.text(summarise('Event', e)));
}

export const kubeEvents: Tool = {
  modifies: false, timeoutMs: 20_000,
  spec: {
    name: 'kube_events',
    description: 'Recent events (newest first), optionally for one object (kind + name).',
    parameters: { type: 'object', properties: { kind: { type: 'string', description: 'Kind of the object, e.g. Pod' }, name: { type: 'string' }, namespace: nsArg }, required: [] },
  },
  async run(args, ctx) {
    const kindName = str(args, 'kind');
    const kind = kindName ? kindOf(ctx, kindName).kind : undefined;
    const lines = await eventsFor(ctx, str(args, 'namespace') ?? ctx.namespace, kind, str(args, 'name'));
    return headLines(lines.length ? lines.join('\n') : 'no events', DEFAULT_BUDGET);
  },
};

export const kubeDescribe: Tool = {
  modifies: false, timeoutMs: 25_000,
  spec: {
    name: 'kube_describe',
    description: 'Describe one object: its YAML (status first) and its recent events, like kubectl describe.',
    parameters: { type: 'object', properties: { kind: { type: 'string' }, name: { type: 'string' }, namespace: nsArg }, required: ['kind', 'name'] },
  },
  async run(args, ctx) {
    const k = kindOf(ctx, str(args, 'kind', true)!);
    const name = str(args, 'name', true)!;
    const ns = str(args, 'namespace') ?? ctx.namespace;
    const res = await ctx.cluster.get(objectPath(k, ns, name), undefined, ctx.signal);
    if (res.status >= 400) return apiFailure(res.status, res.json, `get ${k.resource}/${name}`);
    const events = await eventsFor(ctx, k.namespaced ? ns : undefined, k.kind, name);
    return `${objectYaml(ctx.redactor.object({ ...res.json, kind: k.kind }), DEFAULT_BUDGET - 2000)}\nEvents:\n${headLines(events.join('\n') || '<none>', 2000)}`;
  },
};

export const kubeLogs: Tool = {
  modifies: false, timeoutMs: 20_000,
  spec: {
    name: 'kube_logs',
    description: "A pod container's log tail. previous=true reads the last terminated container (after a crash or restart).",
    parameters: { type: 'object', properties: { pod: { type: 'string' }, namespace: nsArg, container: { type: 'string' }, previous: { type: 'boolean' }, tailLines: { type: 'integer' }, sinceSeconds: { type: 'integer' } }, required: ['pod'] },
  },
  async run(args, ctx) {
    const pod = str(args, 'pod', true)!;
    const ns = str(args, 'namespace') ?? ctx.namespace;
    const q: Array<[string, string]> = [['tailLines', String(num(args, 'tailLines', 100, 1000))]];
    const c = str(args, 'container'); if (c) q.push(['container', c]);
    if (args.previous === true) q.push(['previous', 'true']);
    const since = num(args, 'sinceSeconds', 0, 86_400 * 7); if (since) q.push(['sinceSeconds', String(since)]);
    const res = await ctx.cluster.get(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(pod)}/log`, q, ctx.signal);
    if (res.status >= 400) return apiFailure(res.status, res.json ?? safeJson(res.text), `logs of ${pod}`);
    // Log text is data: it is fenced so an instruction inside it reads as what the pod printed.
    return `log of pod ${ns}/${pod}${c ? ` container ${c}` : ''}${args.previous === true ? ' (previous container)' : ''}:\n<<<LOG\n${tailLines(ctx.redactor.text(res.text), DEFAULT_BUDGET - 200)}\nLOG>>>`;
  },
};

function safeJson(t: string) { try { return JSON.parse(t); } catch { return { message: t.slice(0, 200) }; } }

export const kubeApiResources: Tool = {
  modifies: false, timeoutMs: 10_000,
  spec: { name: 'kube_api_resources', description: 'The resource types this cluster serves (built-in and CRDs), like kubectl api-resources.', parameters: { type: 'object', properties: {}, required: [] } },
  async run(_args, ctx) {
    const lines = ctx.kinds.all().map((k) => `${k.resource}${k.shortNames.length ? ` (${k.shortNames.join(',')})` : ''} ${k.group ? `${k.group}/` : ''}${k.version} ${k.kind}${k.namespaced ? '' : ' cluster-scoped'}`);
    return headLines(lines.join('\n'), DEFAULT_BUDGET);
  },
};

export const kubeCrdSchema: Tool = {
  modifies: false, timeoutMs: 15_000,
  spec: { name: 'kube_crd_schema', description: "A custom resource's schema (openAPIV3Schema of its CRD), to read before writing one.", parameters: { type: 'object', properties: { kind: { type: 'string', description: 'Kind or resource name of the custom resource' } }, required: ['kind'] } },
  async run(args, ctx) {
    const k = kindOf(ctx, str(args, 'kind', true)!);
    if (!k.group || !k.group.includes('.')) return `${k.kind} is a built-in kind, not a CRD: use kube_get on an example instead`;
    const res = await ctx.cluster.get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${k.resource}.${k.group}`, undefined, ctx.signal);
    if (res.status >= 400) return apiFailure(res.status, res.json, `CRD ${k.resource}.${k.group}`);
    const v = (res.json?.spec?.versions ?? []).find((x: any) => x.name === k.version) ?? res.json?.spec?.versions?.[0]; // eslint-disable-line @typescript-eslint/no-explicit-any
    return headLines(JSON.stringify({ group: k.group, version: v?.name, kind: k.kind, scope: res.json?.spec?.scope, schema: v?.schema?.openAPIV3Schema ?? '(no schema)' }, null, 1), DEFAULT_BUDGET * 2);
  },
};

export const kubeTop: Tool = {
  modifies: false, timeoutMs: 15_000,
  spec: { name: 'kube_top', description: 'CPU and memory use now (metrics.k8s.io) of nodes or of pods in a namespace.', parameters: { type: 'object', properties: { kind: { type: 'string', enum: ['nodes', 'pods'] }, namespace: nsArg }, required: ['kind'] } },
  async run(args, ctx) {
    const nodes = str(args, 'kind') === 'nodes';
    const ns = str(args, 'namespace') ?? ctx.namespace;
    const res = await ctx.cluster.get(nodes ? '/apis/metrics.k8s.io/v1beta1/nodes' : `/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(ns)}/pods`, undefined, ctx.signal);
    if (res.status === 404) return 'metrics are not available (no metrics-server on this cluster)';
    if (res.status >= 400) return apiFailure(res.status, res.json, 'metrics');
    const lines = ((res.json?.items ?? []) as any[]).map((i) => nodes // eslint-disable-line @typescript-eslint/no-explicit-any
      ? `${i.metadata.name} cpu=${i.usage?.cpu} memory=${i.usage?.memory}`
      : `${i.metadata.name} ${(i.containers ?? []).map((c: any) => `${c.name}: cpu=${c.usage?.cpu} memory=${c.usage?.memory}`).join('; ')}`); // eslint-disable-line @typescript-eslint/no-explicit-any
    return headLines(lines.join('\n') || 'no metrics yet', DEFAULT_BUDGET);
  },
};

export const cockpitState: Tool = {
  modifies: false, timeoutMs: 5_000,
  spec: { name: 'cockpit_state', description: "What the cockpit sees besides the API: the exec shell's recent transcript and port-forward traffic counters.", parameters: { type: 'object', properties: { what: { type: 'string', enum: ['shell', 'forwards'] } }, required: ['what'] } },
  async run(args, ctx) {
    if (str(args, 'what') === 'shell') {
      const t = ctx.shellTranscript?.();
      return t ? `recent shell transcript:\n<<<SHELL\n${tailLines(ctx.redactor.text(t), DEFAULT_BUDGET - 100)}\nSHELL>>>` : 'no shell is open';
    }
    const f = ctx.forwards?.();
    return f ? headLines(ctx.redactor.text(JSON.stringify(f, null, 1)), DEFAULT_BUDGET) : 'no port-forward is running';
  },
};
