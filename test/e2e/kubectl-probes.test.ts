/**
 * HTTP and TCP probes run by the emulated kubelet against the emulated servers, read back with
 * kubectl: a stock nginx answers 404 on /healthz (never Ready), a probe on a port nothing listens
 * on is refused, a failing liveness probe restarts the container, a TCP probe on a listening port
 * makes the pod Ready.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';

const YAML = `apiVersion: v1
kind: Pod
metadata: {name: nginx-healthz}
spec:
  containers:
  - name: web
    image: nginx:1.27
    ports: [{containerPort: 80}]
    readinessProbe: {httpGet: {path: /healthz, port: 80}, periodSeconds: 2}
---
apiVersion: v1
kind: Pod
metadata: {name: wrong-port}
spec:
  containers:
  - name: api
    image: ghcr.io/acme/api:3.4.1
    ports: [{containerPort: 8080}]
    readinessProbe: {httpGet: {path: /healthz, port: 9999}, periodSeconds: 2}
---
apiVersion: v1
kind: Pod
metadata: {name: bad-liveness}
spec:
  containers:
  - name: api
    image: ghcr.io/acme/api:3.4.1
    ports: [{name: http, containerPort: 8080}]
    livenessProbe: {httpGet: {path: /no-such-path, port: http}, periodSeconds: 2, failureThreshold: 3}
---
apiVersion: v1
kind: Pod
metadata: {name: tcp-ok}
spec:
  containers:
  - name: cache
    image: redis:7.4
    ports: [{containerPort: 6379}]
    readinessProbe: {tcpSocket: {port: 6379}, periodSeconds: 2}
`;

test('probes: nginx 404 on /healthz, a refused port, a liveness restart, a TCP probe that passes', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  t.is((await c.kubectl(['apply', '-f', '-'], { input: YAML })).code, 0);
  const pod = async (n: string) => JSON.parse((await c.kubectl(['get', 'pod', n, '-o', 'json'])).stdout);
  const unhealthy = async () => (await c.kubectl(['get', 'events', '--field-selector', 'reason=Unhealthy', '-o', 'custom-columns=OBJ:.involvedObject.name,MSG:.message', '--no-headers'])).stdout;
  let ev = '';
  let restarted = 0;
  for (let i = 0; i < 160; i++) {
    ev = await unhealthy();
    restarted = (await pod('bad-liveness')).status?.containerStatuses?.[0]?.restartCount ?? 0;
    if (/nginx-healthz/.test(ev) && /wrong-port/.test(ev) && restarted >= 1) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  t.regex(ev, /nginx-healthz\s+Readiness probe failed: HTTP probe failed with statuscode: 404/);
  const ip = (await pod('wrong-port')).status.podIP as string;
  t.regex(ev, new RegExp(`wrong-port\\s+Readiness probe failed: Get "http://${ip.replace(/\./g, '\\.')}:9999/healthz": dial tcp ${ip.replace(/\./g, '\\.')}:9999: connect: connection refused`));
  t.regex(ev, /bad-liveness\s+Liveness probe failed: HTTP probe failed with statuscode: 404/);
  t.true(restarted >= 1, 'the failing liveness probe restarted the container');
  const killing = (await c.kubectl(['get', 'events', '--field-selector', 'reason=Killing,involvedObject.name=bad-liveness', '-o', 'custom-columns=MSG:.message', '--no-headers'])).stdout;
  t.regex(killing, /Container api failed liveness probe, will be restarted/);
  t.false((await pod('nginx-healthz')).status.containerStatuses[0].ready);
  let tcp = await pod('tcp-ok');
  for (let i = 0; i < 40 && !tcp.status.containerStatuses?.[0]?.ready; i++) { await new Promise((r) => setTimeout(r, 250)); tcp = await pod('tcp-ok'); }
  t.true(tcp.status.containerStatuses[0].ready, 'a TCP probe on a listening port passes');
});
