/**
 * The API server's verbs on resources, shared by the HTTPS handlers and the in-process
 * InternalApi: namespacing, defaulting, validation, optimistic concurrency, dry-run, the patch
 * types, server-side apply, deletion with propagation, the scale and status subresources.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import YAML from 'yaml';
import { ApiError, badRequest, notFound } from '../errors.js';
import type { ObjectStore } from '../storage.js';
import type { KObj, GroupResource } from '../types.js';
import { Registry, storageKeyOf, type ResourceType } from '../registry/index.js';
import { applyDefaults, type DefaultingEnv } from './defaults.js';
import { validate } from './validate.js';
import { jsonPatch, mergePatch } from './patch.js';
import { strategicMergePatch, PatchError } from './strategic.js';
import { recordUpdate, serverSideApply } from './managed.js';
import { conversionFor } from './conversions.js';
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { dropFields, unknownFields } from './fields.js';
import { deleteObject } from './delete.js';
import { Admission } from './admission.js';
import { acceptCrd, applySchemaDefaults, pruneUnknown } from './crd-schema.js';
import { scaleOf, withScale } from './scale.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface WriteOpts {
  dryRun?: boolean;
  /** Set for REST writes: records managedFields under this manager. */
  fieldManager?: string;
  subresource?: string;
  /** InternalApi creates keep .status as given (scenarios seed status); REST creates reset it. */
  keepStatus?: boolean;
  /** The object's managedFields were computed already (server-side apply). */
  managedFieldsSet?: boolean;
  /** Unknown fields: Strict → 400, Warn → listed in `warnings`, Ignore/absent → accepted. */
  fieldValidation?: string;
  /** Filled with warnings for the client (the HTTP layer sends them as Warning headers). */
  warnings?: string[];
}

