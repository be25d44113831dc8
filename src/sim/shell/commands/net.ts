/** Network clients inside a container: wget, curl and nslookup against cluster DNS names. */
import type { Shell } from '../interp.js';
import type { HttpResult, Io } from '../types.js';
import { Interrupted } from '../types.js';

interface Req { url: string; method: string; headers: Record<string, string>; body?: string; connectTimeoutMs?: number }

class NetError extends Error {
  constructor(readonly kind: 'resolve' | 'connect' | 'timeout', readonly host: string, readonly port: number) {
    super(kind);
  }
}

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
}

async function fetchVia(sh: Shell, io: Io, r: Req): Promise<HttpResult> {
  const u = parseUrl(r.url)!;
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  if (!sh.world.lookup(u.hostname)) throw new NetError('resolve', u.hostname, port);
  try {
    return await sh.world.fetch(u.toString(), { method: r.method, headers: r.headers, body: r.body, signal: io.signal, connectTimeoutMs: r.connectTimeoutMs });
  } catch (e) {
    if (io.signal.aborted) throw new Interrupted();
    throw new NetError((e as { code?: string }).code === 'ETIMEDOUT' ? 'timeout' : 'connect', u.hostname, port);
  }
}

const wget = async (argv: string[], io: Io, sh: Shell): Promise<number> => {
  let out: string | undefined;
  let quiet = false;
  let spider = false;
  let showHeaders = false;
  const headers: Record<string, string> = { 'User-Agent': 'Wget' };
  let body: string | undefined;
  let url: string | undefined;
  let timeout: number | undefined;
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-O') out = args[++i];
    else if (a.startsWith('-O') && a.length > 2) out = a.slice(2);
    else if (a === '-qO-' || a === '-qO') { quiet = true; out = a === '-qO-' ? '-' : args[++i]; }
    else if (a.startsWith('--output-document=')) out = a.slice(18);
    else if (a === '-q' || a === '--quiet') quiet = true;
    else if (a === '--spider') spider = true;
    else if (a === '-S' || a === '--server-response') showHeaders = true;
    else if (a === '--header') { const [k, ...v] = (args[++i] ?? '').split(':'); headers[k!.trim()] = v.join(':').trim(); }
    else if (a.startsWith('--post-data=')) body = a.slice(12);
    else if (a === '-T' || a === '--timeout') timeout = Number(args[++i]) * 1000 || undefined;
    else if (a === '-t' || a === '-U') i++;
    else if (a.startsWith('-')) continue;
    else url = a;
  }
  if (!url) {
    io.err('BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n');
    return 1;
  }
  const u = parseUrl(url);
  if (!u) {
    io.err(`wget: bad address '${url}'\n`);
    return 1;
  }
  const port = Number(u.port || 80);
  if (!quiet) {
    const ip = sh.world.lookup(u.hostname)?.ip;
    if (ip) io.err(`Connecting to ${u.host} (${ip}:${port})\n`);
  }
  let res: HttpResult;
  try {
    res = await fetchVia(sh, io, { url, method: body !== undefined ? 'POST' : spider ? 'HEAD' : 'GET', headers, body, connectTimeoutMs: timeout });
  } catch (e) {
    if (!(e instanceof NetError)) throw e;
    if (e.kind === 'resolve') io.err(`wget: bad address '${u.host}'\n`);
    else if (e.kind === 'timeout' && timeout !== undefined) io.err('wget: download timed out\n');
    else if (e.kind === 'timeout') io.err(`wget: can't connect to remote host (${sh.world.lookup(u.hostname)?.ip ?? u.hostname}): Connection timed out\n`);
    else io.err(`wget: can't connect to remote host (${sh.world.lookup(u.hostname)?.ip ?? u.hostname}): Connection refused\n`);
    return 1;
  }
  if (showHeaders) {
    io.err(`  HTTP/${res.httpVersion} ${res.status} ${res.statusText}\n`);
    for (const [k, v] of Object.entries(res.headers)) io.err(`  ${k}: ${v}\n`);
  }
  if (res.status >= 400) {
    io.err(`wget: server returned error: HTTP/${res.httpVersion} ${res.status} ${res.statusText}\n`);
    return 1;
  }
  if (spider) {
    if (!quiet) io.err('remote file exists\n');
    return 0;
  }
  const name = out ?? (u.pathname.split('/').pop() || 'index.html');
  if (name === '-') {
    io.out(res.body.toString('utf8'));
    return 0;
  }
  if (!quiet) io.err(`saving to '${name}'\n`);
  const path = sh.resolvePath(name);
  if (out === undefined && sh.world.vfs.exists(path)) {
    io.err(`wget: can't open '${name}': File exists\n`);
    return 1;
  }
  sh.world.vfs.write(path, res.body.toString('utf8'));
  if (!quiet) {
    io.err(`${name.padEnd(20).slice(0, 20)} 100% |********************************| ${String(res.body.length).padStart(5)}  0:00:00 ETA\n`);
    io.err(`'${name}' saved\n`);
  }
  return 0;
};

