/**
 * The chat pane in the real cockpit (tmux) on the demo cluster, with a scripted fake LLM
 * speaking the OpenAI protocol: ask why jokes-api crashes → the answer streams in with its
 * tool calls; Esc cancels a slow answer; a proposed plan opens in the preview pane and runs
 * only after confirmation.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { startFakeLlm, type FakeTurn } from '../support/fake-llm.js';
import { launchCockpit, command } from './cockpit-helpers.js';

test('chat: streamed answer with tool calls, Esc cancels, a proposed plan runs only after confirmation', async (t) => {
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 10 });
  const turns: FakeTurn[] = [
    { toolCalls: [{ name: 'kube_list', arguments: { kind: 'pods', namespace: 'jokes', labelSelector: 'app=jokes-api' } }, { name: 'kube_events', arguments: { namespace: 'jokes' } }] },
    { text: 'jokes-api **exits with code 2** a few seconds after it starts, so the kubelet restarts it: CrashLoopBackOff.\n\n- check its logs with `kube_logs previous`\n- fix: roll back the image', chunk: 6, delayMs: 15 },
    { text: 'this answer is slow '.repeat(80), chunk: 4, delayMs: 120 },
    { toolCalls: [{ name: 'propose_plan', arguments: { rationale: 'more capacity for the jokes site', commands: ['scale deploy/jokes-web --replicas 3 -n jokes'] } }] },
    { text: 'I proposed scaling jokes-web to 3 replicas.' },
    { toolCalls: [{ name: 'propose_plan', arguments: { rationale: 'refined: 4 replicas', commands: ['scale deploy/jokes-web --replicas 4 -n jokes'] } }] },
    { text: 'Revised: 4 replicas.' },
  ];
  const fake = await startFakeLlm({ script: turns });
  t.teardown(() => fake.close());
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-A'], { env: { OPENAI_BASE_URL: fake.openaiBase, OPENAI_API_KEY: 'sk-e2e-test-key-000000000000' } });
  await tm.waitFor(/jokes-api/, 30_000);

  await command(tm, 'chat why does jokes-api crash?');
  const answered = await tm.waitFor(/CrashLoopBackOff/, 30_000);
  t.regex(answered, /▸ kube_list/, 'tool calls are listed');
  t.regex(answered, /▸ kube_events/);
  t.regex(answered, /exits with code 2/);
  await tm.waitFor(/tokens/, 10_000);
  // The model was asked with the tools and the cockpit's context.
  const first = fake.chats()[0]!.body;
  t.true(JSON.stringify(first.tools).includes('propose_plan'));
  t.regex(JSON.stringify(first.messages), /why does jokes-api crash/);

  // A slow answer: Esc cancels it at once and the pane stays open.
  tm.type('tell me a long story');
  await tm.waitFor(/tell me a long story/, 5_000);
  tm.keys('Enter');
  await tm.waitFor(/this answer is slow/, 15_000);
  tm.keys('Escape');
  const cancelled = await tm.waitFor(/cancelled/, 5_000);
  t.regex(cancelled, /enter:send/, 'the chat is still open');

  // A proposed plan: it opens in the preview pane; nothing runs before confirmation.
  tm.type('add capacity to jokes-web');
  await tm.waitFor(/add capacity to jokes-web/, 5_000);
  tm.keys('Enter');
  const preview = await tm.waitFor(/dry-run|replicas/i, 30_000);
  t.regex(preview, /jokes-web/);
  const before = await c.kubectl(['get', 'deploy', 'jokes-web', '-n', 'jokes', '-o', 'jsonpath={.spec.replicas}']);
  t.is(before.stdout, '2', 'not executed before confirmation');
  await tm.waitFor(/y:execute|enter\/y/, 10_000);
  // Refine: r goes back to the chat with the line started; the model revises the same plan.
  tm.keys('r');
  await tm.waitFor(/› Refine the plan: /, 10_000);
  tm.type('use 4 replicas, not 3');
  await tm.waitFor(/use 4 replicas, not 3/, 5_000);
  tm.keys('Enter');
  await tm.waitFor((x) => /--replicas 4|replicas: 4|"replicas":4/.test(x) && /y:execute|enter\/y/.test(x), 30_000);
  tm.keys('y');
  // Executed after confirmation: the cluster reaches 4 replicas.
  let after = '';
  for (let i = 0; i < 60 && after !== '4'; i++) {
    await new Promise((r) => setTimeout(r, 500));
    after = (await c.kubectl(['get', 'deploy', 'jokes-web', '-n', 'jokes', '-o', 'jsonpath={.spec.replicas}'])).stdout;
  }
  t.is(after, '4', 'the refined plan executed after confirmation');

  // The usage pane totals the calls the chat made.
  tm.keys('Escape');
  await tm.waitGone(/y:execute|esc:close u:undo/, 15_000).catch(() => undefined);
  await command(tm, 'usage');
  const usage = await tm.waitFor(/AI usage by model/, 10_000);
  t.regex(usage, /openai:gpt-4o-mini\s+[3-9]\s/);
  t.regex(usage, /tokens per day, last 30 days/);
});
