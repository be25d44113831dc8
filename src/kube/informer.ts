/**
 * One list + watch of one collection (kind × namespace, or all namespaces), kept in memory.
 *
 * - list in pages (`limit`), then watch from the list's resourceVersion with bookmarks;
 * - a watch that ends cleanly at its timeoutSeconds resumes from the last resourceVersion; one
 *   that ends early (the server is shutting down) lists again;
 * - 410 Expired, a broken connection, or a resourceVersion that goes backwards (a different
 *   server behind the same address) → list again; the new list replaces the cache, so objects
 *   deleted while we were away disappear (no ghost rows);
 * - network / 5xx errors back off exponentially with jitter (1 s → 30 s); 403 and other 4xx
 *   answers retry slowly, so a forbidden kind never causes a retry storm.
 * Listeners are called synchronously after every change; coalescing into frames is the
 * caller's job.
 */
import type http from 'node:http';
import { Backoff, DEFAULT_BACKOFF, sleep, type BackoffOptions } from './backoff.js';
import { collectionPath } from './discovery.js';
import { httpError, KubeHttpError, KubeNetworkError, readBody, type Transport } from './transport.js';
import { objectKey, trimObject } from './trim.js';
import type { KubeObject, ResourceKind, WatchState } from './types.js';

export interface InformerOptions {
  /** Items per list page. */
  pageSize: number;
  /**
   * Items in the first page of a first list (a screenful: it comes back, parses and paints
   * sooner; the cockpit passes its terminal's height).
   */
  firstPageSize: number;
  backoff: BackoffOptions;
  /** Wait after 403 / 404 / other client errors before trying again. */
  slowRetryMs: number;
  /** Server-side timeout asked for each watch (reflectors pick 5–10 min at random). */
  watchTimeoutSeconds: () => number;
  /** Timeout for a list page and for a watch's response headers. */
  requestTimeoutMs: number;
  /** Told when a request fails on the network, so reachability can be re-checked at once. */
  onNetworkError?: (err: Error) => void;
  /**
   * While a first list is still paging: listeners hear of the first page at once, then at most
   * this often (each notice costs the UI a frame over the whole growing collection).
   */
  listProgressMs: number;
}

export const DEFAULT_INFORMER_OPTIONS: InformerOptions = {
  pageSize: 500,
  firstPageSize: 100,
  backoff: DEFAULT_BACKOFF,
  slowRetryMs: 60_000,
  watchTimeoutSeconds: () => 300 + Math.floor(Math.random() * 300),
  requestTimeoutMs: 60_000,
  listProgressMs: 250,
};

/** The server no longer has our resourceVersion (or is a different server): list again. */
class RelistNeeded extends Error {}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject & { code?: number; reason?: string; message?: string };
}

const rvNumber = (rv: string | undefined): number | undefined => {
  if (!rv || !/^\d+$/.test(rv)) return undefined;
  return Number(rv);
};

export class Informer {
  private map = new Map<string, KubeObject>();
  private st: WatchState = { phase: 'connecting' };
  private ver = 0;
  private readonly listeners = new Set<() => void>();
  private rv: string | undefined;
  private started = false;
  private stopped = false;
  private relistWanted = false;
  private attempt?: AbortController;
  private readonly backoff: Backoff;
  private readonly opts: InformerOptions;
  private readonly apiVersion: string;
  /** Counts 410s in a row, so a server that always answers 410 still gets back-off. */
  private expiredStreak = 0;

  constructor(
    private readonly transport: Transport,
    readonly kind: ResourceKind,
    readonly namespace: string | undefined,
    opts: Partial<InformerOptions> = {},
  ) {
    this.opts = { ...DEFAULT_INFORMER_OPTIONS, ...opts };
    this.backoff = new Backoff(this.opts.backoff);
    this.apiVersion = kind.group ? `${kind.group}/${kind.version}` : kind.version;
  }

  get version(): number {
    return this.ver;
  }

  items(): ReadonlyMap<string, KubeObject> {
    return this.map;
  }

