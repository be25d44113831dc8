/** Believable log lines per kind of app: start-up banners, periodic lines, crash traces, OOM growth. */
import type { Behaviour, Flavour } from './behaviour.js';

const ts = (d = new Date()) => d.toISOString();
const nginxTime = (d = new Date()) => {
  const m = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${m}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
};
const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

export function startupLines(f: Flavour, container: string, ports: number[]): string[] {
  const port = ports[0] ?? 8080;
  switch (f) {
    case 'nginx':
      return [
        '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
        '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
        '/docker-entrypoint.sh: Configuration complete; ready for start up',
        `${ts().replace('T', ' ').slice(0, 19).replace(/-/g, '/')} [notice] 1#1: using the "epoll" event method`,
        `${ts().replace('T', ' ').slice(0, 19).replace(/-/g, '/')} [notice] 1#1: nginx/1.27.3`,
        `${ts().replace('T', ' ').slice(0, 19).replace(/-/g, '/')} [notice] 1#1: start worker processes`,
      ];
    case 'postgres':
      return [
        'PostgreSQL Database directory appears to contain a database; Skipping initialization',
        `${ts().replace('T', ' ').slice(0, 23)} UTC [1] LOG:  starting PostgreSQL 16.4 on x86_64-pc-linux-gnu`,
        `${ts().replace('T', ' ').slice(0, 23)} UTC [1] LOG:  listening on IPv4 address "0.0.0.0", port ${port}`,
        `${ts().replace('T', ' ').slice(0, 23)} UTC [1] LOG:  database system is ready to accept connections`,
      ];
    case 'redis':
      return [
        '1:C 21 Nov 2026 09:12:01.123 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
        '1:C 21 Nov 2026 09:12:01.123 * Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started',
        `1:M 21 Nov 2026 09:12:01.124 * Running mode=standalone, port=${port}.`,
        '1:M 21 Nov 2026 09:12:01.125 * Ready to accept connections tcp',
      ];
    case 'api':
    case 'jokes':
      return [
        `{"level":"info","ts":"${ts()}","msg":"loading configuration","service":"${container}"}`,
        `{"level":"info","ts":"${ts()}","msg":"connected to database","host":"postgres:5432"}`,
        `{"level":"info","ts":"${ts()}","msg":"listening","addr":":${port}"}`,
      ];
    case 'worker':
      return [`time="${ts()}" level=info msg="worker started" queue=orders concurrency=4`];
    case 'batch':
      return [`${ts()} starting job step`];
    default:
      return [`${ts()} INFO starting ${container}`];
  }
}

export function periodicLine(b: Behaviour, container: string, probePath = '/healthz'): string {
  if (b.logLines.length) return pick(b.logLines).replace('{time}', ts());
  switch (b.flavour) {
    case 'postgres':
      return `${ts().replace('T', ' ').slice(0, 23)} UTC [${60 + Math.floor(Math.random() * 900)}] LOG:  checkpoint complete: wrote ${Math.floor(Math.random() * 90)} buffers (0.${Math.floor(Math.random() * 9)}%); 0 WAL file(s) added, 0 removed, 0 recycled`;
    case 'redis':
      return `1:M ${new Date().toUTCString().slice(5, 25)}.000 * 100 changes in 300 seconds. Saving...`;
    case 'worker':
      return `time="${ts()}" level=info msg="processed message" queue=orders id=${Math.floor(Math.random() * 1e6)} duration=${(Math.random() * 90).toFixed(1)}ms`;
    case 'batch':
      return `${ts()} processed ${Math.floor(Math.random() * 5000)} records`;
    case 'nginx':
      return `10.244.0.1 - - [${nginxTime()}] "GET ${probePath} HTTP/1.1" 200 ${probePath === '/' ? 615 : 2} "-" "kube-probe/1.32" "-"`;
    default:
      return `{"level":"info","ts":"${ts()}","msg":"heartbeat","service":"${container}","goroutines":${20 + Math.floor(Math.random() * 30)}}`;
  }
}

export function accessLine(f: Flavour, method: string, path: string, status: number, bytes: number, ua: string, ms: number): string {
  if (f === 'nginx') return `127.0.0.1 - - [${nginxTime()}] "${method} ${path} HTTP/1.1" ${status} ${bytes} "-" "${ua}" "-"`;
  return `{"level":"${status >= 500 ? 'error' : 'info'}","ts":"${ts()}","msg":"request served","method":"${method}","path":"${path}","status":${status},"bytes":${bytes},"duration_ms":${ms.toFixed(1)},"user_agent":"${ua.replace(/"/g, '')}"}`;
}

/** What a crashing app prints before dying. */
export function crashLines(f: Flavour, container: string, exitCode: number): string[] {
  if (f === 'jokes' || f === 'api' || f === 'generic') {
    return [
      `{"level":"error","ts":"${ts()}","msg":"failed to load joke corpus","error":"open /data/jokes.json: no such file or directory"}`,
      'panic: runtime error: invalid memory address or nil pointer dereference',
      '[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6b2f4e]',
      '',
      'goroutine 1 [running]:',
      `main.(*Server).loadCorpus(0xc000130000)`,
      `\t/src/cmd/${container}/server.go:88 +0x4e`,
      'main.main()',
      `\t/src/cmd/${container}/main.go:41 +0x1a5`,
      `exit status ${exitCode}`,
    ];
  }
  return [
    `Traceback (most recent call last):`,
    `  File "/app/main.py", line 42, in <module>`,
    `    run()`,
    `  File "/app/main.py", line 37, in run`,
    `    conn = connect(os.environ["DATABASE_URL"])`,
    `KeyError: 'DATABASE_URL'`,
  ];
}

export function oomLine(usedBytes: number, limitBytes: number): string {
  const mi = (b: number) => (b / 2 ** 20).toFixed(0);
  return `{"level":"warn","ts":"${ts()}","msg":"allocated cache chunk","chunk_mb":20,"heap_mb":${mi(usedBytes)},"limit_mb":${limitBytes ? mi(limitBytes) : 'unlimited'}}`;
}

export function jobLines(container: string): { progress: string; done: string } {
  return { progress: `${ts()} ${container}: processed batch ${Math.floor(Math.random() * 100)}`, done: `${ts()} ${container}: done, all records processed` };
}
