/**
 * The clusters of `sim serve --clusters N`: a small company's fleet, each cluster with its own
 * name, size, release and faults, so a fleet view has something to tell apart. The first is
 * the full demo scenario; the others are `empty` clusters running a few apps, one fault each.
 */
import type { SimContext } from '../context.js';
import { GR } from '../controllers/util.js';
import { NODE_CONDITION } from '../controllers/node-lifecycle.js';
import { container, deployment, put, service } from './build.js';

export type FleetFault = 'crashloop' | 'image-pull' | 'pending' | 'node-not-ready' | 'oom';

export interface FleetProfile {
  /** The kubeconfig context (and cluster, and user) name. */
  name: string;
  scenario: 'demo' | 'empty';
  nodes: number;
  version: string;
  faults: FleetFault[];
}

const BASE: FleetProfile[] = [
  { name: 'kai-prod-eu', scenario: 'demo', nodes: 3, version: 'v1.32.0', faults: [] },
  { name: 'kai-staging', scenario: 'empty', nodes: 2, version: 'v1.31.4', faults: ['crashloop'] },
  { name: 'kai-dev', scenario: 'empty', nodes: 1, version: 'v1.30.8', faults: ['image-pull', 'pending'] },
  { name: 'kai-prod-us', scenario: 'empty', nodes: 4, version: 'v1.33.1', faults: ['node-not-ready'] },
  { name: 'kai-edge', scenario: 'empty', nodes: 2, version: 'v1.29.12', faults: ['oom'] },
];
const MORE_FAULTS: FleetFault[][] = [[], ['crashloop'], ['oom'], ['image-pull'], []];

/** N distinct profiles: the five above, then kai-edge-6, kai-edge-7, … with varied faults. */
export function fleetProfiles(n: number): FleetProfile[] {
  return Array.from({ length: n }, (_, i) => BASE[i] ?? {
    name: `kai-edge-${i + 1}`, scenario: 'empty', nodes: 1 + (i % 3), version: ['v1.32.0', 'v1.31.4', 'v1.33.1'][i % 3]!, faults: MORE_FAULTS[i % MORE_FAULTS.length]!,
  });
}

const B = 'sim.kai-tui.dev/';

/** The apps every non-demo member runs (healthy), then the profile's faults. */
export function loadFleetMember(ctx: SimContext, p: FleetProfile): void {
  if (p.scenario === 'demo') return;
  put(ctx, GR.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', labels: { 'kubernetes.io/metadata.name': 'apps' } } });
  put(ctx, GR.deployments, deployment('apps', 'web', 2, [container({ image: 'nginx:1.27.3', port: 80, cpu: '50m', memory: '64Mi' })], { podAnnotations: { [`${B}cpu`]: '10m-60m' } }));
  put(ctx, GR.services, service('apps', 'web', { app: 'web' }, [{ name: 'http', port: 80, targetPort: 'http' }]));
  put(ctx, GR.deployments, deployment('apps', 'api', 1, [container({ image: 'ghcr.io/acme/api:3.4.1', port: 8080, cpu: '100m', memory: '128Mi' })]));
  for (const f of p.faults) fault(ctx, f);
}

function fault(ctx: SimContext, f: FleetFault): void {
  switch (f) {
    case 'crashloop':
      put(ctx, GR.deployments, deployment('apps', 'checkout', 1, [container({ image: 'ghcr.io/acme/checkout:1.0.4' })], {
        podAnnotations: { [`${B}behaviour`]: 'crash', [`${B}crash-after`]: '5s', [`${B}exit-code`]: '1' },
      }));
      break;
    case 'oom':
      put(ctx, GR.deployments, deployment('apps', 'cache', 1, [container({ image: 'ghcr.io/acme/cache:0.9.2', memory: '64Mi', memoryLimit: '128Mi' })], {
        podAnnotations: { [`${B}behaviour`]: 'oom', [`${B}memory-growth`]: '16Mi/s' },
      }));
      break;
    case 'image-pull':
      put(ctx, GR.deployments, deployment('apps', 'search', 1, [container({ image: 'ghcr.io/acme/search:9.9.9-does-not-exist', port: 8080 })]));
      break;
    case 'pending':
      put(ctx, GR.deployments, deployment('apps', 'indexer', 1, [container({ name: 'indexer', image: 'ghcr.io/acme/indexer:2.0.0', cpu: '8', memory: '64Gi', memoryLimit: '64Gi' })]));
      break;
    case 'node-not-ready': {
      const nodes = ctx.api.list(GR.nodes);
      const last = nodes[nodes.length - 1];
      if (!last) break;
      last.metadata.annotations = { ...(last.metadata.annotations ?? {}), [NODE_CONDITION]: 'not-ready' };
      ctx.api.update(GR.nodes, last);
      break;
    }
  }
}
