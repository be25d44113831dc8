/**
 * A read-only index over cached objects, built once per analysis: lookups by name, by namespace,
 * events by involved object, pods by selector and the owner chain (Pod → ReplicaSet → Deployment).
 * Logs and metrics are optional extras (`diagnose` fetches a bounded set; the cockpit has its own).
 */
import type { KubeObject } from '../kube/types.js';
import { matches, serviceSelects, type LabelSelector } from '../ops/selectors.js';
import type { ForwardSignal, ObjectRef } from './types.js';

export interface ContainerLogs { current: string[]; previous?: string[] }

/** Memory samples of one pod, oldest first: [ms since epoch, bytes]. */
export type MemorySeries = Array<[number, number]>;

export interface SnapshotInput {
  objects: Record<string, Iterable<KubeObject> | undefined>;
  /** key `ns/pod/container` */
  logs?: ReadonlyMap<string, ContainerLogs>;
  /** key `ns/pod` */
  memory?: ReadonlyMap<string, MemorySeries>;
  /** Namespace the analysis is limited to (cluster-scoped kinds are still read). */
  namespace?: string;
  now?: number;
  /** The cockpit's running port-forwards and what their proxies measured. */
  forwards?: readonly ForwardSignal[];
}

const EMPTY: KubeObject[] = [];

export interface RecordedSnapshot {
  now: number;
  namespace?: string;
  objects: Record<string, KubeObject[]>;
  logs: Record<string, ContainerLogs>;
  memory: Record<string, MemorySeries>;
}

export class Snapshot {
  readonly now: number;
  readonly namespace?: string;
  private readonly lists = new Map<string, KubeObject[]>();
  private readonly byName = new Map<string, Map<string, KubeObject>>();
  private readonly byNs = new Map<string, Map<string, KubeObject[]>>();
  private readonly eventsFor = new Map<string, KubeObject[]>();
  private readonly sortedEvents = new Map<string, KubeObject[]>();
  readonly logs: ReadonlyMap<string, ContainerLogs>;
  readonly memory: ReadonlyMap<string, MemorySeries>;
  readonly forwards: readonly ForwardSignal[];

  /** A recorded snapshot (see record()) back as a Snapshot: unit tests run the rules on real cluster states. */
  static fromRecord(r: RecordedSnapshot): Snapshot {
    return new Snapshot({ objects: r.objects, logs: new Map(Object.entries(r.logs)), memory: new Map(Object.entries(r.memory)), namespace: r.namespace, now: r.now });
  }

  /** Plain JSON of what this snapshot holds (logs trimmed to their last `tail` lines). */
  record(tail = 40): RecordedSnapshot {
    const logs: Record<string, ContainerLogs> = {};
    for (const [k, v] of this.logs) logs[k] = { current: v.current.slice(-tail), ...(v.previous ? { previous: v.previous.slice(-tail) } : {}) };
    return { now: this.now, namespace: this.namespace, objects: Object.fromEntries(this.lists), logs, memory: Object.fromEntries(this.memory) };
  }

  constructor(input: SnapshotInput) {
    this.now = input.now ?? Date.now();
    this.namespace = input.namespace;
    this.logs = input.logs ?? new Map();
    this.memory = input.memory ?? new Map();
    this.forwards = input.forwards ?? [];
    for (const [key, items] of Object.entries(input.objects)) {
      if (items) this.lists.set(key, Array.isArray(items) ? items : [...items]);
    }
    for (const e of this.all('events')) {
      const io = e.involvedObject ?? e.regarding;
      if (!io?.name) continue;
      const k = `${io.kind}/${io.namespace ?? ''}/${io.name}`;
      let l = this.eventsFor.get(k);
      if (!l) this.eventsFor.set(k, (l = []));
      l.push(e);
    }
  }

  /** The same objects with other log tails (fresh ones read for an evidence bundle). */
  withLogs(logs: ReadonlyMap<string, ContainerLogs>): Snapshot {
    return new Snapshot({ objects: Object.fromEntries(this.lists), logs, memory: this.memory, namespace: this.namespace, now: this.now, forwards: this.forwards });
  }

  /** Whether the cluster serves this collection (absent kinds make some analyzers stay quiet). */
  has(key: string): boolean {
    return this.lists.has(key);
  }

  all(key: string): KubeObject[] {
    return this.lists.get(key) ?? EMPTY;
  }

  /** Indexes are built on first use per kind: an analysis touches few of them for most kinds. */
  private index(key: string): void {
    if (this.byName.has(key)) return;
    const names = new Map<string, KubeObject>();
    const nss = new Map<string, KubeObject[]>();
    for (const o of this.all(key)) {
      const ns = o.metadata.namespace ?? '';
      names.set(`${ns}/${o.metadata.name}`, o);
      let l = nss.get(ns);
      if (!l) nss.set(ns, (l = []));
      l.push(o);
    }
    this.byName.set(key, names);
    this.byNs.set(key, nss);
  }

  get(key: string, namespace: string | undefined, name: string): KubeObject | undefined {
    this.index(key);
    return this.byName.get(key)?.get(`${namespace ?? ''}/${name}`);
  }

  inNamespace(key: string, namespace: string | undefined): KubeObject[] {
    this.index(key);
    return this.byNs.get(key)?.get(namespace ?? '') ?? EMPTY;
  }

  private troubled?: KubeObject[];

