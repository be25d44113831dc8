/** What the API server knows about one resource type (built-in or defined by a CRD). */
export interface ScaleSpec {
  /** Dotted JSON paths, as in a CRD's subresources.scale (e.g. ".spec.replicas"). */
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Subresource names: status, scale, log, exec, attach, portforward, proxy, binding, eviction, … */
  subresources: string[];
  verbs: string[];
  /** Scale subresource wiring (built-in workloads and CRDs with subresources.scale). */
  scale?: ScaleSpec;
  /** CRD additionalPrinterColumns (built-ins have their columns in api/tables.ts). */
  printerColumns?: PrinterColumn[];
  /** Set for custom resources: the CRD's name. */
  crd?: string;
  /** CRD openAPIV3Schema of this version, for pruning-free validation hints. */
  schema?: unknown;
  /**
   * Where the objects live when another resource owns the storage (events.k8s.io/v1 events are
   * a view of core/v1 events). Absent → stored under its own group/plural.
   */
  storage?: { group: string; resource: string };
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
