/** expose (a Service for a workload), autoscale (an HPA), edit ($EDITOR on the live YAML → a replace step). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { collectionPathOf, objectPathOf, type Step } from '../plan.js';
import { OpsInputError } from './errors.js';
import { int, parseArgs, str } from './tokens.js';
import { getLive, json, makeStep, namespaceFor, parseTargets, resolveKind, rolloutVerify, targetOf, type OpsEnv } from './env.js';
import { parseDocs } from './files.js';
import { stripServerFields } from '../diff.js';

export async function expose(env: OpsEnv, tokens: string[]): Promise<Step[]> {
  const a = parseArgs(tokens, { values: { port: '', 'target-port': '', name: '', type: '', protocol: '' } }, 'expose');
  const ns = namespaceFor(env, str(a, 'namespace'));
  const [tg] = parseTargets(env, a.positionals, 'expose');
  if (!tg || tg.names.length === 0) throw new OpsInputError('expose: name a workload, e.g. "expose deploy/web --port=80"');
  const src = await getLive(env, targetOf(tg.kind, tg.names[0]!, ns));
  const selector: Record<string, string> | undefined = tg.kind.resource === 'pods' ? src.metadata.labels
    : tg.kind.resource === 'services' ? src.spec?.selector : src.spec?.selector?.matchLabels;
  if (!selector || Object.keys(selector).length === 0) throw new OpsInputError(`expose: ${tg.kind.resource}/${tg.names[0]} has no selector to copy`);
  const portFlag = str(a, 'port');
  const podSpec = tg.kind.resource === 'pods' ? src.spec : src.spec?.template?.spec;
  const firstPort = podSpec?.containers?.flatMap((c: { ports?: Array<{ containerPort: number }> }) => c.ports ?? [])[0]?.containerPort;
  const port = portFlag !== undefined ? Number(portFlag) : firstPort;
  if (!Number.isInteger(port) || port! < 1 || port! > 65535) throw new OpsInputError(portFlag !== undefined ? `expose: --port must be 1-65535, got '${portFlag}'` : 'expose: no container port found; give --port');
  const tp = str(a, 'target-port');
  const type = str(a, 'type') ?? 'ClusterIP';
  if (!['ClusterIP', 'NodePort', 'LoadBalancer'].includes(type)) throw new OpsInputError(`expose: --type must be ClusterIP, NodePort or LoadBalancer, got '${type}'`);
  const name = str(a, 'name') ?? tg.names[0]!;
  const svcKind = resolveKind(env, 'services');
  const t = targetOf(svcKind, name, ns);
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels: src.metadata.labels ?? undefined },
    spec: { type, selector, ports: [{ port, protocol: str(a, 'protocol') ?? 'TCP', targetPort: tp === undefined ? port : /^\d+$/.test(tp) ? Number(tp) : tp }] } };
  return [makeStep({ title: `create service/${name} for ${tg.kind.resource}/${tg.names[0]} on port ${port}`, op: 'create', target: t, verify: { kind: 'exists' },
    request: { method: 'POST', path: collectionPathOf(t), query: [['fieldManager', 'kai-tui']], contentType: 'application/json', body: json(svc) } })];
}

export async function autoscale(env: OpsEnv, tokens: string[]): Promise<Step[]> {
  const a = parseArgs(tokens, { values: { min: '', max: '', 'cpu-percent': '', name: '' } }, 'autoscale');
  const ns = namespaceFor(env, str(a, 'namespace'));
  const [tg] = parseTargets(env, a.positionals, 'autoscale');
  if (!tg || tg.names.length === 0) throw new OpsInputError('autoscale: name a workload, e.g. "autoscale deploy/web --min=2 --max=10 --cpu-percent=80"');
  if (!['deployments', 'statefulsets', 'replicasets'].includes(tg.kind.resource)) throw new OpsInputError(`autoscale: ${tg.kind.resource} cannot be autoscaled`);
  const max = int(a, 'max', 'autoscale', 1);
  if (max === undefined) throw new OpsInputError('autoscale: --max is required');
  const min = int(a, 'min', 'autoscale', 1) ?? 1;
  if (min > max) throw new OpsInputError(`autoscale: --min (${min}) is above --max (${max})`);
  const cpu = int(a, 'cpu-percent', 'autoscale', 1);
  const src = await getLive(env, targetOf(tg.kind, tg.names[0]!, ns));
  const hpaKind = env.kinds.resolve('horizontalpodautoscalers.autoscaling') ?? resolveKind(env, 'hpa');
  const name = str(a, 'name') ?? tg.names[0]!;
  const t = targetOf(hpaKind, name, ns);
  const apiVersion = `${hpaKind.group}/${hpaKind.version}`;
  const spec: Record<string, unknown> = { scaleTargetRef: { apiVersion: src.apiVersion, kind: src.kind, name: tg.names[0] }, minReplicas: min, maxReplicas: max };
  if (cpu !== undefined) {
    if (hpaKind.version === 'v1') spec.targetCPUUtilizationPercentage = cpu;
    else spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }];
  }
  return [makeStep({ title: `create hpa/${name} for ${tg.kind.resource}/${tg.names[0]} (${min}–${max} replicas)`, op: 'create', target: t, verify: { kind: 'exists' },
    request: { method: 'POST', path: collectionPathOf(t), query: [['fieldManager', 'kai-tui']], contentType: 'application/json',
      body: json({ apiVersion, kind: 'HorizontalPodAutoscaler', metadata: { name, namespace: ns }, spec }) } })];
}

/** Opens $EDITOR (or $VISUAL, else vi) on a temp file; used when the cockpit gives no editor hook. */
export async function editWithEditor(text: string, fileName: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kai-edit-'));
  const file = join(dir, fileName);
  try {
    writeFileSync(file, text, { mode: 0o600 });
    const editor = process.env.KUBE_EDITOR ?? process.env.VISUAL ?? process.env.EDITOR ?? 'vi';
    const r = spawnSync(`${editor} "${file}"`, { stdio: 'inherit', shell: true });
    if (r.status !== 0) throw new OpsInputError(`edit: the editor "${editor}" exited with ${r.status ?? r.signal}; nothing changed`);
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function edit(env: OpsEnv, tokens: string[]): Promise<Step[]> {
  const a = parseArgs(tokens, {}, 'edit');
  const ns = namespaceFor(env, str(a, 'namespace'));
  const [tg] = parseTargets(env, a.positionals, 'edit');
  if (!tg || tg.names.length === 0) throw new OpsInputError('edit: name an object, e.g. "edit deploy/web"');
  const t = targetOf(tg.kind, tg.names[0]!, ns);
  const live = await getLive(env, t);
  const shown = stripServerFields(live, { keepResourceVersion: true });
  delete shown.status;
  const original = stringify(shown);
  const fileName = `${t.resource}-${t.name}.yaml`;
  const edited = await (env.editText ?? editWithEditor)(original, fileName);
  if (edited.trim() === original.trim()) throw new OpsInputError('edit: no changes made');
  const docs = parseDocs(edited, fileName);
  if (docs.length !== 1) throw new OpsInputError(`edit: the edited file must hold exactly one object, found ${docs.length}`);
  const obj = docs[0]!.obj;
  if (obj.kind !== live.kind || obj.metadata?.name !== live.metadata.name || (obj.metadata?.namespace ?? undefined) !== (live.metadata.namespace ?? undefined)) {
    throw new OpsInputError('edit: kind, name and namespace cannot be changed');
  }
  // The resourceVersion seen when editing travels in the body: the server refuses (409) if the object moved on.
  obj.metadata.resourceVersion = live.metadata.resourceVersion;
  obj.metadata.uid = live.metadata.uid;
  if (live.status !== undefined) obj.status = live.status;
  return [makeStep({ title: `replace ${t.resource}/${t.name} with the edited YAML`, op: 'replace', target: t, verify: rolloutVerify(tg.kind),
    request: { method: 'PUT', path: objectPathOf(t), query: [['fieldManager', 'kai-tui']], contentType: 'application/json', body: json(obj) } })];
}
