/** scale, rollout restart|undo|pause|resume, set image|env|resources, label, annotate, patch. */
import type { ResourceKind } from '../../kube/types.js';
import { objectPathOf, type Step } from '../plan.js';
import { OpsInputError } from './errors.js';
import { bool, int, list, parseArgs, str } from './tokens.js';
import { getLive, json, listLive, makeStep, namespaceFor, parseTargets, resolveKind, rolloutVerify, targetOf, type OpsEnv } from './env.js';

/** Wraps a pod-spec patch at the place the kind keeps its pod template. */
function atPodSpec(kind: ResourceKind, podSpec: unknown): unknown {
  if (kind.resource === 'pods') return { spec: podSpec };
  if (kind.resource === 'cronjobs') return { spec: { jobTemplate: { spec: { template: { spec: podSpec } } } } };
  return { spec: { template: { spec: podSpec } } };
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function podSpecOf(kind: ResourceKind, obj: any): any {
  if (kind.resource === 'pods') return obj.spec;
  if (kind.resource === 'cronjobs') return obj.spec?.jobTemplate?.spec?.template?.spec;
  return obj.spec?.template?.spec;
}
const POD_TEMPLATED = new Set(['pods', 'deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'cronjobs', 'replicationcontrollers']);
function requirePodTemplate(kind: ResourceKind, command: string) {
  if (!POD_TEMPLATED.has(kind.resource)) throw new OpsInputError(`${command}: ${kind.resource} have no pod template`);
}

const SMP = 'application/strategic-merge-patch+json';
const MERGE = 'application/merge-patch+json';
const JSONPATCH = 'application/json-patch+json';

export async function scale(env: OpsEnv, tokens: string[]): Promise<Step[]> {
  const a = parseArgs(tokens, { values: { replicas: '', selector: 'l' } }, 'scale');
  const replicas = int(a, 'replicas', 'scale');
  if (replicas === undefined) throw new OpsInputError('scale: --replicas=N is required');
  const ns = namespaceFor(env, str(a, 'namespace'));
  const targets = await targetsOrSelector(env, a.positionals, str(a, 'selector'), ns, 'scale');
  const hpas = await autoscalersIn(env, ns);
  return targets.map(({ kind, name }) => {
    if (!['deployments', 'statefulsets', 'replicasets', 'replicationcontrollers'].includes(kind.resource)) throw new OpsInputError(`scale: ${kind.resource} cannot be scaled`);
    const t = targetOf(kind, name, ns);
    return makeStep({
      title: `scale ${kind.resource}/${name} to ${replicas} replicas`, op: 'scale', target: t,
      request: { method: 'PATCH', path: objectPathOf(t) + '/scale', contentType: MERGE, body: json({ spec: { replicas } }) },
      verify: rolloutVerify(kind),
      warnings: [
        ...(replicas === 0 ? [`scales ${kind.resource}/${name} to 0: every pod stops`] : []),
        ...hpaOverrides(hpas, kind, name, replicas),
      ],
    });
  });
}

/** The namespace's HorizontalPodAutoscalers (none when the API has no autoscaling group). */
async function autoscalersIn(env: OpsEnv, ns: string): Promise<Array<{ metadata: { name: string }; spec?: { scaleTargetRef?: { kind?: string; name?: string }; minReplicas?: number; maxReplicas?: number } }>> {
  const kind = env.kinds.resolve('horizontalpodautoscalers');
  if (!kind) return [];
  try { return await listLive(env, kind, ns); } catch { return []; }
}

/** An HPA that targets this workload will put its own replica count back: say so before it happens. */
export function hpaOverrides(hpas: Awaited<ReturnType<typeof autoscalersIn>>, kind: ResourceKind, name: string, replicas: number): string[] {
  return hpas.filter((h) => h.spec?.scaleTargetRef?.kind === kind.kind && h.spec.scaleTargetRef.name === name).map((h) => {
    const min = h.spec?.minReplicas ?? 1;
    const max = h.spec?.maxReplicas ?? min;
    const clamp = replicas < min ? ` (${replicas} is below its minimum ${min})` : replicas > max ? ` (${replicas} is above its maximum ${max})` : '';
    return `horizontalpodautoscaler/${h.metadata.name} (min ${min}, max ${max}) manages ${kind.resource}/${name}: it will set the replicas back within seconds${clamp} — change the HPA instead (e.g. patch hpa/${h.metadata.name} -p '{"spec":{"minReplicas":${replicas}}}')`;
  });
}

/** Targets named directly, or every object of the kind matching -l. */
async function targetsOrSelector(env: OpsEnv, positionals: string[], selector: string | undefined, ns: string, command: string): Promise<Array<{ kind: ResourceKind; name: string }>> {
  if (selector !== undefined) {
    if (positionals.length === 0) throw new OpsInputError(`${command}: name the kind to select from, e.g. "${command} deploy -l app=web"`);
    const kind = resolveKind(env, positionals[0]!);
    const items = await listLive(env, kind, ns, [['labelSelector', selector]]);
    if (items.length === 0) throw new OpsInputError(`${command}: no ${kind.resource} match "${selector}" in namespace ${ns}`);
    return items.map((o) => ({ kind, name: o.metadata.name as string }));
  }
  const out: Array<{ kind: ResourceKind; name: string }> = [];
  const targets = parseTargets(env, positionals, command, { many: true });
  for (const t of targets) {
    if (t.names.length === 0) throw new OpsInputError(`${command}: name a ${t.kind.kind}, e.g. "${command} ${t.kind.resource}/NAME"`);
    for (const n of t.names) out.push({ kind: t.kind, name: n });
  }
  // Nothing typed is silently ignored: "scale deploy/web --replicas 3 junk" is an error, as in kubectl.
  const used = targets.reduce((n, t) => n + t.used, 0);
  const extra = positionals.slice(used)[0];
  if (extra !== undefined) throw new OpsInputError(`${command}: unexpected argument '${extra.length > 60 ? extra.slice(0, 60) + '…' : extra}' (name every object as KIND/NAME, or KIND NAME…)`);
  return out;
}

export async function rollout(env: OpsEnv, tokens: string[]): Promise<Step[]> {
  const [sub, ...rest] = tokens;
  const subs = ['restart', 'undo', 'pause', 'resume'];
  if (!sub || !subs.includes(sub)) throw new OpsInputError(`rollout: expected one of ${subs.join(', ')}${sub ? `, got '${sub}'` : ''}`);
  const a = parseArgs(rest, { values: { 'to-revision': '', selector: 'l' } }, `rollout ${sub}`);
  const ns = namespaceFor(env, str(a, 'namespace'));
  const targets = await targetsOrSelector(env, a.positionals, str(a, 'selector'), ns, `rollout ${sub}`);
  const steps: Step[] = [];
  for (const { kind, name } of targets) {
    if (!['deployments', 'statefulsets', 'daemonsets'].includes(kind.resource)) throw new OpsInputError(`rollout ${sub}: ${kind.resource} have no rollouts`);
    const t = targetOf(kind, name, ns);
    const path = objectPathOf(t);
    if (sub === 'restart') {
      const at = new Date().toISOString();
      steps.push(makeStep({ title: `restart ${kind.resource}/${name}`, op: 'restart', target: t, verify: { kind: 'rollout' },
        request: { method: 'PATCH', path, contentType: SMP, body: json({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } } }) } }));
    } else if (sub === 'pause' || sub === 'resume') {
      if (kind.resource !== 'deployments') throw new OpsInputError(`rollout ${sub}: only deployments can be paused`);
      steps.push(makeStep({ title: `${sub} rollout of ${kind.resource}/${name}`, op: 'patch', target: t,
        request: { method: 'PATCH', path, contentType: SMP, body: json({ spec: { paused: sub === 'pause' ? true : null } }) } }));
    } else {
      if (kind.resource !== 'deployments') throw new OpsInputError('rollout undo: only deployments are supported (statefulsets/daemonsets: use apply with the old spec)');
      steps.push(await rolloutUndo(env, kind, name, ns, int(a, 'to-revision', 'rollout undo', 0) ?? 0));
    }
  }
  return steps;
}

/** kubectl's rollout undo: the template of an older ReplicaSet, sent as a JSON patch. */
async function rolloutUndo(env: OpsEnv, kind: ResourceKind, name: string, ns: string, toRevision: number): Promise<Step> {
  const t = targetOf(kind, name, ns);
  const dep = await getLive(env, t);
  const rsKind = env.kinds.resolve('replicasets.apps') ?? resolveKind(env, 'replicasets');
  const sel = Object.entries(dep.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  const rss = (await listLive(env, rsKind, ns, sel ? [['labelSelector', sel]] : []))
    .filter((rs) => (rs.metadata.ownerReferences ?? []).some((o: { uid: string; controller?: boolean }) => o.uid === dep.metadata.uid && o.controller))
    .map((rs) => ({ rs, rev: Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0) }))
    .sort((x, y) => y.rev - x.rev);
  const current = Number(dep.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? rss[0]?.rev ?? 0);
  const chosen = toRevision > 0 ? rss.find((r) => r.rev === toRevision) : rss.find((r) => r.rev < current);
  if (!chosen) throw new OpsInputError(toRevision > 0 ? `rollout undo: revision ${toRevision} of deployments/${name} not found` : `rollout undo: deployments/${name} has no previous revision`);
  const template = structuredClone(chosen.rs.spec.template);
  if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash'];
  const annotations = { ...(dep.metadata.annotations ?? {}) };
  for (const key of ['kubernetes.io/change-cause']) {
    const v = chosen.rs.metadata.annotations?.[key];
    if (v === undefined) delete annotations[key]; else annotations[key] = v;
  }
  return makeStep({
    title: `roll back deployments/${name} to revision ${chosen.rev}`, op: 'rollback', target: t, verify: { kind: 'rollout' },
    request: { method: 'PATCH', path: objectPathOf(t), contentType: JSONPATCH,
      body: json([{ op: 'replace', path: '/spec/template', value: template }, { op: 'replace', path: '/metadata/annotations', value: annotations }]) },
  });
}

export async function set(env: OpsEnv, tokens: string[]): Promise<Step[]> {
  const [sub, ...rest] = tokens;
  if (sub === 'image') return setImage(env, rest);
  if (sub === 'env') return setEnv(env, rest);
  if (sub === 'resources') return setResources(env, rest);
  throw new OpsInputError(`set: expected image, env or resources${sub ? `, got '${sub}'` : ''}`);
}

async function setImage(env: OpsEnv, tokens: string[]): Promise<Step[]> {
  const a = parseArgs(tokens, {}, 'set image');
  const ns = namespaceFor(env, str(a, 'namespace'));
  const [tg] = parseTargets(env, a.positionals, 'set image');
  if (!tg || tg.names.length === 0) throw new OpsInputError('set image: name a workload, e.g. "set image deploy/web web=nginx:1.27"');
  requirePodTemplate(tg.kind, 'set image');
  const pairs = a.positionals.slice(tg.used);
  if (pairs.length === 0 || pairs.some((p) => !/^[^=]+=.+$/.test(p))) throw new OpsInputError('set image: give CONTAINER=IMAGE pairs, e.g. web=nginx:1.27');
  const t = targetOf(tg.kind, tg.names[0]!, ns);
  let containers = pairs.map((p) => { const i = p.indexOf('='); return { name: p.slice(0, i), image: p.slice(i + 1) }; });
  if (containers.some((c) => c.name === '*')) {
    const live = await getLive(env, t);
    const img = containers.find((c) => c.name === '*')!.image;
    containers = (podSpecOf(tg.kind, live)?.containers ?? []).map((c: { name: string }) => ({ name: c.name, image: img }));
  }
  return [makeStep({
    title: `set image of ${t.resource}/${t.name}: ${containers.map((c) => `${c.name}=${c.image}`).join(', ')}`, op: 'patch', target: t, verify: rolloutVerify(tg.kind),
    request: { method: 'PATCH', path: objectPathOf(t), contentType: SMP, body: json(atPodSpec(tg.kind, { containers })) },
  })];
}

async function setEnv(env: OpsEnv, tokens: string[]): Promise<Step[]> {
  const a = parseArgs(tokens, { values: { container: 'c' } }, 'set env');
  const ns = namespaceFor(env, str(a, 'namespace'));
  const [tg] = parseTargets(env, a.positionals, 'set env');
  if (!tg || tg.names.length === 0) throw new OpsInputError('set env: name a workload, e.g. "set env deploy/web LOG_LEVEL=debug"');
  requirePodTemplate(tg.kind, 'set env');
  const changes = a.positionals.slice(tg.used);
  if (changes.length === 0 || changes.some((p) => !/^[A-Za-z_][A-Za-z0-9_.-]*(=.*|-)$/.test(p))) throw new OpsInputError('set env: give NAME=VALUE to set or NAME- to remove');
  const t = targetOf(tg.kind, tg.names[0]!, ns);
  const live = await getLive(env, t);
  const names: string[] = (podSpecOf(tg.kind, live)?.containers ?? []).map((c: { name: string }) => c.name);
  const only = str(a, 'container');
  if (only && !names.includes(only)) throw new OpsInputError(`set env: ${t.resource}/${t.name} has no container "${only}" (has ${names.join(', ')})`);
  const envPatch = changes.map((c) => c.endsWith('-') && !c.includes('=') ? { name: c.slice(0, -1), $patch: 'delete' } : { name: c.slice(0, c.indexOf('=')), value: c.slice(c.indexOf('=') + 1) });
  const containers = (only ? [only] : names).map((n) => ({ name: n, env: envPatch }));
  return [makeStep({
    title: `set env on ${t.resource}/${t.name}: ${changes.join(' ')}`, op: 'patch', target: t, verify: rolloutVerify(tg.kind),
    request: { method: 'PATCH', path: objectPathOf(t), contentType: SMP, body: json(atPodSpec(tg.kind, { containers })) },
  })];
}

function parseQuantities(v: string | undefined, flag: string): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const part of v.split(',')) {
    const m = /^([a-z0-9.\/-]+)=([0-9.]+[a-zA-Z]*)$/.exec(part.trim());
    if (!m) throw new OpsInputError(`set resources: --${flag} expects cpu=200m,memory=512Mi, got '${part}'`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

async function setResources(env: OpsEnv, tokens: string[]): Promise<Step[]> {
  const a = parseArgs(tokens, { values: { container: 'c', limits: '', requests: '' } }, 'set resources');
  const ns = namespaceFor(env, str(a, 'namespace'));
  const [tg] = parseTargets(env, a.positionals, 'set resources');
  if (!tg || tg.names.length === 0) throw new OpsInputError('set resources: name a workload');
  requirePodTemplate(tg.kind, 'set resources');
  const limits = parseQuantities(str(a, 'limits'), 'limits');
  const requests = parseQuantities(str(a, 'requests'), 'requests');
  if (!limits && !requests) throw new OpsInputError('set resources: give --limits and/or --requests');
  const t = targetOf(tg.kind, tg.names[0]!, ns);
  const live = await getLive(env, t);
  const names: string[] = (podSpecOf(tg.kind, live)?.containers ?? []).map((c: { name: string }) => c.name);
  const only = str(a, 'container');
  if (only && !names.includes(only)) throw new OpsInputError(`set resources: ${t.resource}/${t.name} has no container "${only}"`);
  const containers = (only ? [only] : names).map((n) => ({ name: n, resources: { ...(limits ? { limits } : {}), ...(requests ? { requests } : {}) } }));
  return [makeStep({
    title: `set resources on ${t.resource}/${t.name}`, op: 'patch', target: t, verify: rolloutVerify(tg.kind),
    request: { method: 'PATCH', path: objectPathOf(t), contentType: SMP, body: json(atPodSpec(tg.kind, { containers })) },
  })];
}

/** label / annotate: KEY=VALUE to set (needs --overwrite to change an existing value), KEY- to remove. */
export async function labelOrAnnotate(env: OpsEnv, tokens: string[], which: 'label' | 'annotate'): Promise<Step[]> {
  const a = parseArgs(tokens, { values: { selector: 'l' }, bools: { overwrite: '', all: '' } }, which);
  const ns = namespaceFor(env, str(a, 'namespace'));
  const changesStart = a.positionals.findIndex((p) => /=|-$/.test(p) && !p.includes('/'));
  if (changesStart < 0) throw new OpsInputError(`${which}: give KEY=VALUE to set or KEY- to remove`);
  const changes = a.positionals.slice(changesStart);
  const targets = await targetsOrSelector(env, a.positionals.slice(0, changesStart), str(a, 'selector'), ns, which);
  const field = which === 'label' ? 'labels' : 'annotations';
  const patch: Record<string, string | null> = {};
  for (const c of changes) {
    if (c.endsWith('-') && !c.includes('=')) patch[c.slice(0, -1)] = null;
    else {
      const i = c.indexOf('=');
      if (i <= 0) throw new OpsInputError(`${which}: '${c}' is not KEY=VALUE or KEY-`);
      const key = c.slice(0, i);
      const value = c.slice(i + 1);
      if (which === 'label' && !/^([a-z0-9.-]+\/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/.test(key)) throw new OpsInputError(`label: invalid key '${key}'`);
      patch[key] = value;
    }
  }
  const steps: Step[] = [];
  for (const { kind, name } of targets) {
    const t = targetOf(kind, name, ns);
    if (!bool(a, 'overwrite')) {
      const live = await getLive(env, t);
      const cur: Record<string, string> = live.metadata?.[field] ?? {};
      for (const [k, v] of Object.entries(patch)) {
        if (v !== null && k in cur && cur[k] !== v) throw new OpsInputError(`${which}: '${k}' already has a value (${cur[k]}) on ${kind.resource}/${name}; add --overwrite to change it`);
      }
    }
    steps.push(makeStep({
      title: `${which} ${kind.resource}/${name}: ${changes.join(' ')}`, op: 'patch', target: t,
      request: { method: 'PATCH', path: objectPathOf(t), contentType: MERGE, body: json({ metadata: { [field]: patch } }) },
    }));
  }
  return steps;
}

const PATCH_TYPES: Record<string, string> = { json: JSONPATCH, merge: MERGE, strategic: SMP };

export async function patch(env: OpsEnv, tokens: string[]): Promise<Step[]> {
  const a = parseArgs(tokens, { values: { type: '', patch: 'p', subresource: '' } }, 'patch');
  const ns = namespaceFor(env, str(a, 'namespace'));
  const [tg] = parseTargets(env, a.positionals, 'patch');
  if (!tg || tg.names.length === 0) throw new OpsInputError('patch: name an object, e.g. patch deploy/web -p \'{"spec":{"replicas":2}}\'');
  const type = str(a, 'type') ?? 'strategic';
  const contentType = PATCH_TYPES[type];
  if (!contentType) throw new OpsInputError(`patch: --type must be json, merge or strategic, got '${type}'`);
  const text = str(a, 'patch');
  if (text === undefined) throw new OpsInputError('patch: give the patch with -p');
  let body: unknown;
  try { body = JSON.parse(text); } catch (e) {
    try { body = (await import('yaml')).parse(text); } catch { throw new OpsInputError(`patch: -p is neither JSON nor YAML: ${(e as Error).message}`); }
  }
  if (type === 'json' && !Array.isArray(body)) throw new OpsInputError('patch: a JSON patch is a list of operations, e.g. [{"op":"replace","path":"/spec/replicas","value":2}]');
  if (type !== 'json' && (typeof body !== 'object' || body === null || Array.isArray(body))) throw new OpsInputError(`patch: a ${type} patch is an object`);
  const t = targetOf(tg.kind, tg.names[0]!, ns);
  const sub = str(a, 'subresource');
  return [makeStep({
    title: `${type} patch ${t.resource}/${t.name}${sub ? '/' + sub : ''}`, op: sub === 'scale' ? 'scale' : 'patch', target: t, verify: rolloutVerify(tg.kind),
    request: { method: 'PATCH', path: objectPathOf(t) + (sub ? '/' + sub : ''), contentType, body: json(body) },
  })];
}
