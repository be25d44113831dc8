/**
 * What plan builders are given: a way to read the cluster (never to write it), kinds from
 * discovery, the current namespace, and hooks for files and the editor.
 */
import type { ResourceKind } from '../../kube/types.js';
import type { KubeRequester } from '../../kube/request.js';
import type { KindIndex } from '../kinds.js';
import { classify } from '../safety.js';
import { hashRequest, objectPathOf, type Step, type StepOp, type StepRequest, type Target, type VerifySpec } from '../plan.js';
import { OpsInputError } from './errors.js';

export interface MarkedRow { kind: ResourceKind; namespace?: string; name: string }

export interface OpsEnv {
  client: KubeRequester;
  kinds: KindIndex;
  /** Namespace used when a command names none. */
  namespace: string;
  cwd: string;
  /** Opens the user's editor on text and returns the edited text (the cockpit suspends its screen). */
  editText?: (text: string, fileName: string) => Promise<string>;
  /** Rows marked in the cockpit's table (for `delete marked`). */
  marked?: MarkedRow[];
  /** Field manager name sent with server-side apply. */
  fieldManager?: string;
  /** Limits on what apply -f reads (ops.maxApplyBytes, ops.maxApplyDocs). */
  limits?: { maxBytes: number; maxDocs: number };
}

export function resolveKind(env: OpsEnv, name: string): ResourceKind {
  const k = env.kinds.resolve(name);
  if (!k) throw new OpsInputError(`the server doesn't have a resource type "${name}"`);
  return k;
}

export function targetOf(kind: ResourceKind, name: string, namespace: string | undefined): Target {
  return { group: kind.group, version: kind.version, resource: kind.resource, kind: kind.kind, name, ...(kind.namespaced ? { namespace } : {}) };
}

/** "deploy/web", or "deploy web" (two positionals) → kind + names. Returns how many positionals were used. */
export function parseTargets(env: OpsEnv, positionals: string[], command: string, opts: { many?: boolean } = {}): { kind: ResourceKind; names: string[]; used: number }[] {
  if (positionals.length === 0) throw new OpsInputError(`${command}: name a resource, e.g. "${command} deploy/web"`);
  const first = positionals[0]!;
  if (first.includes('/')) {
    const out: { kind: ResourceKind; names: string[]; used: number }[] = [];
    let i = 0;
    for (; i < positionals.length && positionals[i]!.includes('/') && !positionals[i]!.includes('='); i++) {
      const [k, n] = positionals[i]!.split('/', 2) as [string, string];
      if (!n) throw new OpsInputError(`${command}: '${positionals[i]}' names no object`);
      out.push({ kind: resolveKind(env, k), names: [n], used: 1 });
      if (!opts.many) break;
    }
    return out;
  }
  const kind = resolveKind(env, first);
  if (positionals.length < 2) return [{ kind, names: [], used: 1 }];
  if (!opts.many) return [{ kind, names: [positionals[1]!], used: 2 }];
  const names = positionals.slice(1).filter((p) => !p.includes('='));
  return [{ kind, names, used: 1 + names.length }];
}

export function namespaceFor(env: OpsEnv, flagNs: string | undefined): string {
  return flagNs ?? env.namespace;
}

export interface StepInit {
  title: string;
  op: StepOp;
  request: Omit<StepRequest, 'query'> & { query?: StepRequest['query'] };
  target: Target;
  objectPath?: string;
  verify?: VerifySpec;
  warnings?: string[];
}

/** Builds a step: classifies it by rule and hashes its exact request. */
export function makeStep(init: StepInit): Step {
  const request: StepRequest = { ...init.request, query: init.request.query ?? [] };
  const { class: cls, reason } = classify(init.op, request, init.target);
  return {
    title: init.title,
    class: cls,
    classReasons: [reason],
    op: init.op,
    request,
    target: init.target,
    objectPath: init.objectPath ?? objectPathOf(init.target),
    hash: hashRequest(request),
    verify: init.verify ?? { kind: 'none' },
    warnings: init.warnings ?? [],
  };
}

export const json = (v: unknown): string => JSON.stringify(v);

/** Reads a live object or fails with one clear line. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function getLive(env: OpsEnv, t: Target): Promise<any> {
  const obj = await env.client.getJson(objectPathOf(t));
  if (!obj) throw new OpsInputError(`${t.resource}${t.group ? '.' + t.group : ''} "${t.name}" not found${t.namespace ? ` in namespace "${t.namespace}"` : ''}`);
  return obj;
}

/** Lists objects of a kind (namespace optional, label selector optional). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function listLive(env: OpsEnv, kind: ResourceKind, namespace: string | undefined, query: Array<[string, string]> = []): Promise<any[]> {
  const path = objectPathOf({ group: kind.group, version: kind.version, resource: kind.resource, namespace: kind.namespaced ? namespace : undefined, name: '' });
  const res = await env.client.request({ method: 'GET', path, query });
  if (res.status >= 400) throw new OpsInputError(res.json?.message ?? `listing ${kind.resource} failed: HTTP ${res.status}`);
  return res.json?.items ?? [];
}

export const WORKLOADS = new Set(['deployments', 'statefulsets', 'daemonsets', 'replicasets']);
export function rolloutVerify(kind: ResourceKind): VerifySpec {
  return kind.group === 'apps' && ['deployments', 'statefulsets', 'daemonsets'].includes(kind.resource) ? { kind: 'rollout' } : { kind: 'none' };
}
