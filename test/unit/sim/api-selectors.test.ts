import test from 'ava';
import { ApiError } from '../../../src/sim/errors.js';
import { labelSelectorString, matchFields, matchLabels, parseFieldSelector, parseLabelSelector } from '../../../src/sim/api/selectors.js';

const m = (sel: string, labels: Record<string, string>) => matchLabels(parseLabelSelector(sel), labels);

test('label selectors: the full grammar', (t) => {
  const l = { app: 'web', tier: 'front', n: '5' };
  t.true(m('app=web', l));
  t.true(m('app==web,tier', l));
  t.false(m('app!=web', l));
  t.true(m('app!=api', {}));
  t.true(m('tier in (front, back)', l));
  t.false(m('tier notin (front)', l));
  t.true(m('tier notin (front)', {}));
  t.true(m('!missing', l));
  t.false(m('!app', l));
  t.true(m('n>3,n<6', l));
  t.true(m('', l));
  t.true(m('example.com/role in (a,b),app', { 'example.com/role': 'b', app: 'x' }));
});

test('label selectors: parse errors are 400 BadRequest', (t) => {
  for (const bad of ['a in (b', 'a=b=c', 'a b', ',', 'Bad Key=1', 'a=b c']) {
    const e = t.throws(() => parseLabelSelector(bad), { instanceOf: ApiError }, bad) as ApiError;
    t.is(e.code, 400, bad);
  }
});

test('selector objects print as kubectl shows them', (t) => {
  t.is(labelSelectorString({ matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'c', operator: 'In', values: ['y', 'x'] }, { key: 'd', operator: 'DoesNotExist' }] }),
    '!d,a=1,b=2,c in (x,y)');
});

test('field selectors: per-kind fields, != and unsupported labels', (t) => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } };
  t.true(matchFields(parseFieldSelector('spec.nodeName=n1,status.phase!=Pending', 'Pod'), pod));
  t.false(matchFields(parseFieldSelector('status.phase=Pending', 'Pod'), pod));
  const ev = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'x' } };
  t.true(matchFields(parseFieldSelector('involvedObject.name=p,involvedObject.kind=Pod', 'Event'), ev));
  const e = t.throws(() => parseFieldSelector('spec.nope=1', 'Pod'), { instanceOf: ApiError }) as ApiError;
  t.is(e.message, 'field label not supported: spec.nope');
});
