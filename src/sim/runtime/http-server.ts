/**
 * A real loopback HTTP server per serving container port, so port-forward carries real bytes.
 * Answers believable HTML/JSON per kind of app and reports each request it served.
 */
import { createServer, type Server } from 'node:http';
import type { Flavour } from './behaviour.js';

const JOKES = [
  'Why do Kubernetes admins never get lost? They always follow the labels.',
  'I would tell you a UDP joke, but you might not get it.',
  'There are 10 kinds of people: those who understand binary and those who do not.',
  'My pod asked for a raise. I said: first, get past readiness.',
  'A SQL query walks into a bar, goes up to two tables and asks: may I join you?',
];

export interface Served { method: string; path: string; status: number; bytes: number; ua: string; ms: number }

export interface PodServer { port: number; close(): void }

function page(pod: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Acme Shop</title>
<style>body{font-family:sans-serif;margin:2em;background:#fafafa}h1{color:#2b6cb0}</style></head>
<body><h1>Acme Shop</h1><p>Fresh coffee beans, roasted weekly.</p>
<ul><li>Ethiopia Yirgacheffe — €14.90</li><li>Colombia Huila — €12.50</li><li>Sumatra Mandheling — €13.20</li></ul>
<footer>served by ${pod}</footer></body></html>
`;
}

const NGINX_404 = '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n';

function respond(flavour: Flavour, pod: string, path: string): { status: number; type: string; body: string } {
  // A stock nginx serves its page and nothing else: /healthz is a 404 there, as on a real cluster.
  if (flavour === 'nginx') return path === '/' || path === '/index.html' ? { status: 200, type: 'text/html', body: page(pod) } : { status: 404, type: 'text/html', body: NGINX_404 };
  if (path === '/healthz' || path === '/readyz' || path === '/livez') return { status: 200, type: 'text/plain', body: 'ok' };
  switch (flavour) {
    case 'jokes':
      // Fixed failures for demos and tests (docs/demo-cluster-streams.md); `/` fails now and then.
      if (path === '/fail') return { status: 500, type: 'application/json', body: JSON.stringify({ error: 'internal error: asked to fail' }) + '\n' };
      if (path === '/unavailable') return { status: 503, type: 'application/json', body: JSON.stringify({ error: 'service unavailable: joke corpus reloading' }) + '\n' };
      if (path !== '/slow' && Math.random() < 0.2) return { status: 500, type: 'application/json', body: JSON.stringify({ error: 'internal error: joke corpus unavailable' }) + '\n' };
      return { status: 200, type: 'application/json', body: JSON.stringify({ id: Math.floor(Math.random() * 1000), joke: JOKES[Math.floor(Math.random() * JOKES.length)] }) + '\n' };
    case 'api':
      if (path.startsWith('/api/products') || path === '/') {
        return { status: 200, type: 'application/json', body: JSON.stringify({ items: [{ id: 1, name: 'Ethiopia Yirgacheffe', price: 14.9 }, { id: 2, name: 'Colombia Huila', price: 12.5 }], servedBy: pod }) + '\n' };
      }
      return { status: 404, type: 'application/json', body: JSON.stringify({ error: 'not found', path }) + '\n' };
    default:
      return { status: 200, type: 'application/json', body: JSON.stringify({ status: 'ok', pod }) + '\n' };
  }
}

/** Starts listening on 127.0.0.1 with an OS-chosen port; resolves once bound. */
export function startPodServer(flavour: Flavour, pod: string, onServed: (s: Served) => void): Promise<PodServer> {
  const server: Server = createServer((req, res) => {
    const t0 = performance.now();
    const [path, query] = (req.url ?? '/').split('?') as [string, string | undefined];
    // The jokes server's /slow?ms=N answers after N ms (at most 10 s): a slow backend on demand.
    const delay = flavour === 'jokes' && path === '/slow' ? Math.min(10_000, Math.max(0, Number(new URLSearchParams(query ?? '').get('ms') ?? 1500) || 0)) : 0;
    if (delay) { setTimeout(() => answer(path, req, res, t0), delay); return; }
    answer(path, req, res, t0);
  });
  const answer = (path: string, req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, t0: number) => {
    if (res.destroyed) return;
    const r = respond(flavour, pod, path);
    const body = req.method === 'HEAD' ? '' : r.body;
    res.writeHead(r.status, { 'Content-Type': r.type, 'Content-Length': Buffer.byteLength(body), Server: flavour === 'nginx' ? 'nginx/1.27.3' : 'kai-sim' });
    res.end(body);
    onServed({ method: req.method ?? 'GET', path: req.url ?? '/', status: r.status, bytes: Buffer.byteLength(body), ua: String(req.headers['user-agent'] ?? '-'), ms: performance.now() - t0 });
  };
  server.keepAliveTimeout = 2_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      resolve({ port, close: () => { server.close(); server.closeAllConnections(); } });
    });
  });
}
