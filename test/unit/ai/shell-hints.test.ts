/** Rule-based shell hints from the emulated shell's real error lines; the container summary on open. */
import test from 'ava';
import { containerHint, errorLine, ruleHint } from '../../../src/ai/shell-hints.js';

test('a missing command: curl missing suggests wget with the same URL', (t) => {
  const h = ruleHint(['/ # curl -s http://api:8080/healthz', 'sh: curl: not found', '/ # '])!;
  t.regex(h.text, /this image has no curl; wget may be there/);
  t.is(h.suggest, 'wget -qO- http://api:8080/healthz');
  const bash = ruleHint(['root@x:/# nslookup api', 'bash: nslookup: command not found', 'root@x:/# '])!;
  t.regex(bash.text, /'nslookup' is not installed/);
});

test('permission denied, connection refused, DNS, timeouts, missing files, read-only fs, forbidden', (t) => {
  const cases: Array<[string, RegExp]> = [
    ['sh: can\'t create /etc/x: Permission denied', /non-root user/],
    ['wget: can\'t connect to remote host (10.0.0.5): Connection refused', /nothing listens/],
    ['wget: bad address \'nope.shop\'', /does not resolve/],
    ['wget: download timed out', /NetworkPolicy/],
    ['cat: can\'t open \'/etc/app/config.yaml\': No such file or directory', /mount may be missing/],
    ['touch: /x: Read-only file system', /read-only/],
    ['{"kind":"Status","message":"pods is forbidden: User \\"system:serviceaccount:shop:api\\" cannot list resource"}', /RBAC/],
  ];
  for (const [line, re] of cases) t.regex(ruleHint(['/ # cmd', line, '/ # '])!.text, re, line);
  t.is(ruleHint(['/ # ls', 'bin etc usr', '/ # ']), undefined);
  t.is(errorLine(['/ # ls', 'bin', '/ # ']), undefined);
});

test('on open: image, command, ports, mounted config and secrets by name, probes', (t) => {
  const h = containerHint({ spec: {
    containers: [{ name: 'api', image: 'ghcr.io/acme/api:2.1', command: ['/api'], args: ['--port', '8080'], ports: [{ containerPort: 8080 }],
      volumeMounts: [{ name: 'cfg', mountPath: '/etc/api' }, { name: 'tls', mountPath: '/tls' }], readinessProbe: {}, envFrom: [{ secretRef: { name: 'db' } }] }],
    volumes: [{ name: 'cfg', configMap: { name: 'api-config' } }, { name: 'tls', secret: { secretName: 'api-tls' } }],
  } }, 'api')!;
  t.is(h.text, 'api: ghcr.io/acme/api:2.1; runs /api --port 8080; ports 8080; mounts configmap/api-config at /etc/api, secret/api-tls at /tls; env from secret/db; readiness probe');
  t.is(h.suggest, 'wget -qO- http://localhost:8080/');
});
