import test from 'ava';
import type { KubeObject } from '../../../src/kube/types.js';
import { describe, eventsFor } from '../../../src/ui/describe.js';
import { objectYaml, secretKeys, highlightYaml, HIDDEN } from '../../../src/ui/yamlview.js';
import { fallbackTheme } from '../../../src/ui/theme.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();

const pod: KubeObject = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'api-0', namespace: 'shop', uid: 'u1', labels: { app: 'api' }, creationTimestamp: ago(600), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-7d9c', uid: 'rs1', controller: true }] },
  spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'acme/api:2.1', ports: [{ containerPort: 8080 }] }] },
  status: {
    phase: 'Running', podIP: '10.0.0.9', hostIP: '10.1.0.1', startTime: ago(590), qosClass: 'BestEffort',
    conditions: [{ type: 'Ready', status: 'False' }],
    containerStatuses: [{ name: 'app', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } }, lastState: { terminated: { reason: 'Error', exitCode: 2, finishedAt: ago(30) } } }],
  },
};
const events: KubeObject[] = [
  { metadata: { name: 'e1', namespace: 'shop' }, involvedObject: { kind: 'Pod', name: 'api-0', namespace: 'shop', uid: 'u1' }, type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container', lastTimestamp: ago(20), count: 7, source: { component: 'kubelet' } },
  { metadata: { name: 'e2', namespace: 'shop' }, involvedObject: { kind: 'Pod', name: 'other', namespace: 'shop', uid: 'u2' }, type: 'Normal', reason: 'Pulled', message: 'x', lastTimestamp: ago(20) },
];

test('describe of a pod reads like kubectl describe, with its own events only', (t) => {
  const text = describe(pod, 'Pod', events, NOW).join('\n');
  t.regex(text, /^Name:\s+api-0$/m);
  t.regex(text, /^Controlled By:\s+ReplicaSet\/api-7d9c$/m);
  t.regex(text, /^Node:\s+node-1\/10\.1\.0\.1$/m);
  t.regex(text, /^Status:\s+Running \(CrashLoopBackOff\)$/m);
  t.regex(text, /^ {4}State:\s+Waiting\n {6}Reason:\s+CrashLoopBackOff/m);
  t.regex(text, /^ {4}Last State:\s+Terminated\n {6}Reason:\s+Error\n {6}Exit Code:\s+2/m);
  t.regex(text, /^ {4}Restart Count:\s+4$/m);
  t.regex(text, /^ {2}Warning\s+BackOff\s+20s \(x7\)\s+kubelet\s+Back-off restarting failed container$/m);
  t.notRegex(text, /Pulled/);
  t.is(eventsFor(pod, events).length, 1);
});

test('secrets: data hidden in YAML and describe, one key revealed on request', (t) => {
  const secret: KubeObject = {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: { name: 'db', namespace: 'shop', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"aHVudGVyMg=="}}' } },
    data: { password: Buffer.from('hunter2').toString('base64'), user: Buffer.from('admin').toString('base64') },
  };
  const hidden = objectYaml(secret).join('\n');
  t.regex(hidden, new RegExp(`password: ${HIDDEN}`));
  t.regex(hidden, new RegExp(`user: ${HIDDEN}`));
  t.notRegex(hidden, /aHVudGVyMg|hunter2/); // not even in last-applied-configuration
  t.deepEqual(secretKeys(secret), ['password', 'user']);
  const one = objectYaml(secret, 'password').join('\n');
  t.regex(one, /password: hunter2/);
  t.regex(one, new RegExp(`user: ${HIDDEN}`));
  const d = describe(secret, 'Secret', [], NOW).join('\n');
  t.regex(d, /^password:\s+7 bytes$/m);
  t.notRegex(d, /hunter2|aHVudGVyMg/);
});

test('YAML highlighting paints keys and values and keeps cluster text inert', (t) => {
  const th = fallbackTheme({});
  t.is(highlightYaml('  name: api-0', th), '  {bold}name{/bold}: api-0');
  t.is(highlightYaml('msg: "\\e[31m{red-fg}"', th), '{bold}msg{/bold}: "\\e[31m{open}red-fg{close}"');
  t.is(highlightYaml('note: \u001b[2Jx', th), '{bold}note{/bold}: ^[[2Jx');
});
