/**
 * The REST handlers for resources: /api/v1/... and /apis/<group>/<version>/... → get, list,
 * watch, create, update, patch, delete, deletecollection, and the status/scale/binding/eviction
 * subresources. Streaming subresources (log, exec, attach, portforward, proxy) are left to the
 * plugins (answering false).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, notFound } from '../errors.js';
import type { ObjectStore } from '../storage.js';
import type { KObj } from '../types.js';
import { storageKeyOf, type Registry, type ResourceType } from '../registry/index.js';
import type { ApiCore, DeleteOpts } from './core.js';
import { decodeBody, isProtobuf, sendJson, statusSuccess, unsupportedProtobuf } from './http.js';
import { tableJson } from './tables.js';
import { requestUser } from './authz.js';
import { answerReview, type ReviewDeps } from './reviews.js';
import { serveWatch } from './watch.js';
import { queryBool } from './query.js';
import { deleteResponse } from './delete.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const PLUGIN_SUBRESOURCES = new Set(['log', 'exec', 'attach', 'portforward', 'proxy']);

export interface ResourcePath {
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  legacyWatch: boolean;
}

/** Resolves /api/v1/... or /apis/g/v/... to a resource type; undefined when not a resource path. */
export function parseResourcePath(registry: Registry, pathname: string): ResourcePath | { unknown: string } | undefined {
  let segs: string[];
  try {
    segs = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return { unknown: pathname };
  }
  let group: string, version: string, rest: string[];
  if (segs[0] === 'api' && segs.length >= 2) {
    group = '';
    version = segs[1]!;
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 3) {
    group = segs[1]!;
    version = segs[2]!;
    rest = segs.slice(3);
  } else return undefined;
  if (!rest.length) return undefined;
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined, plural: string, name: string | undefined, sub: string | undefined;
  const nsSub = group === '' && rest[0] === 'namespaces' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize');
  if (rest[0] === 'namespaces' && rest.length >= 3 && !nsSub) {
    namespace = rest[1];
    plural = rest[2]!;
    name = rest[3];
    sub = rest[4];
    if (rest.length > 5) return { unknown: pathname };
  } else {
    plural = rest[0]!;
    name = rest[1];
    sub = rest[2];
    if (rest.length > 3) return { unknown: pathname };
  }
  const rt = registry.find(group, version, plural);
  if (!rt) return { unknown: pathname };
  if (namespace !== undefined && !rt.namespaced) return { unknown: pathname };
  return { rt, namespace, name, subresource: sub, legacyWatch };
}

/** `Accept: application/json;as=PartialObjectMetadata[List];g=meta.k8s.io;v=v1` (metadata-only clients). */
function wantsPartial(accept: string | undefined): boolean {
  return /as=PartialObjectMetadata/.test(accept ?? '') && /g=meta\.k8s\.io/.test(accept ?? '') && !wantsTable(accept);
}

export function partialOf(o: KObj): KObj {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '') && /g=meta\.k8s\.io/.test(accept ?? '');
}

function dryRunOf(q: URLSearchParams, body?: J): boolean {
  const vals = [...q.getAll('dryRun'), ...(Array.isArray(body?.dryRun) ? body.dryRun : [])];
  for (const v of vals) if (v !== 'All') throw badRequest(`Invalid dryRun value: ${JSON.stringify(v)}; only "All" is supported`);
  return vals.length > 0;
}

function defaultManager(req: IncomingMessage): string {
  const ua = String(req.headers['user-agent'] ?? 'unknown');
  return ua.split('/')[0]!.trim() || 'unknown';
}

function encodeContinue(rv: number, after: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: after })).toString('base64url');
}

