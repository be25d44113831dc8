/**
 * An admission webhook whose Service does not exist, as a real cluster shows it: creates it
 * matches fail with the apiserver's "failed calling webhook" (failurePolicy Fail), also for a
 * ReplicaSet's pods (FailedCreate); its namespaceSelector leaves other namespaces alone; with
 * failurePolicy Ignore the request goes on.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';

const YAML = `apiVersion: v1
kind: Namespace
metadata: {name: guarded, labels: {webhook: "on"}}
---
apiVersion: v1
kind: Namespace
metadata: {name: open}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: pod-policy}
webhooks:
- name: pods.policy.example.com
  admissionReviewVersions: [v1]
  sideEffects: None
  clientConfig: {service: {namespace: hooks, name: missing-webhook, path: /validate}}
  namespaceSelector: {matchLabels: {webhook: "on"}}
  rules: [{operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [pods]}]
- name: cm.lenient.example.com
  admissionReviewVersions: [v1]
  sideEffects: None
  failurePolicy: Ignore
  clientConfig: {service: {namespace: hooks, name: missing-webhook, path: /cm}}
  rules: [{operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [configmaps]}]
`;

test('a webhook with no service: matching creates fail (Fail), other namespaces and Ignore webhooks pass, ReplicaSets report FailedCreate', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  t.is((await c.kubectl(['apply', '-f', '-'], { input: YAML })).code, 0);
  const denied = await c.kubectl(['run', 'p', '--image=nginx:1.27', '-n', 'guarded']);
  t.is(denied.code, 1);
  t.regex(denied.stderr, /Error from server \(InternalError\): Internal error occurred: failed calling webhook "pods\.policy\.example\.com": failed to call webhook: Post "https:\/\/missing-webhook\.hooks\.svc:443\/validate\?timeout=10s": service "missing-webhook" not found/);
  t.is((await c.kubectl(['run', 'p', '--image=nginx:1.27', '-n', 'open'])).code, 0, 'outside the namespaceSelector');
  t.is((await c.kubectl(['create', 'configmap', 'x', '--from-literal=a=b', '-n', 'guarded'])).code, 0, 'failurePolicy Ignore');
  t.is((await c.kubectl(['create', 'deployment', 'web', '--image=nginx:1.27', '-n', 'guarded'])).code, 0);
  let ev = '';
  for (let i = 0; i < 60 && !/FailedCreate/.test(ev); i++) {
    await new Promise((r) => setTimeout(r, 250));
    ev = (await c.kubectl(['get', 'events', '-n', 'guarded', '-o', 'custom-columns=R:.reason,M:.message', '--no-headers'])).stdout;
  }
  t.regex(ev, /FailedCreate\s+Error creating: Internal error occurred: failed calling webhook "pods\.policy\.example\.com"/);
});
