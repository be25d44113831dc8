import test from 'ava';
import { classify, raise, planClass } from '../../../src/ops/safety.js';
import { makeStep } from '../../../src/ops/commands/env.js';

const target = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespace: 'a', name: 'w' };

test('rules classify by request', (t) => {
  t.is(classify('delete', { method: 'DELETE', path: '/x', query: [] }, target).class, 'destructive');
  t.is(classify('scale', { method: 'PATCH', path: '/x/scale', query: [], body: '{"spec":{"replicas":0}}' }, target).class, 'destructive');
  t.is(classify('scale', { method: 'PATCH', path: '/x/scale', query: [], body: '{"spec":{"replicas":2}}' }, target).class, 'mutating');
  t.is(classify('evict', { method: 'POST', path: '/api/v1/namespaces/a/pods/p/eviction', query: [] }, target).class, 'destructive');
  t.is(classify('patch', { method: 'GET', path: '/x', query: [] }, target).class, 'read-only');
  t.regex(classify('delete', { method: 'DELETE', path: '/api/v1/namespaces/a', query: [] }, { ...target, resource: 'namespaces' }).reason, /namespace/);
});

test('a class can be raised, never lowered', (t) => {
  const s = makeStep({ title: 'x', op: 'patch', target, request: { method: 'PATCH', path: '/x', body: '{}' } });
  t.is(s.class, 'mutating');
  const up = raise(s, 'destructive', 'LLM warning');
  t.is(up.class, 'destructive');
  t.true(up.classReasons.some((r) => /LLM warning/.test(r)));
  t.is(raise(up, 'read-only', 'try to lower').class, 'destructive');
  t.is(raise(up, 'mutating', 'try to lower'), up);
  t.is(planClass([s, up]), 'destructive');
});
