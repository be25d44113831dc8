/**
 * The port-forward's HTTP/1.x reader on byte streams as a proxy sees them: split at every
 * position, pipelined, chunked, keep-alive, bodies read until close, upgrades; protocol
 * detection (TLS ClientHello, HTTP/2 preface, server-first, garbage); redaction of secrets.
 */
import test from 'ava';
import { HttpConnectionParser, redactPath, sniffProtocol, type HttpRecord, type Protocol } from '../../../src/kube/http-meter.js';

function parser() {
  const records: HttpRecord[] = [];
  const protocols: Protocol[] = [];
  let id = 0;
  const p = new HttpConnectionParser({ connection: 1, onRecord: (r) => records.push(r), onProtocol: (x) => protocols.push(x), nextId: () => ++id });
  return { p, records, protocols };
}

const b = (s: string) => Buffer.from(s, 'latin1');

const GET = 'GET /a HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sekrit\r\nCookie: sid=1\r\n\r\n';
const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nSet-Cookie: sid=2\r\n\r\nhello';
const POST = 'POST /b?token=abc&q=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world';
const CHUNKED = 'HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nbusy\r\n0\r\nX-Trailer: t\r\n\r\n';

test('sniffing: HTTP/1.x, TLS ClientHello, HTTP/2 preface, other; undecided while a prefix', (t) => {
  t.is(sniffProtocol(b('GET / HTTP/1.1\r\n')), 'http1');
  t.is(sniffProtocol(b('OPTIONS * HTTP/1.0\r\n')), 'http1');
  t.is(sniffProtocol(b('GET /x HT')), undefined);
  t.is(sniffProtocol(b('GE')), undefined);
  t.is(sniffProtocol(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00])), 'tls');
  t.is(sniffProtocol(Buffer.from([0x16])), undefined);
  t.is(sniffProtocol(b('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')), 'http2');
  t.is(sniffProtocol(b('PRI * HT')), undefined);
  t.is(sniffProtocol(b('*3\r\n$3\r\nSET\r\n')), 'other'); // redis
  t.is(sniffProtocol(b('get / http/1.1\r\n')), 'other');
  t.is(sniffProtocol(b('GET / HTTP/2\r\n')), 'other');
  t.is(sniffProtocol(Buffer.from([0, 0, 0, 8, 4, 0xd2, 0x16, 0x2f])), 'other'); // postgres SSLRequest
});

test('keep-alive: two exchanges on one connection, headers bounded and secrets redacted', (t) => {
  const { p, records, protocols } = parser();
  p.client(b(GET));
  p.server(b(OK));
  p.client(b(POST));
  p.server(b(CHUNKED));
  t.deepEqual(protocols, ['http1']);
  t.is(records.length, 2);
  const [a, c] = records as [HttpRecord, HttpRecord];
  t.like(a, { id: 1, method: 'GET', path: '/a', status: 200, reason: 'OK', outcome: 'ok', bytesOut: GET.length, bytesIn: OK.length });
  t.deepEqual(a.requestHeaders, [['Host', 'x'], ['Authorization', '[redacted]'], ['Cookie', '[redacted]']]);
  t.deepEqual(a.responseHeaders, [['Content-Length', '5'], ['Set-Cookie', '[redacted]']]);
  t.true(a.ttfbMs! >= 0 && a.totalMs! >= a.ttfbMs!);
  t.like(c, { id: 2, method: 'POST', path: '/b?token=[redacted]&q=1', status: 503, bytesOut: POST.length, bytesIn: CHUNKED.length });
  t.is(p.pending.length, 0);
  t.is(p.stopped, undefined);
});

