/**
 * The database clients that ship in the redis and postgres images: `redis-cli` against the
 * container's own small keyspace, and `psql` answering the usual inspection commands. They
 * exist only in worlds whose image has them (ShellWorld.imageCommands).
 */
import type { Shell } from '../interp.js';
import type { Io } from '../types.js';
import type { CmdFn } from './types.js';

const redisData = new WeakMap<object, Map<string, string>>();

function keyspace(sh: Shell): Map<string, string> {
  let m = redisData.get(sh.world);
  if (!m) {
    m = new Map([['session:8f2c', '{"user":"ana","cart":3}'], ['session:91ab', '{"user":"li","cart":0}'], ['cart:ana', '3'], ['rate:api:10.244.1.7', '17']]);
    redisData.set(sh.world, m);
  }
  return m;
}

const redisCli: CmdFn = (argv, io, sh) => {
  const args = argv.slice(1);
  while (args[0] && /^-[hpan]$/.test(args[0])) args.splice(0, 2);
  if (!args.length) {
    io.err('redis-cli: interactive mode needs a terminal with line editing; pass a command, e.g. redis-cli ping\n');
    return 1;
  }
  const db = keyspace(sh);
  const [cmd, ...rest] = args;
  switch (cmd!.toUpperCase()) {
    case 'PING': io.out(rest[0] ? `"${rest[0]}"\n` : 'PONG\n'); return 0;
    case 'DBSIZE': io.out(`(integer) ${db.size}\n`); return 0;
    case 'GET': io.out(db.has(rest[0] ?? '') ? `"${db.get(rest[0]!)}"\n` : '(nil)\n'); return 0;
    case 'SET': db.set(rest[0] ?? '', rest[1] ?? ''); io.out('OK\n'); return 0;
    case 'DEL': { const n = rest.filter((k) => db.delete(k)).length; io.out(`(integer) ${n}\n`); return 0; }
    case 'KEYS': {
      const re = new RegExp(`^${(rest[0] ?? '*').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
      const ks = [...db.keys()].filter((k) => re.test(k));
      io.out(ks.length ? ks.map((k, i) => `${i + 1}) "${k}"\n`).join('') : '(empty array)\n');
      return 0;
    }
    case 'INFO': {
      const m = sh.world.memory();
      io.out(`# Server\r\nredis_version:7.4.1\r\nredis_mode:standalone\r\nos:Linux 5.15.0-1057-gke x86_64\r\ntcp_port:6379\r\nuptime_in_seconds:${Math.round((Date.now() - sh.world.startedAt) / 1000)}\r\n\r\n# Clients\r\nconnected_clients:4\r\n\r\n# Memory\r\nused_memory_human:${(m.usedKb / 4096).toFixed(2)}M\r\nmaxmemory_human:256.00M\r\nmaxmemory_policy:allkeys-lru\r\n\r\n# Keyspace\r\ndb0:keys=${db.size},expires=2,avg_ttl=86312047\r\n`);
      return 0;
    }
    default:
      io.out(`(error) ERR unknown command '${cmd}', with args beginning with: ${rest.map((r) => `'${r}' `).join('')}\n`);
      return 0;
  }
};

const TABLES = [['public', 'customers', 'table', 'shop'], ['public', 'order_items', 'table', 'shop'], ['public', 'orders', 'table', 'shop'], ['public', 'products', 'table', 'shop']];

function table(io: Io, head: string[], rows: string[][], title?: string): void {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  if (title) io.out(`${title.padStart(Math.floor((w.reduce((a, b) => a + b + 3, -1) + title.length) / 2))}\n`);
  io.out(` ${head.map((h, i) => h.padEnd(w[i]!)).join(' | ')}\n`);
  io.out(`${w.map((x) => '-'.repeat(x + 2)).join('+')}\n`);
  for (const r of rows) io.out(` ${r.map((c, i) => c.padEnd(w[i]!)).join(' | ')}\n`);
  io.out(`(${rows.length} row${rows.length === 1 ? '' : 's'})\n\n`);
}

const psql: CmdFn = (argv, io) => {
  const args = argv.slice(1);
  const ci = args.indexOf('-c');
  const q = ci >= 0 ? (args[ci + 1] ?? '').trim() : undefined;
  if (q === undefined) {
    io.err('psql: interactive mode needs a terminal with line editing; pass a query with -c\n');
    return 1;
  }
  if (q === '\\l' || /^\\list/.test(q)) {
    table(io, ['Name', 'Owner', 'Encoding', 'Locale Provider', 'Collate', 'Ctype'], [
      ['postgres', 'postgres', 'UTF8', 'libc', 'en_US.utf8', 'en_US.utf8'], ['shop', 'postgres', 'UTF8', 'libc', 'en_US.utf8', 'en_US.utf8'],
      ['template0', 'postgres', 'UTF8', 'libc', 'en_US.utf8', 'en_US.utf8'], ['template1', 'postgres', 'UTF8', 'libc', 'en_US.utf8', 'en_US.utf8'],
    ], 'List of databases');
    return 0;
  }
  if (q === '\\dt') {
    table(io, ['Schema', 'Name', 'Type', 'Owner'], TABLES, 'List of relations');
    return 0;
  }
  const sel = /^select\s+(\d+)\s*;?$/i.exec(q);
  if (sel) { table(io, ['?column?'], [[sel[1]!.padStart(8)]]); return 0; }
  if (/^select\s+version\(\)/i.test(q)) { table(io, ['version'], [['PostgreSQL 16.4 (Debian 16.4-1.pgdg120+2) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit']]); return 0; }
  const count = /^select\s+count\(\*\)\s+from\s+(\w+)/i.exec(q);
  if (count) {
    const n = { customers: 1284, orders: 9311, order_items: 27403, products: 42 }[count[1]!.toLowerCase() as 'orders'];
    if (n === undefined) {
      io.err(`ERROR:  relation "${count[1]}" does not exist\nLINE 1: ${q}\n`);
      return 1;
    }
    table(io, ['count'], [[String(n).padStart(5)]]);
    return 0;
  }
  io.err(`ERROR:  this emulated psql answers \\l, \\dt, SELECT 1, SELECT version() and SELECT count(*) FROM <table>\n`);
  return 1;
};

export const IMAGE_COMMANDS: Record<string, CmdFn> = { 'redis-cli': redisCli, psql, pg_isready: (_a, io) => { io.out('/var/run/postgresql:5432 - accepting connections\n'); return 0; } };
