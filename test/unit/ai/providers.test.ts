/** The real openai and ollama packages against the fake server: streaming, tools, usage, errors, retries, fallback, cancel. */
import test from 'ava';
import { startFakeLlm } from '../../support/fake-llm.js';
import { resolveAiConfig, normaliseOllamaHost } from '../../../src/ai/config.js';
import { callModel } from '../../../src/ai/call.js';
import { AiError } from '../../../src/ai/providers/errors.js';
import { UsageLedger } from '../../../src/ai/usage.js';
import { ResponseCache } from '../../../src/ai/cache.js';
import { join } from 'node:path';
import { aiSettings } from './helpers.js';

const PROTOCOLS = ['openai', 'ollama'] as const;
const tools = [{ name: 'kube_get', description: 'get', parameters: { type: 'object', properties: { kind: { type: 'string' } } } }];

for (const protocol of PROTOCOLS) {
  test(`${protocol}: streams text and tool calls, reports usage`, async (t) => {
    const fake = await startFakeLlm({ script: [{ text: 'The pod crashes because', toolCalls: [{ name: 'kube_get', arguments: { kind: 'pods', name: 'api-1' } }], usage: { input: 120, output: 30 } }] });
    t.teardown(() => fake.close());
    const { settings, env } = aiSettings(fake, protocol);
    const cfg = resolveAiConfig(settings, env);
    const chunks: string[] = [];
    const r = await callModel(cfg, [{ role: 'user', content: 'why?' }], tools, { promptId: 't', onText: (x) => chunks.push(x) });
    t.true(chunks.length > 1, 'text arrives in several chunks');
    t.is(r.text, 'The pod crashes because');
    t.deepEqual(r.toolCalls.map((c) => [c.name, c.arguments]), [['kube_get', { kind: 'pods', name: 'api-1' }]]);
    t.deepEqual(r.usage, { input: 120, output: 30, estimated: false });
    const sent = fake.chats()[0]!.body;
    t.is(sent.model, 'fake-model');
    t.true(JSON.stringify(sent.tools).includes('kube_get'));
  });

  test(`${protocol}: lists the provider's real models`, async (t) => {
    const fake = await startFakeLlm({ models: [{ name: 'qwen-x', tools: true, contextLength: 32768 }, { name: 'tiny', tools: false }] });
    t.teardown(() => fake.close());
    const { settings, env } = aiSettings(fake, protocol);
    const models = await resolveAiConfig(settings, env).providers[0]!.listModels();
    t.deepEqual(models.map((m) => m.name.replace(/:latest$/, '')), ['qwen-x', 'tiny']);
    if (protocol === 'ollama') {
      t.is(models[0]!.supportsTools, true);
      t.is(models[0]!.contextLength, 32768);
      t.is(models[1]!.supportsTools, false);
    }
  });

  test(`${protocol}: estimates usage when the provider reports none`, async (t) => {
    const fake = await startFakeLlm({ script: [{ text: 'x'.repeat(400), noUsage: true }] });
    t.teardown(() => fake.close());
    const { settings, env } = aiSettings(fake, protocol);
    const r = await callModel(resolveAiConfig(settings, env), [{ role: 'user', content: 'q' }], undefined, { promptId: 't' });
    t.true(r.usage.estimated);
    t.is(r.usage.output, 100);
  });

  const cases: Array<[string, object, AiError['kind'], RegExp]> = [
    ['unknown model', { status: 404, error: 'model' }, 'unknown-model', /kai-tui models/],
    ['missing or wrong key', { status: 401, error: 'auth' }, 'auth', /apiKey/],
    ['context too long', { status: 400, error: 'context' }, 'context-too-long', /longer context/],
  ];
  for (const [name, turn, kind, fix] of cases) {
    if (protocol === 'ollama' && kind === 'auth') continue; // Ollama has no keys
    test(`${protocol}: '${name}' is told apart, with its fix`, async (t) => {
      const fake = await startFakeLlm({ script: [turn] });
      t.teardown(() => fake.close());
      const { settings, env } = aiSettings(fake, protocol, { 'llm.maxRetries': '0' });
      const e = await t.throwsAsync(callModel(resolveAiConfig(settings, env), [{ role: 'user', content: 'q' }], undefined, { promptId: 't' }), { instanceOf: AiError });
      t.is(e!.kind, kind);
      t.regex(e!.line, fix);
    });
  }

  test(`${protocol}: endpoint unreachable says so and how to fix it`, async (t) => {
    const fake = await startFakeLlm();
    await fake.close(); // the port is now closed
    const { settings, env } = aiSettings(fake, protocol, { 'llm.maxRetries': '0' });
    const e = await t.throwsAsync(callModel(resolveAiConfig(settings, env), [{ role: 'user', content: 'q' }], undefined, { promptId: 't' }), { instanceOf: AiError });
    t.is(e!.kind, 'unreachable');
    t.regex(e!.line, protocol === 'ollama' ? /ollama serve|ollama\.host/ : /baseURL/);
  });

  test(`${protocol}: 429 with Retry-After and a 500 are retried, then it answers`, async (t) => {
    const fake = await startFakeLlm({ script: [{ status: 429, retryAfter: '0.05' }, { status: 500 }, { text: 'fine' }] });
    t.teardown(() => fake.close());
    const { settings, env } = aiSettings(fake, protocol);
    const retries: string[] = [];
    const r = await callModel(resolveAiConfig(settings, env), [{ role: 'user', content: 'q' }], undefined, { promptId: 't', backoffMs: 10, onRetry: (m) => retries.push(m) });
    t.is(r.text, 'fine');
    t.is(fake.chats().length, 3);
    t.regex(retries[0]!, /retrying in 0\.1 s|retrying in 0\.0 s|retrying in 0\.05/);
  });

  test(`${protocol}: a stalled stream times out and the next attempt answers`, async (t) => {
    const fake = await startFakeLlm({ script: [{ stallAfter: 0, text: 'never' }, { text: 'second' }] });
    t.teardown(() => fake.close());
    const { settings, env } = aiSettings(fake, protocol, { 'llm.timeoutMs': '1000' });
    const r = await callModel(resolveAiConfig(settings, env), [{ role: 'user', content: 'q' }], undefined, { promptId: 't', backoffMs: 10 });
    t.is(r.text, 'second');
  });

  test(`${protocol}: a cut stream before any text is retried`, async (t) => {
    const fake = await startFakeLlm({ script: [{ cutAfter: 0, text: 'lost' }, { text: 'whole' }] });
    t.teardown(() => fake.close());
    const { settings, env } = aiSettings(fake, protocol);
    const r = await callModel(resolveAiConfig(settings, env), [{ role: 'user', content: 'q' }], undefined, { promptId: 't', backoffMs: 10 });
    t.is(r.text, 'whole');
  });

  test(`${protocol}: an unknown model falls back to the next of llm.fallback`, async (t) => {
    const fake = await startFakeLlm({ script: (req) => (req.body.model === 'fake-model' ? { status: 404, error: 'model' } : { text: `from ${req.body.model}` }) });
    t.teardown(() => fake.close());
    const { settings, env } = aiSettings(fake, protocol, { 'llm.fallback': 'backup-model' });
    const r = await callModel(resolveAiConfig(settings, env), [{ role: 'user', content: 'q' }], undefined, { promptId: 't' });
    t.is(r.text, 'from backup-model');
    t.is(r.fellBack.length, 1);
  });

  test(`${protocol}: cancelling stops a slow answer at once`, async (t) => {
    const fake = await startFakeLlm({ script: [{ text: 'slow '.repeat(200), chunk: 5, delayMs: 50 }] });
    t.teardown(() => fake.close());
    const { settings, env } = aiSettings(fake, protocol);
    const ac = new AbortController();
    let got = '';
    const p = callModel(resolveAiConfig(settings, env), [{ role: 'user', content: 'q' }], undefined, { promptId: 't', signal: ac.signal, onText: (x) => { got += x; if (got.length > 20) ac.abort(); } });
    const e = await t.throwsAsync(p, { instanceOf: AiError });
    t.is(e!.kind, 'cancelled');
    t.true(got.length < 200, 'it stopped long before the end');
  });
}

