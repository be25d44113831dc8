import test from 'ava';
import { PodColours, prettyJson, shortPod } from '../../../src/ui/log-lines.js';

test('each pod keeps one colour; two pods differ until the palette is used up', (t) => {
  const c = new PodColours();
  const a = c.of('api-1');
  const b = c.of('api-2');
  t.not(a, b);
  t.is(c.of('api-1'), a);
});

test('short pod names drop the ReplicaSet hash; other names stay', (t) => {
  t.is(shortPod('api-6rk5l2rv6q-bhdj8'), 'api-…bhdj8');
  t.is(shortPod('postgres-0'), 'postgres-0');
});

test('JSON lines are pretty-printed; other lines are left alone', (t) => {
  t.deepEqual(prettyJson('{"level":"info","n":1}'), ['{', '  "level": "info",', '  "n": 1', '}']);
  t.deepEqual(prettyJson('plain text'), ['plain text']);
  t.deepEqual(prettyJson('{not json}'), ['{not json}']);
});
