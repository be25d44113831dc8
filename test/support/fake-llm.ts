/**
 * A scripted local LLM server that speaks the real wire protocols, so tests run the real
 * `openai` and `ollama` packages end to end:
 *   - OpenAI: POST /v1/chat/completions (SSE with content and tool-call deltas, a usage chunk;
 *     or one JSON body when stream is false), GET /v1/models
 *   - Ollama: POST /api/chat (NDJSON stream or one JSON), GET /api/tags, POST /api/show
 * Each chat request takes the next turn of the script (or asks a function). A turn can be an
 * answer (text and/or tool calls), an HTTP error (401/404/429 with Retry-After/500), a slow,
 * stalled or cut stream. Every request body is recorded (canary tests read them).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeToolCall { name: string; arguments: Record<string, unknown> }

export interface FakeTurn {
  /** Text of the answer, streamed in chunks of `chunk` characters. */
  text?: string;
  toolCalls?: FakeToolCall[];
  /** Usage the server reports; omitted → prompt/completion lengths / 4. */
  usage?: { input: number; output: number };
  /** Leave out the usage fields (the client must estimate). */
  noUsage?: boolean;
  /** Characters per streamed chunk (default 8). */
  chunk?: number;
  /** Delay before each chunk, ms. */
  delayMs?: number;
  /** Stop sending (keep the connection open) after this many chunks. */
  stallAfter?: number;
  /** Destroy the socket after this many chunks. */
  cutAfter?: number;
  /** Answer with this HTTP status and an error body in the protocol's format. */
  status?: number;
  /** Error kind for status answers: picks the provider's real message and code. */
  error?: 'auth' | 'model' | 'context' | 'rate' | 'server';
  retryAfter?: string;
}

export interface RecordedRequest { protocol: 'openai' | 'ollama'; path: string; body: any; headers: http.IncomingHttpHeaders } // eslint-disable-line @typescript-eslint/no-explicit-any

export interface FakeModel { name: string; tools?: boolean; contextLength?: number }

export interface FakeLlmOptions {
  script?: FakeTurn[] | ((req: RecordedRequest, index: number) => FakeTurn);
  models?: FakeModel[];
  /** When set, OpenAI requests must carry `Authorization: Bearer <apiKey>` (401 otherwise). */
  apiKey?: string;
}

