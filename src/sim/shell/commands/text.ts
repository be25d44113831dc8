/** Text filters for one-liners: tr, cut, sort, uniq, sed (s///, p, d), awk ('{print $N}'), seq, basename, dirname. */
import { readAll } from '../types.js';
import { getopt, type CmdFn } from './types.js';

function expandSet(s: string): string {
  const unesc = s.replace(/\\(n|t|0|\\)/g, (_, c: string) => ({ n: '\n', t: '\t', '0': '\0', '\\': '\\' }[c]!));
  return unesc.replace(/\[:(\w+):\]/g, (_, cls: string) => ({
    lower: 'a-z', upper: 'A-Z', digit: '0-9', space: ' \t\n', alpha: 'a-zA-Z', alnum: 'a-zA-Z0-9',
  }[cls] ?? '')).replace(/(.)-(.)/g, (_, a: string, b: string) => {
    let out = '';
    for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c++) out += String.fromCharCode(c);
    return out;
  });
}

const tr: CmdFn = async (argv, io) => {
  const { opts, rest } = getopt(argv.slice(1));
  const text = await readAll(io.stdin);
  const from = expandSet(rest[0] ?? '');
  if (opts.has('d')) {
    io.out([...text].filter((c) => !from.includes(c)).join(''));
    return 0;
  }
  const to = expandSet(rest[1] ?? '');
  let out = [...text].map((c) => {
    const i = from.indexOf(c);
    return i < 0 ? c : to[Math.min(i, to.length - 1)] ?? c;
  }).join('');
  if (opts.has('s') && to) out = out.replace(new RegExp(`([${to.replace(/[\]\\^-]/g, '\\$&')}])\\1+`, 'g'), '$1');
  io.out(out);
  return 0;
};

const lines = (t: string) => { const l = t.split('\n'); if (l[l.length - 1] === '') l.pop(); return l; };

async function input(argv: string[], io: Parameters<CmdFn>[1], sh: Parameters<CmdFn>[2], files: string[]): Promise<string> {
  if (!files.length) return readAll(io.stdin);
  return files.map((f) => sh.world.vfs.read(sh.resolvePath(f))).join('');
}

const cut: CmdFn = async (argv, io, sh) => {
  const { opts, rest } = getopt(argv.slice(1), 'd,f,c');
  const text = await input(argv, io, sh, rest);
  const pick = (spec: string, n: number) => spec.split(',').flatMap((r) => {
    const [a, b] = r.split('-');
    const lo = a ? Number(a) : 1;
    const hi = r.includes('-') ? (b ? Number(b) : n) : lo;
    return Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);
  });
  for (const l of lines(text)) {
    if (opts.has('c')) io.out(`${pick(opts.get('c')!, l.length).map((i) => l[i - 1] ?? '').join('')}\n`);
    else {
      const d = opts.get('d') ?? '\t';
      const parts = l.split(d);
      io.out(`${pick(opts.get('f') ?? '1', parts.length).filter((i) => i <= parts.length).map((i) => parts[i - 1]).join(d)}\n`);
    }
  }
  return 0;
};

