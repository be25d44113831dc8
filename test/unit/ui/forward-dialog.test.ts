import test from 'ava';
import net from 'node:net';
import { declaredPorts, isFree, proposeLocal } from '../../../src/ui/panes/forward-dialog.js';

test('every container port of a pod and every port of a service is offered', (t) => {
  const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'web', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 9090 }] }, { name: 'side', ports: [{ containerPort: 5000, protocol: 'UDP' }] }] } };
  t.deepEqual(declaredPorts(pod, 'Pod').map((p) => p.label), ['80 (http)/TCP — container web', '9090/TCP — container web', '5000/UDP — container side']);
  const svc = { metadata: { name: 's' }, spec: { ports: [{ port: 443, name: 'https', targetPort: 8443 }] } };
  t.deepEqual(declaredPorts(svc, 'Service').map((p) => p.port), [443]);
});

test('the local port proposed: the same when free and unprivileged, else the next free one', async (t) => {
  const busy = new Set([8080, 8081]);
  const free = async (p: number) => !busy.has(p);
  t.is(await proposeLocal(3000, free), 3000);
  t.is(await proposeLocal(80, free), 8082, '80 is privileged; 8080 and 8081 are taken');
  t.is(await proposeLocal(8080, free), 8082, '8080 itself is taken');
  t.is(await proposeLocal('http', free), 0, 'a named port: any free local port');
});

test('isFree tells a listening port from a free one', async (t) => {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  t.false(await isFree(port));
  await new Promise<void>((r) => s.close(() => r()));
  t.true(await isFree(port));
});
