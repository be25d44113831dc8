import test from 'ava';
import type { KubeObject } from '../../../src/kube/types.js';
import { sizeColumns } from '../../../src/ui/grid.js';
import { podsView } from '../../../src/ui/columns/pods.js';
import { eventsView } from '../../../src/ui/columns/core.js';

const now = Date.now();
const pod = (name: string, node = 'kai-node-1'): KubeObject => ({
  metadata: { name, namespace: 'shop', creationTimestamp: new Date(now - 60_000).toISOString() },
  spec: { nodeName: node, containers: [{ name: 'app' }] },
  status: { phase: 'Running', podIP: '10.244.1.17', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }] },
});
const widths = (cols: ReturnType<typeof sizeColumns>) => Object.fromEntries(cols.map((c) => [c.col.name, c.width]));

test('at 200 columns long pod and node names are shown in full', (t) => {
  const pods = [pod('recommendations-t7sl8b2tcr-cxs9k', 'ip-10-0-1-23.eu-west-1.compute.internal'), pod('api-5d9f7c8b6-abcde')];
  const w = widths(sizeColumns(podsView.columns, 200, pods, { now }));
  t.is(w.NAME, 'recommendations-t7sl8b2tcr-cxs9k'.length);
  t.is(w.NODE, 'ip-10-0-1-23.eu-west-1.compute.internal'.length);
});

test('in a 100-column terminal (an 80-cell table) the -o wide columns go before a name is cut', (t) => {
  const pods = [pod('checkout-api-7f9c6d5b4-x2x9q-long-suffix-a'), pod('checkout-api-7f9c6d5b4-x2x9q-long-suffix-b')];
  const w = widths(sizeColumns(podsView.columns, 80, pods, { now }));
  t.is(w.NAME, 'checkout-api-7f9c6d5b4-x2x9q-long-suffix-a'.length, 'two pods differing in their last letter stay apart');
  t.true('NODE' in w === false || 'IP' in w === false, 'a wide column gave way');
  t.truthy(w.STATUS);
});

test('at 80 columns the events pane keeps OBJECT and MESSAGE', (t) => {
  const ev: KubeObject = { metadata: { name: 'e' }, type: 'Warning', reason: 'FailedScheduling', count: 3, lastTimestamp: new Date(now).toISOString(), involvedObject: { kind: 'Pod', name: 'waiter-7f9c6d5b4-x2x9q' }, message: '0/3 nodes are available' } as KubeObject;
  for (const width of [80, 60, 48]) {
    const w = widths(sizeColumns(eventsView.columns, width, [ev], { now }));
    t.truthy(w.OBJECT, `OBJECT at ${width}`);
    t.truthy(w.MESSAGE, `MESSAGE at ${width}`);
  }
  t.truthy(widths(sizeColumns(eventsView.columns, 160, [ev], { now })).COUNT, 'COUNT when there is room');
});

test('the widths never exceed the pane', (t) => {
  const pods = [pod('a'.repeat(90), 'n'.repeat(60))];
  for (const width of [40, 80, 120, 200]) {
    const cols = sizeColumns(podsView.columns, width, pods, { now });
    const used = cols.reduce((s, c) => s + c.width, 0) + 2 * (cols.length - 1);
    t.true(used <= width, `${used} ≤ ${width}`);
  }
});
