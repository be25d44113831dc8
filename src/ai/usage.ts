/**
 * The local usage ledger: one JSON line per model call (provider, model, prompt id, tokens,
 * latency, time to first token, cost, cached). Costs come from a price table the user can
 * edit (prices.yaml in the config dir, USD per million tokens); local models cost nothing.
 * Limits (calls a minute, tokens a day) are read from the same ledger.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import YAML from 'yaml';
import { configDir } from '../config/paths.js';
import { AiError } from './providers/errors.js';

export interface UsageRecord {
  ts: string;
  provider: string;
  model: string;
  promptId: string;
  input: number;
  output: number;
  estimated: boolean;
  latencyMs: number;
  ttftMs?: number;
  costUsd: number;
  cached: boolean;
  error?: string;
}

/** USD per million tokens [input, output]; matched by model-name prefix, longest first. */
export const DEFAULT_PRICES: Record<string, [number, number]> = {
  'gpt-4o-mini': [0.15, 0.6], 'gpt-4o': [2.5, 10], 'gpt-4.1-mini': [0.4, 1.6], 'gpt-4.1-nano': [0.1, 0.4], 'gpt-4.1': [2, 8],
  'o4-mini': [1.1, 4.4], 'o3': [2, 8], 'gpt-5-mini': [0.25, 2], 'gpt-5': [1.25, 10],
};

export function ledgerFile(env: NodeJS.ProcessEnv = process.env): string { return join(configDir(env), 'usage.jsonl'); }
export function pricesFile(env: NodeJS.ProcessEnv = process.env): string { return join(configDir(env), 'prices.yaml'); }

export class UsageLedger {
  private prices: Record<string, [number, number]>;

  constructor(readonly file: string, pricesPath?: string) {
    this.prices = { ...DEFAULT_PRICES };
    if (pricesPath && existsSync(pricesPath)) {
      try {
        const user = YAML.parse(readFileSync(pricesPath, 'utf8')) as Record<string, { input?: number; output?: number } | [number, number]>;
        for (const [m, p] of Object.entries(user ?? {})) this.prices[m] = Array.isArray(p) ? p : [Number(p?.input ?? 0), Number(p?.output ?? 0)];
      } catch { /* a broken price file leaves the defaults; `kai-tui usage` says costs may be off */ }
    }
  }

  static open(env: NodeJS.ProcessEnv = process.env): UsageLedger {
    return new UsageLedger(ledgerFile(env), pricesFile(env));
  }

  cost(provider: string, model: string, input: number, output: number): number {
    if (provider === 'ollama') return 0;
    const key = Object.keys(this.prices).sort((a, b) => b.length - a.length).find((k) => model.startsWith(k));
    if (!key) return 0;
    const [i, o] = this.prices[key]!;
    return (input * i + output * o) / 1_000_000;
  }

  record(r: UsageRecord): void {
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      appendFileSync(this.file, JSON.stringify(r) + '\n', { mode: 0o600 });
    } catch { /* the ledger is best effort: a full disk must not stop an answer */ }
  }

  read(): UsageRecord[] {
    if (!existsSync(this.file)) return [];
    const out: UsageRecord[] = [];
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try { out.push(JSON.parse(line) as UsageRecord); } catch { /* a torn last line after a crash */ }
    }
    return out;
  }

  /** Throws a clear refusal when a configured limit is reached (never waits). */
  checkLimits(limits: { callsPerMinute: number; tokensPerDay: number }, now = Date.now()): void {
    if (!limits.callsPerMinute && !limits.tokensPerDay) return;
    const recs = this.read().filter((r) => !r.cached);
    if (limits.callsPerMinute) {
      const n = recs.filter((r) => now - Date.parse(r.ts) < 60_000).length;
      if (n >= limits.callsPerMinute) throw new AiError('limit', `the AI call limit is reached (${n} calls in the last minute, llm.callsPerMinute = ${limits.callsPerMinute})`, 'wait a minute, or raise llm.callsPerMinute');
    }
    if (limits.tokensPerDay) {
      const day = new Date(now).toISOString().slice(0, 10);
      const used = recs.filter((r) => r.ts.startsWith(day)).reduce((s, r) => s + r.input + r.output, 0);
      if (used >= limits.tokensPerDay) throw new AiError('limit', `today's AI token limit is reached (${used} tokens, llm.tokensPerDay = ${limits.tokensPerDay})`, 'wait until tomorrow (UTC), or raise llm.tokensPerDay');
    }
  }
}

export interface UsageSummaryRow { key: string; calls: number; input: number; output: number; costUsd: number; cached: number }

/** Totals grouped by day, model or prompt (the usage pane and `kai-tui usage`). */
export function summarise(records: UsageRecord[], by: 'day' | 'model' | 'prompt'): UsageSummaryRow[] {
  const rows = new Map<string, UsageSummaryRow>();
  for (const r of records) {
    const key = by === 'day' ? r.ts.slice(0, 10) : by === 'model' ? `${r.provider}:${r.model}` : r.promptId;
    const row = rows.get(key) ?? { key, calls: 0, input: 0, output: 0, costUsd: 0, cached: 0 };
    row.calls++; row.input += r.input; row.output += r.output; row.costUsd += r.costUsd; if (r.cached) row.cached++;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => a.key.localeCompare(b.key));
}

export interface UsageReport { days: number; by: 'day' | 'model' | 'prompt'; rows: UsageSummaryRow[]; total: UsageSummaryRow & { errors: number }; tokensPerDay: number[] }

/** What `kai-tui usage` and the usage pane show: rows by day/model/prompt, totals, tokens per day. */
export function usageReport(all: UsageRecord[], by: 'day' | 'model' | 'prompt', days: number, now = Date.now()): UsageReport {
  const since = new Date(now - days * 86_400_000).toISOString();
  const records = all.filter((r) => r.ts >= since);
  const total = summarise(records.map((r) => ({ ...r, promptId: 'total' })), 'prompt')[0] ?? { key: 'total', calls: 0, input: 0, output: 0, costUsd: 0, cached: 0 };
  const perDay = new Map(summarise(records, 'day').map((r) => [r.key, r.input + r.output]));
  const tokensPerDay: number[] = [];
  for (let i = days - 1; i >= 0; i--) tokensPerDay.push(perDay.get(new Date(now - i * 86_400_000).toISOString().slice(0, 10)) ?? 0);
  return { days, by, rows: summarise(records, by), total: { ...total, errors: records.filter((r) => r.error).length }, tokensPerDay };
}
