/**
 * Does a streaming AI answer stall the cockpit? The real binary in tmux against the demo
 * cluster (`kai-tui sim serve`, child process) and a local fake LLM speaking the OpenAI
 * protocol (the real `openai` package on the cockpit's side): a long Markdown answer streams in
 * small chunks while PageUp/PageDown go to the chat pane every 150 ms; the cockpit's
 * KAI_TUI_BENCH trace holds when each key was read and when the frame answering it was painted.
 * The same keys are sent in the same chat with no answer streaming, as the baseline.
 * For reference, `kubectl get pods -A` on the same cluster in the same run.
 *
 *   npm run build && node dist/test/bench/chat-stream.js [--seconds 10] [--chunk 12] [--delay 4]
 *
 * Writes test/bench/reports/chat-stream.md. Loopback only.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeLlm } from '../support/fake-llm.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'kai-tui');
const arg = (name: string, dflt: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1]! : dflt; };
const SECONDS = Number(arg('seconds', '10'));
const CHUNK = Number(arg('chunk', '12'));
const DELAY = Number(arg('delay', '4'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN; };

/** A long answer: paragraphs, lists and code blocks, so the Markdown renderer works too. */
function longAnswer(chars: number): string {
  const parts: string[] = [];
  for (let i = 0; parts.join('').length < chars; i++) {
    parts.push(`## Step ${i}\n\nThe **api** pods restart because the *readiness* probe fails after ${i} s.\n\n- check \`kubectl describe pod api-${i}\`\n- then the logs\n\n\`\`\`yaml\nreadinessProbe:\n  httpGet: {path: /healthz, port: ${8000 + i}}\n\`\`\`\n\n`);
  }
  return parts.join('');
}

interface Trace { ev: string; recv?: number; painted?: number; t?: number }
const readTrace = (f: string): Trace[] => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Trace) : []);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kai-chat-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const sim = spawn(process.execPath, [BIN, 'sim', 'serve', '--kubeconfig', kubeconfig, '--scenario', 'demo'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    sim.stdout!.on('data', (d: Buffer) => { out += d; if (/ready/.test(out)) resolve(); });
    sim.on('exit', (c) => reject(new Error(`sim exited ${c}`)));
  });
  const chars = Math.round((SECONDS * 1000 / DELAY) * CHUNK);
  const answer = longAnswer(chars);
  const fake = await startFakeLlm({ script: [{ text: 'Ready.', chunk: 64 }, { text: answer, chunk: CHUNK, delayMs: DELAY }] });
  const trace = join(dir, 'trace.jsonl');
  const socket = `kai-chat-bench-${process.pid}`;
  const tmux = (...a: string[]) => execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
  const env = { ...process.env, HOME: dir, KAI_TUI_CONFIG_DIR: join(dir, 'cfg'), KAI_TUI_BENCH: trace, KAI_TUI_NO_WATCH: '1', OPENAI_BASE_URL: fake.openaiBase, OPENAI_API_KEY: 'sk-bench-0000000000000000', OLLAMA_HOST: '', TERM: 'xterm-256color' };
  execFileSync('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', '160', '-y', '50', `${process.execPath} ${BIN} --kubeconfig ${kubeconfig} -A; sleep 600`], { env, stdio: 'ignore' });
  tmux('set', '-sg', 'escape-time', '0');
  const waitScreen = async (re: RegExp, ms = 30_000) => {
    for (const until = Date.now() + ms; Date.now() < until; await sleep(100)) if (re.test(tmux('capture-pane', '-p', '-t', 'main'))) return;
    throw new Error(`not on screen: ${re}\n${tmux('capture-pane', '-p', '-t', 'main')}`);
  };
  const keysFor = async (ms: number) => {
    const from = Date.now();
    for (let i = 0; Date.now() - from < ms; i++) { tmux('send-keys', '-t', 'main', i % 2 ? 'PageDown' : 'PageUp'); await sleep(150); }
    return from;
  };
  const latencies = (since: number, until: number) => readTrace(trace).filter((e) => e.ev === 'key' && e.recv! >= since && e.recv! <= until).map((e) => e.painted! - e.recv!);
  try {
    await waitScreen(/jokes-api/);
    await sleep(2500);
    // The first question gets a short answer: the chat pane is open and idle.
    tmux('send-keys', '-t', 'main', 'a');
    await sleep(800);
    tmux('send-keys', '-t', 'main', '-l', 'hello');
    tmux('send-keys', '-t', 'main', 'Enter');
    await waitScreen(/Ready\./);
    const idleFrom = await keysFor(SECONDS * 1000 / 2);
    const idle = latencies(idleFrom, Date.now());
    // The second streams the long answer while the keys go on.
    tmux('send-keys', '-t', 'main', '-l', 'why do the api pods restart?');
    tmux('send-keys', '-t', 'main', 'Enter');
    await waitScreen(/Step 0/);
    const streamFrom = await keysFor(SECONDS * 1000 * 0.8);
    const streaming = latencies(streamFrom, Date.now());
    const frames = readTrace(trace).filter((e) => e.ev === 'frame' && e.t! >= streamFrom).length;
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${Number(execFileSync('pgrep', ['-f', `^${process.execPath} ${BIN} --kubeconfig ${kubeconfig}`], { encoding: 'utf8' }).trim().split('\n')[0])}/status`, 'utf8'))![1]) * 1024;
    const t0 = performance.now();
    spawnSync('kubectl', ['--kubeconfig', kubeconfig, 'get', 'pods', '-A'], { env: { ...process.env, KUBECACHEDIR: join(dir, 'kc') } });
    const kubectlMs = performance.now() - t0;
    const row = (name: string, xs: number[]) => `| ${name} | ${xs.length} | ${pct(xs, 50)} ms | ${pct(xs, 99)} ms | ${Math.max(...xs)} ms |`;
    const report = [
      '# Chat streaming benchmark',
      '',
      `Command: \`npm run build && node dist/test/bench/chat-stream.js --seconds ${SECONDS} --chunk ${CHUNK} --delay ${DELAY}\``,
      `Run: ${new Date().toISOString()}; ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end, Node ${process.version}. Shared machine: figures vary between runs.`,
      '',
      `The cockpit (real binary, tmux 160×50, all namespaces of the demo cluster) with the chat pane open; a local fake LLM (OpenAI protocol, the real \`openai\` package in the cockpit) streams a ${answer.length.toLocaleString('en')}-character Markdown answer in ${CHUNK}-character chunks every ${DELAY} ms (~${Math.round(CHUNK * 1000 / DELAY)} chars/s). PageUp/PageDown every 150 ms; key→frame from the cockpit's own trace (key read → end of the frame that answers it).`,
      '',
      '| chat pane | keys | key→frame p50 | p99 | max |',
      '|---|---:|---:|---:|---:|',
      row('idle (answer complete)', idle),
      row('while the answer streams', streaming),
      '',
      `Frames painted while streaming: ${frames} in ${(SECONDS * 0.8).toFixed(1)} s. Cockpit RSS at the end: ${Math.round(rss / 2 ** 20)} MB. Reference: \`kubectl get pods -A\` on the same cluster, same run: ${Math.round(kubectlMs)} ms.`,
      '',
      `Target (AI core issue): key→frame p99 ≤ 30 ms while an answer streams — ${pct(streaming, 99) <= 30 ? 'met' : 'not met'} in this run.`,
      '',
    ].join('\n');
    writeFileSync(join(ROOT, 'test', 'bench', 'reports', 'chat-stream.md'), report);
    console.log(report);
  } finally {
    try { tmux('kill-server'); } catch { /* gone */ }
    sim.kill('SIGTERM');
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
