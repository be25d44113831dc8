import test from 'ava';
import type { KObj } from '../../../src/sim/types.js';
import { startHarness, until, GR } from './controllers-harness.js';

const LEASES = { group: 'coordination.k8s.io', resource: 'leases' };

function pod(name: string, ports: Array<Record<string, unknown>>, labels: Record<string, string> = { app: 'web' }): KObj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27', ports }] } } as unknown as KObj;
}

test('Endpoints: named targetPort resolves per pod and only against a container port of the same protocol', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' }] } });
  // Mid-rollout: old pods serve "http" on 8080, new ones on 9090; "dns" is TCP only, so the UDP port never resolves.
  h.api.create(GR.pods, pod('web-old', [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'TCP' }]));
  h.api.create(GR.pods, pod('web-new', [{ name: 'http', containerPort: 9090 }]));
  const ep = await until('two subsets', () => {
    const e = h.ctx.store.peek(GR.endpoints, 'default', 'web');
    return e?.subsets?.length === 2 && e.subsets.every((s: KObj) => s.addresses?.length) ? e : undefined;
  }, 10_000);
  const byPod = Object.fromEntries(ep.subsets.map((s: KObj) => [s.addresses[0].targetRef.name, s.ports]));
  t.deepEqual(byPod['web-old'], [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  t.deepEqual(byPod['web-new'], [{ name: 'http', port: 9090, protocol: 'TCP' }]);
});

test('EndpointSlices: one per port set, labelled and owned; conditions per pod; placeholder when empty; gone with the Service', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  const svc = h.api.create(GR.services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', labels: { tier: 'front' } },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
  h.api.create(GR.services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ghost', namespace: 'default' },
    spec: { selector: { app: 'ghost' }, ports: [{ port: 80 }] } });
  h.api.create(GR.pods, pod('web-a', [{ name: 'http', containerPort: 8080 }]));
  h.api.create(GR.pods, pod('web-b', [{ name: 'http', containerPort: 9090 }]));
  const slicesOf = (name: string) => h.ctx.store.list(GR.endpointslices, 'default').items.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name);
  const slices = await until('two ready slices', () => {
    const s = slicesOf('web');
    return s.length === 2 && s.every((x) => x.endpoints?.[0]?.conditions?.ready) ? s : undefined;
  }, 10_000);
  for (const s of slices) {
    t.regex(s.metadata.name!, /^web-[a-z0-9]{5}$/);
    t.is(s.addressType, 'IPv4');
    t.is(s.metadata.labels!['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    t.is(s.metadata.labels!.tier, 'front');
    t.is(s.metadata.ownerReferences?.[0]?.uid, svc.metadata.uid);
    t.deepEqual(s.endpoints[0].conditions, { ready: true, serving: true, terminating: false });
    t.is(s.endpoints[0].targetRef.kind, 'Pod');
  }
  t.deepEqual(slices.map((s) => s.ports[0].port).sort(), [8080, 9090]);
  const ghost = await until('placeholder', () => slicesOf('ghost')[0]);
  t.deepEqual(ghost.endpoints, []);
  t.is(ghost.ports, undefined);
  h.api.delete(GR.services, 'default', 'web');
  await until('slices removed', () => slicesOf('web').length === 0, 10_000);
  t.pass();
});

test('Leases: every node holds one in kube-node-lease, owned by its Node', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-node-lease' } });
  const leases = await until('node leases', () => {
    const l = h.ctx.store.list(LEASES, 'kube-node-lease').items;
    return l.length === 2 ? l : undefined;
  }, 10_000);
  for (const l of leases) {
    t.is(l.spec.holderIdentity, l.metadata.name);
    t.is(l.spec.leaseDurationSeconds, 40);
    t.regex(l.spec.renewTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    t.is(l.metadata.ownerReferences?.[0]?.kind, 'Node');
  }
  const first = leases.find((l) => l.metadata.name === 'node-1')!;
  // 60 simulated seconds at timeScale 40 is 1.5 s: the lease is renewed.
  await until('renewed', () => h.ctx.store.peek(LEASES, 'kube-node-lease', 'node-1')!.spec.renewTime !== first.spec.renewTime, 10_000);
  t.pass();
});