export interface DeleteOpts {
  dryRun?: boolean;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface ListOpts { labelSelector?: string; fieldSelector?: string }

const NS = { group: '', resource: 'namespaces' };
const CRDS = { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' };
const isObj = (v: unknown): v is Record<string, J> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nowIso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const gvString = (rt: ResourceType) => (rt.group ? `${rt.group}/${rt.version}` : rt.version);
const GEN_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

export class ApiCore implements DefaultingEnv {
  private nextIp = 10;
  private nextNodePort = 30000;
  /** Hooks run after a stored write (GC, namespace lifecycle, pod grace timers). */
  afterDelete: Array<(rt: ResourceType, obj: KObj, opts: DeleteOpts) => void> = [];
  /** Hooks run right after a stored create (a namespace's default ServiceAccount, before any pod can ask for it). */
  afterCreate: Array<(rt: ResourceType, obj: KObj) => void> = [];

  readonly admission: Admission;

  constructor(readonly store: ObjectStore, readonly registry: Registry) {
    this.admission = new Admission(store);
  }

  // ---- DefaultingEnv ----
  allocateClusterIP(): string {
    for (;;) {
      const n = this.nextIp++;
      const ip = `10.96.${Math.floor(n / 254) % 256}.${(n % 254) + 1}`;
      if (!this.store.list({ group: '', resource: 'services' }).items.some((s) => s.spec?.clusterIP === ip)) return ip;
    }
  }
  allocateNodePort(): number {
    const p = this.nextNodePort++;
    if (this.nextNodePort > 32767) this.nextNodePort = 30000;
    return p;
  }

  // ---- views ----
  /** The object as served by `rt` (events.k8s.io view, CRD version); may share the stored object. */
  view(rt: ResourceType, o: KObj): KObj {
    const conv = conversionFor(rt);
    if (conv) return conv.toView(o);
    const av = gvString(rt);
    return o.apiVersion === av && o.kind === rt.kind ? o : { ...o, apiVersion: av, kind: rt.kind };
  }

  private toStorage(rt: ResourceType, o: KObj): KObj {
    const conv = conversionFor(rt);
    if (conv) return conv.toStorage(o);
    if (rt.crd) {
      // Custom resources are stored as written; the stored apiVersion is the storage version.
      const crd = this.store.peek(CRDS, undefined, rt.crd);
      const sv = (crd?.spec?.versions ?? []).find((v: J) => v.storage)?.name ?? rt.version;
      return { ...o, apiVersion: `${rt.group}/${sv}`, kind: rt.kind };
    }
    return { ...o, apiVersion: gvString(rt), kind: rt.kind };
  }

  private gr(rt: ResourceType): GroupResource {
    return storageKeyOf(rt);
  }

  // ---- reads ----
  get(rt: ResourceType, ns: string | undefined, name: string): KObj {
    const o = this.store.peek(this.gr(rt), rt.namespaced ? ns : undefined, name);
    if (!o) throw notFound(rt.plural, name, rt.group);
    return this.view(rt, o);
  }

  /** Matching stored objects (shared, do not mutate) plus the list resourceVersion. */
  list(rt: ResourceType, ns: string | undefined, opts: ListOpts = {}): { items: KObj[]; resourceVersion: number } {
    const ls = parseLabelSelector(opts.labelSelector);
    const fs = parseFieldSelector(opts.fieldSelector, rt.kind);
    const { items, resourceVersion } = this.store.list(this.gr(rt), rt.namespaced ? ns : undefined);
    if (!ls.length && !fs.length) return { items, resourceVersion };
    const byKind = fs.filter((r) => !r.field.startsWith('metadata.'));
    const out: KObj[] = [];
    for (const o of items) {
      if (ls.length && !matchLabels(ls, o.metadata.labels)) continue;
      if (fs.length) {
        const metaOk = fs.every((r) => (r.field === 'metadata.name' ? (o.metadata.name === r.value) !== r.neq : r.field === 'metadata.namespace' ? ((o.metadata.namespace ?? '') === r.value) !== r.neq : true));
        if (!metaOk || !matchFields(byKind, o)) continue;
      }
      out.push(o);
    }
    return { items: out, resourceVersion };
  }

  // ---- shared write steps ----
  private checkBody(rt: ResourceType, body: J, ns: string | undefined): KObj {
    if (!isObj(body)) throw badRequest(`the body of the request was not a ${rt.kind} object`);
    const o = body as KObj;
    const want = gvString(rt);
    if (o.apiVersion !== undefined && o.apiVersion !== want) {
      throw badRequest(`the API version in the data (${o.apiVersion}) does not match the expected API version (${want})`);
    }
    if (o.kind !== undefined && o.kind !== rt.kind) throw badRequest(`the kind in the data (${o.kind}) does not match the expected kind (${rt.kind})`);
    o.apiVersion = want;
    o.kind = rt.kind;
    if (!isObj(o.metadata)) o.metadata = {};
    if (rt.namespaced) {
      if (o.metadata.namespace && ns && o.metadata.namespace !== ns) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      o.metadata.namespace = ns ?? o.metadata.namespace ?? 'default';
    } else {
      delete o.metadata.namespace;
    }
    return o;
  }

  private checkNamespace(rt: ResourceType, o: KObj): void {
    if (!rt.namespaced) return;
    const ns = this.store.peek(NS, undefined, o.metadata.namespace!);
    if (!ns) throw notFound('namespaces', o.metadata.namespace!);
    if (ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') {
      throw new ApiError(403, 'Forbidden',
        `${rt.plural}${rt.group ? `.${rt.group}` : ''} "${o.metadata.name ?? ''}" is forbidden: unable to create new content in namespace ${o.metadata.namespace} because it is being terminated`,
        { name: o.metadata.name, group: rt.group || undefined, kind: rt.plural, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${o.metadata.namespace} is being terminated`, field: 'metadata.namespace' }] });
    }
  }

  private finish(rt: ResourceType, o: KObj, old: KObj | undefined, opts: WriteOpts): void {
    const fv = opts.fieldValidation;
    if (fv !== undefined && fv !== 'Ignore' && fv !== 'Warn' && fv !== 'Strict') {
      throw badRequest(`fieldValidation: Unsupported value: "${fv}": supported values: "Ignore", "Strict", "Warn"`);
    }
    if (rt.crd && rt.schema) {
      // Custom resources are always pruned to their structural schema, then defaulted.
      const unknown = pruneUnknown(rt.schema, o);
      if (unknown.length && fv === 'Strict') {
        throw badRequest(`${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
      }
      if (fv === 'Warn') for (const f of unknown) opts.warnings?.push(`unknown field "${f}"`);
      applySchemaDefaults(rt.schema, o);
    } else if (fv !== undefined) {
      const unknown = unknownFields(o);
      if (unknown.length && fv === 'Strict') {
        throw badRequest(`${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
      }
      if (fv === 'Warn') for (const f of unknown) opts.warnings?.push(`unknown field "${f}"`);
      // Decoding into typed objects drops what the type does not have.
      dropFields(o, unknown);
    }
    applyDefaults(o, this, !old);
    if (rt.storage && rt.group === 'events.k8s.io') validate(o, this.registry.forResource('', 'events')!, old);
    else validate(o, rt, old);
    if (opts.fieldManager) recordUpdate(old ? this.view(rt, old) : undefined, o, opts.fieldManager, opts.subresource);
  }

  // ---- create ----
  create(rt: ResourceType, ns: string | undefined, body: J, opts: WriteOpts = {}): KObj {
    let o = this.checkBody(rt, body, ns);
    const seeded = opts.keepStatus === true && o.status !== undefined;
    const m = o.metadata;
    if (!m.name && m.generateName) {
      m.name = `${m.generateName}${Array.from(randomBytes(5), (b) => GEN_CHARS[b % GEN_CHARS.length]).join('')}`;
    }
    for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'selfLink']) delete m[k];
    if (!opts.keepStatus && rt.kind !== 'Node' && rt.subresources.includes('status')) delete o.status;
    this.checkNamespace(rt, o);
    this.finish(rt, o, undefined, opts);
    // Validating admission (ServiceAccount, ResourceQuota); a scenario's pre-seeded objects skip it.
    if (!seeded) this.admission.admitCreate(rt, o);
    if (opts.fieldManager && !m.managedFields) m.managedFields = [];
    const stored = this.toStorage(rt, o);
    const gr = this.gr(rt);
    if (opts.dryRun) {
      if (this.store.peek(gr, stored.metadata.namespace, stored.metadata.name!)) {
        throw new ApiError(409, 'AlreadyExists', `${rt.plural}${rt.group ? `.${rt.group}` : ''} "${m.name}" already exists`, { name: m.name, group: rt.group || undefined, kind: rt.plural });
      }
      o.metadata.uid ??= randomUUID();
      o.metadata.creationTimestamp = nowIso();
      if ('spec' in o) o.metadata.generation = 1;
      return o;
    }
    if (rt.plural === 'customresourcedefinitions' && rt.group === 'apiextensions.k8s.io') acceptCrd(stored);
    let created: KObj;
    try {
      created = this.store.create(gr, stored);
    } catch (e) {
      // Name the resource as the client asked for it (events.k8s.io, CR version).
      if (e instanceof ApiError && e.code === 409) throw new ApiError(409, 'AlreadyExists', `${rt.plural}${rt.group ? `.${rt.group}` : ''} "${m.name}" already exists`, { name: m.name, group: rt.group || undefined, kind: rt.plural });
      throw e;
    }
    if (rt.plural === 'customresourcedefinitions' && rt.group === 'apiextensions.k8s.io') this.registry.setCrd(created);
    for (const h of this.afterCreate) h(rt, created);
    o = this.view(rt, created);
    return o;
  }

  // ---- update (PUT) ----
  update(rt: ResourceType, ns: string | undefined, name: string, body: J, opts: WriteOpts = {}): KObj {
    const gr = this.gr(rt);
    const cur = this.store.peek(gr, rt.namespaced ? ns : undefined, name);
    if (!cur) throw notFound(rt.plural, name, rt.group);
    const o = this.checkBody(rt, body, ns);
    if (o.metadata.name && o.metadata.name !== name) {
      throw badRequest(`the name of the object (${o.metadata.name}) does not match the name on the URL (${name})`);
    }
    o.metadata.name = name;
    return this.write(rt, cur, o, opts);
  }

  /** The common tail of update and patch: subresource rules, defaults, validation, RV, store. */
  private write(rt: ResourceType, cur: KObj, incoming: KObj, opts: WriteOpts): KObj {
    const gr = this.gr(rt);
    const curView = this.view(rt, cur);
    let o: KObj;
    if (opts.subresource === 'status') {
      o = structuredClone(curView);
      o.status = incoming.status;
      if (incoming.metadata.resourceVersion) o.metadata.resourceVersion = incoming.metadata.resourceVersion;
    } else {
      o = incoming;
      if (rt.subresources.includes('status')) {
        if (curView.status === undefined) delete o.status;
        else o.status = structuredClone(curView.status);
      }
      for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation']) {
        if (curView.metadata[k] === undefined) delete o.metadata[k];
        else o.metadata[k] = curView.metadata[k];
      }
      if (!opts.fieldManager && !opts.managedFieldsSet) o.metadata.managedFields = curView.metadata.managedFields;
    }
    if (o.metadata.resourceVersion && o.metadata.resourceVersion !== cur.metadata.resourceVersion) {
      throw new ApiError(409, 'Conflict',
        `Operation cannot be fulfilled on ${rt.plural}${rt.group ? `.${rt.group}` : ''} "${cur.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name: cur.metadata.name, group: rt.group || undefined, kind: rt.plural });
    }
    if (opts.subresource !== 'status') this.finish(rt, o, cur, opts);
    else if (opts.fieldManager) recordUpdate(curView, o, opts.fieldManager, 'status');
    const stored = this.toStorage(rt, o);
    // Writes to the main resource never change status (kept in the stored shape: no lossy round trip).
    if (opts.subresource !== 'status' && rt.subresources.includes('status')) {
      if (cur.status === undefined) delete stored.status;
      else stored.status = cur.status;
    }
    if (opts.dryRun) {
      const probe = { ...stored, metadata: { ...stored.metadata, resourceVersion: cur.metadata.resourceVersion } };
      if ('spec' in probe && JSON.stringify(probe.spec) !== JSON.stringify(cur.spec)) probe.metadata.generation = (cur.metadata.generation ?? 0) + 1;
      return this.view(rt, probe);
    }
    const saved = this.store.update(gr, stored);
    if (rt.plural === 'customresourcedefinitions' && rt.group === 'apiextensions.k8s.io' && this.store.peek(gr, undefined, saved.metadata.name!)) this.registry.setCrd(saved);
    return this.view(rt, saved);
  }

  // ---- patch ----
  patch(rt: ResourceType, ns: string | undefined, name: string, contentType: string, raw: string, opts: WriteOpts & { force?: boolean } = {}): KObj {
    const gr = this.gr(rt);
    const cur = this.store.peek(gr, rt.namespaced ? ns : undefined, name);
    const type = contentType.split(';')[0]!.trim().toLowerCase();
    if (type === 'application/apply-patch+yaml' || type === 'application/apply-patch+cbor') {
      return this.apply(rt, ns, name, cur, raw, opts);
    }
    if (!cur) throw notFound(rt.plural, name, rt.group);
    let patch: J;
    try {
      patch = JSON.parse(raw);
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    const base = opts.subresource === 'scale' ? this.scaleOf(rt, cur) : structuredClone(this.view(rt, cur));
    let patched: J;
    try {
      switch (type) {
        case 'application/json-patch+json': patched = jsonPatch(base, patch); break;
        case 'application/merge-patch+json':
          if (!isObj(patch)) throw badRequest('merge patch must be a JSON object');
          patched = mergePatch(base, patch);
          break;
        case 'application/strategic-merge-patch+json':
          if (rt.crd) {
            throw new ApiError(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
          }
          patched = strategicMergePatch(base, patch, rt.kind);
          break;
        default:
          throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
      }
    } catch (e) {
      if (e instanceof PatchError) throw badRequest(e.message);
      throw e;
    }
    if (!isObj(patched)) throw badRequest('the patch did not produce an object');
    if (opts.subresource === 'scale') return this.writeScale(rt, cur, patched, opts);
    patched.metadata = isObj(patched.metadata) ? patched.metadata : {};
    // A patch may carry a resourceVersion precondition; otherwise it applies to the current one.
    const precondition = isObj(patch) && isObj(patch.metadata) ? patch.metadata.resourceVersion : undefined;
    patched.metadata.resourceVersion = precondition ?? cur.metadata.resourceVersion;
    patched.metadata.name = name;
    const o = this.checkBody(rt, patched, ns);
    return this.write(rt, cur, o, opts);
  }

  private apply(rt: ResourceType, ns: string | undefined, name: string, cur: KObj | undefined, raw: string, opts: WriteOpts & { force?: boolean }): KObj {
    let cfg: J;
    try {
      cfg = YAML.parse(raw);
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
    if (!isObj(cfg)) throw badRequest('the apply configuration must be an object');
    if (!opts.fieldManager) throw badRequest('PATCH requests with apply content type must specify fieldManager');
    if (!cfg.apiVersion || !cfg.kind) throw badRequest('apiVersion and kind must be set in an apply configuration');
    const c = this.checkBody(rt, cfg, ns);
    if (c.metadata.name && c.metadata.name !== name) throw badRequest(`the name of the object (${c.metadata.name}) does not match the name on the URL (${name})`);
    c.metadata.name = name;
    if (!cur) {
      const merged = serverSideApply(undefined, c, opts.fieldManager, Boolean(opts.force), opts.subresource);
      return this.create(rt, ns, merged, { ...opts, fieldManager: undefined });
    }
    const curView = this.view(rt, cur);
    const merged = serverSideApply(curView, c, opts.fieldManager, Boolean(opts.force), opts.subresource);
    merged.metadata.resourceVersion = cur.metadata.resourceVersion;
    return this.write(rt, cur, merged, { ...opts, fieldManager: undefined, managedFieldsSet: true });
  }

  // ---- scale subresource (scale.ts) ----
  scaleOf(rt: ResourceType, cur: KObj): KObj {
    return scaleOf(rt, cur);
  }

  getScale(rt: ResourceType, ns: string | undefined, name: string): KObj {
    const cur = this.store.peek(this.gr(rt), rt.namespaced ? ns : undefined, name);
    if (!cur) throw notFound(rt.plural, name, rt.group);
    return scaleOf(rt, cur);
  }

  updateScale(rt: ResourceType, ns: string | undefined, name: string, body: J, opts: WriteOpts = {}): KObj {
    const cur = this.store.peek(this.gr(rt), rt.namespaced ? ns : undefined, name);
    if (!cur) throw notFound(rt.plural, name, rt.group);
    if (!isObj(body) || (body.kind !== undefined && body.kind !== 'Scale')) throw badRequest('the body of the request was not a Scale object');
    return this.writeScale(rt, cur, body, opts);
  }

  private writeScale(rt: ResourceType, cur: KObj, scale: J, opts: WriteOpts): KObj {
    const saved = this.write(rt, cur, withScale(rt, this.view(rt, cur), cur, scale), { ...opts, subresource: undefined });
    return scaleOf(rt, saved);
  }

  // ---- delete (delete.ts) ----
  delete(rt: ResourceType, ns: string | undefined, name: string, opts: DeleteOpts = {}): { object: KObj; removed: boolean } {
    return deleteObject(this, rt, ns, name, opts);
  }
}
