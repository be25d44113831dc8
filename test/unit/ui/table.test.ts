import test from 'ava';
import { PassThrough } from 'node:stream';
import blessed from 'blessed';
import type { Collection, KubeObject, ResourceKind, WatchState } from '../../../src/kube/types.js';
import { TablePane } from '../../../src/ui/panes/table.js';
import { fallbackTheme } from '../../../src/ui/theme.js';

const PODS: ResourceKind = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, shortNames: ['po'], verbs: ['list', 'watch'], categories: [] };

/** A collection held in memory: what a table needs from the cache, nothing more. */
class MemoryCollection implements Collection {
  readonly kind = PODS;
  readonly namespace = undefined;
  version = 0;
  readonly map = new Map<string, KubeObject>();
  items(): ReadonlyMap<string, KubeObject> { return this.map; }
  state(): WatchState { return { phase: 'synced' }; }
  onChange(): () => void { return () => {}; }
  close(): void {}
  put(o: KubeObject): void {
    this.map.set(`${o.metadata.namespace}/${o.metadata.name}`, o);
    this.version++;
  }
}

function pod(i: number, status = 'Running'): KubeObject {
  const name = `pod-${String(i).padStart(5, '0')}`;
  return {
    metadata: { name, namespace: `ns-${i % 7}`, creationTimestamp: new Date(Date.now() - 60_000).toISOString() },
    spec: { containers: [{ name: 'c' }], nodeName: 'node-1' },
    status: status === 'Running'
      ? { phase: 'Running', podIP: '10.0.0.1', containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] }
      : { phase: 'Running', containerStatuses: [{ name: 'c', ready: false, restartCount: 3, state: { waiting: { reason: status } } }] },
  };
}

function screen(): blessed.Widgets.Screen {
  const output = Object.assign(new PassThrough(), { columns: 120, rows: 40, isTTY: true });
  output.resume();
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {} });
  return blessed.screen({ input, output, terminal: 'xterm-256color', warnings: false, fullUnicode: true } as blessed.Widgets.IScreenOptions);
}

test('20,000 rows: only the visible slice becomes content; scrolling to the end shows the last pods', (t) => {
  const s = screen();
  t.teardown(() => s.destroy());
  const col = new MemoryCollection();
  for (let i = 0; i < 20_000; i++) col.put(pod(i, i === 19_999 ? 'CrashLoopBackOff' : 'Running'));
  const table = new TablePane(s);
  Object.assign(table.box, { left: 0, top: 0, width: 100, height: 22 });
  table.box.show();
  table.setCollection(col, true);
  const theme = fallbackTheme({});
  table.paint({ theme, focused: true, now: Date.now() });
  const lines = table.box.getContent().split('\n');
  t.is(lines.length, 20); // a box of 22 lines minus 2 borders: the header and 19 rows, never 20,000
  t.regex(lines[0]!, /NAMESPACE\s+NAME\s+READY\s+STATUS/);
  t.regex(lines[1]!, /ns-0\s+pod-00000\s+1\/1\s+Running/);
  t.regex(table.title(), /pods\(all\) \[20000\]/);

  table.handleTableAction('bottom');
  table.paint({ theme, focused: true, now: Date.now() });
  const end = table.box.getContent().split('\n');
  t.is(end.length, 20);
  // Namespace then name: the last row is the highest-numbered pod of ns-6.
  const last = [...col.map.values()].filter((o) => o.metadata.namespace === 'ns-6').map((o) => o.metadata.name).sort().pop()!;
  t.is(table.selected()?.metadata.name, last);
  t.regex(end[end.length - 1]!, new RegExp(`ns-6\\s+${last}`));
});

test('updates in place show the new object without a rebuild of the order; filter and marks', (t) => {
  const s = screen();
  t.teardown(() => s.destroy());
  const col = new MemoryCollection();
  for (let i = 0; i < 50; i++) col.put(pod(i));
  const table = new TablePane(s);
  Object.assign(table.box, { left: 0, top: 0, width: 100, height: 12 });
  table.box.show();
  table.setCollection(col, true);
  const theme = fallbackTheme({});
  const now = Date.now();
  table.paint({ theme, focused: true, now });
  col.put(pod(0, 'ImagePullBackOff'));
  table.paint({ theme, focused: true, now });
  t.regex(table.box.getContent(), /pod-00000\s+0\/1\s+ImagePullBackOff\s+3/);

  table.setFilter('ImagePull');
  table.paint({ theme, focused: true, now });
  t.is(table.rows.length, 1);
  table.setFilter('');
  table.handleTableAction('mark');
  table.handleTableAction('mark');
  t.is(table.targets().length, 2);
  col.map.delete('ns-0/pod-00000');
  col.version++;
  table.paint({ theme, focused: true, now });
  t.is(table.targets().length, 1); // the mark of a deleted object is dropped
});
