/** "Why is it slow through my forward?" — the chat's cockpit_state tool reads the forward's measured counters. */
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { startFakeLlm } from '../support/fake-llm.js';
import { apply, httpGet, running, waitPods, WEB_YAML } from './kubectl-streams-helpers.js';
import { command, launchCockpit } from './cockpit-helpers.js';

test('chat: the model reads the port-forward counters the proxy measured', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, WEB_YAML);
  await waitPods(c, 'app=web', running);
  const fake = await startFakeLlm({ script: [
    { toolCalls: [{ name: 'cockpit_state', arguments: { what: 'forwards' } }] },
    { text: 'Your forward to svc/web answered every request; time to first byte is low.' },
  ] });
  t.teardown(() => fake.close());
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'default'], { env: { OPENAI_BASE_URL: fake.openaiBase, OPENAI_API_KEY: 'sk-e2e-0000000000000000' } });
  await tm.waitFor(/web-\S+\s+1\/1\s+Running/, 30_000);
  await command(tm, 'pf svc/web :80');
  const svc = await tm.waitFor(/127\.0\.0\.1:(\d+) → default\/svc\/web:80/, 30_000);
  const port = Number(/127\.0\.0\.1:(\d+) → default\/svc\/web:80/.exec(svc)![1]);
  for (let i = 0; i < 3; i++) t.is((await httpGet(port, '/')).status, 200);
  await tm.waitFor(/conns 0 open \/ 3 total/, 20_000);
  tm.keys('Escape');
  await tm.waitGone(/port-forwards:/);
  await command(tm, 'chat why is the frontend slow through my forward?');
  await tm.waitFor(/time to first byte is low/, 30_000);
  const toolResult = (fake.chats()[1]!.body.messages as Array<{ role: string; content: string }>).find((m) => m.role === 'tool')!.content;
  t.regex(toolResult, /svc\/web \d+:80/);
  t.regex(toolResult, /"totalConnections": 3/);
  t.regex(toolResult, /"bytesIn": [1-9]/);
});
