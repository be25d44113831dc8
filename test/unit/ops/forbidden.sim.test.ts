/** A plan against a resource the user may not touch: one clear message (the server's), nothing executed. */
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTls } from '../../../src/sim/tls.js';
import { loadKubeConfig } from '../../../src/kube/kubeconfig.js';
import { OpsSession } from '../../../src/ops/session.js';
import { startGateProxy } from '../kube/gate-proxy.js';
import { opsEnv, stopSharedSim } from './sim-env.js';

test.after.always(stopSharedSim);

test('forbidden: the dry-run refusal is shown verbatim and nothing is sent', async (t) => {
  const env = await opsEnv(t);
  const tls = await generateTls();
  const proxy = await startGateProxy(env.sim.url, tls);
  t.teardown(() => proxy.close());
  const kc = join(env.dir, 'gated.yaml');
  writeFileSync(kc, env.sim.kubeconfigYaml().replace(env.sim.url, proxy.url).replace(/certificate-authority-data: .*/, `certificate-authority-data: ${Buffer.from(tls.caPem).toString('base64')}`), { mode: 0o600 });
  proxy.forbid(new RegExp(`/namespaces/${env.ns}/deployments/web`));
  const s = await OpsSession.open({ loaded: loadKubeConfig({ kubeconfig: kc, namespace: env.ns })!, journalFile: join(env.dir, 'j2.sqlite'), policyDirs: [], env: { KAI_TUI_CONFIG_DIR: env.dir } });
  t.teardown(() => s.close());
  const i = await s.parse('scale deploy/web --replicas=5');
  if (i.type !== 'plan') return t.fail();
  const p = await s.preview(i.plan);
  t.false(p.acceptable);
  t.is(p.steps[0]!.dryRun.status, 403);
  t.is(p.steps[0]!.dryRun.reason, 'Forbidden');
  t.is(p.refusals.length, 1);
  t.regex(p.refusals[0]!, /^step 1 failed its dry-run: .*forbidden/);
  await t.throwsAsync(s.execute(p), { message: /cannot be executed/ });
  t.false(proxy.seen.some((l) => l.startsWith('PATCH') && !l.includes('dryRun=All')));
  t.is((await env.get(env.dep)).spec.replicas, 2);
});
