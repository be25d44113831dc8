/** System information: hostname, id, whoami, uname, date, ps, free, df, uptime, nproc, top. */
import { simSleep } from './builtins.js';
import type { Shell } from '../interp.js';
import type { Io } from '../types.js';
import { getopt, type CmdFn } from './types.js';

const KERNEL = '5.15.0-1057-gke';

const uname: CmdFn = (argv, io, sh) => {
  const { opts } = getopt(argv.slice(1));
  const parts: Array<[string, string]> = [
    ['s', 'Linux'], ['n', sh.world.hostname], ['r', KERNEL],
    ['v', '#1 SMP Thu Oct 10 06:32:51 UTC 2024'], ['m', 'x86_64'], ['o', 'GNU/Linux'],
  ];
  const all = opts.has('a');
  const want = parts.filter(([k]) => all || opts.has(k));
  io.out(`${(want.length ? want : [parts[0]!]).map(([, v]) => v).join(' ')}\n`);
  return 0;
};

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

export function formatDate(d: Date, fmt?: string): string {
  if (!fmt) return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
  return fmt.replace(/%([a-zA-Z%])/g, (_, c: string) => {
    switch (c) {
      case 'Y': return String(d.getUTCFullYear());
      case 'm': return p2(d.getUTCMonth() + 1);
      case 'd': return p2(d.getUTCDate());
      case 'H': return p2(d.getUTCHours());
      case 'M': return p2(d.getUTCMinutes());
      case 'S': return p2(d.getUTCSeconds());
      case 's': return String(Math.floor(d.getTime() / 1000));
      case 'N': return String(d.getUTCMilliseconds() * 1_000_000).padStart(9, '0');
      case 'F': return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
      case 'T': return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
      case 'a': return DAYS[d.getUTCDay()]!;
      case 'b': return MONTHS[d.getUTCMonth()]!;
      case 'Z': return 'UTC';
      case 'z': return '+0000';
      case '%': return '%';
      default: return `%${c}`;
    }
  });
}

const date: CmdFn = (argv, io, sh) => {
  const fmt = argv.slice(1).find((a) => a.startsWith('+'));
  const iso = argv.includes('-Iseconds') || argv.includes('--iso-8601=seconds');
  const d = new Date(sh.world.clock.now());
  io.out(`${iso ? d.toISOString().replace(/\.\d+Z$/, '+00:00') : formatDate(d, fmt?.slice(1))}\n`);
  return 0;
};

function cpuTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${p2(s % 60)}`;
}

const ps: CmdFn = (argv, io, sh) => {
  const procs = sh.world.processes();
  const now = sh.world.clock.now();
  if (sh.world.flavor === 'busybox') {
    io.out('PID   USER     TIME  COMMAND\n');
    for (const p of procs) io.out(`${String(p.pid).padStart(5)} ${p.user.padEnd(8)} ${cpuTime((now - p.startedAt) / 50).padStart(5)} ${p.cmd}\n`);
    return 0;
  }
  const args = argv.slice(1).join(' ');
  if (/aux|-e|-A|ax/.test(args)) {
    io.out('USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n');
    for (const p of procs) {
      const start = new Date(p.startedAt);
      io.out(`${p.user.padEnd(8)} ${String(p.pid).padStart(7)}  0.${p.pid % 10}  0.${(p.rssKb >> 10) % 10} ${String(p.rssKb * 3).padStart(6)} ${String(p.rssKb).padStart(5)} ?        Ss   ${p2(start.getUTCHours())}:${p2(start.getUTCMinutes())}   ${cpuTime((now - p.startedAt) / 50)} ${p.cmd}\n`);
    }
    return 0;
  }
  io.out('    PID TTY          TIME CMD\n');
  for (const p of procs.filter((x) => /^(ps|sh|bash)\b/.test(x.cmd))) io.out(`${String(p.pid).padStart(7)} pts/0    00:00:00 ${p.cmd.split(' ')[0]}\n`);
  return 0;
};

const free: CmdFn = (argv, io, sh) => {
  const m = sh.world.memory();
  const h = argv.includes('-h');
  const mb = argv.includes('-m');
  const f = (kb: number) => (h ? (kb > 1 << 20 ? `${(kb / (1 << 20)).toFixed(1)}Gi` : `${Math.round(kb / 1024)}Mi`) : mb ? String(Math.round(kb / 1024)) : String(kb));
  const cache = Math.round(m.totalKb * 0.21);
  const used = m.usedKb;
  const freeKb = Math.max(0, m.totalKb - used - cache);
  const w = 12;
  io.out(`${''.padEnd(6)}${['total', 'used', 'free', 'shared', 'buff/cache', 'available'].map((s) => s.padStart(w)).join('')}\n`);
  io.out(`Mem:  ${[m.totalKb, used, freeKb, 1204, cache, freeKb + cache].map((n) => f(n).padStart(w)).join('')}\n`);
  io.out(`Swap: ${[0, 0, 0].map((n) => f(n).padStart(w)).join('')}\n`);
  return 0;
};

const df: CmdFn = (argv, io, sh) => {
  const h = argv.includes('-h');
  const rows: Array<[string, number, number, string]> = [
    ['overlay', 98831908, 31442480, '/'],
    ['tmpfs', 65536, 0, '/dev'],
    ['shm', 65536, 0, '/dev/shm'],
    ['/dev/sda1', 98831908, 31442480, '/etc/hosts'],
  ];
  for (const m of mountsOf(sh)) rows.push(['tmpfs', 16307292, 12, m]);
  const f = (kb: number) => (!h ? String(kb) : kb > 1 << 20 ? `${(kb / (1 << 20)).toFixed(1)}G` : kb > 1024 ? `${(kb / 1024).toFixed(1)}M` : `${kb}K`);
  io.out(`${'Filesystem'.padEnd(20)} ${(h ? 'Size' : '1K-blocks').padStart(10)} ${'Used'.padStart(9)} ${'Available'.padStart(9)} Use% Mounted on\n`);
  for (const [fs, size, used, mnt] of rows) {
    io.out(`${fs.padEnd(20)} ${f(size).padStart(10)} ${f(used).padStart(9)} ${f(size - used).padStart(9)} ${`${Math.ceil((used / size) * 100)}%`.padStart(4)} ${mnt}\n`);
  }
  return 0;
};

function mountsOf(sh: Shell): string[] {
  try {
    return sh.world.vfs.read('/proc/mounts').split('\n').filter((l) => l.startsWith('tmpfs ') && !/ \/dev/.test(l)).map((l) => l.split(' ')[1]!);
  } catch {
    return [];
  }
}

function uptimeLine(sh: Shell): string {
  const up = Math.max(0, (sh.world.clock.now() - sh.world.startedAt) / 1000);
  const d = new Date(sh.world.clock.now());
  const mins = Math.floor(up / 60);
  const upStr = mins < 60 ? `${mins} min` : `${Math.floor(mins / 60)}:${p2(mins % 60)}`;
  return ` ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} up ${upStr},  load average: 0.42, 0.37, 0.31`;
}

async function top(argv: string[], io: Io, sh: Shell): Promise<number> {
  const once = argv.includes('-b') || argv.includes('-n') || !io.tty;
  for (;;) {
    const m = sh.world.memory();
    if (io.tty) io.out('\x1b[H\x1b[2J');
    io.out(`Mem: ${m.usedKb}K used, ${m.totalKb - m.usedKb}K free, 1204K shrd, 0K buff, ${Math.round(m.totalKb * 0.21)}K cached\n`);
    io.out(`CPU:   2% usr   1% sys   0% nic  96% idle   0% io   0% irq   0% sirq\nLoad average:${uptimeLine(sh).split('load average:')[1]}\n`);
    io.out('  PID  PPID USER     STAT   VSZ %VSZ CPU %CPU COMMAND\n');
    for (const p of sh.world.processes()) io.out(`${String(p.pid).padStart(5)} ${String(p.pid === 1 ? 0 : 1).padStart(5)} ${p.user.padEnd(8)} S    ${String(p.rssKb * 3).padStart(5)}   0%   0   0% ${p.cmd}\n`);
    if (once) return 0;
    await simSleep(sh, io, 3000);
  }
}

export const SYSTEM_COMMANDS: Record<string, CmdFn> = {
  uname, date, ps, free, df, top,
  hostname: (_a, io, sh) => { io.out(`${sh.world.hostname}\n`); return 0; },
  whoami: (_a, io) => { io.out('root\n'); return 0; },
  id: (_a, io, sh) => {
    io.out(sh.world.flavor === 'busybox'
      ? 'uid=0(root) gid=0(root) groups=0(root),1(bin),2(daemon),3(sys),4(adm),6(disk),10(wheel),11(floppy),20(dialout),26(tape),27(video)\n'
      : 'uid=0(root) gid=0(root) groups=0(root)\n');
    return 0;
  },
  uptime: (_a, io, sh) => { io.out(`${uptimeLine(sh)}\n`); return 0; },
  nproc: (_a, io) => { io.out('4\n'); return 0; },
  stty: (argv, io) => {
    if (!io.tty) {
      io.err("stty: standard input: Not a tty\n");
      return 1;
    }
    if (argv[1] === 'size') io.out(`${io.tty.rows} ${io.tty.cols}\n`);
    return 0;
  },
  tty: (_a, io) => { io.out(io.tty ? '/dev/pts/0\n' : 'not a tty\n'); return io.tty ? 0 : 1; },
};
