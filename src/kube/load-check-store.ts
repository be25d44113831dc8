/**
 * Load-check results kept per target (`<configDir>/load-checks/<context>_<ns>_<kind>_<name>_<port>.json`,
 * the last KEEP runs), so the last two can be compared side by side — also in a later session.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadCheckResult } from './load-check.js';

export interface LoadCheckTarget { context: string; namespace: string; kind: 'pod' | 'service'; name: string; remotePort: number | string }

const KEEP = 10;

export function targetKey(t: LoadCheckTarget): string {
  return [t.context, t.namespace, t.kind, t.name, String(t.remotePort)].map((s) => s.replace(/[^A-Za-z0-9.-]/g, '-')).join('_');
}

export class LoadCheckStore {
  constructor(private readonly dir: string) {}

  file(t: LoadCheckTarget): string {
    return join(this.dir, `${targetKey(t)}.json`);
  }

  /** Runs for a target, oldest first (an unreadable file reads as none). */
  runs(t: LoadCheckTarget): LoadCheckResult[] {
    try {
      const data = JSON.parse(readFileSync(this.file(t), 'utf8')) as { runs?: unknown };
      return Array.isArray(data.runs) ? data.runs.filter((r): r is LoadCheckResult => !!r && typeof r === 'object' && typeof (r as LoadCheckResult).startedAt === 'string') : [];
    } catch {
      return [];
    }
  }

  /** Adds a run; false when it could not be written (the result is still shown). */
  add(t: LoadCheckTarget, r: LoadCheckResult): boolean {
    const runs = [...this.runs(t), r].slice(-KEEP);
    try {
      mkdirSync(this.dir, { recursive: true });
      const f = this.file(t);
      writeFileSync(`${f}.tmp`, JSON.stringify({ target: t, runs }, null, 2) + '\n');
      renameSync(`${f}.tmp`, f);
      return true;
    } catch {
      return false;
    }
  }
}
