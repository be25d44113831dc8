/**
 * What every part of the embedded cluster is given: the object store, an in-process API that
 * applies the same defaulting and validation as the HTTPS API (controllers use it, so the
 * objects they write look like a real cluster's), a scalable clock, and a way to plug in
 * non-REST endpoints. Built by src/sim/index.ts (startSim).
 */
import type { ObjectStore } from './storage.js';
import type { SimPlugin } from './plugin.js';
import type { ContainerRuntime } from './runtime/types.js';
import type { GroupResource, KObj } from './types.js';

export interface InternalApi {
  get(gr: GroupResource, ns: string | undefined, name: string): KObj | undefined;
  list(gr: GroupResource, ns?: string, labelSelector?: string): KObj[];
  /** Defaults, validates and stores; throws ApiError like the REST API would. */
  create(gr: GroupResource, obj: KObj): KObj;
  /** Replaces the main resource (status is kept from the stored object when the kind has a status subresource). */
  update(gr: GroupResource, obj: KObj): KObj;
  /** Replaces only .status (the status subresource). */
  updateStatus(gr: GroupResource, obj: KObj): KObj;
  /** Deletes with a propagation policy (default Background), as DELETE does. */
  delete(gr: GroupResource, ns: string | undefined, name: string, opts?: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' }): void;
  /** Records a core/v1 Event (and its events.k8s.io twin) about an object, deduplicating repeats by count. */
  /** `source.fieldPath` names the part of the object the event is about (kubelet: `spec.containers{name}`). */
  recordEvent(about: KObj, type: 'Normal' | 'Warning', reason: string, message: string, source?: { component: string; host?: string; fieldPath?: string }): void;
}

/** Time that can run faster than the wall clock (timeScale 10 → a 10 s back-off takes 1 s). */
export interface SimClock {
  readonly timeScale: number;
  /** Wall-clock now in ms (timestamps on objects stay real). */
  now(): number;
  setTimeout(fn: () => void, simMs: number): () => void;
  setInterval(fn: () => void, simMs: number): () => void;
}

export interface SimContext {
  store: ObjectStore;
  api: InternalApi;
  clock: SimClock;
  /** Set by the kubelet when it starts; the streaming endpoints read it. */
  runtime?: ContainerRuntime;
  use(plugin: SimPlugin): void;
  onStop(fn: () => void | Promise<void>): void;
  log(message: string): void;
}
