/** Persisted palette history (paths().history): newest last, no adjacent duplicates, bounded. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export class PaletteHistory {
  private items: string[] = [];

  constructor(private readonly file: string, private readonly max = 500) {
    try {
      const data = JSON.parse(readFileSync(file, 'utf8'));
      if (Array.isArray(data)) this.items = data.filter((x): x is string => typeof x === 'string').slice(-max);
    } catch { /* no history yet, or unreadable: start empty */ }
  }

  all(): readonly string[] { return this.items; }

  add(text: string): void {
    const t = text.trim();
    if (!t) return;
    this.items = this.items.filter((x) => x !== t);
    this.items.push(t);
    if (this.items.length > this.max) this.items = this.items.slice(-this.max);
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.items, null, 0), { mode: 0o600 });
      renameSync(tmp, this.file); // atomic: a crash never leaves half a file
    } catch { /* history is a convenience; never fail a command over it */ }
  }

  /** Entries starting with the prefix, newest first (up-arrow search). */
  matching(prefix: string): string[] {
    return [...this.items].reverse().filter((x) => x.startsWith(prefix));
  }
}
