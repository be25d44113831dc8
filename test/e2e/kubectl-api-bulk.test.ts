import test from 'ava';
import { startTestSim } from '../support/sim.js';

test('bulk pods (--pods N) look like defaulted pods: kubectl label and annotate work on them', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', pods: 3 });
  const list = await c.kubectl(['get', 'pods', '-n', 'bulk-0', '-o', 'name']);
  t.is(list.code, 0, list.stderr);
  const pod = list.stdout.trim().split('\n')[0]!;
  const labelled = await c.kubectl(['label', '-n', 'bulk-0', pod, 'team=blue']);
  t.is(labelled.code, 0, labelled.stderr);
  const annotated = await c.kubectl(['annotate', '-n', 'bulk-0', pod, 'note=checked']);
  t.is(annotated.code, 0, annotated.stderr);
  const got = await c.kubectl(['get', '-n', 'bulk-0', pod, '-o', 'jsonpath={.metadata.labels.team}/{.metadata.annotations.note}']);
  t.is(got.stdout, 'blue/checked');
});
