/**
 * What else a step touches, read from the live cluster: pods a scale-down terminates, pods a
 * rollout replaces, objects a delete cascades to, services selecting the pods, PodDisruptionBudgets
 * that a drain would violate.
 */
import type { KubeRequester } from '../kube/request.js';
import { objectPathOf, type Step } from './plan.js';
import { matches, serviceSelects, type LabelSelector } from './selectors.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

export interface Impact { lines: string[]; warnings: string[] }

/** Lists are read once per preview: a 100-step batch must not list the same collections 100 times. */
const memo = new WeakMap<KubeRequester, Map<string, Promise<Obj[]>>>();

/** Forget cached lists (called at the start of each preview). */
export function freshImpactReads(client: KubeRequester): void {
  memo.set(client, new Map());
}

async function list(client: KubeRequester, path: string, query: Array<[string, string]> = []): Promise<Obj[]> {
  let m = memo.get(client);
  if (!m) { m = new Map(); memo.set(client, m); }
  const key = path + JSON.stringify(query);
  let p = m.get(key);
  if (!p) {
    p = client.request({ method: 'GET', path, query }).then((res) => (res.status < 300 ? (res.json?.items ?? []) : []));
    m.set(key, p);
  }
  return p;
}

const podsPath = (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`;

function isReady(p: Obj): boolean {
  return (p.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
}

/** Pods selected by a workload's selector (and not terminating). */
async function podsOf(client: KubeRequester, ns: string, sel: LabelSelector | undefined): Promise<Obj[]> {
  if (!sel) return [];
  const pods = await list(client, podsPath(ns));
  return pods.filter((p) => !p.metadata.deletionTimestamp && matches(sel, p.metadata.labels));
}

async function servicesSelecting(client: KubeRequester, ns: string, pods: Obj[]): Promise<string[]> {
  if (pods.length === 0) return [];
  const svcs = await list(client, `/api/v1/namespaces/${encodeURIComponent(ns)}/services`);
  return svcs.filter((s) => pods.some((p) => serviceSelects(s.spec?.selector, p.metadata.labels))).map((s) => s.metadata.name);
}

const names = (objs: Obj[], max = 8) => objs.slice(0, max).map((o) => o.metadata.name).join(', ') + (objs.length > max ? `, … (+${objs.length - max})` : '');

/** Impact of one step given the object before and the dry-run's after. */
export async function stepImpact(client: KubeRequester, step: Step, before: Obj | undefined, after: Obj | undefined): Promise<Impact> {
  const lines: string[] = [];
  const warnings: string[] = [];
  const t = step.target;
  const ns = t.namespace ?? '';
  try {
    if (t.resource === 'namespaces' && step.op === 'delete') {
      const counts: string[] = [];
      for (const [label, path] of [['pods', `/api/v1/namespaces/${t.name}/pods`], ['services', `/api/v1/namespaces/${t.name}/services`], ['deployments', `/apis/apps/v1/namespaces/${t.name}/deployments`], ['statefulsets', `/apis/apps/v1/namespaces/${t.name}/statefulsets`], ['configmaps', `/api/v1/namespaces/${t.name}/configmaps`], ['secrets', `/api/v1/namespaces/${t.name}/secrets`], ['persistentvolumeclaims', `/api/v1/namespaces/${t.name}/persistentvolumeclaims`]] as const) {
        const n = (await list(client, path)).length;
        if (n) counts.push(`${n} ${label}`);
      }
      lines.push(`deletes everything in namespace ${t.name}${counts.length ? ': ' + counts.join(', ') : ''}`);
      warnings.push(`deleting namespace ${t.name} deletes every object in it`);
      return { lines, warnings };
    }
    const workload = before && ['deployments', 'statefulsets', 'replicasets', 'daemonsets'].includes(t.resource);
    const sel: LabelSelector | undefined = before?.spec?.selector;
    if (workload && (step.op === 'scale' || step.op === 'patch' || step.op === 'apply' || step.op === 'replace')) {
      const cur = before.spec?.replicas ?? 1;
      const next = after?.spec?.replicas ?? cur;
      const pods = await podsOf(client, ns, sel);
      if (next < cur) {
        // The ReplicaSet controller removes unready pods first, then the newest.
        const ranked = [...pods].sort((a, b) => Number(isReady(a)) - Number(isReady(b)) || String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)));
        const doomed = ranked.slice(0, Math.max(0, pods.length - next));
        lines.push(`scale-down ${cur} → ${next} terminates ${doomed.length} pod${doomed.length === 1 ? '' : 's'}${doomed.length ? ` (the controller picks; likely ${names(doomed)})` : ''}`);
      } else if (next > cur) lines.push(`scale-up ${cur} → ${next} starts ${next - cur} pod${next - cur === 1 ? '' : 's'}`);
      if (next === 0) warnings.push(`${t.resource}/${t.name} scaled to 0: no pods will run`);
      if (after && JSON.stringify(before.spec?.template) !== JSON.stringify(after.spec?.template)) {
        lines.push(`pod template changes: a rollout replaces ${pods.length} pod${pods.length === 1 ? '' : 's'}`);
      }
      const svcs = await servicesSelecting(client, ns, pods);
      if (svcs.length) lines.push(`services selecting these pods: ${svcs.join(', ')}`);
    }
    if (step.op === 'restart' || step.op === 'rollback') {
      const pods = await podsOf(client, ns, sel);
      lines.push(`a rollout replaces ${pods.length} pod${pods.length === 1 ? '' : 's'}${pods.length ? ': ' + names(pods) : ''}`);
    }
    if (step.op === 'delete' && before) {
      const owned = await cascade(client, before);
      if (owned.length) lines.push(`deletion cascades to ${owned.length} owned object${owned.length === 1 ? '' : 's'}: ${owned.slice(0, 10).join(', ')}${owned.length > 10 ? ', …' : ''}`);
      const pods = t.resource === 'pods' ? [before] : sel ? await podsOf(client, ns, sel) : [];
      const svcs = await servicesSelecting(client, ns, pods);
      if (svcs.length) lines.push(`services selecting these pods: ${svcs.join(', ')}`);
      const ctrl = (before.metadata.ownerReferences ?? []).find((o: Obj) => o.controller);
      if (t.resource === 'pods' && ctrl) lines.push(`${ctrl.kind}/${ctrl.name} will create a replacement pod`);
    }
    if (step.op === 'evict' && before) {
      lines.push(`evicts pod ${ns}/${t.name}${before.spec?.nodeName ? ` from ${before.spec.nodeName}` : ''}`);
    }
  } catch {
    lines.push('(impact could not be read completely)');
  }
  return { lines, warnings };
}

/** Objects owned (transitively) by obj, found through ownerReferences in the same namespace. */
async function cascade(client: KubeRequester, obj: Obj): Promise<string[]> {
  const ns = obj.metadata.namespace;
  if (!ns) return [];
  const kinds: Array<[string, string]> = [
    ['replicasets', `/apis/apps/v1/namespaces/${ns}/replicasets`], ['pods', podsPath(ns)], ['jobs', `/apis/batch/v1/namespaces/${ns}/jobs`],
    ['controllerrevisions', `/apis/apps/v1/namespaces/${ns}/controllerrevisions`], ['endpoints', `/api/v1/namespaces/${ns}/endpoints`],
    ['persistentvolumeclaims', `/api/v1/namespaces/${ns}/persistentvolumeclaims`],
  ];
  const all: Array<{ label: string; o: Obj }> = [];
  for (const [label, path] of kinds) for (const o of await list(client, path)) all.push({ label, o });
  const out: string[] = [];
  let frontier = [obj.metadata.uid as string];
  const seen = new Set(frontier);
  while (frontier.length) {
    const next: string[] = [];
    for (const { label, o } of all) {
      if (seen.has(o.metadata.uid)) continue;
      if ((o.metadata.ownerReferences ?? []).some((r: Obj) => frontier.includes(r.uid))) {
        seen.add(o.metadata.uid);
        next.push(o.metadata.uid);
        out.push(`${label}/${o.metadata.name}`);
      }
    }
    frontier = next;
  }
  return out;
}

/** Plan-wide checks: evictions against PodDisruptionBudgets, and large selections. */
export async function planImpact(client: KubeRequester, steps: Step[]): Promise<Impact> {
  const lines: string[] = [];
  const warnings: string[] = [];
  const evictions = steps.filter((s) => s.op === 'evict');
  const byNs = new Map<string, string[]>();
  for (const e of evictions) byNs.set(e.target.namespace!, [...(byNs.get(e.target.namespace!) ?? []), e.target.name]);
  for (const [ns, podNames] of byNs) {
    const pdbs = await list(client, `/apis/policy/v1/namespaces/${encodeURIComponent(ns)}/poddisruptionbudgets`);
    if (pdbs.length === 0) continue;
    const pods = await list(client, podsPath(ns));
    for (const pdb of pdbs) {
      const hit = pods.filter((p) => podNames.includes(p.metadata.name) && matches(pdb.spec?.selector, p.metadata.labels));
      if (hit.length === 0) continue;
      const allowed = pdb.status?.disruptionsAllowed ?? 0;
      lines.push(`PodDisruptionBudget ${ns}/${pdb.metadata.name} covers ${hit.length} evicted pod${hit.length === 1 ? '' : 's'} (allows ${allowed} disruption${allowed === 1 ? '' : 's'} now)`);
      if (hit.length > allowed) warnings.push(`PodDisruptionBudget ${ns}/${pdb.metadata.name} would be violated: ${hit.length} evictions, ${allowed} allowed — the server refuses the excess evictions (429) until pods are replaced`);
    }
  }
  const destructive = steps.filter((s) => s.class === 'destructive' && s.op === 'delete');
  if (destructive.length > 5) warnings.push(`this plan deletes ${destructive.length} objects — check the selector matches only what you meant`);
  const perKind = new Map<string, number>();
  for (const s of steps) perKind.set(`${s.target.resource}@${s.target.namespace ?? ''}`, (perKind.get(`${s.target.resource}@${s.target.namespace ?? ''}`) ?? 0) + 1);
  for (const [k, n] of perKind) {
    if (n < 2) continue;
    const [resource, ns] = k.split('@') as [string, string];
    const s = steps.find((x) => x.target.resource === resource)!;
    const all = await list(client, objectPathOf({ ...s.target, namespace: ns || undefined, name: '' }));
    if (all.length > 0 && n >= all.length && s.class === 'destructive') warnings.push(`the selection covers every ${resource.replace(/s$/, '')} ${ns ? `in namespace ${ns}` : 'in the cluster'} (${n})`);
  }
  return { lines, warnings };
}
