/**
 * A container's small in-memory filesystem. Files are text; some are generated on read
 * (/proc/uptime, /proc/meminfo) so they stay current. Paths are always absolute inside.
 */

export type VfsErrorCode = 'ENOENT' | 'EISDIR' | 'ENOTDIR' | 'EEXIST' | 'ENOTEMPTY' | 'EACCES';

export class VfsError extends Error {
  constructor(readonly code: VfsErrorCode, readonly path: string) {
    super(MESSAGES[code]);
  }
}

const MESSAGES: Record<VfsErrorCode, string> = {
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EEXIST: 'File exists',
  ENOTEMPTY: 'Directory not empty',
  EACCES: 'Permission denied',
};

type Entry =
  | { type: 'dir'; mtime: number }
  | { type: 'file'; data: string | (() => string); mtime: number; mode: number }
  | { type: 'link'; target: string; mtime: number };

export interface Stat { type: 'dir' | 'file' | 'link'; size: number; mtime: number; mode: number }

export function normalize(cwd: string, p: string): string {
  const parts = (p.startsWith('/') ? p : `${cwd}/${p}`).split('/');
  const out: string[] = [];
  for (const s of parts) {
    if (!s || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return `/${out.join('/')}`;
}

const parent = (p: string): string => (p === '/' ? '/' : p.slice(0, p.lastIndexOf('/')) || '/');

export class Vfs {
  private readonly entries = new Map<string, Entry>([['/', { type: 'dir', mtime: Date.now() }]]);

  /** Follows symlinks in every component (a few hops each), like path resolution in a kernel. */
  private resolve(path: string, depth = 0): string {
    let cur = '';
    for (const seg of path.split('/').filter(Boolean)) {
      cur = `${cur}/${seg}`;
      const e = this.entries.get(cur);
      if (e?.type === 'link' && depth < 8) cur = this.resolve(normalize(parent(cur), e.target), depth + 1);
      if (cur === '/') cur = '';
    }
    return cur || '/';
  }

  private get(path: string): Entry | undefined {
    return this.entries.get(this.resolve(path));
  }

  mkdirp(path: string): void {
    const parts = path.split('/').filter(Boolean);
    let cur = '';
    for (const s of parts) {
      cur += `/${s}`;
      const e = this.get(cur);
      if (!e) this.entries.set(cur, { type: 'dir', mtime: Date.now() });
      else if (e.type !== 'dir') throw new VfsError('ENOTDIR', cur);
    }
  }

  mkdir(path: string): void {
    if (this.entries.has(path)) throw new VfsError('EEXIST', path);
    const d = this.get(parent(path));
    if (!d) throw new VfsError('ENOENT', path);
    if (d.type !== 'dir') throw new VfsError('ENOTDIR', path);
    this.entries.set(path, { type: 'dir', mtime: Date.now() });
  }

  /** Creates or replaces a file, making parent directories (used when building the world). */
  put(path: string, data: string | (() => string), mode = 0o644): void {
    this.mkdirp(parent(path));
    this.entries.set(path, { type: 'file', data, mtime: Date.now(), mode });
  }

  symlink(path: string, target: string): void {
    this.mkdirp(parent(path));
    this.entries.set(path, { type: 'link', target, mtime: Date.now() });
  }

  exists(path: string): boolean { return this.get(path) !== undefined; }

  stat(path: string): Stat {
    const e = this.get(path);
    if (!e) throw new VfsError('ENOENT', path);
    if (e.type === 'dir') return { type: 'dir', size: 4096, mtime: e.mtime, mode: 0o755 };
    if (e.type === 'file') return { type: 'file', size: Buffer.byteLength(typeof e.data === 'string' ? e.data : e.data()), mtime: e.mtime, mode: e.mode };
    return { type: 'link', size: 0, mtime: e.mtime, mode: 0o777 };
  }

  isLink(path: string): boolean { return this.entries.get(path)?.type === 'link'; }

  read(path: string): string {
    const e = this.get(path);
    if (!e) throw new VfsError('ENOENT', path);
    if (e.type === 'dir') throw new VfsError('EISDIR', path);
    if (e.type !== 'file') throw new VfsError('ENOENT', path);
    return typeof e.data === 'string' ? e.data : e.data();
  }

  write(path: string, data: string, append = false): void {
    const real = this.resolve(path);
    const e = this.entries.get(real);
    if (e?.type === 'dir') throw new VfsError('EISDIR', path);
    const d = this.get(parent(real));
    if (!d) throw new VfsError('ENOENT', path);
    if (d.type !== 'dir') throw new VfsError('ENOTDIR', path);
    if (e?.type === 'file' && typeof e.data === 'function') throw new VfsError('EACCES', path);
    const prev = append && e?.type === 'file' ? (e.data as string) : '';
    this.entries.set(real, { type: 'file', data: prev + data, mtime: Date.now(), mode: e?.type === 'file' ? e.mode : 0o644 });
  }

  list(path: string): string[] {
    const real = this.resolve(path);
    const e = this.entries.get(real);
    if (!e) throw new VfsError('ENOENT', path);
    if (e.type !== 'dir') throw new VfsError('ENOTDIR', path);
    const prefix = real === '/' ? '/' : `${real}/`;
    const names: string[] = [];
    for (const k of this.entries.keys()) {
      if (k !== real && k.startsWith(prefix) && !k.slice(prefix.length).includes('/')) names.push(k.slice(prefix.length));
    }
    return names.sort();
  }

  remove(path: string, recursive = false): void {
    const e = this.entries.get(path);
    if (!e) throw new VfsError('ENOENT', path);
    if (e.type === 'dir') {
      const kids = this.list(path);
      if (kids.length && !recursive) throw new VfsError('ENOTEMPTY', path);
      for (const k of kids) this.remove(`${path === '/' ? '' : path}/${k}`, true);
    }
    this.entries.delete(path);
  }
}
