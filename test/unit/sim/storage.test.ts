import test from 'ava';
import { ObjectStore } from '../../../src/sim/storage.js';
import { ApiError } from '../../../src/sim/errors.js';
import type { StoreEvent } from '../../../src/sim/types.js';

const pods = { group: '', resource: 'pods' };
const pod = (name: string, ns = 'default') => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { containers: [] } });

test('create assigns uid, resourceVersion and generation; duplicate → 409 AlreadyExists', (t) => {
  const s = new ObjectStore();
  const o = s.create(pods, pod('a'));
  t.truthy(o.metadata.uid);
  t.is(o.metadata.generation, 1);
  t.is(o.metadata.resourceVersion, String(s.resourceVersion));
  const err = t.throws(() => s.create(pods, pod('a')), { instanceOf: ApiError })!;
  t.is((err as ApiError).code, 409);
  t.is((err as ApiError).reason, 'AlreadyExists');
});

test('update with a stale resourceVersion → 409 Conflict; spec change bumps generation', (t) => {
  const s = new ObjectStore();
  const o = s.create(pods, pod('a'));
  const o2 = s.update(pods, { ...o, spec: { containers: [{ name: 'x' }] } });
  t.is(o2.metadata.generation, 2);
  const err = t.throws(() => s.update(pods, { ...o, spec: {} }), { instanceOf: ApiError }) as ApiError;
  t.is(err.reason, 'Conflict');
});

test('a no-op update does not bump the resourceVersion', (t) => {
  const s = new ObjectStore();
  const o = s.create(pods, pod('a'));
  const o2 = s.update(pods, o);
  t.is(o2.metadata.resourceVersion, o.metadata.resourceVersion);
});

test('finalizers hold deletion until removed', (t) => {
  const s = new ObjectStore();
  const o = s.create(pods, { ...pod('a'), metadata: { name: 'a', namespace: 'default', finalizers: ['x/y'] } });
  const d = s.delete(pods, 'default', 'a');
  t.truthy(d.metadata.deletionTimestamp);
  t.truthy(s.peek(pods, 'default', 'a'));
  const cur = s.get(pods, 'default', 'a');
  cur.metadata.finalizers = [];
  s.update(pods, cur);
  t.is(s.peek(pods, 'default', 'a'), undefined);
  t.truthy(o);
});

test('watch replays from a resourceVersion and 410s after compaction', (t) => {
  const s = new ObjectStore();
  const a = s.create(pods, pod('a'));
  s.create(pods, pod('b', 'other'));
  const seen: StoreEvent[] = [];
  const stop = s.watch({ key: '/pods', namespace: 'default' }, Number(a.metadata.resourceVersion) - 1, (e) => seen.push(e));
  s.delete(pods, 'default', 'a');
  stop();
  t.deepEqual(seen.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED a', 'DELETED a']);
  s.compact();
  const err = t.throws(() => s.watch({ key: '/pods' }, 1, () => {}), { instanceOf: ApiError }) as ApiError;
  t.is(err.code, 410);
});
