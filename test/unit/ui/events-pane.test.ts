/** The events pane shows the newest first and stays at the top unless the person scrolled away ("N new ↑"). */
import test from 'ava';
import { PassThrough } from 'node:stream';
import blessed from 'blessed';
import type { Collection, KubeObject, ResourceKind, WatchState } from '../../../src/kube/types.js';
import { EventsPane } from '../../../src/ui/panes/events.js';
import { fallbackTheme } from '../../../src/ui/theme.js';

const EVENTS: ResourceKind = { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'], verbs: ['list', 'watch'], categories: [] };

class MemoryCollection implements Collection {
  readonly kind = EVENTS;
  readonly namespace = 'shop';
  version = 0;
  readonly map = new Map<string, KubeObject>();
  items(): ReadonlyMap<string, KubeObject> { return this.map; }
  state(): WatchState { return { phase: 'synced' }; }
  onChange(): () => void { return () => {}; }
  close(): void {}
  put(o: KubeObject): void { this.map.set(`${o.metadata.namespace}/${o.metadata.name}`, o); this.version++; }
}

let n = 0;
function event(ageSec: number, reason = 'BackOff'): KubeObject {
  const at = new Date(Date.now() - ageSec * 1000).toISOString();
  return { metadata: { name: `ev-${++n}`, namespace: 'shop', creationTimestamp: at }, type: 'Warning', reason, message: `${reason} ${n}`, count: 1, lastTimestamp: at, firstTimestamp: at, involvedObject: { kind: 'Pod', name: `api-${n}`, namespace: 'shop' } } as unknown as KubeObject;
}

function setup() {
  const output = Object.assign(new PassThrough(), { columns: 120, rows: 40, isTTY: true });
  output.resume();
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {} });
  const s = blessed.screen({ input, output, terminal: 'xterm-256color', warnings: false, fullUnicode: true } as blessed.Widgets.IScreenOptions);
  const pane = new EventsPane(s);
  Object.assign(pane.box, { left: 0, top: 0, width: 110, height: 12 });
  pane.box.show();
  const col = new MemoryCollection();
  const paint = () => pane.paint({ theme: fallbackTheme({}), focused: true, now: Date.now() });
  return { s, pane, col, paint };
}

test('left alone, the pane stays on the newest event as new ones arrive', (t) => {
  const { s, pane, col, paint } = setup();
  t.teardown(() => s.destroy());
  for (const age of [40, 30, 20]) col.put(event(age));
  pane.setCollection(col, false);
  paint();
  t.is(pane.selected()?.metadata.name, 'ev-3');
  for (let i = 0; i < 5; i++) { col.put(event(10 - i * 2)); paint(); }
  t.is(pane.cursor, 0);
  t.is(pane.selected()?.metadata.name, `ev-${n}`, 'the newest event is selected and on top');
  t.regex(pane.box.getContent().split('\n')[1]!, new RegExp(`BackOff ${n}`));
  t.notRegex(pane.title(), /new ↑/);
});

test('scrolled away, the selection stays and the title counts what arrived above', (t) => {
  const { s, pane, col, paint } = setup();
  t.teardown(() => s.destroy());
  for (const age of [40, 30, 20, 15]) col.put(event(age));
  pane.setCollection(col, false);
  paint();
  pane.handleTableAction('down');
  paint();
  const kept = pane.selected()?.metadata.name;
  col.put(event(1)); paint();
  col.put(event(0)); paint();
  t.is(pane.selected()?.metadata.name, kept);
  t.regex(pane.title(), /2 new ↑/);
  pane.handleTableAction('top');
  paint(); paint();
  t.notRegex(pane.title(), /new ↑/);
  t.is(pane.selected()?.metadata.name, `ev-${n}`);
});
