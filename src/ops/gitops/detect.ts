/**
 * Is an object managed by a GitOps controller? Argo CD marks what it applies with the tracking annotation
 * (`argocd.argoproj.io/tracking-id: APP:GROUP/KIND:NAMESPACE/NAME`) or, by default before v3, the label
 * `app.kubernetes.io/instance: APP` — a common Helm label too, so it counts only when an Application of that
 * name exists. Flux's kustomize- and helm-controllers label what they apply with their object's name and
 * namespace. A live change to such an object is reverted at the next sync: its fix belongs in Git.
 */
import type { KubeRequester } from '../../kube/request.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

export const ARGO_TRACKING = 'argocd.argoproj.io/tracking-id';
export const ARGO_INSTANCE = 'app.kubernetes.io/instance';
export const FLUX_KUSTOMIZE = 'kustomize.toolkit.fluxcd.io/name';
export const FLUX_HELM = 'helm.toolkit.fluxcd.io/name';

export interface GitopsManager {
  tool: 'argocd' | 'flux-kustomize' | 'flux-helm';
  /** Application / Kustomization / HelmRelease name. */
  app: string;
  /** Its namespace, when known (Argo CD: the Application's; Flux: from the label). */
  appNamespace?: string;
  /** How it was recognised (the annotation or label). */
  via: string;
  /** The Git source, when the controller's object was read. */
  repoURL?: string;
  /** Folder of the manifests inside the repository. */
  path?: string;
  revision?: string;
  /** Namespace the controller applies namespace-less manifests to. */
  destinationNamespace?: string;
}

/** Who manages the object, from its metadata alone (the instance label needs `apps`, the Applications present). */
export function managerOf(obj: Obj, apps?: Obj[]): GitopsManager | undefined {
  const a = obj?.metadata?.annotations ?? {};
  const l = obj?.metadata?.labels ?? {};
  const tracking = a[ARGO_TRACKING];
  if (typeof tracking === 'string' && tracking.includes(':')) {
    // "APP:GROUP/KIND:NS/NAME"; with apps in any namespace APP is "APPNS_APP".
    const head = tracking.split(':')[0]!;
    const [appNamespace, app] = head.includes('_') ? head.split('_', 2) as [string, string] : [undefined, head];
    return withArgoSource({ tool: 'argocd', app, ...(appNamespace ? { appNamespace } : {}), via: `annotation ${ARGO_TRACKING}=${tracking}` }, apps);
  }
  const instance = l[ARGO_INSTANCE];
  if (typeof instance === 'string' && apps?.some((x) => x?.metadata?.name === instance)) {
    return withArgoSource({ tool: 'argocd', app: instance, via: `label ${ARGO_INSTANCE}=${instance} (Application ${instance} exists)` }, apps);
  }
  if (typeof l[FLUX_KUSTOMIZE] === 'string') {
    const ns = l['kustomize.toolkit.fluxcd.io/namespace'];
    return { tool: 'flux-kustomize', app: l[FLUX_KUSTOMIZE], ...(ns ? { appNamespace: ns } : {}), via: `label ${FLUX_KUSTOMIZE}=${l[FLUX_KUSTOMIZE]}` };
  }
  if (typeof l[FLUX_HELM] === 'string') {
    const ns = l['helm.toolkit.fluxcd.io/namespace'];
    return { tool: 'flux-helm', app: l[FLUX_HELM], ...(ns ? { appNamespace: ns } : {}), via: `label ${FLUX_HELM}=${l[FLUX_HELM]}` };
  }
  return undefined;
}

function withArgoSource(m: GitopsManager, apps?: Obj[]): GitopsManager {
  const app = apps?.find((x) => x?.metadata?.name === m.app && (!m.appNamespace || x.metadata.namespace === m.appNamespace));
  const src = app?.spec?.source ?? app?.spec?.sources?.[0];
  if (!app) return m;
  return { ...m, appNamespace: app.metadata.namespace, repoURL: src?.repoURL, path: src?.path, revision: src?.targetRevision, destinationNamespace: app.spec?.destination?.namespace };
}

