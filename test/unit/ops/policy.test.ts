import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPolicies, loadPolicies, raisedClasses } from '../../../src/ops/policy.js';
import { makeStep } from '../../../src/ops/commands/env.js';

const dep = (ns: string) => ({ group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespace: ns, name: 'web' });
const del = (ns: string) => makeStep({ title: 'delete', op: 'delete', target: dep(ns), request: { method: 'DELETE', path: `/apis/apps/v1/namespaces/${ns}/deployments/web` } });
const patch = (ns: string) => makeStep({ title: 'patch', op: 'patch', target: dep(ns), request: { method: 'PATCH', path: `/apis/apps/v1/namespaces/${ns}/deployments/web`, body: '{}' } });

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'kai-'));
  for (const [n, c] of Object.entries(files)) writeFileSync(join(d, n), c);
  return d;
}

test('rules from files block plans and are named', async (t) => {
  const rules = loadPolicies([dir({ 'prod.yaml': `rules:
  - name: no deletes in prod
    deny: { ops: [delete], namespaces: [prod] }
  - name: replicas at most 20
    maxReplicas: 20
  - name: images from our registry
    allowedRegistries: [registry.example.com/]
` })]);
  t.is(rules.length, 3);
  const after = { kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 25, template: { spec: { containers: [{ name: 'web', image: 'docker.io/nginx' }] } } } };
  const v = await checkPolicies(rules, [{ step: del('prod') }, { step: patch('dev'), after }, { step: del('dev') }]);
  t.deepEqual(v.map((x) => [x.rule, x.step]), [['no deletes in prod', 0], ['replicas at most 20', 1], ['images from our registry', 1]]);
  t.regex(v[1]!.message, /25 replicas \(at most 20\)/);
});

test('raiseClass only raises', (t) => {
  const rules = loadPolicies([dir({ 'r.yaml': '- name: prod is sensitive\n  namespaces: [prod]\n  raiseClass: destructive\n' })]);
  t.deepEqual(raisedClasses(rules, [patch('prod'), patch('dev')]), [{ index: 0, to: 'destructive', rule: 'prod is sensitive' }]);
});

test('malformed policy files are named', (t) => {
  t.throws(() => loadPolicies([dir({ 'bad.yaml': 'rules:\n  - name: x\n    maxReplica: 3\n' })]), { message: /bad\.yaml: rule 1 has unknown key\(s\) maxReplica/ });
  t.throws(() => loadPolicies([dir({ 'bad.yaml': 'rules: [\n' })]), { message: /policy file .*bad\.yaml/ });
  t.deepEqual(loadPolicies([join(tmpdir(), 'no-such-dir-kai')]), []);
});

test('the example policies shipped in policies/ load', (t) => {
  const rules = loadPolicies([join(process.cwd(), 'policies')]);
  t.true(rules.length >= 5);
  t.true(rules.some((r) => r.name === 'no deletes in namespace prod' && r.deny?.namespaces?.includes('prod')));
});
