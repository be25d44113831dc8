/** Per-container log buffers: the current and the previous instance, bounded, with followers. */
import type { ContainerKey, LogEntry } from './types.js';

const MAX_LINES = 2000;

interface Logs { current: LogEntry[] | undefined; previous: LogEntry[] | undefined; followers: Set<(e: LogEntry | null) => void> }

export const ckey = (k: ContainerKey): string => `${k.namespace}/${k.pod}/${k.container}`;

export class LogStore {
  private readonly logs = new Map<string, Logs>();

  private entry(key: string): Logs {
    let l = this.logs.get(key);
    if (!l) this.logs.set(key, (l = { current: undefined, previous: undefined, followers: new Set() }));
    return l;
  }

  /** A new container instance starts: the current log becomes the previous one. */
  startInstance(key: string): void {
    const l = this.entry(key);
    if (l.current) l.previous = l.current;
    l.current = [];
  }

  /** The instance terminated: followers get their end-of-stream. */
  endInstance(key: string): void {
    const l = this.logs.get(key);
    if (!l) return;
    for (const f of l.followers) f(null);
    l.followers.clear();
  }

  append(key: string, line: string, time = new Date()): void {
    const l = this.entry(key);
    if (!l.current) l.current = [];
    for (const part of line.split('\n')) {
      const e = { time, line: part };
      l.current.push(e);
      if (l.current.length > MAX_LINES) l.current.splice(0, l.current.length - MAX_LINES);
      for (const f of l.followers) f(e);
    }
  }

  get(key: string, previous: boolean): LogEntry[] | undefined {
    const l = this.logs.get(key);
    const v = previous ? l?.previous : l?.current;
    return v ? [...v] : undefined;
  }

  follow(key: string, cb: (e: LogEntry | null) => void): () => void {
    const l = this.entry(key);
    l.followers.add(cb);
    return () => l.followers.delete(cb);
  }

  /** The pod is gone: forget its logs. */
  dropPod(namespace: string, pod: string): void {
    const prefix = `${namespace}/${pod}/`;
    for (const [k, l] of this.logs) {
      if (!k.startsWith(prefix)) continue;
      for (const f of l.followers) f(null);
      this.logs.delete(k);
    }
  }
}
