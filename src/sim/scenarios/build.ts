/** Small builders for scenario objects, so the demo reads like a list of what the company runs. */
import type { SimContext } from '../context.js';
import type { GroupResource, KObj } from '../types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type J = any;

/** Creates, or leaves alone what already exists (loading twice is harmless). */
export function put(ctx: SimContext, gr: GroupResource, obj: KObj): void {
  try {
    ctx.api.create(gr, obj);
  } catch (e) {
    if ((e as { reason?: string }).reason !== 'AlreadyExists') {
      ctx.log(`scenario: ${gr.resource} ${obj.metadata.namespace ?? ''}/${obj.metadata.name}: ${(e as Error).message}`);
    }
  }
}

export interface ContainerOpts {
  name?: string;
  image: string;
  port?: number;
  portName?: string;
  cpu?: string;
  memory?: string;
  cpuLimit?: string;
  memoryLimit?: string;
  env?: J[];
  readiness?: J;
  liveness?: J;
  command?: string[];
  args?: string[];
  volumeMounts?: J[];
}

export function container(o: ContainerOpts): J {
  return {
    name: o.name ?? 'app',
    image: o.image,
    ...(o.command ? { command: o.command } : {}),
    ...(o.args ? { args: o.args } : {}),
    ...(o.port ? { ports: [{ name: o.portName ?? 'http', containerPort: o.port, protocol: 'TCP' }] } : {}),
    ...(o.env ? { env: o.env } : {}),
    resources: {
      requests: { cpu: o.cpu ?? '50m', memory: o.memory ?? '64Mi' },
      limits: { ...(o.cpuLimit ? { cpu: o.cpuLimit } : {}), memory: o.memoryLimit ?? o.memory ?? '128Mi' },
    },
    ...(o.readiness ? { readinessProbe: o.readiness } : {}),
    ...(o.liveness ? { livenessProbe: o.liveness } : {}),
    ...(o.volumeMounts ? { volumeMounts: o.volumeMounts } : {}),
  };
}

export const httpProbe = (port: number | string, path = '/healthz', initialDelaySeconds = 5): J =>
  ({ httpGet: { path, port }, initialDelaySeconds, periodSeconds: 10, failureThreshold: 3 });

export function deployment(ns: string, name: string, replicas: number, containers: J[], o: { labels?: Record<string, string>; annotations?: Record<string, string>; podAnnotations?: Record<string, string>; podSpec?: J } = {}): KObj {
  const labels = { app: name, ...(o.labels ?? {}) };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: ns, labels, ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels, ...(o.podAnnotations ? { annotations: o.podAnnotations } : {}) },
        spec: { containers, ...(o.podSpec ?? {}) },
      },
    },
  };
}

export function service(ns: string, name: string, selector: Record<string, string>, ports: Array<{ name?: string; port: number; targetPort?: number | string }>, extra: J = {}): KObj {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: { selector, ports: ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, targetPort: p.targetPort ?? p.port, protocol: 'TCP' })), ...extra },
  };
}

export function secret(ns: string, name: string, data: Record<string, string>, type = 'Opaque'): KObj {
  return {
    apiVersion: 'v1', kind: 'Secret', type,
    metadata: { name, namespace: ns },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
}

export function crd(group: string, kind: string, plural: string, o: { shortNames?: string[]; categories?: string[]; version?: string; columns?: J[]; scope?: 'Namespaced' | 'Cluster' } = {}): KObj {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), ...(o.shortNames ? { shortNames: o.shortNames } : {}), ...(o.categories ? { categories: o.categories } : {}) },
      scope: o.scope ?? 'Namespaced',
      versions: [{
        name: o.version ?? 'v1', served: true, storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        subresources: { status: {} },
        ...(o.columns ? { additionalPrinterColumns: o.columns } : {}),
      }],
    },
  };
}