test('usage ledger: cost from the price table, limits refuse clearly, cache answers for nothing', async (t) => {
  const fake = await startFakeLlm({ script: [{ text: 'one', usage: { input: 1_000_000, output: 1_000_000 } }, { text: 'two' }] });
  t.teardown(() => fake.close());
  const { settings, env, dir } = aiSettings(fake, 'openai', { 'llm.model': 'gpt-4o-mini', 'llm.cacheTtlSec': '600' });
  const cfg = resolveAiConfig(settings, env);
  const ledger = new UsageLedger(join(dir, 'usage.jsonl'));
  const cache = ResponseCache.open(cfg.cacheTtlSec, env);
  const msgs = [{ role: 'user' as const, content: 'same question' }];
  const a = await callModel(cfg, msgs, undefined, { promptId: 'p', ledger, cache });
  const b = await callModel(cfg, msgs, undefined, { promptId: 'p', ledger, cache });
  t.is(a.text, 'one');
  t.true(b.cached);
  t.is(b.text, 'one');
  t.is(fake.chats().length, 1, 'the second identical request never reached the model');
  const recs = ledger.read();
  t.is(recs.length, 2);
  t.is(recs[0]!.costUsd, 0.75); // 0.15 + 0.60 per million
  t.is(recs[1]!.costUsd, 0);
  t.true(recs[1]!.cached);
  const e = t.throws(() => ledger.checkLimits({ callsPerMinute: 1, tokensPerDay: 0 }), { instanceOf: AiError });
  t.regex(e!.message, /call limit is reached/);
  const e2 = t.throws(() => ledger.checkLimits({ callsPerMinute: 0, tokensPerDay: 1000 }), { instanceOf: AiError });
  t.regex(e2!.message, /token limit is reached/);
});

test('provider selection follows the ecosystem conventions when llm.* is not set', (t) => {
  const { settings } = aiSettings(undefined, 'openai');
  for (const k of ['llm.provider', 'llm.model', 'llm.providers.openai.baseURL', 'llm.providers.openai.apiKey']) settings.unset(k);
  const base = { KAI_TUI_CONFIG_DIR: 'x' };
  const o = resolveAiConfig(settings, { ...base, OPENAI_API_KEY: 'sk-abc', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
  t.is(o.chain[0]!.provider.kind, 'openai');
  t.is(o.chain[0]!.provider.endpoint, 'http://127.0.0.1:9/v1');
  const l = resolveAiConfig(settings, { ...base, OLLAMA_HOST: '127.0.0.1:5555' });
  t.is(l.chain[0]!.provider.kind, 'ollama');
  t.is(l.chain[0]!.provider.endpoint, 'http://127.0.0.1:5555');
  const d = resolveAiConfig(settings, base);
  t.is(d.source, 'default local Ollama');
  t.is(d.chain[0]!.provider.endpoint, 'http://127.0.0.1:11434');
  const f = resolveAiConfig(settings, { ...base, OPENAI_API_KEY: 'k' }, { provider: 'ollama', model: 'm2' });
  t.is(f.chain[0]!.provider.kind, 'ollama');
  t.is(f.chain[0]!.model, 'm2');
  t.is(normaliseOllamaHost('0.0.0.0'), 'http://127.0.0.1:11434');
});