test('every split point of a pipelined stream gives the same records', (t) => {
  const req = GET + POST + 'HEAD /h HTTP/1.1\r\n\r\n';
  const res = OK + CHUNKED + 'HTTP/1.1 200 OK\r\nContent-Length: 999\r\n\r\n';
  const whole = parser();
  whole.p.client(b(req));
  whole.p.server(b(res));
  const want = whole.records.map(({ method, path, status, bytesIn, bytesOut, outcome }) => ({ method, path, status, bytesIn, bytesOut, outcome }));
  t.is(want.length, 3);
  t.like(want[2], { method: 'HEAD', status: 200, bytesIn: 'HTTP/1.1 200 OK\r\nContent-Length: 999\r\n\r\n'.length }); // a HEAD answer has no body
  for (let i = 1; i < req.length; i++) {
    for (const j of [1, 7, 40, 41, OK.length - 1]) {
      // Also every split of the stream the client sends, into two reads.
      const c = parser();
      c.p.client(b(req.slice(0, i)));
      c.p.client(b(req.slice(i)));
      c.p.server(b(res.slice(0, j + i)));
      c.p.server(b(res.slice(j + i)));
      const cg = c.records.map(({ method, path, status, bytesIn, bytesOut, outcome }) => ({ method, path, status, bytesIn, bytesOut, outcome }));
      if (JSON.stringify(cg) !== JSON.stringify(want)) { t.deepEqual(cg, want, `client split at ${i}, server at ${j + i}`); return; }
      const s = parser();
      // The first request whole, so an answer never precedes its request.
      const k = Math.max(i, GET.length);
      s.p.client(b(req.slice(0, k)));
      s.p.server(b(res.slice(0, Math.min(j, OK.length))));
      s.p.client(b(req.slice(k)));
      s.p.server(b(res.slice(Math.min(j, OK.length))));
      s.p.client(Buffer.alloc(0));
      const got = s.records.map(({ method, path, status, bytesIn, bytesOut, outcome }) => ({ method, path, status, bytesIn, bytesOut, outcome }));
      if (JSON.stringify(got) !== JSON.stringify(want)) { t.deepEqual(got, want, `split at ${i}/${j}`); return; }
    }
  }
  // One byte at a time, both directions.
  const s = parser();
  for (const ch of req) s.p.client(b(ch));
  for (const ch of res) s.p.server(b(ch));
  t.deepEqual(s.records.map(({ method, path, status, bytesIn, bytesOut, outcome }) => ({ method, path, status, bytesIn, bytesOut, outcome })), want);
});

