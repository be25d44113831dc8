import test from 'ava';
import { diffObjects, diffLines, hasChanges, renderDiff } from '../../../src/ops/diff.js';

test('diff shows only the changed field, without server noise', (t) => {
  const before = { kind: 'Deployment', metadata: { name: 'web', resourceVersion: '10', managedFields: [{ manager: 'x' }], generation: 1 }, spec: { replicas: 3, paused: false } };
  const after = { kind: 'Deployment', metadata: { name: 'web', resourceVersion: '11', managedFields: [{ manager: 'y' }], generation: 2 }, spec: { replicas: 5, paused: false } };
  const d = diffObjects(before, after);
  t.deepEqual(d.filter((l) => l.op !== ' ').map((l) => l.op + l.text.trim()), ['-replicas: 3', '+replicas: 5']);
  t.false(d.some((l) => /managedFields|resourceVersion|generation/.test(l.text)));
});

test('diff of a created or deleted object is all + or all -', (t) => {
  t.true(diffObjects(undefined, { a: 1, b: 2 }).every((l) => l.op === '+'));
  t.true(diffObjects({ a: 1 }, undefined).every((l) => l.op === '-'));
  t.false(hasChanges(diffObjects({ a: 1 }, { a: 1 })));
});

test('context lines are folded and colour is optional', (t) => {
  const a = Array.from({ length: 30 }, (_, i) => `l${i}`);
  const b = [...a]; b[15] = 'changed';
  const d = diffLines(a, b, 2);
  t.true(d.some((l) => /unchanged lines/.test(l.text)));
  t.true(renderDiff(d, true).includes('\x1b[32m+ changed'));
  t.false(renderDiff(d, false).includes('\x1b'));
});
