/**
 * An in-process cluster for controller unit tests: the real ObjectStore, the real API core
 * (defaulting, validation) behind the InternalApi, a scaled SimClock, and our controllers.
 * No HTTPS: these tests drive the controllers through ctx.api as kubectl would through REST.
 */
import { ObjectStore } from '../../../src/sim/storage.js';
import { createClock } from '../../../src/sim/clock.js';
import { Registry } from '../../../src/sim/registry/index.js';
import { ApiCore } from '../../../src/sim/api/core.js';
import { seedDefaultServiceAccounts } from '../../../src/sim/api/bootstrap.js';
import { EventRecorder } from '../../../src/sim/api/events.js';
import { createInternalApi } from '../../../src/sim/api/internal.js';
import type { InternalApi, SimContext } from '../../../src/sim/context.js';
import type { KObj } from '../../../src/sim/types.js';
import { installControllers } from '../../../src/sim/controllers/index.js';
import { makeNode } from '../../../src/sim/runtime/node.js';
import { GR } from '../../../src/sim/controllers/util.js';

export { GR };

export interface Harness { ctx: SimContext; api: InternalApi; stop(): Promise<void>; logs: string[] }

export function startHarness(opts: { timeScale?: number; nodes?: number; nodeMemory?: string; nodeCpu?: string } = {}): Harness {
  const store = new ObjectStore();
  const clock = createClock(opts.timeScale ?? 20);
  const registry = new Registry();
  const core = new ApiCore(store, registry);
  seedDefaultServiceAccounts(store, core, registry); // the serviceaccount controller every cluster runs
  const events = new EventRecorder(store);
  const api: InternalApi = createInternalApi(store, core, registry, events);
  const stops: Array<() => void | Promise<void>> = [];
  const logs: string[] = [];
  const ctx: SimContext = {
    store, api, clock,
    use: () => {},
    onStop: (fn) => void stops.push(fn),
    log: (m) => void logs.push(m),
  };
  for (const ns of ['default', 'kube-system']) api.create(GR.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (let i = 0; i < (opts.nodes ?? 2); i++) {
    store.create(GR.nodes, makeNode({ name: `node-${i + 1}`, cpu: opts.nodeCpu ?? '4', memory: opts.nodeMemory ?? '8Gi', ip: `10.0.0.${11 + i}`, podCIDR: `10.244.${i + 1}.0/24` }));
  }
  api.create({ group: 'storage.k8s.io', resource: 'storageclasses' }, {
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
    metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'pd.csi.storage.gke.io', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate',
  });
  installControllers(ctx);
  return {
    ctx, api, logs,
    async stop() {
      for (const s of stops.reverse()) await s();
      clock.stopAll();
    },
  };
}

/** Polls (real time) until `fn` returns a truthy value; fails after `ms`. */
export async function until<T>(what: string, fn: () => T | undefined | false | null, ms = 10_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const eventsFor = (h: Harness, name: string): KObj[] =>
  h.ctx.store.list(GR.events).items.filter((e) => e.involvedObject?.name === name);

export function deployment(name: string, replicas: number, extra: { annotations?: Record<string, string>; image?: string; strategy?: Record<string, unknown>; podSpec?: Record<string, unknown>; readinessProbe?: Record<string, unknown> } = {}): KObj {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      ...(extra.strategy ? { strategy: extra.strategy } : {}),
      template: {
        metadata: { labels: { app: name }, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
        spec: { containers: [{ name: 'app', image: extra.image ?? 'nginx:1.27', ports: [{ containerPort: 80 }], ...(extra.readinessProbe ? { readinessProbe: extra.readinessProbe } : {}) }], ...(extra.podSpec ?? {}) },
      },
    },
  };
}
