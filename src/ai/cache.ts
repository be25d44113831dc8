/**
 * A response cache for identical requests: same provider, model, prompt and (already
 * redacted) messages and tools → the stored answer while it is younger than the TTL. Files
 * in the config dir, one per key, owner-only. A cached answer is marked and costs nothing.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDir } from '../config/paths.js';
import type { ChatMessage, ToolCall, ToolSpec, Usage } from './providers/types.js';

export interface CachedAnswer { text: string; toolCalls: ToolCall[]; usage: Usage }

export class ResponseCache {
  constructor(readonly dir: string, readonly ttlSec: number) {}

  static open(ttlSec: number, env: NodeJS.ProcessEnv = process.env): ResponseCache {
    return new ResponseCache(join(configDir(env), 'ai-cache'), ttlSec);
  }

  key(endpoint: string, model: string, messages: ChatMessage[], tools: ToolSpec[] | undefined): string {
    return createHash('sha256').update(JSON.stringify([endpoint, model, messages, tools?.map((t) => t.name) ?? []])).digest('hex');
  }

  get(key: string, now = Date.now()): CachedAnswer | undefined {
    if (this.ttlSec <= 0) return undefined;
    const f = join(this.dir, `${key}.json`);
    try {
      if (!existsSync(f) || now - statSync(f).mtimeMs > this.ttlSec * 1000) return undefined;
      return JSON.parse(readFileSync(f, 'utf8')) as CachedAnswer;
    } catch {
      return undefined;
    }
  }

  put(key: string, a: CachedAnswer): void {
    if (this.ttlSec <= 0) return;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      writeFileSync(join(this.dir, `${key}.json`), JSON.stringify(a), { mode: 0o600 });
    } catch { /* best effort */ }
  }
}
