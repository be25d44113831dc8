import test from 'ava';
import type { KubeObject } from '../../../src/kube/types.js';
import { parseFilter, parseSelector, selectorMatches, FilterError } from '../../../src/ui/filter.js';
import { buildRows, healthCounts, NameOrder, objectKey } from '../../../src/ui/rows.js';
import { viewFor } from '../../../src/ui/columns/index.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');
function pod(ns: string, name: string, labels: Record<string, string>, waiting?: string, restarts = 0, ageS = 60): KubeObject {
  return {
    metadata: { name, namespace: ns, labels, creationTimestamp: new Date(NOW - ageS * 1000).toISOString() },
    spec: { containers: [{ name: 'c' }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'c', ready: !waiting, restartCount: restarts, state: waiting ? { waiting: { reason: waiting } } : { running: {} } }] },
  };
}
const pods = [
  pod('shop', 'web-2', { app: 'web', tier: 'front' }, undefined, 0, 30),
  pod('shop', 'web-10', { app: 'web', tier: 'front' }, undefined, 2, 300),
  pod('shop', 'api-0', { app: 'api' }, 'CrashLoopBackOff', 9, 100),
  pod('default', 'db-0', { app: 'db', canary: 'true' }, 'ImagePullBackOff', 0, 5),
];
const view = viewFor({ resource: 'pods', group: '' }, true);
const names = (os: KubeObject[]) => os.map((o) => o.metadata.name);
const asMap = (os: KubeObject[]) => new Map(os.map((o) => [objectKey(o), o]));
const rows = (filter: string, column?: string, reverse = false, order?: NameOrder) => names(buildRows(asMap(pods), view, { filter: parseFilter(filter), sort: { column, reverse }, now: NOW, order }));

test('default order is namespace then name', (t) => {
  t.deepEqual(rows(''), ['db-0', 'api-0', 'web-10', 'web-2']);
});

test('text filter matches any column, case-insensitive, and ! inverts', (t) => {
  t.deepEqual(rows('web'), ['web-10', 'web-2']);
  t.deepEqual(rows('crashloop'), ['api-0']);
  t.deepEqual(rows('!web'), ['db-0', 'api-0']);
  t.deepEqual(rows('default'), ['db-0']); // namespace column
  t.deepEqual(rows('web-\\d{2}'), ['web-10']); // a valid regex
  t.deepEqual(rows('web-[('), []); // an invalid regex is plain text
});

test('label selector filter', (t) => {
  t.deepEqual(rows('-l app=web'), ['web-10', 'web-2']);
  t.deepEqual(rows('-l app!=web'), ['db-0', 'api-0']);
  t.deepEqual(rows('-l app in (api,db)'), ['db-0', 'api-0']);
  t.deepEqual(rows('-l canary'), ['db-0']);
  t.deepEqual(rows('-l !canary,app notin (web)'), ['api-0']);
  t.deepEqual(rows('!-l app=web'), ['db-0', 'api-0']);
  t.throws(() => parseFilter('-l a=b,=c'), { instanceOf: FilterError });
  t.throws(() => parseFilter('-l'), { instanceOf: FilterError, message: /needs a selector/ });
});

test('sort by a column uses its sort key; reverse flips', (t) => {
  t.deepEqual(rows('', 'RESTARTS'), ['db-0', 'web-2', 'web-10', 'api-0']);
  t.deepEqual(rows('', 'AGE'), ['db-0', 'web-2', 'api-0', 'web-10']); // youngest first, like an age column read top-down
  t.deepEqual(rows('', 'STATUS'), ['api-0', 'db-0', 'web-10', 'web-2']);
  t.deepEqual(rows('', 'NAME', true), ['web-2', 'web-10', 'api-0', 'db-0']);
});

test('selector parsing and matching', (t) => {
  const r = parseSelector('app=web, tier in (front,back),!legacy');
  t.true(selectorMatches(r, { app: 'web', tier: 'back' }));
  t.false(selectorMatches(r, { app: 'web', tier: 'back', legacy: '1' }));
  t.false(selectorMatches(r, { app: 'web' }));
});

test('health counts', (t) => {
  t.deepEqual(healthCounts(view, pods), { ok: 2, warn: 0, error: 2, muted: 0 });
});

test('the name order is reused while only objects change, and rebuilt when the key set changes', (t) => {
  const order = new NameOrder();
  const m = asMap(pods);
  const build = () => names(buildRows(m, view, { filter: parseFilter(''), sort: { reverse: false }, now: NOW, order }));
  t.deepEqual(build(), ['db-0', 'api-0', 'web-10', 'web-2']);
  t.is(order.sorts, 1);
  // An update in place (same key, new object): no sort, and the new object is what the row holds.
  const updated = { ...pods[2]!, metadata: { ...pods[2]!.metadata, labels: { app: 'api', v: '2' } } };
  m.set(objectKey(updated), updated);
  const r = buildRows(m, view, { filter: parseFilter(''), sort: { reverse: false }, now: NOW, order });
  t.is(order.sorts, 1);
  t.is(r[1], updated);
  // Same size, different keys (one deleted, one added): sorted again.
  m.delete('shop/web-2');
  m.set('aaa/new', pod('aaa', 'new', {}));
  t.deepEqual(build(), ['new', 'db-0', 'api-0', 'web-10']);
  t.is(order.sorts, 2);
  // With a filter and reverse, still from the cached order.
  t.deepEqual(names(buildRows(m, view, { filter: parseFilter('!web'), sort: { reverse: true }, now: NOW, order })), ['api-0', 'db-0', 'new']);
  t.is(order.sorts, 2);
  t.deepEqual(rows('', undefined, false, new NameOrder()), rows(''));
});

test('an invalid label selector says why', (t) => {
  const why = (text: string) => t.throws(() => parseFilter(text))?.message ?? '';
  t.regex(why('-l app in ('), /not closed with '\)'/);
  t.regex(why('-l app in (a,b'), /not closed with '\)'/);
  t.regex(why('-l app in ()'), /can't be empty/);
  t.regex(why('-l =web'), /label key is missing/);
  t.regex(why('-l'), /needs a selector/);
});
