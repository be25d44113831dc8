/** cordon, uncordon, drain (cordon + one eviction per pod; PodDisruptionBudgets are enforced by the server). */
import { objectPathOf, type Step } from '../plan.js';
import { OpsInputError } from './errors.js';
import { bool, parseArgs } from './tokens.js';
import { json, getLive, listLive, makeStep, resolveKind, targetOf, type OpsEnv } from './env.js';

const SMP = 'application/strategic-merge-patch+json';

function nodeTarget(env: OpsEnv, positionals: string[], command: string) {
  const names = positionals.map((p) => p.replace(/^(nodes?|no)\//, ''));
  if (names.length === 0) throw new OpsInputError(`${command}: name a node`);
  return names.map((n) => targetOf(resolveKind(env, 'nodes'), n, undefined));
}

export async function cordon(env: OpsEnv, tokens: string[], on: boolean): Promise<Step[]> {
  const command = on ? 'cordon' : 'uncordon';
  const a = parseArgs(tokens, {}, command);
  const steps: Step[] = [];
  for (const t of nodeTarget(env, a.positionals, command)) {
    await getLive(env, t);
    steps.push(makeStep({ title: `${command} node ${t.name}`, op: on ? 'cordon' : 'uncordon', target: t,
      request: { method: 'PATCH', path: objectPathOf(t), contentType: SMP, body: json({ spec: { unschedulable: on ? true : null } }) } }));
  }
  return steps;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Pod = any;

/** kubectl drain's filters: which pods are evicted, skipped, or block the drain. */
export function drainFilter(pods: Pod[], opts: { ignoreDaemonSets: boolean; deleteEmptyDirData: boolean; force: boolean }) {
  const evict: Pod[] = [];
  const skipped: string[] = [];
  const blockers: string[] = [];
  for (const p of pods) {
    const id = `${p.metadata.namespace}/${p.metadata.name}`;
    if (p.metadata.annotations?.['kubernetes.io/config.mirror']) { skipped.push(`${id} (mirror pod)`); continue; }
    if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') { evict.push(p); continue; }
    const ctrl = (p.metadata.ownerReferences ?? []).find((o: { controller?: boolean }) => o.controller);
    if (ctrl?.kind === 'DaemonSet') {
      if (opts.ignoreDaemonSets) skipped.push(`${id} (DaemonSet)`);
      else blockers.push(`${id} is managed by a DaemonSet (use --ignore-daemonsets)`);
      continue;
    }
    if (!ctrl && !opts.force) { blockers.push(`${id} is not managed by a controller and would be lost (use --force)`); continue; }
    if ((p.spec?.volumes ?? []).some((v: { emptyDir?: unknown }) => v.emptyDir) && !opts.deleteEmptyDirData) {
      blockers.push(`${id} has local emptyDir data (use --delete-emptydir-data)`);
      continue;
    }
    evict.push(p);
  }
  return { evict, skipped, blockers };
}

export async function drain(env: OpsEnv, tokens: string[]): Promise<Step[]> {
  const a = parseArgs(tokens, { bools: { 'ignore-daemonsets': '', 'delete-emptydir-data': '', force: '' } }, 'drain');
  const opts = { ignoreDaemonSets: bool(a, 'ignore-daemonsets'), deleteEmptyDirData: bool(a, 'delete-emptydir-data'), force: bool(a, 'force') };
  const podKind = resolveKind(env, 'pods');
  const steps: Step[] = [];
  for (const t of nodeTarget(env, a.positionals, 'drain')) {
    await getLive(env, t);
    // Always cordon first (idempotent); this step also carries the node-level check: drained.
    steps.push(makeStep({ title: `cordon node ${t.name}`, op: 'cordon', target: t, verify: { kind: 'drained', ignoreDaemonSets: opts.ignoreDaemonSets },
      request: { method: 'PATCH', path: objectPathOf(t), contentType: SMP, body: json({ spec: { unschedulable: true } }) } }));
    const pods = await listLive(env, podKind, undefined, [['fieldSelector', `spec.nodeName=${t.name}`]]);
    const { evict, blockers } = drainFilter(pods, opts);
    if (blockers.length > 0) throw new OpsInputError(`drain: cannot drain node ${t.name}: ${blockers.join('; ')}`);
    for (const p of evict) {
      const pt = targetOf(podKind, p.metadata.name, p.metadata.namespace);
      steps.push(makeStep({ title: `evict pod ${p.metadata.namespace}/${p.metadata.name} from ${t.name}`, op: 'evict', target: pt, verify: { kind: 'gone' },
        request: { method: 'POST', path: objectPathOf(pt) + '/eviction', contentType: 'application/json',
          body: json({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: p.metadata.name, namespace: p.metadata.namespace } }) } }));
    }
  }
  return steps;
}

