/** `diagnose --ai`: the rule finding, then the model's diagnosis (a local fake speaking the OpenAI wire protocol). */
import test from 'ava';
import { join } from 'node:path';
import { startTestSim } from '../support/sim.js';
import { runCli } from '../support/cli.js';
import { startFakeLlm } from '../support/fake-llm.js';
import { FAULTS } from '../support/triage-faults.js';

const run = runCli;

test('diagnose --ai --json adds the model\'s diagnosis to the rule finding; the model got the evidence', async (t) => {
  t.timeout(120_000);
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 20 });
  const crash = FAULTS.find((f) => f.category === 'crashloop')!;
  t.is((await c.kubectl(['apply', '-f', '-'], { input: crash.faulty })).code, 0);
  const llm = await startFakeLlm({ script: [{ text: 'Root cause: checkout exits with code 3 right after start; its previous log shows the crash.\nConfidence: high\nWould confirm: kubectl logs deploy/checkout -n t-crash --previous' }] });
  t.teardown(() => llm.close());
  const env = { KAI_TUI_CONFIG_DIR: join(c.dir, 'config'), OPENAI_BASE_URL: llm.openaiBase };
  let r = await run(['diagnose', '-n', 't-crash', '--json', '--kubeconfig', c.kubeconfig], env);
  for (let i = 0; i < 40 && !JSON.parse(r.stdout || '{"findings":[]}').findings.some((f: { category: string }) => f.category === 'crashloop'); i++) {
    await new Promise((res) => setTimeout(res, 1000));
    r = await run(['diagnose', '-n', 't-crash', '--json', '--kubeconfig', c.kubeconfig], env);
  }
  r = await run(['diagnose', '-n', 't-crash', '--json', '--ai', '--kubeconfig', c.kubeconfig], env);
  t.is(r.code, 1, r.stderr);
  const f = JSON.parse(r.stdout).findings[0];
  t.is(f.category, 'crashloop');
  t.deepEqual(f.object, { kind: 'Deployment', namespace: 't-crash', name: 'checkout' });
  t.is(f.diagnosis.confidence, 'high');
  t.regex(f.diagnosis.rootCause, /exits with code 3/);
  t.regex(f.diagnosis.confirm, /--previous/);
  const sent = llm.sentText();
  t.regex(sent, /category crashloop/);
  t.regex(sent, /Deployment\/checkout/);
  t.regex(sent, /previous container/);
});
