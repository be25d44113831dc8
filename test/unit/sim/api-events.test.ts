import test from 'ava';
import { ObjectStore } from '../../../src/sim/storage.js';
import { Registry } from '../../../src/sim/registry/index.js';
import { ApiCore } from '../../../src/sim/api/core.js';
import { EventRecorder } from '../../../src/sim/api/events.js';
import { goDuration } from '../../../src/sim/api/humanize.js';

test('events recorded in the same millisecond sort by name in the order they happened', (t) => {
  const store = new ObjectStore();
  const registry = new Registry();
  new ApiCore(store, registry).create(registry.forResource('', 'namespaces')!, undefined, { metadata: { name: 'default' } });
  const rec = new EventRecorder(store);
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u1' } };
  const reasons = Array.from({ length: 300 }, (_, i) => ['Pulling', 'Pulled', 'Created', 'Started'][i % 4]! + i);
  for (const r of reasons) rec.record(pod, 'Normal', r, r, { component: 'kubelet', host: 'node-1' });
  const items = store.list({ group: '', resource: 'events' }, 'default').items;
  t.is(items.length, 300);
  const byName = [...items].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0));
  t.deepEqual(byName.map((e) => e.reason), reasons);
  for (const e of items) t.regex(e.metadata.name!, /^web\.[0-9a-f]{16}$/);
});

test('goDuration prints durations as Go does', (t) => {
  t.is(goDuration(0), '0s');
  t.is(goDuration(850), '850ms');
  t.is(goDuration(1650), '1.65s');
  t.is(goDuration(1649), '1.649s');
  t.is(goDuration(2000), '2s');
  t.is(goDuration(62_500), '1m2.5s');
  t.is(goDuration(3_723_000), '1h2m3s');
});
