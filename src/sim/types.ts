/** Shared shapes of the embedded cluster. Objects are plain JSON, as on the wire. */

export interface OwnerReference {
  apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  [k: string]: unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface KObj { apiVersion: string; kind: string; metadata: ObjectMeta; [k: string]: any }

/** Identifies a resource collection: group ('' for core) and plural name. */
export interface GroupResource { group: string; resource: string }

export const grKey = (gr: GroupResource): string => `${gr.group}/${gr.resource}`;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  /** grKey of the resource, e.g. "apps/deployments" or "/pods". */
  key: string;
  object: KObj;
  /** The global resourceVersion this event was written at. */
  rv: number;
  /**
   * The stored object before this change (MODIFIED, DELETED), as etcd's watch gives prevKV: a
   * selective watch decides ADDED / MODIFIED / DELETED from whether it and `object` match.
   */
  prev?: KObj;
}
