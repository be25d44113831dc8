/** Namespace and context switching in the real cockpit: KUBECONFIG with two files → two sims. */
import test from 'ava';
import { join } from 'node:path';
import { startTestSim } from '../support/sim.js';
import { command, filter, launchCockpit, rowOf } from './cockpit-helpers.js';

const pod = (name: string, ns = 'default') => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {containers: [{name: app, image: nginx:1.25}]}\n`;

test('namespace switching (:ns, 0 for all) and context switching (:ctx) across two clusters', async (t) => {
  const [a, b] = await Promise.all([startTestSim(t, { scenario: 'empty', timeScale: 10 }), startTestSim(t, { scenario: 'empty', timeScale: 10 })]);
  t.is((await a.kubectl(['apply', '-f', '-'], { input: pod('alpha-pod') })).code, 0);
  t.is((await b.kubectl(['apply', '-f', '-'], { input: pod('beta-pod') })).code, 0);
  const fa = join(a.dir, 'alpha.yaml');
  const fb = join(b.dir, 'beta.yaml');
  a.sim.writeKubeconfig(fa, 'alpha');
  b.sim.writeKubeconfig(fb, 'beta');
  // Several files in KUBECONFIG, merged like kubectl: the first file's current-context wins.
  const { tm } = await launchCockpit(t, [], { env: { KUBECONFIG: `${fa}:${fb}` } });

  let screen = await tm.waitFor((s) => /alpha-pod\s+1\/1\s+Running/.test(s), 30_000);
  t.regex(screen, /ctx alpha/);
  t.regex(screen, /◉ alpha/);
  t.regex(screen, /○ beta/);

  await command(tm, 'ns kube-system');
  screen = await tm.waitFor((s) => /ns kube-system/.test(s) && /coredns-\S+\s+1\/1\s+Running/.test(s));
  t.is(rowOf(screen, 'alpha-pod'), '');

  tm.keys('0');
  screen = await tm.waitFor((s) => /ns all/.test(s) && /NAMESPACE\s+NAME\s+READY/.test(s) && rowOf(s, 'alpha-pod') !== '');
  t.regex(screen, /kube-system\s+coredns-/);

  await command(tm, 'ctx beta');
  screen = await tm.waitFor((s) => /ctx beta/.test(s) && /beta-pod\s+1\/1\s+Running/.test(s), 20_000);
  t.is(rowOf(screen, 'alpha-pod'), '');
  t.regex(screen, /◉ beta/);

  // Back through the tree: the contexts node lists alpha; `:ctx alpha` returns.
  await command(tm, 'ctx alpha');
  screen = await tm.waitFor((s) => /ctx alpha/.test(s) && /alpha-pod\s+1\/1/.test(s), 20_000);
  t.is(rowOf(screen, 'beta-pod'), '');

  await command(tm, 'ctx nope');
  await tm.waitFor(/no context "nope"/);
});
