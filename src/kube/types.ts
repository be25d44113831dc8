/**
 * The contract between the cluster side (src/kube: discovery + informer cache) and the UI
 * (src/ui renders what the cache holds; it never calls the API itself).
 */

/** A cached object: the API object with managedFields removed (memory stays bounded). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface KubeObject { apiVersion?: string; kind?: string; metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; creationTimestamp?: string; deletionTimestamp?: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }>; [k: string]: unknown }; [k: string]: any }

/** A resource kind as discovery reports it (CRDs included). */
export interface ResourceKind {
  group: string; // '' for core
  version: string;
  resource: string; // plural, e.g. "deployments"
  kind: string; // e.g. "Deployment"
  namespaced: boolean;
  shortNames: string[];
  verbs: string[];
  categories: string[];
}

export type WatchPhase = 'connecting' | 'synced' | 'reconnecting' | 'forbidden' | 'error';

export interface WatchState {
  phase: WatchPhase;
  /** One line for the status bar, e.g. "forbidden: pods is forbidden: User … cannot list…". */
  message?: string;
  /** When the collection was last (re)listed. */
  listedAt?: number;
}

/** A live view of one collection (kind × namespace, or all namespaces). */
export interface Collection {
  readonly kind: ResourceKind;
  readonly namespace: string | undefined;
  /** Current objects keyed by namespace/name; do not mutate. */
  items(): ReadonlyMap<string, KubeObject>;
  state(): WatchState;
  /** Increases on every change, so a renderer can skip frames where nothing changed. */
  readonly version: number;
  /** Called after any change (already coalesced by the caller's frame scheduler, not here). */
  onChange(fn: () => void): () => void;
  close(): void;
}

/** Optional add-ons found by discovery; features light up when present. */
export interface Capabilities {
  /** metrics.k8s.io is served (metrics-server): `top` works. */
  metrics: boolean;
  keda: boolean;
  velero: boolean;
  prometheusOperator: boolean;
  argocd: boolean;
}

export type Reachability = { ok: true; latencyMs: number } | { ok: false; message: string };

export interface ClusterSource {
  readonly context: string;
  readonly cluster: string;
  readonly server: string;
  /** Discovery; refreshed when CRDs change. */
  kinds(): ResourceKind[];
  /** Finds a kind by plural, singular, short name or Kind (case-insensitive), like kubectl. */
  resolveKind(name: string): ResourceKind | undefined;
  /** Starts (or shares) a list+watch of the collection; the last close() stops it. */
  watch(kind: ResourceKind, namespace?: string): Collection;
  reachability(): Reachability;
  onReachabilityChange(fn: (r: Reachability) => void): () => void;
  close(): Promise<void>;
  /** Called after discovery changed (a CRD added or removed, the server came back). */
  onKindsChange?(fn: () => void): () => void;
  /** Resolves when discovery has first answered with kinds. */
  discovered?(): Promise<void>;
  /** Add-ons present on the cluster (from the last discovery). */
  capabilities?(): Capabilities;
  /** The namespace of the kubeconfig context, or -n / --namespace. */
  readonly namespace?: string;
}
