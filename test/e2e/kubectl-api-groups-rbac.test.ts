/**
 * The API groups every kube-apiserver serves, through the real kubectl: discovery lists them;
 * the default RBAC policy, system PriorityClasses, APIServices and APF configuration exist as on
 * a fresh cluster; Roles and bindings applied as plain YAML decide `kubectl auth can-i --as`,
 * impersonated requests (403 with the apiserver's message), SubjectAccessReviews and
 * `kubectl auth whoami`; a CSR is approved with `kubectl certificate approve`.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import test from 'ava';
import { kubectl, startTestSim } from '../support/sim.js';

const RBAC_YAML = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: config-writer, namespace: shop}
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [create, update, patch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: bob-reads, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: bob}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: builder-writes, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: config-writer}
subjects:
- {kind: ServiceAccount, name: builder}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: qa-edit}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: qa}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: batch-low}
value: 100
description: batch work
`;

test('discovery serves every built-in group; defaults seeded as on a fresh cluster', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty' });
  const versions = (await c.kubectl(['api-versions'])).stdout.split('\n');
  for (const gv of ['rbac.authorization.k8s.io/v1', 'authentication.k8s.io/v1', 'authorization.k8s.io/v1', 'certificates.k8s.io/v1', 'scheduling.k8s.io/v1',
    'node.k8s.io/v1', 'admissionregistration.k8s.io/v1', 'apiregistration.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1']) t.true(versions.includes(gv), gv);
  const res = (await c.kubectl(['api-resources', '--no-headers'])).stdout;
  for (const r of [/^priorityclasses\s+pc\s+scheduling\.k8s\.io\/v1\s+false\s+PriorityClass$/m, /^subjectaccessreviews\s+authorization\.k8s\.io\/v1\s+false\s+SubjectAccessReview$/m,
    /^localsubjectaccessreviews\s+authorization\.k8s\.io\/v1\s+true\s+LocalSubjectAccessReview$/m, /^tokenreviews\s+authentication\.k8s\.io\/v1\s+false\s+TokenReview$/m,
    /^certificatesigningrequests\s+csr\s+certificates\.k8s\.io\/v1\s+false\s+CertificateSigningRequest$/m, /^runtimeclasses\s+node\.k8s\.io\/v1\s+false\s+RuntimeClass$/m,
    /^apiservices\s+apiregistration\.k8s\.io\/v1\s+false\s+APIService$/m, /^flowschemas\s+flowcontrol\.apiserver\.k8s\.io\/v1\s+false\s+FlowSchema$/m]) t.regex(res, r);

  const pc = await c.kubectl(['get', 'priorityclasses']);
  t.regex(pc.stdout, /^NAME\s+VALUE\s+GLOBAL-DEFAULT\s+AGE\s+PREEMPTIONPOLICY$/m);
  t.regex(pc.stdout, /^system-cluster-critical\s+2000000000\s+false\s+\S+\s+PreemptLowerPriority$/m);
  t.regex(pc.stdout, /^system-node-critical\s+2000001000\s+false/m);
  const api = await c.kubectl(['get', 'apiservices']);
  t.regex(api.stdout, /^v1\.\s+Local\s+True\s+/m);
  t.regex(api.stdout, /^v1\.apps\s+Local\s+True\s+/m);
  t.regex((await c.kubectl(['get', 'flowschemas'])).stdout, /^exempt\s+exempt\s+1\s+<none>\s+\S+\s+False$/m);
  const crb = await c.kubectl(['get', 'clusterrolebinding', 'cluster-admin', '-o', 'wide']);
  t.regex(crb.stdout, /^cluster-admin\s+ClusterRole\/cluster-admin\s+\S+\s+system:masters/m);
  const view = JSON.parse((await c.kubectl(['get', 'clusterrole', 'view', '-o', 'json'])).stdout);
  t.deepEqual(view.aggregationRule, { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }] });
  t.true(view.rules.some((r: { resources: string[] }) => r.resources.includes('pods/log')));
});

test('RBAC from applied YAML: can-i --as, impersonated requests, SubjectAccessReview, whoami; viewer may not impersonate', async (t) => {
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 20 });
  const applied = await c.kubectl(['apply', '-f', '-'], { input: RBAC_YAML });
  t.is(applied.code, 0, applied.stderr);
  const canI = async (...args: string[]) => (await c.kubectl(['auth', 'can-i', ...args])).stdout.trim();
  t.is(await canI('list', 'pods', '-n', 'shop', '--as=bob'), 'yes');
  t.is(await canI('get', 'pods/log', '-n', 'shop', '--as=bob'), 'yes');
  t.is(await canI('get', 'secrets', '-n', 'shop', '--as=bob'), 'no');
  t.is(await canI('list', 'pods', '-n', 'default', '--as=bob'), 'no');
  t.is(await canI('delete', 'deployments', '-n', 'default', '--as=alice', '--as-group=qa'), 'yes');
  t.is(await canI('create', 'roles', '-n', 'default', '--as=alice', '--as-group=qa'), 'no');
  t.is(await canI('patch', 'configmaps', '-n', 'shop', '--as=system:serviceaccount:shop:builder'), 'yes');
  t.is(await canI('delete', 'configmaps', '-n', 'shop', '--as=system:serviceaccount:shop:builder'), 'no');
  t.is(await canI('delete', 'nodes', '--as=root', '--as-group=system:masters'), 'yes');

  const pods = await c.kubectl(['get', 'pods', '-n', 'shop', '--as=bob', '--no-headers']);
  t.is(pods.code, 0, pods.stderr);
  t.regex(pods.stdout, /^postgres-0\s/m);
  const secrets = await c.kubectl(['get', 'secrets', '-n', 'shop', '--as=bob']);
  t.regex(secrets.stderr, /Error from server \(Forbidden\): secrets is forbidden: User "bob" cannot list resource "secrets" in API group "" in the namespace "shop"/);
  const scale = await c.kubectl(['scale', 'deployment/frontend', '-n', 'shop', '--replicas=3', '--as=bob']);
  t.regex(scale.stderr, /deployments\.apps "frontend" is forbidden: User "bob" cannot patch resource "deployments\/scale" in API group "apps" in the namespace "shop"/);

  const sar = await c.kubectl(['create', '-o', 'json', '-f', '-'], { input: JSON.stringify({
    apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview',
    spec: { user: 'bob', resourceAttributes: { namespace: 'shop', verb: 'watch', resource: 'pods' } },
  }) });
  t.is(sar.code, 0, sar.stderr);
  t.deepEqual(JSON.parse(sar.stdout).status, { allowed: true, reason: 'RBAC: allowed by RoleBinding "bob-reads/shop" of ClusterRole "view" to User "bob"' });
  const sa = await c.kubectl(['create', '-o', 'json', '-f', '-'], { input: JSON.stringify({
    apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview',
    spec: { user: 'system:serviceaccount:shop:builder', groups: ['system:serviceaccounts'], resourceAttributes: { namespace: 'shop', verb: 'update', resource: 'configmaps' } },
  }) });
  t.is(JSON.parse(sa.stdout).status.reason, 'RBAC: allowed by RoleBinding "builder-writes/shop" of Role "config-writer" to ServiceAccount "builder/shop"');
  const bad = await c.kubectl(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } }) });
  t.regex(bad.stderr, /The SubjectAccessReview "" is invalid: spec\.user: Invalid value: "": at least one of user or group must be specified/);

  const who = await c.kubectl(['auth', 'whoami', '--as=bob', '--as-group=qa']);
  t.regex(who.stdout, /Username\s+bob\nGroups\s+\[qa system:authenticated\]/);
  const me = await c.kubectl(['auth', 'whoami']);
  t.regex(me.stdout, /Username\s+kai-admin\nGroups\s+\[system:masters system:authenticated\]/);

  const viewerKc = join(c.dir, 'viewer-kubeconfig');
  c.sim.writeViewerKubeconfig(viewerKc);
  const asViewer = (args: string[]) => kubectl(args, { kubeconfig: viewerKc, cacheDir: join(c.dir, 'viewer-cache') });
  // Discovery is refused too, and kubectl's discovery client prints no message then ("unknown"), as against a real 1.32 cluster.
  t.regex((await asViewer(['get', 'pods', '-n', 'shop', '--as=bob'])).stderr, /Error from server \(Forbidden\): unknown/);
  const raw = await asViewer(['get', '--raw', '/api/v1/namespaces/shop/pods', '--as=bob']);
  t.regex(raw.stderr, /Error from server \(Forbidden\): users "bob" is forbidden: User "kai-viewer" cannot impersonate resource "users" in API group "" at the cluster scope/);
});

test('CertificateSigningRequest: the requestor recorded, kubectl certificate approve', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty' });
  let pem: string;
  try {
    pem = execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(c.dir, 'k.pem'), '-subj', '/CN=bob'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  } catch {
    t.pass('openssl missing');
    return;
  }
  const yaml = `apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata: {name: bob}\nspec:\n  request: ${Buffer.from(pem).toString('base64')}\n  signerName: kubernetes.io/kube-apiserver-client\n  expirationSeconds: 86400\n  usages: [client auth]\n`;
  t.is((await c.kubectl(['apply', '-f', '-'], { input: yaml })).code, 0);
  t.regex((await c.kubectl(['get', 'csr'])).stdout, /^bob\s+\S+\s+kubernetes\.io\/kube-apiserver-client\s+kai-admin\s+24h\s+Pending$/m);
  const ok = await c.kubectl(['certificate', 'approve', 'bob']);
  t.is(ok.code, 0, ok.stderr);
  t.regex((await c.kubectl(['get', 'csr', 'bob'])).stdout, /\s+Approved/);
});
