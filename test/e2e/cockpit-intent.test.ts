/** Plain language typed in the palette: "scale jokes-web to 3" becomes a plan drafted by the assistant, shown in the preview pane. */
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { startFakeLlm } from '../support/fake-llm.js';
import { launchCockpit } from './cockpit-helpers.js';

test('palette: "scale jokes-web to 3" → the assistant drafts the plan → preview (nothing runs before confirmation)', async (t) => {
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 10 });
  const fake = await startFakeLlm({ script: [
    { toolCalls: [{ name: 'propose_plan', arguments: { rationale: 'scale as asked', commands: ['scale deploy/jokes-web --replicas 3 -n jokes'] } }] },
    { text: 'Proposed: jokes-web to 3 replicas.' },
  ] });
  t.teardown(() => fake.close());
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-A'], { env: { OPENAI_BASE_URL: fake.openaiBase, OPENAI_API_KEY: 'sk-e2e-0000000000000000' } });
  await tm.waitFor(/jokes-web/, 30_000);
  await new Promise((r) => setTimeout(r, 2500)); // the operations palette installs after the first rows
  tm.keys(':');
  await new Promise((r) => setTimeout(r, 300));
  tm.type('scale jokes-web to 3');
  await tm.waitFor(/scale jokes-web to 3/, 5_000);
  tm.keys('Enter');
  const s = await tm.waitFor((x) => /jokes-web/.test(x) && /y:execute|enter\/y/.test(x) && /replicas/.test(x), 30_000);
  t.regex(s, /plan from the assistant|scale as asked/);
  t.regex(JSON.stringify(fake.chats()[0]!.body.messages), /scale jokes-web to 3/);
  const r = await c.kubectl(['get', 'deploy', 'jokes-web', '-n', 'jokes', '-o', 'jsonpath={.spec.replicas}']);
  t.is(r.stdout, '2', 'not executed before confirmation');
});
