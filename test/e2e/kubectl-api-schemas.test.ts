/**
 * What the apiserver refuses before storing, through the real kubectl with plain YAML: custom
 * resources checked against their CRD's structural schema (unknown fields with
 * fieldValidation=Strict, pruning otherwise, types, minimum/maximum, enum, required, pattern,
 * defaults), a ConfigMap key in both data and binaryData, typed Secrets without their keys,
 * a Secret's immutable type. Messages as kube-apiserver 1.32 words them.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';

const CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: crontabs.stable.example.com}
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [cronSpec]
            properties:
              cronSpec: {type: string, pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'}
              image: {type: string, default: 'nginx:1.27'}
              replicas: {type: integer, minimum: 1, maximum: 10}
              mode: {type: string, enum: [Auto, Manual]}
              labels:
                type: object
                additionalProperties: {type: string}
              extra:
                type: object
                x-kubernetes-preserve-unknown-fields: true
`;

const cr = (name: string, spec: string) => `apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: ${name}, namespace: default}\nspec:\n${spec}`;

test('custom resources: strict unknown fields, pruning, types, bounds, enum, required, pattern, defaults', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', apiOnly: true });
  t.is((await c.kubectl(['apply', '-f', '-'], { input: CRD })).code, 0);

  const unknown = await c.kubectl(['apply', '-f', '-'], { input: cr('typo', '  cronSpec: "* * * * */5"\n  replica: 3\n') });
  t.is(unknown.code, 1);
  t.regex(unknown.stderr, /Error from server \(BadRequest\): error when creating "STDIN": CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec\.replica"/);

  const pruned = await c.kubectl(['apply', '--validate=false', '-f', '-'], { input: cr('pruned', '  cronSpec: "* * * * */5"\n  replica: 3\n  labels: {a: b}\n  extra: {anything: [1, 2]}\n') });
  t.is(pruned.code, 0, pruned.stderr);
  const stored = JSON.parse((await c.kubectl(['get', 'crontab', 'pruned', '-o', 'json'])).stdout);
  t.deepEqual(stored.spec, { cronSpec: '* * * * */5', image: 'nginx:1.27', labels: { a: 'b' }, extra: { anything: [1, 2] } }, 'unknown spec.replica pruned, default filled, preserved subtree kept');

  const type = await c.kubectl(['apply', '-f', '-'], { input: cr('bad-type', '  cronSpec: "* * * * */5"\n  replicas: three\n') });
  t.regex(type.stderr, /The CronTab "bad-type" is invalid: spec\.replicas: Invalid value: "string": spec\.replicas in body must be of type integer: "string"/);

  const many = await c.kubectl(['apply', '-f', '-'], { input: cr('bad-many', '  replicas: 20\n  mode: Sometimes\n  labels: {a: 1}\n') });
  t.is(many.code, 1);
  t.regex(many.stderr, /The CronTab "bad-many" is invalid: /);
  t.regex(many.stderr, /\* spec\.cronSpec: Required value/);
  t.regex(many.stderr, /\* spec\.replicas: Invalid value: 20: spec\.replicas in body should be less than or equal to 10/);
  t.regex(many.stderr, /\* spec\.mode: Unsupported value: "Sometimes": supported values: "Auto", "Manual"/);
  t.regex(many.stderr, /\* spec\.labels\.a: Invalid value: "integer": spec\.labels\.a in body must be of type string: "integer"/);

  const low = await c.kubectl(['apply', '-f', '-'], { input: cr('bad-low', '  cronSpec: "every minute"\n  replicas: 0\n') });
  t.regex(low.stderr, /spec\.replicas: Invalid value: 0: spec\.replicas in body should be greater than or equal to 1/);
  t.regex(low.stderr, /spec\.cronSpec: Invalid value: "every minute": spec\.cronSpec in body should match '\^\(\\d\+\|\\\*\)/);

  const ok = await c.kubectl(['apply', '-f', '-'], { input: cr('good', '  cronSpec: "*/5 * * * *"\n  replicas: 3\n  mode: Auto\n') });
  t.is(ok.code, 0, ok.stderr);
  const patched = await c.kubectl(['patch', 'crontab', 'good', '--type=merge', '-p', '{"spec":{"replicas":11}}']);
  t.regex(patched.stderr, /spec\.replicas: Invalid value: 11: spec\.replicas in body should be less than or equal to 10/);
});

test('ConfigMap key in data and binaryData; typed Secrets need their keys; a Secret type is immutable', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', apiOnly: true });
  const both = await c.kubectl(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: both, namespace: default}\ndata: {k: v}\nbinaryData: {k: dg==}\n' });
  t.is(both.code, 1);
  t.regex(both.stderr, /The ConfigMap "both" is invalid: \n\* data\[k\]: Invalid value: "k": duplicate of key present in binaryData\n\* binaryData\[k\]: Invalid value: "k": duplicate of key present in data/);

  const tls = await c.kubectl(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Secret\nmetadata: {name: web-tls, namespace: default}\ntype: kubernetes.io/tls\nstringData: {tls.crt: x}\n' });
  t.regex(tls.stderr, /The Secret "web-tls" is invalid: data\[tls\.key\]: Required value/);
  const noKeys = await c.kubectl(['create', 'secret', 'generic', 'reg', '--type=kubernetes.io/dockerconfigjson', '--from-literal=x=y']);
  t.regex(noKeys.stderr, /error: failed to create secret Secret "reg" is invalid: data\[\.dockerconfigjson\]: Required value/);
  const badJson = await c.kubectl(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Secret\nmetadata: {name: reg, namespace: default}\ntype: kubernetes.io/dockerconfigjson\nstringData: {.dockerconfigjson: not-json}\n' });
  t.regex(badJson.stderr, /The Secret "reg" is invalid: data\[\.dockerconfigjson\]: Invalid value: "<secret contents redacted>": invalid character 'o' in literal null \(expecting 'u'\)/);
  const badStart = await c.kubectl(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Secret\nmetadata: {name: reg, namespace: default}\ntype: kubernetes.io/dockerconfigjson\nstringData: {.dockerconfigjson: \"<none>\"}\n' });
  t.regex(badStart.stderr, /data\[\.dockerconfigjson\]: Invalid value: "<secret contents redacted>": invalid character '<' looking for beginning of value/);
  const good = await c.kubectl(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Secret\nmetadata: {name: reg, namespace: default}\ntype: kubernetes.io/dockerconfigjson\nstringData: {.dockerconfigjson: \'{"auths":{}}\'}\n' });
  t.is(good.code, 0, good.stderr);
  const basic = await c.kubectl(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Secret\nmetadata: {name: basic, namespace: default}\ntype: kubernetes.io/basic-auth\nstringData: {user: x}\n' });
  t.regex(basic.stderr, /\* data\[username\]: Required value\n\* data\[password\]: Required value/);

  t.is((await c.kubectl(['create', 'secret', 'generic', 'plain', '--from-literal=a=b'])).code, 0);
  const retype = await c.kubectl(['patch', 'secret', 'plain', '--type=merge', '-p', '{"type":"kubernetes.io/basic-auth","stringData":{"username":"u"}}']);
  t.regex(retype.stderr, /The Secret "plain" is invalid: type: Invalid value: "kubernetes\.io\/basic-auth": field is immutable/);
});
