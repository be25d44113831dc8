import test from 'ava';
import { rolloutCheck } from '../../../src/ops/verify.js';

const dep = (spec: number, st: Record<string, number>) => ({ kind: 'Deployment', metadata: { name: 'web', generation: 3 }, spec: { replicas: spec }, status: { observedGeneration: 3, ...st } });

test('a deployment rollout is done by kubectl\'s rules', (t) => {
  t.false(rolloutCheck(dep(3, { replicas: 3, updatedReplicas: 2, availableReplicas: 2 })).done);
  t.regex(rolloutCheck(dep(3, { replicas: 4, updatedReplicas: 3, availableReplicas: 3 })).message, /1 old replicas are pending termination/);
  const ok = rolloutCheck(dep(3, { replicas: 3, updatedReplicas: 3, availableReplicas: 3 }));
  t.true(ok.done);
  t.is(ok.message, 'deployment "web" successfully rolled out (3/3 available)');
});

test('a scale-down is done when the extra replicas are gone, not when the count is noted', (t) => {
  const noted = rolloutCheck(dep(2, { replicas: 4, updatedReplicas: 4, availableReplicas: 4 }));
  t.false(noted.done, 'kubectl would say rolled out here (4/2 available)');
  t.regex(noted.message, /scale-down: 2 extra replicas are terminating/);
  t.true(rolloutCheck(dep(2, { replicas: 2, updatedReplicas: 2, availableReplicas: 2 })).done);
});
