/**
 * Forwards remembered across runs, per context (`<configDir>/forwards.json`). A running
 * forward also names the cockpit process serving it (`pid`, `since`), so `kai-tui forwards` can
 * tell which are running now and which are only remembered.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ForwardSpec } from './forward-target.js';

/** Forwards remembered across runs (`<configDir>/forwards.json`), offered again at the next start. */
export type RememberedForward = ForwardSpec & { context: string; pid?: number; since?: string };

export class ForwardStore {
  constructor(private readonly file: string) {}

  load(): RememberedForward[] {
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as { forwards?: unknown };
      if (!Array.isArray(data.forwards)) return [];
      return data.forwards.filter((f): f is RememberedForward =>
        !!f && typeof f === 'object' && typeof (f as ForwardSpec).name === 'string' && typeof (f as ForwardSpec).namespace === 'string' &&
        ((f as ForwardSpec).kind === 'pod' || (f as ForwardSpec).kind === 'service') && typeof (f as { context?: unknown }).context === 'string');
    } catch {
      return [];
    }
  }

  save(forwards: RememberedForward[]): void {
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify({ forwards }, null, 2) + '\n');
      renameSync(tmp, this.file);
    } catch {
      // Remembering is a convenience; a read-only config dir must not break forwarding.
    }
  }
}