  state(): WatchState {
    return this.st;
  }

  /** The resourceVersion the cache is at (the last list or event). */
  get resourceVersion(): string | undefined {
    return this.rv;
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.attempt?.abort();
    this.listeners.clear();
  }

  /**
   * Try again now instead of waiting out the back-off (the server is back). With `relist`, a
   * healthy watch is also dropped and the collection listed from scratch.
   */
  kick(relist = false): void {
    if (this.stopped) return;
    if (!relist && this.st.phase === 'synced') return;
    this.relistWanted = true;
    this.backoff.reset();
    this.attempt?.abort();
  }

  private changed(): void {
    this.ver++;
    for (const fn of [...this.listeners]) {
      try {
        fn();
      } catch {
        // A broken listener must not stop the cache.
      }
    }
  }

  private setState(s: WatchState): void {
    const same = s.phase === this.st.phase && s.message === this.st.message && s.listedAt === this.st.listedAt;
    this.st = s;
    if (!same) this.changed();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const ctl = new AbortController();
      this.attempt = ctl;
      try {
        if (this.rv === undefined || this.relistWanted) {
          this.relistWanted = false;
          await this.list(ctl.signal);
        }
        const timeoutSeconds = this.opts.watchTimeoutSeconds();
        const began = Date.now();
        await this.watch(ctl.signal, timeoutSeconds);
        const lasted = Date.now() - began;
        // The back-off resets only once a watch has proved healthy (events or a long life),
        // so a server that accepts and drops at once still gets slower and slower retries.
        if (lasted >= 10_000) this.backoff.reset();
        // Ended by its timeout: resume from where we are. Ended early: the server is going away
        // (a restart may bring back a different store), so list again — after a pause if the
        // server keeps closing at once.
        if (lasted < timeoutSeconds * 1000 - 5000) {
          this.relistWanted = true;
          if (lasted < 2000) await sleep(this.backoff.next(), ctl.signal);
        }
      } catch (err) {
        if (this.stopped) break;
        if (ctl.signal.aborted) continue; // kicked: go again at once
        await this.failed(err as Error, ctl.signal);
      }
    }
  }

  private async failed(err: Error, signal: AbortSignal): Promise<void> {
    const { slowRetryMs } = this.opts;
    if (err instanceof RelistNeeded || (err instanceof KubeHttpError && err.status === 410)) {
      this.rv = undefined;
      if (++this.expiredStreak > 2) await sleep(this.backoff.next(), signal);
      return;
    }
    this.rv = undefined; // after any failure, list again: the server may have restarted empty
    if (err instanceof KubeHttpError && err.status === 403) {
      this.setState({ phase: 'forbidden', message: `forbidden: ${oneLine(err.message)}`, listedAt: this.st.listedAt });
      await sleep(slowRetryMs, signal);
      return;
    }
    if (err instanceof KubeHttpError && err.status >= 400 && err.status < 500 && err.status !== 429 && err.status !== 408) {
      this.setState({ phase: 'error', message: `${err.status} ${oneLine(err.message)}`, listedAt: this.st.listedAt });
      await sleep(slowRetryMs, signal);
      return;
    }
    if (err instanceof KubeNetworkError) this.opts.onNetworkError?.(err);
    this.setState({ phase: this.map.size || this.st.listedAt ? 'reconnecting' : 'connecting', message: oneLine(err.message), listedAt: this.st.listedAt });
    await sleep(this.backoff.next(), signal);
  }

  /** Lists the whole collection page by page, then swaps the cache in one step. */
  private async list(signal: AbortSignal): Promise<void> {
    const path = collectionPath(this.kind, this.namespace);
    // The very first list fills the visible cache page by page, so a big collection shows its
    // first rows early; a relist builds aside and swaps, so the old rows never half-vanish.
    const first = this.st.listedAt === undefined && this.map.size === 0;
    const fresh = first ? this.map : new Map<string, KubeObject>();
    let cont: string | undefined;
    let listRv: string | undefined;
    let told = 0;
    do {
      const page = await this.transport.json<{ metadata?: { resourceVersion?: string; continue?: string }; items?: KubeObject[] }>(path, {
        // A first page of a screenful or two comes back (and parses) several times sooner.
        query: { limit: first && !cont ? Math.min(this.opts.pageSize, this.opts.firstPageSize) : this.opts.pageSize, continue: cont },
        signal,
        timeoutMs: this.opts.requestTimeoutMs,
      });
      for (const o of page.items ?? []) {
        if (!o?.metadata?.name) continue;
        fresh.set(objectKey(o), trimObject(o, this.apiVersion, this.kind.kind));
      }
      cont = page.metadata?.continue || undefined;
      listRv = page.metadata?.resourceVersion;
      if (first && cont && Date.now() - told >= this.opts.listProgressMs) {
        told = Date.now();
        this.changed();
      }
    } while (cont && !signal.aborted);
    if (signal.aborted) throw new Error('aborted');
    this.map = fresh;
    this.rv = listRv ?? '0';
    this.st = { phase: 'synced', listedAt: Date.now() };
    this.changed();
  }

  /** One watch request; resolves when the server ends it cleanly, rejects otherwise. */
  private async watch(signal: AbortSignal, timeoutSeconds: number): Promise<void> {
    const path = collectionPath(this.kind, this.namespace);
    const res = await this.transport.open(path, {
      query: { watch: 'true', resourceVersion: this.rv, allowWatchBookmarks: 'true', timeoutSeconds },
      signal,
      timeoutMs: this.opts.requestTimeoutMs,
    });
    if (res.statusCode !== 200) throw httpError(res.statusCode ?? 0, await readBody(res), path);
    if (this.st.phase !== 'synced') this.setState({ phase: 'synced', listedAt: this.st.listedAt });
    await this.consume(res);
  }

  private consume(res: http.IncomingMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      let rest = '';
      let settled = false;
      const settle = (err?: Error) => {
        if (settled) return;
        settled = true;
        if (err) {
          res.destroy();
          reject(err);
        } else resolve();
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (settled) return;
        const lines = (rest + chunk).split('\n');
        rest = lines.pop()!;
        let dirty = false;
        try {
          for (const line of lines) if (line.trim() && this.apply(JSON.parse(line) as WatchEvent)) dirty = true;
        } catch (err) {
          if (dirty) this.changed();
          settle(err instanceof SyntaxError ? new KubeNetworkError('the watch stream sent a line that is not JSON') : (err as Error));
          return;
        }
        if (dirty) {
          this.expiredStreak = 0;
          this.backoff.reset();
          this.changed();
        }
      });
      res.on('end', () => settle());
      res.on('error', (err) => settle(new KubeNetworkError(`watch connection lost: ${err.message}`, (err as NodeJS.ErrnoException).code)));
      res.on('close', () => settle(res.complete ? undefined : new KubeNetworkError('watch connection lost', 'ECONNRESET')));
    });
  }

  /** Applies one event; returns whether the cache changed. Throws to end the watch. */
  private apply(ev: WatchEvent): boolean {
    const o = ev.object;
    if (ev.type === 'ERROR') {
      const code = o?.code ?? 0;
      if (code === 410) throw new RelistNeeded(o.message ?? 'Expired');
      throw new KubeHttpError(code || 500, o?.reason ?? 'Error', o?.message ?? 'watch error');
    }
    if (!o?.metadata) return false;
    const rv = o.metadata.resourceVersion;
    const now = rvNumber(rv);
    const had = rvNumber(this.rv);
    // RVs only grow on one server; going back means another server (restarted, empty store).
    if (now !== undefined && had !== undefined && now < had) throw new RelistNeeded('resourceVersion went backwards');
    if (rv) this.rv = rv;
    if (ev.type === 'BOOKMARK') return false;
    if (!o.metadata.name) return false;
    const key = objectKey(o);
    if (ev.type === 'DELETED') return this.map.delete(key);
    this.map.set(key, trimObject(o, this.apiVersion, this.kind.kind));
    return true;
  }
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