  /**
   * Pods that are not simply fine (Running, every container ready, never restarted): what the pod rules look
   * at. One cheap pass, shared by every rule, so 20,000 healthy pods cost almost nothing.
   */
  troubledPods(): KubeObject[] {
    if (this.troubled) return this.troubled;
    this.troubled = this.all('pods').filter((p) => {
      if (p.metadata.deletionTimestamp || p.status?.phase !== 'Running') return true;
      for (const c of (p.status?.containerStatuses ?? []) as KubeObject[]) if (!c.ready || c.restartCount || !c.state?.running) return true;
      for (const c of (p.status?.initContainerStatuses ?? []) as KubeObject[]) if (c.restartCount || (c.state?.terminated && c.state.terminated.exitCode !== 0)) return true;
      return false;
    });
    return this.troubled;
  }

  /** Events about an object, newest last. */
  events(kind: string, namespace: string | undefined, name: string): KubeObject[] {
    const k = `${kind}/${namespace ?? ''}/${name}`;
    let l = this.sortedEvents.get(k);
    if (!l) this.sortedEvents.set(k, (l = [...(this.eventsFor.get(k) ?? EMPTY)].sort((a, b) => eventTime(a) - eventTime(b))));
    return l;
  }

  warnings(kind: string, namespace: string | undefined, name: string, reason?: RegExp): KubeObject[] {
    return this.events(kind, namespace, name).filter((e) => e.type === 'Warning' && (!reason || reason.test(e.reason ?? '')));
  }

  /** Pods a Service selects (a plain map selector; none without one). */
  podsForService(svc: KubeObject): KubeObject[] {
    const sel = svc.spec?.selector as Record<string, string> | undefined;
    if (!sel || Object.keys(sel).length === 0) return [];
    return this.inNamespace('pods', svc.metadata.namespace).filter((p) => serviceSelects(sel, p.metadata.labels));
  }

  podsForSelector(namespace: string | undefined, sel: LabelSelector | undefined): KubeObject[] {
    if (!sel) return [];
    return this.inNamespace('pods', namespace).filter((p) => matches(sel, p.metadata.labels));
  }

  /**
   * The object a person edits to change this pod: Deployment (through its ReplicaSet),
   * StatefulSet, DaemonSet, CronJob (through its Job), Job — or the pod itself.
   */
  workloadOf(obj: KubeObject, kind = obj.kind ?? 'Pod'): ObjectRef {
    const ns = obj.metadata.namespace;
    const owner = obj.metadata.ownerReferences?.find((o) => o.controller) ?? obj.metadata.ownerReferences?.[0];
    if (!owner) return { kind, namespace: ns, name: obj.metadata.name };
    const key = OWNER_KEYS[owner.kind];
    const parent = key ? this.get(key, ns, owner.name) : undefined;
    if (parent && (owner.kind === 'ReplicaSet' || owner.kind === 'Job')) return this.workloadOf(parent, owner.kind);
    return { kind: owner.kind, namespace: ns, name: owner.name };
  }

  /** The live object behind a reference (when cached). */
  resolve(ref: ObjectRef): KubeObject | undefined {
    const key = KIND_KEYS[ref.kind];
    return key ? this.get(key, ref.namespace, ref.name) : undefined;
  }

  /** Pods that roll up to a workload reference. */
  podsOfWorkload(ref: ObjectRef): KubeObject[] {
    return this.inNamespace('pods', ref.namespace).filter((p) => {
      const w = this.workloadOf(p);
      return w.kind === ref.kind && w.name === ref.name;
    });
  }

  /** The pod template of a workload (or a pod's own spec). */
  podSpec(ref: ObjectRef): KubeObject['spec'] | undefined {
    const o = this.resolve(ref);
    if (!o) return undefined;
    if (ref.kind === 'Pod') return o.spec;
    if (ref.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template?.spec;
    return o.spec?.template?.spec;
  }

  /** Log lines of one container (current instance, then previous when asked). */
  logLines(namespace: string, pod: string, container: string, previous = false): string[] {
    const l = this.logs.get(`${namespace}/${pod}/${container}`);
    return (previous ? l?.previous : l?.current) ?? [];
  }
}

const OWNER_KEYS: Record<string, string> = { ReplicaSet: 'replicasets', Job: 'jobs', Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets', CronJob: 'cronjobs' };

export const KIND_KEYS: Record<string, string> = {
  Pod: 'pods', Node: 'nodes', Service: 'services', Endpoints: 'endpoints', ConfigMap: 'configmaps', Secret: 'secrets',
  ServiceAccount: 'serviceaccounts', PersistentVolumeClaim: 'persistentvolumeclaims', ResourceQuota: 'resourcequotas',
  Deployment: 'deployments', ReplicaSet: 'replicasets', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets', Job: 'jobs', CronJob: 'cronjobs',
  HorizontalPodAutoscaler: 'horizontalpodautoscalers', PodDisruptionBudget: 'poddisruptionbudgets', Ingress: 'ingresses',
  IngressClass: 'ingressclasses', NetworkPolicy: 'networkpolicies', StorageClass: 'storageclasses', Role: 'roles', RoleBinding: 'rolebindings',
  ClusterRole: 'clusterroles', ClusterRoleBinding: 'clusterrolebindings', ValidatingWebhookConfiguration: 'validatingwebhookconfigurations',
  MutatingWebhookConfiguration: 'mutatingwebhookconfigurations', Application: 'applications', Kustomization: 'kustomizations', HelmRelease: 'helmreleases',
};

export function eventTime(e: KubeObject): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp;
  return t ? Date.parse(t) : 0;
}

export function firstSeen(events: KubeObject[]): string | undefined {
  let best: number | undefined;
  for (const e of events) {
    const t = Date.parse(e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '');
    if (Number.isFinite(t) && (best === undefined || t < best)) best = t;
  }
  return best === undefined ? undefined : new Date(best).toISOString();
}
