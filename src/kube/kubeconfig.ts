/**
 * Loads kubeconfig exactly as kubectl does: --kubeconfig, else $KUBECONFIG (several files,
 * merged, first wins), else ~/.kube/config; then --context and --namespace overrides.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeTarget {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

export interface LoadedKubeConfig {
  kc: KubeConfig;
  context: string;
  cluster: string;
  server: string;
  namespace: string;
  /** Where `namespace` came from: -n, the context, or neither ('default' then; a setting may override). */
  namespaceFrom?: 'flag' | 'context' | 'default';
  files: string[];
}

/** The kubeconfig files kubectl would read, existing ones only. */
export function kubeconfigFiles(target: KubeTarget = {}, env: NodeJS.ProcessEnv = process.env): string[] {
  if (target.kubeconfig) return [target.kubeconfig];
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter((f) => f && existsSync(f));
  const def = join(homedir(), '.kube', 'config');
  return existsSync(def) ? [def] : [];
}

export function loadKubeConfig(target: KubeTarget = {}, env: NodeJS.ProcessEnv = process.env): LoadedKubeConfig | undefined {
  const files = kubeconfigFiles(target, env);
  if (files.length === 0) return undefined;
  if (target.kubeconfig && !existsSync(target.kubeconfig)) throw new Error(`kubeconfig file not found: ${target.kubeconfig}`);
  const kc = readFile(files[0]!);
  // Merge like kubectl: the first file to set a name wins; current-context from the first that has one.
  // (client-node's mergeConfig throws on a name seen twice, so entries are added one by one.)
  for (const f of files.slice(1)) {
    const more = readFile(f);
    for (const c of more.clusters) if (!kc.clusters.some((x) => x.name === c.name)) kc.addCluster(c);
    for (const u of more.users) if (!kc.users.some((x) => x.name === u.name)) kc.addUser(u);
    for (const c of more.contexts) if (!kc.contexts.some((x) => x.name === c.name)) kc.addContext(c);
    if (!kc.getCurrentContext() && more.getCurrentContext()) kc.setCurrentContext(more.getCurrentContext());
  }
  if (target.context) {
    if (!kc.getContextObject(target.context)) throw new Error(`context "${target.context}" not found in ${files.join(', ')}`);
    kc.setCurrentContext(target.context);
  }
  const ctx = kc.getContextObject(kc.getCurrentContext());
  if (!ctx) throw new Error(`no current context in ${files.join(', ')}; choose one with --context`);
  const cluster = kc.getCluster(ctx.cluster);
  if (!cluster) throw new Error(`context "${ctx.name}" names cluster "${ctx.cluster}", which is not in ${files.join(', ')}`);
  const namespace = target.namespace ?? ctx.namespace ?? 'default';
  const namespaceFrom = target.namespace ? 'flag' : ctx.namespace ? 'context' : 'default';
  return { kc, context: ctx.name, cluster: cluster.name, server: cluster.server, namespace, namespaceFrom, files };
}

/** One kubeconfig file; an empty file is an empty config (as kubectl reads it), a broken one names itself. */
function readFile(file: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (readFileSync(file, 'utf8').trim() === '') {
      kc.loadFromOptions({ clusters: [], users: [], contexts: [], currentContext: '' });
      return kc;
    }
    kc.loadFromFile(file);
  } catch (err) {
    const msg = String((err as Error)?.message ?? err).split('\n')[0];
    throw new Error(`cannot read kubeconfig ${file}: ${msg}`);
  }
  return kc;
}
