/**
 * A small, honest subset of kustomize for `apply -k DIR`: resources (files and nested
 * kustomizations), namespace, namePrefix/nameSuffix, commonLabels, commonAnnotations and images.
 * Anything else in kustomization.yaml is refused by name rather than silently ignored.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { OpsInputError } from './errors.js';
import { parseDocs, type Doc } from './files.js';

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'namePrefix', 'nameSuffix', 'commonLabels', 'commonAnnotations', 'images']);
const KFILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

interface Image { name: string; newName?: string; newTag?: string; digest?: string }

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

export function kustomize(dir: string, depth = 0): Doc[] {
  if (depth > 10) throw new OpsInputError(`kustomize: ${dir}: resources nest too deeply`);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new OpsInputError(`apply -k: "${dir}" is not a directory`);
  const kfile = KFILES.map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!kfile) throw new OpsInputError(`apply -k: no kustomization.yaml in "${dir}"`);
  let k: Obj;
  try { k = parse(readFileSync(kfile, 'utf8')) ?? {}; } catch (e) { throw new OpsInputError(`${kfile}: invalid YAML: ${(e as Error).message.split('\n')[0]}`); }
  const unsupported = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length) throw new OpsInputError(`${kfile}: ${unsupported.join(', ')} ${unsupported.length > 1 ? 'are' : 'is'} not supported by kai-tui's built-in kustomize (supported: ${[...SUPPORTED].slice(2).join(', ')})`);
  const docs: Doc[] = [];
  for (const r of (k.resources ?? []) as string[]) {
    const p = resolve(dir, r);
    if (!existsSync(p)) throw new OpsInputError(`${kfile}: resource "${r}" does not exist`);
    if (statSync(p).isDirectory()) docs.push(...kustomize(p, depth + 1));
    else docs.push(...parseDocs(readFileSync(p, 'utf8'), p));
  }
  for (const d of docs) transform(d.obj, k);
  return docs;
}

function transform(o: Obj, k: Obj): void {
  o.metadata ??= {};
  if (k.namePrefix || k.nameSuffix) o.metadata.name = `${k.namePrefix ?? ''}${o.metadata.name}${k.nameSuffix ?? ''}`;
  if (k.namespace && o.kind !== 'Namespace') o.metadata.namespace = k.namespace;
  if (k.commonAnnotations) o.metadata.annotations = { ...o.metadata.annotations, ...k.commonAnnotations };
  if (k.commonLabels) {
    const l = k.commonLabels as Record<string, string>;
    o.metadata.labels = { ...o.metadata.labels, ...l };
    if (WORKLOADS.has(o.kind) && o.spec) {
      if (o.kind !== 'Job') o.spec.selector = { ...o.spec.selector, matchLabels: { ...o.spec.selector?.matchLabels, ...l } };
      o.spec.template ??= {};
      o.spec.template.metadata = { ...o.spec.template.metadata, labels: { ...o.spec.template.metadata?.labels, ...l } };
    }
    if (o.kind === 'Service' && o.spec) o.spec.selector = { ...o.spec.selector, ...l };
  }
  for (const img of (k.images ?? []) as Image[]) {
    const specs = [o.spec?.template?.spec, o.kind === 'Pod' ? o.spec : undefined, o.spec?.jobTemplate?.spec?.template?.spec].filter(Boolean);
    for (const ps of specs) for (const c of [...(ps.containers ?? []), ...(ps.initContainers ?? [])]) {
      const m = /^([^@:]+(?::\d+\/[^@:]+)?)(?::([^@]+))?(?:@(.+))?$/.exec(c.image ?? '');
      if (!m || m[1] !== img.name) continue;
      const name = img.newName ?? m[1];
      c.image = img.digest ? `${name}@${img.digest}` : `${name}${img.newTag ? ':' + img.newTag : m[2] ? ':' + m[2] : ''}`;
    }
  }
}