const curl = async (argv: string[], io: Io, sh: Shell): Promise<number> => {
  let method: string | undefined;
  const headers: Record<string, string> = { 'User-Agent': 'curl/8.5.0', Accept: '*/*' };
  let data: string | undefined;
  let out: string | undefined;
  let silent = false;
  let showErr = false;
  let include = false;
  let headOnly = false;
  let fail = false;
  let verbose = false;
  let writeOut: string | undefined;
  let url: string | undefined;
  let connectTimeout: number | undefined;
  let timeoutFlag: 'connect' | 'max' | undefined;
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-X' || a === '--request') method = args[++i];
    else if (a === '-H' || a === '--header') { const [k, ...v] = (args[++i] ?? '').split(':'); headers[k!.trim()] = v.join(':').trim(); }
    else if (a === '-d' || a === '--data' || a === '--data-raw' || a === '--data-binary') data = args[++i];
    else if (a === '-o' || a === '--output') out = args[++i];
    else if (a === '-w' || a === '--write-out') writeOut = args[++i];
    else if (a === '-m' || a === '--max-time' || a === '--connect-timeout') { connectTimeout = Math.round(Number(args[++i]) * 1000) || undefined; timeoutFlag = a === '--connect-timeout' ? 'connect' : 'max'; }
    else if (a === '-u' || a === '-A') i++;
    else if (a === '-I' || a === '--head') headOnly = true;
    else if (a === '-i' || a === '--include') include = true;
    else if (a === '-f' || a === '--fail') fail = true;
    else if (a === '-v' || a === '--verbose') verbose = true;
    else if (a === '-s' || a === '--silent') silent = true;
    else if (a === '-S' || a === '--show-error') showErr = true;
    else if (/^-[a-zA-Z]+$/.test(a)) {
      // Combined short flags such as -sS, -fsSL, -sI.
      for (const c of a.slice(1)) {
        if (c === 's') silent = true;
        if (c === 'S') showErr = true;
        if (c === 'f') fail = true;
        if (c === 'i') include = true;
        if (c === 'I') headOnly = true;
        if (c === 'v') verbose = true;
      }
    } else if (!a.startsWith('-')) url = a;
  }
  const report = (code: number, msg: string) => {
    if (!silent || showErr) io.err(`curl: (${code}) ${msg}\n`);
    return code;
  };
  if (!url) {
    io.err("curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const u = parseUrl(url);
  if (!u) return report(3, 'URL using bad/illegal format or missing URL');
  if (data !== undefined && !headers['Content-Type']) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  const m = method ?? (headOnly ? 'HEAD' : data !== undefined ? 'POST' : 'GET');
  if (verbose) {
    const ip = sh.world.lookup(u.hostname)?.ip;
    if (ip) io.err(`*   Trying ${ip}:${u.port || 80}...\n* Connected to ${u.hostname} (${ip}) port ${u.port || 80}\n`);
    io.err(`> ${m} ${u.pathname}${u.search} HTTP/1.1\n> Host: ${u.host}\n${Object.entries(headers).map(([k, v]) => `> ${k}: ${v}\n`).join('')}>\n`);
  }
  let res: HttpResult;
  try {
    res = await fetchVia(sh, io, { url, method: m, headers, body: data, connectTimeoutMs: connectTimeout });
  } catch (e) {
    if (!(e instanceof NetError)) throw e;
    if (e.kind === 'resolve') return report(6, `Could not resolve host: ${e.host}`);
    // curl 8's words: --connect-timeout (and the kernel's own give-up) vs -m/--max-time.
    if (e.kind === 'timeout') return report(28, timeoutFlag === 'max' ? `Connection timed out after ${(connectTimeout ?? 0) + 1} milliseconds` : `Failed to connect to ${e.host} port ${e.port} after ${connectTimeout ?? 130_000} ms: Timeout was reached`);
    return report(7, `Failed to connect to ${e.host} port ${e.port} after 0 ms: Couldn't connect to server`);
  }
  if (fail && res.status >= 400) return report(22, `The requested URL returned error: ${res.status}`);
  const head = `HTTP/${res.httpVersion} ${res.status} ${res.statusText}\r\n${Object.entries(res.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  if (verbose) io.err(head.split('\r\n').filter(Boolean).map((l) => `< ${l}\n`).join('') + '<\n');
  let text = (include || headOnly ? head : '') + (headOnly ? '' : res.body.toString('utf8'));
  if (out && out !== '-') {
    sh.world.vfs.write(sh.resolvePath(out), text);
    text = '';
    if (!silent) io.err(`  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n100  ${String(res.body.length).padStart(5)}  100  ${String(res.body.length).padStart(5)}    0     0   150k      0 --:--:-- --:--:-- --:--:--  150k\n`);
  }
  io.out(text);
  if (writeOut) io.out(writeOut.replace(/%\{http_code\}/g, String(res.status)).replace(/%\{size_download\}/g, String(res.body.length)).replace(/\\n/g, '\n'));
  return 0;
};

const nslookup = (argv: string[], io: Io, sh: Shell): number => {
  const name = argv.slice(1).find((a) => !a.startsWith('-'));
  if (!name) {
    io.err('Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n');
    return 1;
  }
  io.out('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n');
  const r = sh.world.lookup(name);
  if (!r) {
    io.out(`** server can't find ${name}: NXDOMAIN\n\n`);
    return 1;
  }
  io.out(`Name:\t${r.fqdn}\nAddress: ${r.ip}\n\n`);
  return 0;
};

export const NET_COMMANDS = { wget, curl, nslookup };
