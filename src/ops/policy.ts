/**
 * Team policies: YAML files of simple rules (policies/*.yaml in the config dir, or --policies DIR).
 * A plan that breaks a rule is blocked, and the preview names the rule. Rules:
 *   deny: { ops, resources, namespaces, classes }   — e.g. no deletes in namespace prod
 *   maxReplicas: N                                   — replicas ≤ N after the change
 *   allowedRegistries: [prefix, …]                   — every image starts with one of them
 *   requirePodDisruptionBudget: true                 — workloads changed need a PDB selecting their pods
 * Each rule may narrow itself with `namespaces: [...]`; `raiseClass` only raises a step's class.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { KubeRequester } from '../kube/request.js';
import type { Step } from './plan.js';
import type { SafetyClass } from './safety.js';
import { matches } from './selectors.js';

export interface PolicyRule {
  name: string;
  file?: string;
  namespaces?: string[];
  deny?: { ops?: string[]; resources?: string[]; namespaces?: string[]; classes?: SafetyClass[] };
  maxReplicas?: number;
  allowedRegistries?: string[];
  requirePodDisruptionBudget?: boolean;
  raiseClass?: SafetyClass;
  message?: string;
}

export interface Violation { rule: string; file?: string; step: number; message: string }

const KNOWN = new Set(['name', 'namespaces', 'deny', 'maxReplicas', 'allowedRegistries', 'requirePodDisruptionBudget', 'raiseClass', 'message', 'resources']);

/** Reads every *.yaml / *.yml in the directories; a malformed file is an error naming it. */
export function loadPolicies(dirs: string[]): PolicyRule[] {
  const rules: PolicyRule[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((x) => /\.ya?ml$/.test(x)).sort()) {
      const file = join(dir, f);
      let doc: unknown;
      try { doc = parse(readFileSync(file, 'utf8')); } catch (e) { throw new Error(`policy file ${file}: ${(e as Error).message.split('\n')[0]}`); }
      const list = Array.isArray(doc) ? doc : (doc as { rules?: unknown[] } | null)?.rules ?? (doc ? [doc] : []);
      for (const [i, r] of (list as Array<Record<string, unknown>>).entries()) {
        if (!r || typeof r !== 'object') throw new Error(`policy file ${file}: rule ${i + 1} is not a mapping`);
        const unknown = Object.keys(r).filter((k) => !KNOWN.has(k));
        if (unknown.length) throw new Error(`policy file ${file}: rule ${i + 1} has unknown key(s) ${unknown.join(', ')}`);
        if (typeof r.name !== 'string') throw new Error(`policy file ${file}: rule ${i + 1} needs a name`);
        if (r.maxReplicas !== undefined && typeof r.maxReplicas !== 'number') throw new Error(`policy file ${file}: rule "${r.name}": maxReplicas must be a number`);
        rules.push({ ...(r as unknown as PolicyRule), file });
      }
    }
  }
  return rules;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;
export interface StepState { step: Step; after?: Obj; before?: Obj }

function inScope(rule: PolicyRule, ns: string | undefined): boolean {
  return !rule.namespaces || (ns !== undefined && rule.namespaces.includes(ns));
}

function podSpecOf(o: Obj): Obj {
  if (!o) return undefined;
  if (o.kind === 'Pod') return o.spec;
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template?.spec;
  return o.spec?.template?.spec;
}

/** Steps a rule would raise to another class (applied by the preview; never lowers). */
export function raisedClasses(rules: PolicyRule[], steps: Step[]): Array<{ index: number; to: SafetyClass; rule: string }> {
  const out: Array<{ index: number; to: SafetyClass; rule: string }> = [];
  steps.forEach((s, index) => {
    for (const r of rules) if (r.raiseClass && inScope(r, s.target.namespace) && (!r.deny || denyMatches(r, s))) out.push({ index, to: r.raiseClass, rule: r.name });
  });
  return out;
}

function denyMatches(r: PolicyRule, s: Step): boolean {
  const d = r.deny!;
  const op = s.op === 'evict' ? ['evict', 'delete'] : [s.op];
  if (d.ops && !d.ops.some((o) => op.includes(o as never) || (o === 'delete' && s.request.method === 'DELETE'))) return false;
  if (d.resources && !d.resources.includes(s.target.resource)) return false;
  if (d.namespaces && !(s.target.namespace !== undefined && d.namespaces.includes(s.target.namespace)) && !(s.target.resource === 'namespaces' && d.namespaces.includes(s.target.name))) return false;
  if (d.classes && !d.classes.includes(s.class)) return false;
  return true;
}

/** Checks a previewed plan against the rules. */
export async function checkPolicies(rules: PolicyRule[], states: StepState[], client?: KubeRequester): Promise<Violation[]> {
  const out: Violation[] = [];
  for (const [i, { step, after }] of states.entries()) {
    const ns = step.target.namespace;
    for (const r of rules) {
      const v = (message: string) => out.push({ rule: r.name, file: r.file, step: i, message: r.message ?? message });
      if (r.deny && !r.raiseClass && inScope(r, ns) && denyMatches(r, step)) v(`step ${i + 1} (${step.title}) is not allowed`);
      if (!inScope(r, ns)) continue;
      if (r.maxReplicas !== undefined && typeof after?.spec?.replicas === 'number' && after.spec.replicas > r.maxReplicas) {
        v(`${step.target.resource}/${step.target.name} would have ${after.spec.replicas} replicas (at most ${r.maxReplicas})`);
      }
      if (r.allowedRegistries && after) {
        const ps = podSpecOf(after);
        for (const c of [...(ps?.containers ?? []), ...(ps?.initContainers ?? [])]) {
          if (typeof c.image === 'string' && !r.allowedRegistries.some((p) => c.image.startsWith(p))) v(`image ${c.image} (container ${c.name}) is not from ${r.allowedRegistries.join(' or ')}`);
        }
      }
      if (r.requirePodDisruptionBudget && after && client && ns && ['Deployment', 'StatefulSet', 'ReplicaSet'].includes(after.kind) && step.request.method !== 'DELETE') {
        const res = await client.request({ method: 'GET', path: `/apis/policy/v1/namespaces/${encodeURIComponent(ns)}/poddisruptionbudgets` });
        const pdbs: Obj[] = res.status < 300 ? res.json?.items ?? [] : [];
        const labels = after.spec?.template?.metadata?.labels;
        if (!pdbs.some((p) => matches(p.spec?.selector, labels))) v(`${after.kind.toLowerCase()}s/${after.metadata.name} in ${ns} has no PodDisruptionBudget`);
      }
    }
  }
  return out;
}
