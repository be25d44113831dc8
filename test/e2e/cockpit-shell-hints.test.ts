/** The exec shell's hint strip: the container on open; a missing command explained; f2 copies the suggestion without running it. */
import test from 'ava';
import { join } from 'node:path';
import { startTestSim } from '../support/sim.js';
import { startFakeLlm } from '../support/fake-llm.js';
import { filter, launchCockpit, rowOf } from './cockpit-helpers.js';

const POD = `
apiVersion: v1
kind: Namespace
metadata: {name: demo}
---
apiVersion: v1
kind: Pod
metadata: {name: toolbox, namespace: demo}
spec: {containers: [{name: main, image: busybox:1.36, command: [sleep, "3600"], ports: [{containerPort: 8080}]}]}
`;

test('hints: container summary on open, a rule hint for a missing command, f2 puts the suggestion on the prompt line only', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  t.is((await c.kubectl(['apply', '-f', '-'], { input: POD })).code, 0);
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'demo'], { env: { KUBECACHEDIR: join(c.dir, 'cache'), OLLAMA_HOST: '', OPENAI_API_KEY: '' } });
  await tm.waitFor((s) => /toolbox\s+1\/1\s+Running/.test(s), 30_000);
  await filter(tm, 'toolbox');
  await tm.waitFor((s) => rowOf(s, 'toolbox') !== '');
  tm.keys('s');
  let s = await tm.waitFor(/hint: main: busybox:1\.36; runs sleep 3600; ports 8080/, 30_000);
  await tm.waitFor(/\/ # /, 20_000);
  tm.type('htop');
  tm.keys('Enter');
  s = await tm.waitFor(/hint: 'htop' is not installed in this image/, 20_000);
  t.regex(s, /\[f2: ls \/bin \/usr\/bin\]/);
  tm.keys('F2');
  await tm.waitFor(/# ls \/bin \/usr\/bin/, 10_000);
  // Copied, not run: the line after it is empty (no listing, no new prompt).
  await new Promise((r) => setTimeout(r, 700));
  const lines = tm.capture().split('\n');
  const at = lines.findIndex((l) => /# ls \/bin \/usr\/bin/.test(l));
  t.regex(lines[at + 1] ?? '', /^\W*x\s*x\W*$/, lines.slice(at, at + 3).join('\n'));
});

test('with a model configured, the error gets an AI hint after a pause; f2 copies its suggestion; nothing is typed by itself', async (t) => {
  const fake = await startFakeLlm({ script: [{ text: "busybox has no htop; its top shows the processes. try: top -b -n 1" }] });
  t.teardown(() => fake.close());
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  t.is((await c.kubectl(['apply', '-f', '-'], { input: POD })).code, 0);
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'demo'], { env: { KUBECACHEDIR: join(c.dir, 'cache'), OPENAI_BASE_URL: fake.openaiBase, OPENAI_API_KEY: 'sk-e2e-test-key-000000000000', OLLAMA_HOST: '' } });
  await tm.waitFor((s) => /toolbox\s+1\/1\s+Running/.test(s), 30_000);
  await filter(tm, 'toolbox');
  await tm.waitFor((s) => rowOf(s, 'toolbox') !== '');
  tm.keys('s');
  await tm.waitFor(/\/ # /, 30_000);
  tm.type('htop');
  tm.keys('Enter');
  // The rule answers at once; the model's hint replaces it after the debounce.
  await tm.waitFor(/hint: 'htop' is not installed/, 20_000);
  const s = await tm.waitFor(/AI: busybox has no htop; its top shows the processes\.\s+\[f2: top -b -n 1\]/, 20_000);
  t.notRegex(s, /# top -b -n 1/, 'the suggestion is not typed by itself');
  // The model saw the shell's last lines (as data) and was asked once.
  t.is(fake.chats().length, 1);
  t.regex(JSON.stringify(fake.chats()[0]!.body.messages), /htop: not found/);
  tm.keys('F2');
  await tm.waitFor(/# top -b -n 1/, 10_000);
});
