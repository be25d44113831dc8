import test from 'ava';
import { capabilitiesOf, collectionPath, groupVersionOrder, mergeResourceLists, resolveKind } from '../../../src/kube/discovery.js';
import { Backoff } from '../../../src/kube/backoff.js';
import { LAST_APPLIED, trimObject } from '../../../src/kube/trim.js';

const core = { versions: ['v1'] };
const groups = {
  groups: [
    { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } },
    { name: 'events.k8s.io', versions: [{ groupVersion: 'events.k8s.io/v1', version: 'v1' }], preferredVersion: { groupVersion: 'events.k8s.io/v1', version: 'v1' } },
    {
      name: 'autoscaling',
      versions: [{ groupVersion: 'autoscaling/v1', version: 'v1' }, { groupVersion: 'autoscaling/v2', version: 'v2' }],
      preferredVersion: { groupVersion: 'autoscaling/v2', version: 'v2' },
    },
    { name: 'example.com', versions: [{ groupVersion: 'example.com/v1', version: 'v1' }] },
  ],
};

const r = (name: string, kind: string, extra: Record<string, unknown> = {}) => ({ name, kind, namespaced: true, verbs: ['list', 'watch'], singularName: kind.toLowerCase(), ...extra });

const lists = () => {
  const order = groupVersionOrder(core, groups);
  const byGv: Record<string, { resources: ReturnType<typeof r>[] }> = {
    '/v1': { resources: [r('pods', 'Pod', { shortNames: ['po'], categories: ['all'] }), r('pods/log', 'Pod'), r('events', 'Event', { shortNames: ['ev'] }), r('nodes', 'Node', { namespaced: false, shortNames: ['no'] })] },
    'apps/v1': { resources: [r('deployments', 'Deployment', { shortNames: ['deploy'] }), r('deployments/scale', 'Scale')] },
    'events.k8s.io/v1': { resources: [r('events', 'Event', { shortNames: ['ev'] })] },
    'autoscaling/v2': { resources: [r('horizontalpodautoscalers', 'HorizontalPodAutoscaler', { shortNames: ['hpa'] })] },
    'autoscaling/v1': { resources: [r('horizontalpodautoscalers', 'HorizontalPodAutoscaler', { shortNames: ['hpa'] }), r('oldthings', 'OldThing')] },
    'example.com/v1': { resources: [r('widgets', 'Widget', { shortNames: ['wd'] })] },
  };
  return order.map((gv) => ({ ...gv, list: byGv[`${gv.group}/${gv.version}`] ?? {} }));
};

test('preferred version first; one entry per resource; subresources skipped', (t) => {
  const order = groupVersionOrder(core, groups);
  t.deepEqual(order.filter((o) => o.group === 'autoscaling').map((o) => [o.version, o.preferred]), [['v2', true], ['v1', false]]);
  const kinds = mergeResourceLists(lists());
  const hpa = kinds.filter((k) => k.resource === 'horizontalpodautoscalers');
  t.is(hpa.length, 1);
  t.is(hpa[0]!.version, 'v2');
  t.truthy(kinds.find((k) => k.resource === 'oldthings' && k.version === 'v1'), 'a resource only in a non-preferred version is kept');
  t.false(kinds.some((k) => k.resource.includes('/')));
  t.is(kinds[0]!.resource, 'pods', 'core first');
});

test('resolveKind like kubectl: short names, plural, singular, Kind, group-qualified; core wins ties', (t) => {
  const kinds = mergeResourceLists(lists());
  const name = (q: string) => {
    const k = resolveKind(kinds, q);
    return k ? `${k.group}/${k.version}/${k.resource}` : undefined;
  };
  t.is(name('po'), '/v1/pods');
  t.is(name('pods'), '/v1/pods');
  t.is(name('Pod'), '/v1/pods');
  t.is(name('POD'), '/v1/pods');
  t.is(name('deploy'), 'apps/v1/deployments');
  t.is(name('deployment'), 'apps/v1/deployments');
  t.is(name('deployments.apps'), 'apps/v1/deployments');
  t.is(name('deploy.apps'), 'apps/v1/deployments');
  t.is(name('deployments.v1.apps'), 'apps/v1/deployments');
  t.is(name('events'), '/v1/events');
  t.is(name('ev'), '/v1/events');
  t.is(name('events.events.k8s.io'), 'events.k8s.io/v1/events');
  t.is(name('widgets.example.com'), 'example.com/v1/widgets');
  t.is(name('wd'), 'example.com/v1/widgets');
  t.is(name('hpa'), 'autoscaling/v2/horizontalpodautoscalers');
  t.is(name('nothing'), undefined);
  t.is(name(''), undefined);
});

test('capabilities from groups and CRD kinds', (t) => {
  const kinds = mergeResourceLists(lists());
  t.deepEqual(capabilitiesOf(kinds, ['apps']), { metrics: false, keda: false, velero: false, prometheusOperator: false, argocd: false });
  const more = [
    ...kinds,
    { group: 'keda.sh', version: 'v1alpha1', resource: 'scaledobjects', kind: 'ScaledObject', namespaced: true, shortNames: [], verbs: [], categories: [] },
    { group: 'argoproj.io', version: 'v1alpha1', resource: 'applications', kind: 'Application', namespaced: true, shortNames: [], verbs: [], categories: [] },
  ];
  const caps = capabilitiesOf(more, ['metrics.k8s.io', 'keda.sh', 'argoproj.io']);
  t.true(caps.metrics);
  t.true(caps.keda);
  t.true(caps.argocd);
  t.false(caps.velero);
});

test('collection paths for namespaced, cluster-scoped and all-namespaces', (t) => {
  const kinds = mergeResourceLists(lists());
  t.is(collectionPath(resolveKind(kinds, 'pods')!, 'team a'), '/api/v1/namespaces/team%20a/pods');
  t.is(collectionPath(resolveKind(kinds, 'pods')!), '/api/v1/pods');
  t.is(collectionPath(resolveKind(kinds, 'deploy')!, 'x'), '/apis/apps/v1/namespaces/x/deployments');
  t.is(collectionPath(resolveKind(kinds, 'nodes')!, 'ignored'), '/api/v1/nodes');
});

test('back-off doubles from 1 s to 30 s with ±20 % jitter, and resets', (t) => {
  const mid = new Backoff(undefined, () => 0.5);
  t.deepEqual(Array.from({ length: 7 }, () => mid.next()), [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  mid.reset();
  t.is(mid.next(), 1000);
  const low = new Backoff(undefined, () => 0);
  const high = new Backoff(undefined, () => 1);
  t.is(low.next(), 800);
  t.is(high.next(), 1200);
});

test('trimming drops managedFields and the last-applied annotation, fills kind/apiVersion', (t) => {
  const o = trimObject(
    { metadata: { name: 'a', managedFields: [{ manager: 'kubectl' }], annotations: { [LAST_APPLIED]: '{"big":true}', keep: 'yes' } }, spec: {} },
    'apps/v1',
    'Deployment',
  );
  t.false('managedFields' in o.metadata);
  t.deepEqual(o.metadata.annotations, { keep: 'yes' });
  t.is(o.kind, 'Deployment');
  t.is(o.apiVersion, 'apps/v1');
  const only = trimObject({ metadata: { name: 'b', annotations: { [LAST_APPLIED]: '{}' } } });
  t.is(only.metadata.annotations, undefined);
});
