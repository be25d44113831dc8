/**
 * The pulse pane in the real cockpit (tmux): the demo's faults listed within seconds of start with the count in
 * the status bar; Enter → evidence and the rule; a → the AI diagnosis (a scripted fake OpenAI server) → p → its
 * fix plan in the preview pane (server dry run). The explain key opens the same view for a table row.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { startFakeLlm } from '../support/fake-llm.js';
import { command, filter, launchCockpit } from './cockpit-helpers.js';

test('pulse: demo faults live, evidence → AI diagnosis → fix plan in the preview pane; explain on a row', async (t) => {
  t.timeout(180_000);
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 10 });
  const llm = await startFakeLlm({ script: [
    { toolCalls: [{ name: 'propose_plan', arguments: { rationale: 'go back to the last released tag', commands: ['set image deploy/recommendations app=ghcr.io/acme/recommendations:1.9.0 -n shop'] } }] },
    { text: 'Root cause: the image tag 2.0.0-does-not-exist was never pushed.\nConfidence: high\nWould confirm: the Failed event says manifest unknown' },
  ] });
  t.teardown(() => llm.close());
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-A'], { width: 180, height: 50, env: { OPENAI_BASE_URL: llm.openaiBase, OPENAI_API_KEY: undefined, OLLAMA_HOST: undefined } });
  await tm.waitFor(/jokes-api-\S+/, 60_000);

  // The status bar counts the findings without opening anything.
  await tm.waitFor(/pulse [1-9]\d*/, 60_000);
  tm.keys('p');
  let s = await tm.waitFor((x) => /pulse — \d+ findings/.test(x) && /crashloop\s+jokes\s+Deployment\/jokes-api/.test(x)
    && /image-pull\s+shop\s+Deployment\/recommendations/.test(x) && /unschedulable\s+batch\s+Deployment\/ml-trainer/.test(x)
    && /node-unhealthy\s+-\s+Node\/kai-node-3/.test(x), 60_000);
  t.regex(s, /no-endpoints\s+shop\s+Service\/payments/);
  // Root cause first: the Argo CD app is not its own row, it is a symptom of the crash loop.
  t.notRegex(s, /gitops-degraded/);

  await filter(tm, 'recommendations');
  await tm.waitFor((x) => /image-pull\s+shop\s+Deployment\/recommendations/.test(x) && !/crashloop\s+jokes/.test(x));
  tm.keys('Enter');
  s = await tm.waitFor((x) => /pulse › Deployment\/recommendations/.test(x) && /Rule image-pull/.test(x), 20_000);
  t.regex(s, /Evidence/);
  t.regex(s, /does-not-exist/);

  tm.keys('a');
  s = await tm.waitFor((x) => /Root cause: the image tag 2\.0\.0-does-not-exist was never pushed/.test(x) && /Fix plan: go back to the last released tag/.test(x), 30_000);
  t.regex(s, /Confidence: high/);
  t.regex(llm.sentText(), /category image-pull/);
  tm.keys('p');
  s = await tm.waitFor(/dry-run: OK/, 30_000);
  t.regex(s, /recommendations:1\.9\.0/);
  tm.keys('Escape');
  await tm.waitFor((x) => !/dry-run: OK/.test(x), 15_000);

  // explain on a table row: the pods of the crash-looping Deployment lead to its finding.
  await command(tm, 'pods -n jokes');
  await tm.waitFor(/pods\(jokes\)/, 20_000);
  await filter(tm, 'jokes-api');
  await tm.waitFor(/jokes-api-\S+\s+0\/1/, 20_000);
  tm.keys('w');
  s = await tm.waitFor((x) => /pulse › Deployment\/jokes-api/.test(x) && /CRITICAL crashloop/.test(x), 20_000);
  t.regex(s, /symptom gitops-degraded/);
  // The evidence grows with every restart (log tails, events): the rule's explanation may be below.
  for (let i = 0; i < 20 && !/Rule crashloop/.test(s); i++) {
    tm.keys('j', 'j', 'j', 'j', 'j');
    await new Promise((r) => setTimeout(r, 150));
    s = tm.capture();
  }
  t.regex(s, /Rule crashloop/);
});