const sort: CmdFn = async (argv, io, sh) => {
  const { opts, rest } = getopt(argv.slice(1), 'k,t');
  let ls = lines(await input(argv, io, sh, rest));
  const key = (l: string) => (opts.has('k') ? (l.split(opts.get('t') ?? /\s+/)[Number(opts.get('k')!.split(',')[0]) - 1] ?? '') : l);
  ls.sort((a, b) => (opts.has('n') ? parseFloat(key(a)) - parseFloat(key(b)) : key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  if (opts.has('r')) ls.reverse();
  if (opts.has('u')) ls = ls.filter((l, i) => i === 0 || l !== ls[i - 1]);
  for (const l of ls) io.out(`${l}\n`);
  return 0;
};

const uniq: CmdFn = async (argv, io, sh) => {
  const { opts, rest } = getopt(argv.slice(1));
  const ls = lines(await input(argv, io, sh, rest));
  for (let i = 0; i < ls.length;) {
    let j = i;
    while (j < ls.length && ls[j] === ls[i]) j++;
    if (!opts.has('d') || j - i > 1) io.out(opts.has('c') ? `${String(j - i).padStart(7)} ${ls[i]}\n` : `${ls[i]}\n`);
    i = j;
  }
  return 0;
};

const sed: CmdFn = async (argv, io, sh) => {
  const { opts, rest } = getopt(argv.slice(1), 'e');
  const script = opts.get('e') ?? rest.shift() ?? '';
  const text = await input(argv, io, sh, rest);
  const m = /^s(.)(.*?)\1(.*?)\1([gi]*)$/.exec(script);
  const del = /^\/(.*)\/d$/.exec(script);
  const print = /^\/(.*)\/p$/.exec(script);
  const nth = /^(\d+)([pd])$/.exec(script);
  if (!m && !del && !print && !nth) {
    io.err(`sed: unsupported command: ${script}\n`);
    return 1;
  }
  lines(text).forEach((l, i) => {
    if (m) io.out(`${l.replace(new RegExp(m[2]!, m[4]!.includes('g') ? (m[4]!.includes('i') ? 'gi' : 'g') : m[4]!.includes('i') ? 'i' : ''), m[3]!.replace(/\\(\d)/g, '$$$1').replace(/&/g, '$$&'))}\n`);
    else if (del) { if (!new RegExp(del[1]!).test(l)) io.out(`${l}\n`); }
    else if (print) { if (!opts.has('n') || new RegExp(print[1]!).test(l)) io.out(`${l}\n`); if (!opts.has('n') && new RegExp(print[1]!).test(l)) io.out(`${l}\n`); }
    else if (nth) {
      const hit = i + 1 === Number(nth[1]);
      if (nth[2] === 'd' ? !hit : hit || !opts.has('n')) io.out(`${l}\n`);
    }
  });
  return 0;
};

const awk: CmdFn = async (argv, io, sh) => {
  const { opts, rest } = getopt(argv.slice(1), 'F');
  const prog = rest.shift() ?? '';
  const m = /^\s*(?:\/(.*)\/\s*)?\{\s*print\s*(.*?)\s*;?\s*\}\s*$/.exec(prog);
  if (!m) {
    io.err(`awk: unsupported program: ${prog}\n`);
    return 2;
  }
  const text = await input(argv, io, sh, rest);
  const fs = opts.get('F');
  lines(text).forEach((l, i) => {
    if (m[1] && !new RegExp(m[1]).test(l)) return;
    const f = fs ? l.split(fs) : l.trim().split(/\s+/);
    const expr = m[2] || '$0';
    const val = expr.split(',').map((e) => e.trim().replace(/\$(\d+|NF)/g, (_, n: string) => (n === '0' ? l : n === 'NF' ? f[f.length - 1] ?? '' : f[Number(n) - 1] ?? '')).replace(/\bNR\b/g, String(i + 1)).replace(/"/g, ''));
    io.out(`${val.join(' ')}\n`);
  });
  return 0;
};

const seq: CmdFn = (argv, io) => {
  const n = argv.slice(1).map(Number);
  const [first, step, last] = n.length === 1 ? [1, 1, n[0]!] : n.length === 2 ? [n[0]!, 1, n[1]!] : [n[0]!, n[1]!, n[2]!];
  if ([first, step, last].some((x) => !Number.isFinite(x)) || step === 0) {
    io.err(`seq: invalid argument\n`);
    return 1;
  }
  for (let i = first, k = 0; step > 0 ? i <= last : i >= last; i += step, k++) {
    if (k > 100_000) break;
    io.out(`${i}\n`);
  }
  return 0;
};

export const TEXT_COMMANDS: Record<string, CmdFn> = {
  tr, cut, sort, uniq, sed, awk, seq,
  basename: (argv, io) => { io.out(`${(argv[1] ?? '').replace(/\/+$/, '').replace(/^.*\//, '').replace(new RegExp(`${(argv[2] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), '')}\n`); return 0; },
  dirname: (argv, io) => { const p = (argv[1] ?? '.').replace(/\/+$/, ''); io.out(`${p.includes('/') ? p.slice(0, p.lastIndexOf('/')) || '/' : '.'}\n`); return 0; },
};