test('chunked request body, 100 Continue, 204 and 304 without bodies', (t) => {
  const { p, records } = parser();
  const up = 'PUT /u HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n';
  p.client(b(up));
  p.server(b('HTTP/1.1 100 Continue\r\n\r\n'));
  t.is(records.length, 0, 'an interim answer does not finish the request');
  const body = '5\r\nhello\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n';
  p.client(b(body));
  p.server(b('HTTP/1.1 204 No Content\r\n\r\n'));
  p.client(b('GET /c HTTP/1.1\r\nIf-None-Match: "x"\r\n\r\n'));
  p.server(b('HTTP/1.1 304 Not Modified\r\nETag: "x"\r\n\r\n'));
  t.deepEqual(records.map((r) => [r.method, r.status, r.bytesOut]), [['PUT', 204, up.length + body.length], ['GET', 304, 39]]);
  t.is(records[0]!.bytesIn, 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n'.length);
});

test('a response without length lasts until close; a cut-off exchange is a reset or no answer', (t) => {
  const a = parser();
  a.p.client(b('GET /stream HTTP/1.0\r\n\r\n'));
  a.p.server(b('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nsome'));
  a.p.server(b(' more'));
  t.is(a.records.length, 0);
  t.false(a.p.midExchange, 'reading until close is not cut off by a close');
  a.p.end('closed');
  t.like(a.records[0], { status: 200, outcome: 'ok', bytesIn: 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nsome more'.length });

  const r = parser();
  r.p.client(b(GET));
  r.p.server(b('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial'));
  t.true(r.p.midExchange);
  r.p.end('reset');
  t.like(r.records[0], { status: 200, outcome: 'reset' });

  const n = parser();
  n.p.client(b(GET));
  n.p.end('closed');
  t.like(n.records[0], { method: 'GET', status: undefined, outcome: 'no-answer' });
});

test('not HTTP: TLS, HTTP/2, a server that speaks first — said once, nothing parsed', (t) => {
  const tls = parser();
  tls.p.client(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01]));
  tls.p.server(b('HTTP/1.1 200 OK\r\n\r\n'));
  t.deepEqual(tls.protocols, ['tls']);
  t.regex(tls.p.stopped!, /TLS/);
  t.is(tls.records.length, 0);

  const h2 = parser();
  h2.p.client(b('PRI * HTTP/2.0\r\n'));
  h2.p.client(b('\r\nSM\r\n\r\n'));
  t.deepEqual(h2.protocols, ['http2']);

  const mysql = parser();
  mysql.p.server(Buffer.from([0x4a, 0, 0, 0, 0x0a, 0x38]));
  mysql.p.client(b('GET / HTTP/1.1\r\n\r\n'));
  t.deepEqual(mysql.protocols, ['other']);
  t.regex(mysql.p.stopped!, /server spoke first/);
  t.is(mysql.records.length, 0);
});

test('an upgrade to WebSocket ends parsing after the 101; a refused upgrade stays HTTP', (t) => {
  const { p, records } = parser();
  p.client(b('GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'));
  p.server(b('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello'));
  p.client(Buffer.from([0x81, 0x85, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  t.deepEqual(records.map((r) => r.status), [101]);
  t.regex(p.stopped!, /upgraded to websocket/);

  const r = parser();
  r.p.client(b('GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'));
  r.p.server(b('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
  r.p.client(b(GET));
  r.p.server(b(OK));
  t.deepEqual(r.records.map((x) => x.status), [400, 200]);
});

test('malformed streams stop parsing with a reason instead of guessing', (t) => {
  const a = parser();
  a.p.client(b('GET / HTTP/1.1\r\nContent-Length: nope\r\n\r\n'));
  t.regex(a.p.stopped!, /malformed Content-Length/);
  const c = parser();
  c.p.client(b(GET));
  c.p.server(b('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'));
  t.regex(c.p.stopped!, /malformed chunk size/);
  const d = parser();
  d.p.client(b('GET / HTTP/1.1\r\n' + 'X-Big: '.padEnd(70_000, 'a')));
  t.regex(d.p.stopped!, /larger than 64 KiB/);
  const e = parser();
  e.p.client(b(GET));
  e.p.server(b(OK + OK));
  t.regex(e.p.stopped!, /answer to no request/);
});

test('redaction of query values with secret-looking names; long paths bounded', (t) => {
  t.is(redactPath('/x?api_key=1&page=2&access_token=3&X-Amz-Signature=4'), '/x?api_key=[redacted]&page=2&access_token=[redacted]&X-Amz-Signature=[redacted]');
  t.is(redactPath('/plain'), '/plain');
  t.true(redactPath('/' + 'a'.repeat(2000)).length <= 512);
});

test('bodies on demand: off by default; on, the first bytes of each body are kept (chunk framing removed), split anywhere', (t) => {
  const off = parser();
  off.p.client(b(POST));
  off.p.server(b(CHUNKED));
  t.is(off.records[0]!.requestBody, undefined);
  t.is(off.records[0]!.responseBody, undefined);

  const req = POST + GET;
  const res = CHUNKED + OK;
  for (let cut = 0; cut <= res.length; cut += 7) {
    const records: HttpRecord[] = [];
    let id = 0;
    const p = new HttpConnectionParser({ connection: 1, onRecord: (r) => records.push(r), nextId: () => ++id, bodyLimit: () => 8 });
    p.client(b(req));
    p.server(b(res.slice(0, cut)));
    p.server(b(res.slice(cut)));
    t.is(records.length, 2);
    const [post, get] = records as [HttpRecord, HttpRecord];
    t.is(post.requestBody!.data.toString(), 'hello wo');
    t.like(post.requestBody, { size: 11, truncated: true });
    t.is(post.responseBody!.data.toString(), 'busy');
    t.like(post.responseBody, { size: 4, truncated: false });
    t.is(get.requestBody, undefined, 'a GET has no body to keep');
    t.is(get.responseBody!.data.toString(), 'hello');
  }
});
