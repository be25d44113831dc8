/**
 * DELETE as kube-apiserver's generic registry does it (apiserver registry/generic/registry/store.go):
 *  - preconditions (uid, resourceVersion) → 409 "Precondition failed: …";
 *  - Orphan and Foreground propagation only add the `orphan` / `foregroundDeletion` finalizer and a
 *    deletionTimestamp: the garbage collector releases or deletes the dependents, then removes
 *    the finalizer, and only then is the object gone;
 *  - pods bound to a node end gracefully (the kubelet stops the containers, then removes them);
 *  - namespaces turn Terminating until the namespace lifecycle has removed their content.
 * What the client gets back is decided by deleteResponse: the object while it still exists;
 * once gone, the object for kinds whose registry sets ReturnDeletedObject, a Status otherwise.
 */
import { ApiError, notFound } from '../errors.js';
import type { KObj } from '../types.js';
import { storageKeyOf, type ResourceType } from '../registry/index.js';
import type { ApiCore, DeleteOpts } from './core.js';

const nowIso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * Registries with `ReturnDeletedObject: true` in Kubernetes 1.32 (pkg/registry/core/*, storage,
 * scheduling): their DELETE answers the deleted object; every other kind answers a Status.
 */
const RETURNS_DELETED_OBJECT = new Set([
  '/pods', '/namespaces', '/services', '/serviceaccounts', '/persistentvolumes', '/persistentvolumeclaims',
  '/resourcequotas', '/limitranges', '/podtemplates', 'storage.k8s.io/storageclasses', 'scheduling.k8s.io/priorityclasses',
]);

export function returnsDeletedObject(rt: ResourceType): boolean {
  return RETURNS_DELETED_OBJECT.has(`${rt.group}/${rt.plural}`);
}

/**
 * The HTTP answer to a DELETE (apiserver endpoints/handlers/delete.go): 200, or 202 when the
 * object still exists and the client sent orphanDependents=false; the object while it exists
 * (finalizers, graceful deletion), else the object or `Status{Success, details}` per registry.
 */
export function deleteResponse(rt: ResourceType, object: KObj, removed: boolean, orphanDependentsFalse: boolean): { code: number; body: KObj | Record<string, unknown> } {
  const code = !removed && orphanDependentsFalse ? 202 : 200;
  if (!removed || returnsDeletedObject(rt)) return { code, body: object };
  const details: Record<string, unknown> = { name: object.metadata.name };
  if (rt.group) details.group = rt.group;
  details.kind = rt.plural; // "Yes we set Kind field to resource." (store.go)
  details.uid = object.metadata.uid;
  return { code, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details } };
}

export function deleteObject(core: ApiCore, rt: ResourceType, ns: string | undefined, name: string, opts: DeleteOpts): { object: KObj; removed: boolean } {
  const store = core.store;
  const gr = storageKeyOf(rt);
  const nsKey = rt.namespaced ? ns : undefined;
  const cur = store.peek(gr, nsKey, name);
  if (!cur) throw notFound(rt.plural, name, rt.group);
  const pre = opts.preconditions ?? {};
  const conflict = (what: string) => new ApiError(409, 'Conflict',
    `Operation cannot be fulfilled on ${rt.plural}${rt.group ? `.${rt.group}` : ''} "${name}": Precondition failed: ${what}`, { name, group: rt.group || undefined, kind: rt.plural });
  if (pre.uid && pre.uid !== cur.metadata.uid) throw conflict(`UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid}`);
  if (pre.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
    throw conflict(`ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion}`);
  }
  const policy = opts.propagationPolicy;
  // The garbage collector's finalizer for this policy (none for Background: dependents go after).
  const gcFinalizer = policy === 'Orphan' ? 'orphan' : policy === 'Foreground' ? 'foregroundDeletion' : undefined;
  const withFinalizer = (o: KObj) => {
    if (!gcFinalizer) return;
    const fins = (o.metadata.finalizers ?? []).filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
    o.metadata.finalizers = [...fins, gcFinalizer];
  };
  const isPod = rt.kind === 'Pod' && !rt.group;
  const grace = opts.gracePeriodSeconds ?? cur.spec?.terminationGracePeriodSeconds ?? 30;
  const graceful = isPod && !!cur.spec?.nodeName && grace > 0 && !cur.metadata.deletionTimestamp
    && cur.status?.phase !== 'Succeeded' && cur.status?.phase !== 'Failed';
  const isNamespace = rt.kind === 'Namespace' && !rt.group;

  if (opts.dryRun) {
    const o = structuredClone(core.view(rt, cur));
    if (!isNamespace) withFinalizer(o);
    if (o.metadata.finalizers?.length || graceful || isNamespace) o.metadata.deletionTimestamp ??= nowIso();
    return { object: o, removed: !o.metadata.deletionTimestamp };
  }
  const done = (o: KObj, removed: boolean) => {
    core.afterDelete.forEach((h) => h(rt, o, opts));
    return { object: core.view(rt, o), removed };
  };
  if (isNamespace) {
    const o = store.markDeleting(gr, undefined, name, 0, (x) => {
      x.status = { ...(x.status ?? {}), phase: 'Terminating' };
    });
    return done(o, false);
  }
  if (graceful) return done(store.markDeleting(gr, nsKey, name, grace, withFinalizer), false);
  if (gcFinalizer && !(cur.metadata.deletionTimestamp && cur.metadata.finalizers?.includes(gcFinalizer))) {
    const o = structuredClone(cur);
    withFinalizer(o);
    o.metadata.deletionTimestamp ??= nowIso();
    o.metadata.deletionGracePeriodSeconds = 0;
    return done(store.update(gr, o), false);
  }
  const last = store.delete(gr, nsKey, name);
  const removed = !store.peek(gr, nsKey, name);
  if (removed && rt.plural === 'customresourcedefinitions' && rt.group === 'apiextensions.k8s.io') core.registry.removeCrd(name);
  return done(last, removed);
}
