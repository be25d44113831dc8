/**
 * tar, enough for `kubectl cp`: `tar cf - PATH…` writes a ustar archive of VFS files to stdout,
 * `tar xf - [-C DIR]` unpacks one from stdin. Text content only (the VFS holds text).
 */
import type { Shell } from '../interp.js';
import { readAll } from '../types.js';
import type { CmdFn } from './types.js';

const BLOCK = 512;

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, size: number, type: '0' | '5', mode: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  let prefix = '';
  if (Buffer.byteLength(name) > 99) {
    const cut = name.lastIndexOf('/', 154);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
  }
  h.write(name, 0, 100, 'utf8');
  h.write(octal(mode, 8), 100, 'latin1');
  h.write(octal(0, 8), 108, 'latin1');
  h.write(octal(0, 8), 116, 'latin1');
  h.write(octal(size, 12), 124, 'latin1');
  h.write(octal(Math.floor(mtime / 1000), 12), 136, 'latin1');
  h.write('        ', 148, 'latin1');
  h.write(type, 156, 'latin1');
  h.write('ustar\0' + '00', 257, 'latin1');
  h.write('root', 265, 'latin1');
  h.write('root', 297, 'latin1');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

function pack(sh: Shell, paths: string[], err: (s: string) => void): Buffer {
  const parts: Buffer[] = [];
  const vfs = sh.world.vfs;
  const add = (shown: string, real: string) => {
    const st = vfs.stat(real);
    if (st.type === 'dir') {
      parts.push(header(`${shown.replace(/\/?$/, '/')}`, 0, '5', 0o755, st.mtime));
      for (const k of vfs.list(real)) add(`${shown.replace(/\/$/, '')}/${k}`, `${real === '/' ? '' : real}/${k}`);
      return;
    }
    const data = Buffer.from(vfs.read(real), 'utf8');
    parts.push(header(shown, data.length, '0', st.mode, st.mtime), data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  };
  for (const p of paths) {
    const real = sh.resolvePath(p);
    if (!vfs.exists(real)) {
      err(`tar: ${p}: Cannot stat: No such file or directory\n`);
      continue;
    }
    // GNU tar strips the leading '/' from member names.
    add(p.replace(/^\/+/, '') || '.', real);
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return Buffer.concat(parts);
}

function unpack(sh: Shell, data: Buffer, dir: string): void {
  const vfs = sh.world.vfs;
  for (let at = 0; at + BLOCK <= data.length;) {
    const h = data.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) break;
    const str = (o: number, l: number) => h.toString('utf8', o, o + l).replace(/\0.*$/s, '');
    const name = [str(345, 155), str(0, 100)].filter(Boolean).join('/');
    const size = parseInt(str(124, 12).trim() || '0', 8);
    const type = str(156, 1) || '0';
    at += BLOCK;
    const target = sh.resolvePath(`${dir}/${name}`);
    if (type === '5') vfs.mkdirp(target);
    else if (type === '0' || type === '\0') {
      vfs.mkdirp(target.slice(0, target.lastIndexOf('/')) || '/');
      vfs.write(target, data.toString('utf8', at, at + size));
    }
    at += Math.ceil(size / BLOCK) * BLOCK;
  }
}

export const tar: CmdFn = async (argv, io, sh) => {
  const args = argv.slice(1);
  let mode: 'c' | 'x' | 't' | undefined;
  let file: string | undefined;
  let dir = sh.cwd;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-C' || a === '--directory') { dir = args[++i] ?? dir; continue; }
    if (a === '-f') { file = args[++i]; continue; }
    if (/^-?[cxtvzmfpo]+$/.test(a) && (i === 0 || a.startsWith('-'))) {
      for (const ch of a.replace(/^-/, '')) {
        if (ch === 'c' || ch === 'x' || ch === 't') mode = ch;
        if (ch === 'f') file = args[++i];
      }
      continue;
    }
    if (a.startsWith('-')) continue;
    paths.push(a);
  }
  if (!mode) {
    io.err("tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options\n");
    return 2;
  }
  if (file && file !== '-') {
    io.err(`tar: ${file}: archives other than stdin/stdout are not supported here\n`);
    return 2;
  }
  if (mode === 'c') {
    let failed = false;
    const buf = pack(sh, paths, (s) => { failed = true; io.err(s); });
    if (io.outBytes) io.outBytes(buf);
    else io.out(buf.toString('utf8'));
    return failed ? 2 : 0;
  }
  // stdin arrives UTF-8 decoded: re-encoding gives back the bytes of text content.
  const data = Buffer.from(await readAll(io.stdin), 'utf8');
  if (mode === 't') {
    for (let at = 0; at + BLOCK <= data.length;) {
      const h = data.subarray(at, at + BLOCK);
      if (h.every((b) => b === 0)) break;
      io.out(`${h.toString('utf8', 0, 100).replace(/\0.*$/s, '')}\n`);
      at += BLOCK + Math.ceil(parseInt(h.toString('latin1', 124, 136).trim() || '0', 8) / BLOCK) * BLOCK;
    }
    return 0;
  }
  unpack(sh, data, dir);
  return 0;
};
