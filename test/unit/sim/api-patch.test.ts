import test from 'ava';
import { ApiError } from '../../../src/sim/errors.js';
import { jsonPatch, mergePatch } from '../../../src/sim/api/patch.js';
import { strategicMergePatch } from '../../../src/sim/api/strategic.js';

const deploy = () => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', labels: { a: '1', b: '2' }, finalizers: ['x', 'y'] },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80 }] },
          { name: 'side', image: 'side:1' },
        ],
        tolerations: [{ key: 't1' }],
      },
    },
  },
});

test('strategic merge: containers merge by name, env by name, ports by containerPort; plain lists replace', (t) => {
  const out = strategicMergePatch(deploy(), {
    spec: { template: { spec: {
      containers: [{ name: 'app', image: 'app:2', env: [{ name: 'C', value: '3' }], ports: [{ containerPort: 80, name: 'http' }] }],
      tolerations: [{ key: 't2' }],
    } } },
  }, 'Deployment');
  const app = out.spec.template.spec.containers[0];
  t.is(app.image, 'app:2');
  t.deepEqual(app.env.map((e: { name: string }) => e.name), ['A', 'B', 'C']);
  t.deepEqual(app.ports, [{ containerPort: 80, name: 'http' }]);
  t.is(out.spec.template.spec.containers.length, 2);
  t.deepEqual(out.spec.template.spec.tolerations, [{ key: 't2' }]);
});

test('strategic merge directives: $patch delete/replace, $setElementOrder, $deleteFromPrimitiveList, $retainKeys, null', (t) => {
  const out = strategicMergePatch(deploy(), {
    metadata: { labels: { b: null }, '$deleteFromPrimitiveList/finalizers': ['x'], finalizers: ['z'] },
    spec: { template: { spec: {
      '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }],
      containers: [{ name: 'app', env: [{ name: 'A', $patch: 'delete' }] }],
    } } },
  }, 'Deployment');
  t.deepEqual(out.metadata.labels, { a: '1' });
  t.deepEqual(out.metadata.finalizers, ['y', 'z']);
  t.deepEqual(out.spec.template.spec.containers.map((c: { name: string }) => c.name), ['side', 'app']);
  t.deepEqual(out.spec.template.spec.containers[1].env, [{ name: 'B', value: '2' }]);

  const rep = strategicMergePatch(deploy(), { spec: { template: { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } } } }, 'Deployment');
  t.deepEqual(rep.spec.template.spec.containers, [{ name: 'only', image: 'x' }]);
  const mapRep = strategicMergePatch(deploy(), { metadata: { labels: { $patch: 'replace', c: '3' } } }, 'Deployment');
  t.deepEqual(mapRep.metadata.labels, { c: '3' });
  const retain = strategicMergePatch({ kind: 'Deployment', spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
    { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, 'Deployment');
  t.deepEqual(retain.spec.strategy, { type: 'Recreate' });
});

test('service ports merge by port', (t) => {
  const out = strategicMergePatch({ kind: 'Service', spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } }, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }, 'Service');
  t.deepEqual(out.spec.ports, [{ port: 80, targetPort: 9090 }, { port: 443 }]);
});

test('JSON merge patch (RFC 7386) and JSON patch (RFC 6902)', (t) => {
  t.deepEqual(mergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { b: { c: null, e: 4 }, l: [3] }), { a: 1, b: { d: 3, e: 4 }, l: [3] });
  const doc = { spec: { template: { metadata: { annotations: { x: '1' } } }, list: ['a', 'b'] } };
  const out = jsonPatch(doc, [
    { op: 'replace', path: '/spec/template/metadata/annotations/x', value: '2' },
    { op: 'add', path: '/spec/list/-', value: 'c' },
    { op: 'remove', path: '/spec/list/0' },
    { op: 'copy', from: '/spec/list/0', path: '/spec/first' },
    { op: 'move', from: '/spec/first', path: '/spec/moved' },
    { op: 'test', path: '/spec/moved', value: 'b' },
    { op: 'add', path: '/spec/template/metadata/annotations/a~1b', value: 'slash' },
  ]);
  t.deepEqual(out.spec, { template: { metadata: { annotations: { x: '2', 'a/b': 'slash' } } }, list: ['b', 'c'], moved: 'b' });
  t.deepEqual(doc.spec.list, ['a', 'b'], 'input untouched');
  const e = t.throws(() => jsonPatch(doc, [{ op: 'test', path: '/spec/list/0', value: 'zzz' }]), { instanceOf: ApiError }) as ApiError;
  t.is(e.code, 422);
  t.is((t.throws(() => jsonPatch(doc, { op: 'add' }), { instanceOf: ApiError }) as ApiError).code, 400);
});