export interface FakeLlm {
  url: string;
  /** baseURL for the openai package. */
  openaiBase: string;
  /** host for the ollama package. */
  ollamaHost: string;
  requests: RecordedRequest[];
  /** Chat requests only. */
  chats(): RecordedRequest[];
  /** Everything the model was sent, as one string (for canary searches). */
  sentText(): string;
  push(...turns: FakeTurn[]): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFakeLlm(opts: FakeLlmOptions = {}): Promise<FakeLlm> {
  const queue: FakeTurn[] = Array.isArray(opts.script) ? [...opts.script] : [];
  const models = opts.models ?? [{ name: 'fake-model', tools: true, contextLength: 8192 }, { name: 'fake-small', tools: false }];
  const requests: RecordedRequest[] = [];
  let chatIndex = 0;
  const sockets = new Set<import('node:net').Socket>();

  const nextTurn = (req: RecordedRequest): FakeTurn => {
    const i = chatIndex++;
    if (typeof opts.script === 'function') return opts.script(req, i);
    return queue.shift() ?? { text: 'OK.' };
  };

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: any = undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
    try { body = raw ? JSON.parse(raw) : undefined; } catch { body = raw; }
    const path = (req.url ?? '/').split('?')[0]!;
    const protocol = path.startsWith('/api/') ? 'ollama' : 'openai';
    const rec: RecordedRequest = { protocol, path, body, headers: req.headers };
    requests.push(rec);
    try {
      if (protocol === 'openai' && opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
        return openaiError(res, { status: 401, error: 'auth' }, body?.model);
      }
      if (path === '/v1/models' && req.method === 'GET') {
        return json(res, 200, { object: 'list', data: models.map((m) => ({ id: m.name, object: 'model', created: 1_700_000_000, owned_by: 'fake' })) });
      }
      if (path === '/api/tags') {
        return json(res, 200, { models: models.map((m) => ({ name: m.name.includes(':') ? m.name : `${m.name}:latest`, model: `${m.name}:latest`, modified_at: '2026-11-01T00:00:00Z', size: 2_000_000_000, digest: 'sha256:0', details: { family: 'fake', parameter_size: '3B', quantization_level: 'Q4_K_M' } })) });
      }
      if (path === '/api/show') {
        const m = models.find((x) => x.name === String(body?.model ?? body?.name ?? '').replace(/:latest$/, ''));
        if (!m) return json(res, 404, { error: `model '${body?.model}' not found` });
        return json(res, 200, { capabilities: m.tools ? ['completion', 'tools'] : ['completion'], model_info: m.contextLength ? { 'fake.context_length': m.contextLength } : {}, details: { family: 'fake' } });
      }
      if (path === '/v1/chat/completions') return await openaiChat(res, rec, nextTurn(rec));
      if (path === '/api/chat') return await ollamaChat(res, rec, nextTurn(rec));
      json(res, 404, { error: `no route ${path}` });
    } catch {
      res.destroy();
    }
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url, openaiBase: `${url}/v1`, ollamaHost: url, requests,
    chats: () => requests.filter((r) => r.path === '/v1/chat/completions' || r.path === '/api/chat'),
    sentText: () => requests.map((r) => JSON.stringify(r.body ?? '')).join('\n'),
    push: (...t) => { queue.push(...t); },
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function usageOf(turn: FakeTurn, req: RecordedRequest) {
  return turn.usage ?? { input: Math.ceil(JSON.stringify(req.body?.messages ?? '').length / 4), output: Math.ceil(((turn.text ?? '') + JSON.stringify(turn.toolCalls ?? '')).length / 4) };
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** Writes chunks with the turn's delay; false when the stream was stalled or cut. */
async function streamChunks(res: http.ServerResponse, turn: FakeTurn, lines: string[]): Promise<boolean> {
  for (let i = 0; i < lines.length; i++) {
    if (turn.stallAfter !== undefined && i >= turn.stallAfter) return false; // keep the socket open, send nothing
    if (turn.cutAfter !== undefined && i >= turn.cutAfter) { res.socket?.destroy(); return false; }
    if (turn.delayMs) await sleep(turn.delayMs);
    if (res.destroyed) return false;
    res.write(lines[i]);
  }
  return true;
}

function openaiError(res: http.ServerResponse, turn: FakeTurn, model: string | undefined) {
  const status = turn.status ?? 500;
  const kind = turn.error ?? (status === 401 ? 'auth' : status === 404 ? 'model' : status === 429 ? 'rate' : 'server');
  const bodies: Record<string, object> = {
    auth: { message: 'Incorrect API key provided: sk-****. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
    model: { message: `The model \`${model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' },
    context: { message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens. Please reduce the length of the messages.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' },
    rate: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' },
    server: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null },
  };
  json(res, status, { error: bodies[kind] }, turn.retryAfter ? { 'retry-after': turn.retryAfter } : {});
}

function ollamaError(res: http.ServerResponse, turn: FakeTurn, model: string | undefined) {
  const status = turn.status ?? 500;
  const kind = turn.error ?? (status === 404 ? 'model' : status === 429 ? 'rate' : status === 401 ? 'auth' : 'server');
  const messages: Record<string, string> = {
    auth: 'unauthorized',
    model: `model "${model}" not found, try pulling it first`,
    context: 'input length exceeds the context length',
    rate: 'server busy, please try again.  maximum pending requests exceeded',
    server: 'llama runner process has terminated: exit status 2',
  };
  json(res, status, { error: messages[kind] }, turn.retryAfter ? { 'retry-after': turn.retryAfter } : {});
}

let callSeq = 0;

async function openaiChat(res: http.ServerResponse, rec: RecordedRequest, turn: FakeTurn) {
  const model = String(rec.body?.model ?? '');
  if (turn.status) return openaiError(res, turn, model);
  const usage = usageOf(turn, rec);
  const calls = (turn.toolCalls ?? []).map((c) => ({ id: `call_${++callSeq}`, name: c.name, args: JSON.stringify(c.arguments) }));
  const finish = calls.length ? 'tool_calls' : 'stop';
  const usageBody = { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output };
  if (rec.body?.stream !== true) {
    return json(res, 200, {
      id: 'chatcmpl-fake', object: 'chat.completion', created: 1_700_000_000, model,
      choices: [{ index: 0, finish_reason: finish, message: { role: 'assistant', content: turn.text ?? null, ...(calls.length ? { tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.args } })) } : {}) } }],
      ...(turn.noUsage ? {} : { usage: usageBody }),
    });
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model };
  const ev = (o: object) => `data: ${JSON.stringify({ ...base, ...o })}\n\n`;
  const lines: string[] = [ev({ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })];
  for (const p of pieces(turn.text ?? '', turn.chunk ?? 8)) lines.push(ev({ choices: [{ index: 0, delta: { content: p }, finish_reason: null }] }));
  calls.forEach((c, index) => {
    lines.push(ev({ choices: [{ index: 0, delta: { tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }, finish_reason: null }] }));
    for (const p of pieces(c.args, 12)) lines.push(ev({ choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: p } }] }, finish_reason: null }] }));
  });
  lines.push(ev({ choices: [{ index: 0, delta: {}, finish_reason: finish }] }));
  if (!turn.noUsage && rec.body?.stream_options?.include_usage) lines.push(ev({ choices: [], usage: usageBody }));
  lines.push('data: [DONE]\n\n');
  if (await streamChunks(res, turn, lines)) res.end();
}

async function ollamaChat(res: http.ServerResponse, rec: RecordedRequest, turn: FakeTurn) {
  const model = String(rec.body?.model ?? '');
  if (turn.status) return ollamaError(res, turn, model);
  const usage = usageOf(turn, rec);
  const created_at = new Date().toISOString();
  const toolCalls = (turn.toolCalls ?? []).map((c) => ({ function: { name: c.name, arguments: c.arguments } }));
  const final = { model, created_at, message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', total_duration: 1_000_000, load_duration: 1000, ...(turn.noUsage ? {} : { prompt_eval_count: usage.input, eval_count: usage.output }) };
  if (rec.body?.stream === false) {
    return json(res, 200, { ...final, message: { role: 'assistant', content: turn.text ?? '', ...(toolCalls.length ? { tool_calls: toolCalls } : {}) } });
  }
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const line = (o: object) => JSON.stringify(o) + '\n';
  const lines = pieces(turn.text ?? '', turn.chunk ?? 8).map((p) => line({ model, created_at, message: { role: 'assistant', content: p }, done: false }));
  if (toolCalls.length) lines.push(line({ model, created_at, message: { role: 'assistant', content: '', tool_calls: toolCalls }, done: false }));
  lines.push(line(final));
  if (await streamChunks(res, turn, lines)) res.end();
}
