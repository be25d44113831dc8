/**
 * The read-only user of the embedded cluster through the real kubectl: reads work, Secrets,
 * writes and exec are refused with the apiserver's 403 message, and `kubectl auth can-i`
 * answers for that user; the admin token is unaffected.
 */
import { join } from 'node:path';
import test from 'ava';
import { kubectl, startTestSim } from '../support/sim.js';

test('viewer token: reads allowed, writes/secrets/exec forbidden; can-i answers per user', async (t) => {
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 20 });
  const viewerKc = join(c.dir, 'viewer-kubeconfig');
  c.sim.writeViewerKubeconfig(viewerKc);
  const asViewer = (args: string[], input?: string) => kubectl(args, { kubeconfig: viewerKc, cacheDir: join(c.dir, 'viewer-cache'), input, timeoutMs: 30_000 });

  const pods = await asViewer(['get', 'pods', '-n', 'shop', '--no-headers']);
  t.is(pods.code, 0, pods.stderr);
  t.regex(pods.stdout, /^postgres-0\s/m);
  t.is((await asViewer(['get', 'deployments,services,nodes', '-A'])).code, 0);

  const secrets = await asViewer(['get', 'secrets', '-n', 'shop']);
  t.not(secrets.code, 0);
  t.regex(secrets.stderr, /Error from server \(Forbidden\): secrets is forbidden: User "kai-viewer" cannot list resource "secrets" in API group "" in the namespace "shop"/);

  const scale = await asViewer(['scale', 'deployment/frontend', '-n', 'shop', '--replicas=3']);
  t.regex(scale.stderr, /deployments\.apps "frontend" is forbidden: User "kai-viewer" cannot patch resource "deployments\/scale" in API group "apps" in the namespace "shop"/);
  const del = await asViewer(['delete', 'pod', 'postgres-0', '-n', 'shop', '--wait=false']);
  t.regex(del.stderr, /pods "postgres-0" is forbidden: User "kai-viewer" cannot delete resource "pods" in API group "" in the namespace "shop"/);
  const create = await asViewer(['create', 'namespace', 'nope']);
  t.regex(create.stderr, /namespaces is forbidden: User "kai-viewer" cannot create resource "namespaces" in API group "" at the cluster scope/);
  const exec = await asViewer(['exec', '-n', 'shop', 'postgres-0', '--', 'true']);
  t.not(exec.code, 0);
  t.regex(exec.stderr, /forbidden/i);

  t.is((await asViewer(['auth', 'can-i', 'list', 'pods', '-n', 'shop'])).stdout.trim(), 'yes');
  t.is((await asViewer(['auth', 'can-i', 'get', 'secrets', '-n', 'shop'])).stdout.trim(), 'no');
  t.is((await asViewer(['auth', 'can-i', 'delete', 'pods', '-n', 'shop'])).stdout.trim(), 'no');
  t.is((await c.kubectl(['auth', 'can-i', 'delete', 'pods', '-n', 'shop'])).stdout.trim(), 'yes');

  // Nothing changed, and the admin still can.
  t.is((await c.kubectl(['get', 'namespace', 'nope'])).code, 1);
  const ok = await c.kubectl(['get', 'secrets', '-n', 'shop', '--no-headers']);
  t.is(ok.code, 0, ok.stderr);
});
