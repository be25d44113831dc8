/**
 * NetworkPolicy enforced in the emulated network, seen from inside pods with kubectl exec: a
 * default-deny on the api drops the client's connection (it times out, as a dropped SYN does);
 * a rule admitting pods labelled role=frontend lets that client through on the named port; an
 * egress deny on the client drops its traffic too; port-forward is not affected.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';

const APP = `apiVersion: v1
kind: Namespace
metadata: {name: np, labels: {team: shop}}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: np, labels: {app: api}}
spec: {containers: [{name: api, image: ghcr.io/acme/api:3.4.1, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: np}
spec: {selector: {app: api}, ports: [{port: 80, targetPort: http}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: np, labels: {role: tester}}
spec: {containers: [{name: c, image: curlimages/curl:8.10.1, command: [sleep, "3600"]}]}
`;
const DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-deny-all, namespace: np}
spec: {podSelector: {matchLabels: {app: api}}, policyTypes: [Ingress]}
`;
const ALLOW = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-frontend, namespace: np}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{podSelector: {matchLabels: {role: frontend}}}], ports: [{port: http}]}]
`;
const EGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: client-no-egress, namespace: np}
spec: {podSelector: {matchLabels: {role: frontend}}, policyTypes: [Egress]}
`;

test('NetworkPolicy: deny drops (timeout), a matching rule admits, egress deny drops', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  t.is((await c.kubectl(['apply', '-f', '-'], { input: APP })).code, 0);
  t.is((await c.kubectl(['wait', '--for=condition=Ready', 'pod/api', 'pod/client', '-n', 'np', '--timeout=60s'])).code, 0);
  const curl = () => c.kubectl(['exec', '-n', 'np', 'client', '--', 'curl', '-sS', '--connect-timeout', '1', 'http://api/']);
  const open = await curl();
  t.is(open.code, 0, open.stderr);
  t.regex(open.stdout, /items/);

  t.is((await c.kubectl(['apply', '-f', '-'], { input: DENY })).code, 0);
  const denied = await curl();
  t.is(denied.code, 28);
  t.regex(denied.stderr, /curl: \(28\) Failed to connect to api port 80 after 1000 ms: Timeout was reached/);

  t.is((await c.kubectl(['apply', '-f', '-'], { input: ALLOW })).code, 0);
  t.is((await curl()).code, 28, 'the client is not role=frontend yet');
  t.is((await c.kubectl(['label', 'pod', 'client', '-n', 'np', 'role=frontend', '--overwrite'])).code, 0);
  const admitted = await curl();
  t.is(admitted.code, 0, admitted.stderr);

  t.is((await c.kubectl(['apply', '-f', '-'], { input: EGRESS })).code, 0);
  t.is((await curl()).code, 28, 'egress deny on the client drops it too');
});