function decodeContinue(token: string): { rv: number; start: string } {
  try {
    const o = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof o.start !== 'string') throw new Error('bad');
    return o;
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

export class RestHandler {
  /** Open watches; closing them makes clients re-watch (or relist after a compaction). */
  readonly activeWatches = new Set<() => void>();
  /** The RBAC authorizer and token lookup the review kinds answer from (set by startSim). */
  reviews: Omit<ReviewDeps, 'registry'> = {};

  constructor(private readonly store: ObjectStore, private readonly core: ApiCore, private readonly registry: Registry, private readonly bookmarkEveryMs = 5_000) {}

  /** Answers a resource request; false when it is not ours (plugins or 404 next). */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string): boolean {
    const parsed = parseResourcePath(this.registry, url.pathname);
    if (!parsed || 'unknown' in parsed) return false;
    const { rt, namespace, name, subresource } = parsed;
    if (subresource && PLUGIN_SUBRESOURCES.has(subresource)) return false;
    if (subresource && !rt.subresources.includes(subresource)) throw notFound(`${rt.plural}/${subresource}`, name ?? '', rt.group);
    const q = url.searchParams;
    const method = req.method ?? 'GET';
    const ct = String(req.headers['content-type'] ?? '');
    if (method === 'PATCH' && isProtobuf(ct)) throw unsupportedProtobuf();

    if (method === 'GET' && (!name || parsed.legacyWatch)) {
      const watch = parsed.legacyWatch || queryBool(q.get('watch'));
      if (watch) {
        let fieldSelector = q.get('fieldSelector') ?? undefined;
        if (parsed.legacyWatch && name) fieldSelector = [`metadata.name=${name}`, fieldSelector].filter(Boolean).join(',');
        serveWatch(req, res, this.store, this.core, rt, {
          namespace, labelSelector: q.get('labelSelector') ?? undefined, fieldSelector,
          resourceVersion: q.get('resourceVersion') ?? undefined,
          allowWatchBookmarks: queryBool(q.get('allowWatchBookmarks')),
          timeoutSeconds: q.has('timeoutSeconds') ? Number(q.get('timeoutSeconds')) : undefined,
          table: wantsTable(String(req.headers.accept ?? '')),
          partial: wantsPartial(String(req.headers.accept ?? '')),
          includeObject: q.get('includeObject') ?? undefined,
          active: this.activeWatches,
          bookmarkEveryMs: this.bookmarkEveryMs,
        });
        return true;
      }
      this.list(req, res, rt, namespace, q);
      return true;
    }

    if (rt.group === 'authorization.k8s.io' || rt.group === 'authentication.k8s.io') {
      if (method !== 'POST' || name) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
      sendJson(res, 201, answerReview({ registry: this.registry, ...this.reviews }, rt, namespace, decodeBody(rawBody, ct), requestUser(req)));
      return true;
    }
    const dry = () => dryRunOf(q);
    const manager = q.get('fieldManager') ?? defaultManager(req);
    // Unknown fields: 400 with fieldValidation=Strict (what kubectl sends), warnings by default.
    const warnings: string[] = [];
    const fieldValidation = q.get('fieldValidation') ?? 'Warn';
    const warn = () => {
      if (warnings.length) res.setHeader('Warning', warnings.map((w) => `299 - ${JSON.stringify(w)}`));
    };
    switch (method) {
      case 'GET': {
        if (subresource === 'scale') return this.reply(res, 200, this.core.getScale(rt, namespace, name!));
        const o = this.core.get(rt, namespace, name!);
        if (wantsTable(String(req.headers.accept ?? ''))) {
          // Printers read the stored shape (core events, autoscaling/v2).
          const stored = this.store.peek(storageKeyOf(rt), rt.namespaced ? namespace : undefined, name!) ?? o;
          sendJson(res, 200, tableJson(rt, [stored], { resourceVersion: o.metadata.resourceVersion }, q.get('includeObject') ?? undefined));
          return true;
        }
        return this.reply(res, 200, wantsPartial(String(req.headers.accept ?? '')) ? partialOf(o) : o);
      }
      case 'POST': {
        if (name && subresource === 'eviction') return this.evict(res, rt, namespace, name, rawBody, ct, q);
        if (name && subresource === 'binding') return this.bind(res, rt, namespace, name, rawBody, ct);
        if (name) throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
        const body = decodeBody(rawBody, ct) as J;
        // A CSR records who asked for it (the registry's PrepareForCreate), whatever the body says.
        if (rt.plural === 'certificatesigningrequests' && body && typeof body === 'object') {
          const who = requestUser(req);
          body.spec = { ...(body.spec ?? {}), username: who.name, groups: who.groups };
        }
        const o = this.core.create(rt, namespace, body, { dryRun: dry(), fieldManager: manager, fieldValidation, warnings });
        warn();
        return this.reply(res, 201, o);
      }
      case 'PUT': {
        if (!name) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        const body = decodeBody(rawBody, ct);
        if (subresource === 'scale') return this.reply(res, 200, this.core.updateScale(rt, namespace, name, body, { dryRun: dry(), fieldManager: manager }));
        const o = this.core.update(rt, namespace, name, body, { dryRun: dry(), fieldManager: manager, subresource: subresource === 'status' || subresource === 'approval' ? 'status' : undefined, fieldValidation, warnings });
        warn();
        return this.reply(res, 200, o);
      }
      case 'PATCH': {
        if (!name) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        if (!rawBody.trim()) throw badRequest('the request body is empty; expected a patch');
        const created = !this.store.peek(storageKeyOf(rt), rt.namespaced ? namespace : undefined, name);
        const o = this.core.patch(rt, namespace, name, ct, rawBody, {
          dryRun: dry(), fieldManager: q.get('fieldManager') ?? (ct.includes('apply-patch') ? undefined : manager), force: queryBool(q.get('force')),
          subresource: subresource === 'status' || subresource === 'scale' ? subresource : subresource === 'approval' ? 'status' : undefined,
          fieldValidation, warnings,
        });
        warn();
        return this.reply(res, created && ct.includes('apply-patch') ? 201 : 200, o);
      }
      case 'DELETE': {
        let body: J = {};
        if (rawBody.trim()) body = decodeBody(rawBody, ct);
        // The deprecated orphanDependents (query or body) still maps to a policy; false also asks for 202.
        const orphanDependents: boolean | undefined = q.has('orphanDependents') ? queryBool(q.get('orphanDependents')) : typeof body.orphanDependents === 'boolean' ? body.orphanDependents : undefined;
        const opts: DeleteOpts = {
          dryRun: dryRunOf(q, body),
          propagationPolicy: (q.get('propagationPolicy') ?? body.propagationPolicy ?? (orphanDependents === true ? 'Orphan' : orphanDependents === false ? 'Background' : undefined)) as DeleteOpts['propagationPolicy'],
          gracePeriodSeconds: q.has('gracePeriodSeconds') ? Number(q.get('gracePeriodSeconds')) : body.gracePeriodSeconds,
          preconditions: body.preconditions,
        };
        if (opts.propagationPolicy && !['Background', 'Foreground', 'Orphan'].includes(opts.propagationPolicy)) {
          throw badRequest(`propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`);
        }
        if (!name) return this.deleteCollection(res, rt, namespace, q, opts);
        const { object, removed } = this.core.delete(rt, namespace, name, opts);
        const { code, body: answer } = deleteResponse(rt, object, removed, orphanDependents === false);
        sendJson(res, code, answer);
        return true;
      }
      default:
        throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
  }

  private reply(res: ServerResponse, code: number, o: KObj): true {
    sendJson(res, code, o);
    return true;
  }

  private list(req: IncomingMessage, res: ServerResponse, rt: ResourceType, ns: string | undefined, q: URLSearchParams): void {
    const { items, resourceVersion } = this.core.list(rt, ns, { labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined });
    let page = items;
    const meta: Record<string, J> = { resourceVersion: String(resourceVersion) };
    const cont = q.get('continue');
    if (cont) {
      const { start } = decodeContinue(cont);
      const key = (o: KObj) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      let lo = 0, hi = page.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (key(page[mid]!) <= start) lo = mid + 1;
        else hi = mid;
      }
      page = page.slice(lo);
    }
    const limit = Number(q.get('limit') ?? 0);
    if (limit > 0 && page.length > limit) {
      const last = page[limit - 1]!;
      meta.continue = encodeContinue(resourceVersion, `${last.metadata.namespace ?? ''}/${last.metadata.name}`);
      // The real server cannot count ahead through a selector: it leaves remainingItemCount unset then.
      if (!q.get('labelSelector') && !q.get('fieldSelector')) meta.remainingItemCount = page.length - limit;
      page = page.slice(0, limit);
    }
    if (wantsTable(String(req.headers.accept ?? ''))) {
      sendJson(res, 200, tableJson(rt, page, meta, q.get('includeObject') ?? undefined));
      return;
    }
    if (wantsPartial(String(req.headers.accept ?? ''))) {
      const parts = page.map((o) => JSON.stringify(partialOf(o)));
      sendJson(res, 200, `{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","metadata":${JSON.stringify(meta)},"items":[${parts.join(',')}]}`);
      return;
    }
    const apiVersion = rt.group ? `${rt.group}/${rt.version}` : rt.version;
    // Built by hand so 20k stored objects are serialised without copying them first.
    const head = `{"kind":"${rt.listKind}","apiVersion":"${apiVersion}","metadata":${JSON.stringify(meta)},"items":[`;
    const parts = page.map((o) => JSON.stringify(this.core.view(rt, o)));
    sendJson(res, 200, `${head}${parts.join(',')}]}`);
  }

  private deleteCollection(res: ServerResponse, rt: ResourceType, ns: string | undefined, q: URLSearchParams, opts: DeleteOpts): true {
    if (!rt.verbs.includes('deletecollection')) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const { items, resourceVersion } = this.core.list(rt, ns, { labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined });
    const out: KObj[] = [];
    for (const o of [...items]) {
      try {
        out.push(this.core.delete(rt, o.metadata.namespace, o.metadata.name!, opts).object);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 404)) throw e;
      }
    }
    sendJson(res, 200, { kind: rt.listKind, apiVersion: rt.group ? `${rt.group}/${rt.version}` : rt.version, metadata: { resourceVersion: String(resourceVersion) }, items: out });
    return true;
  }

  private evict(res: ServerResponse, rt: ResourceType, ns: string | undefined, name: string, raw: string, ct: string, q: URLSearchParams = new URLSearchParams()): true {
    const body: J = raw.trim() ? decodeBody(raw, ct) : {};
    const opts = body.deleteOptions ?? {};
    const dryRun = dryRunOf(q, opts);
    this.checkDisruptionBudget(rt, ns, name, dryRun);
    this.core.delete(rt, ns, name, { dryRun, gracePeriodSeconds: opts.gracePeriodSeconds, preconditions: opts.preconditions });
    sendJson(res, 201, statusSuccess());
    return true;
  }

  /**
   * As the real eviction handler: a running pod covered by a PodDisruptionBudget that allows no
   * disruption now is refused with 429; an allowed eviction uses one disruption up (the
   * disruption controller recomputes the budget afterwards). (Added by the ops engineer.)
   */
  private checkDisruptionBudget(rt: ResourceType, ns: string | undefined, name: string, dryRun: boolean): void {
    const pod = this.core.get(rt, ns, name);
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed' || pod.metadata.deletionTimestamp) return;
    const gr = { group: 'policy', resource: 'poddisruptionbudgets' };
    const labels: Record<string, string> = pod.metadata.labels ?? {};
    const covers = (sel: J): boolean => {
      if (!sel) return false;
      for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
      for (const e of (sel.matchExpressions ?? []) as J[]) {
        const has = e.key in labels;
        if (e.operator === 'In' && !(has && e.values?.includes(labels[e.key]))) return false;
        if (e.operator === 'NotIn' && has && e.values?.includes(labels[e.key])) return false;
        if (e.operator === 'Exists' && !has) return false;
        if (e.operator === 'DoesNotExist' && has) return false;
      }
      return true;
    };
    const pdbs = this.store.list(gr, ns).items.filter((p) => covers(p.spec?.selector));
    if (pdbs.length === 0) return;
    if (pdbs.length > 1) throw new ApiError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    const pdb = pdbs[0]!;
    const allowed = Number(pdb.status?.disruptionsAllowed ?? 0);
    if (allowed < 1) {
      throw new ApiError(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.",
        { causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} needs ${pdb.status?.desiredHealthy ?? '?'} healthy pods and has ${pdb.status?.currentHealthy ?? '?'} currently` }] });
    }
    if (!dryRun) this.store.update(gr, { ...pdb, status: { ...pdb.status, disruptionsAllowed: allowed - 1 } });
  }

  private bind(res: ServerResponse, rt: ResourceType, ns: string | undefined, name: string, raw: string, ct: string): true {
    const body: J = decodeBody(raw, ct);
    const node = body?.target?.name;
    if (!node) throw badRequest('a Binding needs target.name');
    const pod = this.core.get(rt, ns, name);
    if (pod.spec?.nodeName) throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    const o = structuredClone(pod);
    o.spec.nodeName = node;
    this.store.update({ group: '', resource: 'pods' }, o);
    sendJson(res, 201, statusSuccess());
    return true;
  }
}