/** True when the instance label alone would need the Applications to decide. */
export function needsApplications(objs: Obj[]): boolean {
  return objs.some((o) => o && !o.metadata?.annotations?.[ARGO_TRACKING] && typeof o.metadata?.labels?.[ARGO_INSTANCE] === 'string');
}

/** Argo CD Applications on the cluster (none when the CRD is absent or not readable). */
export async function listApplications(client: KubeRequester): Promise<Obj[]> {
  const r = await client.request({ method: 'GET', path: '/apis/argoproj.io/v1alpha1/applications' }).catch(() => undefined);
  return r?.status === 200 ? (r.json?.items ?? []) : [];
}

/** Flux: the Kustomization's path and its GitRepository's URL (best effort; absent CRDs leave them unknown). */
export async function withFluxSource(client: KubeRequester, m: GitopsManager): Promise<GitopsManager> {
  if (m.tool !== 'flux-kustomize' || !m.appNamespace) return m;
  const k = await client.request({ method: 'GET', path: `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${encodeURIComponent(m.appNamespace)}/kustomizations/${encodeURIComponent(m.app)}` }).catch(() => undefined);
  if (k?.status !== 200) return m;
  const ref = k.json?.spec?.sourceRef ?? {};
  let repoURL: string | undefined;
  if (ref.kind === 'GitRepository' && ref.name) {
    const g = await client.request({ method: 'GET', path: `/apis/source.toolkit.fluxcd.io/v1/namespaces/${encodeURIComponent(ref.namespace ?? m.appNamespace)}/gitrepositories/${encodeURIComponent(ref.name)}` }).catch(() => undefined);
    if (g?.status === 200) repoURL = g.json?.spec?.url;
  }
  return { ...m, path: String(k.json?.spec?.path ?? '').replace(/^\.\//, '') || undefined, repoURL, destinationNamespace: k.json?.spec?.targetNamespace };
}

/** Who manages this live object, reading Applications / Kustomizations only when needed. */
export async function detectManager(client: KubeRequester, obj: Obj): Promise<GitopsManager | undefined> {
  const apps = obj?.metadata?.annotations?.[ARGO_TRACKING] || needsApplications([obj]) ? await listApplications(client) : undefined;
  const m = managerOf(obj, apps);
  return m ? withFluxSource(client, m) : undefined;
}

export function managerText(m: GitopsManager): string {
  const what = m.tool === 'argocd' ? 'Argo CD Application' : m.tool === 'flux-kustomize' ? 'Flux Kustomization' : 'Flux HelmRelease';
  return `${what} ${m.appNamespace ? `${m.appNamespace}/` : ''}${m.app}`;
}

/** The preview's warning for a live change to a managed object. */
export function revertWarning(m: GitopsManager, target: string): string {
  return `${target} is managed by ${managerText(m)} (${m.via}): a live change is reverted at its next sync — fix it in Git instead (kai-tui explain … --fix, or p in the pulse pane)`;
}

/** One warning per step whose object a GitOps controller manages (the preview shows them before confirming). */
export async function revertWarnings(client: KubeRequester, steps: Array<{ before?: Obj; step: { target: { resource: string; name: string; namespace?: string } } }>): Promise<string[]> {
  const managed = steps.filter((p) => p.before && (p.before.metadata?.annotations?.[ARGO_TRACKING] || p.before.metadata?.labels?.[ARGO_INSTANCE] || p.before.metadata?.labels?.[FLUX_KUSTOMIZE] || p.before.metadata?.labels?.[FLUX_HELM]));
  if (!managed.length) return [];
  const apps = needsApplications(managed.map((p) => p.before)) ? await listApplications(client) : [];
  const out: string[] = [];
  for (const p of managed) {
    const m = managerOf(p.before, apps);
    if (m) out.push(revertWarning(m, `${p.step.target.resource}/${p.step.target.name}`));
  }
  return [...new Set(out)];
}
