import zlib from 'node:zlib';
import test from 'ava';
import { SPDY3_DICTIONARY } from '../../../src/sim/stream/spdy/dictionary.js';
import { encodeData, encodeGoaway, encodePing, encodeRst, encodeSynReply, encodeSynStream, FrameParser, SpdyProtocolError, type Frame } from '../../../src/sim/stream/spdy/frames.js';
import { HeaderCodec, parseBlock, serializeBlock } from '../../../src/sim/stream/spdy/headers.js';
import { parseResize, exitStatus } from '../../../src/sim/stream/channels.js';

test('the SPDY/3 dictionary is the 1423 bytes of the spec', (t) => {
  t.is(SPDY3_DICTIONARY.length, 1423);
  t.is(SPDY3_DICTIONARY.subarray(0, 11).toString('latin1'), '\0\0\0\x07options');
  t.true(SPDY3_DICTIONARY.toString('latin1').endsWith(',enq=0.'));
});

test('frames survive being split at any byte', (t) => {
  const wire = Buffer.concat([
    encodeSynStream(1, Buffer.from('hdr')), encodeData(1, Buffer.from('hello'), false), encodeData(1, Buffer.alloc(0), true),
    encodePing(7), encodeRst(3, 5), encodeGoaway(3, 0), encodeSynReply(1, Buffer.from('x')),
  ]);
  for (const cut of [1, 3, 8, 9, 20, wire.length - 1]) {
    const p = new FrameParser();
    // A DATA frame's payload may come in pieces (FIN on the last): join them back.
    const frames: Frame[] = [];
    for (const f of [...p.push(wire.subarray(0, cut)), ...p.push(wire.subarray(cut))]) {
      const last = frames[frames.length - 1];
      if (f.kind === 'data' && last?.kind === 'data' && last.streamId === f.streamId && !(last.flags & 1) && f.data.length) {
        frames[frames.length - 1] = { ...last, flags: f.flags, data: Buffer.concat([last.data, f.data]) };
      } else frames.push(f);
    }
    t.deepEqual(frames.map((f) => f.kind), ['syn_stream', 'data', 'data', 'ping', 'rst_stream', 'goaway', 'syn_reply']);
    const d = frames[1] as { data: Buffer; streamId: number };
    t.is(d.data.toString(), 'hello');
    t.is(d.streamId, 1);
    t.is((frames[2] as { flags: number }).flags & 1, 1);
    t.is((frames[3] as { id: number }).id, 7);
  }
});

test('malformed frames are protocol errors, never crashes', (t) => {
  t.throws(() => new FrameParser().push(Buffer.from([0x80, 0x02, 0, 1, 0, 0, 0, 0])), { instanceOf: SpdyProtocolError });
  t.throws(() => new FrameParser().push(Buffer.from([0x80, 0x03, 0, 1, 0, 0, 0, 2, 0, 0])), { instanceOf: SpdyProtocolError, message: /SYN_STREAM frame too short/ });
  t.throws(() => new FrameParser().push(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0])), { message: /stream 0/ });
  t.throws(() => parseBlock(Buffer.from([0, 0, 0, 2, 0, 0, 0, 9, 1])), { instanceOf: SpdyProtocolError });
  // Unknown control frame types are ignored, as SPDY/3 requires.
  t.deepEqual(new FrameParser().push(Buffer.from([0x80, 0x03, 0, 0x42, 0, 0, 0, 0])), [{ kind: 'unknown', type: 0x42 }]);
});

test('header blocks: ours inflate with the dictionary; theirs decode in order', async (t) => {
  const ours = new HeaderCodec();
  const a = ours.encode({ streamtype: 'data', port: '8080' });
  const b = ours.encode({});
  const inflate = zlib.createInflate({ dictionary: SPDY3_DICTIONARY });
  const out: Buffer[] = [];
  inflate.on('data', (d: Buffer) => out.push(d));
  inflate.write(Buffer.concat([a, b]));
  await new Promise<void>((r) => inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => r()));
  const raw = Buffer.concat(out);
  t.deepEqual(parseBlock(raw), { streamtype: 'data', port: '8080' });

  // A peer's blocks: one deflate stream with the dictionary, sync-flushed per block.
  const deflate = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY });
  const chunks: Buffer[] = [];
  deflate.on('data', (d: Buffer) => chunks.push(d));
  const block = async (h: Record<string, string>) => {
    chunks.length = 0;
    deflate.write(serializeBlock(h));
    await new Promise<void>((r) => deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => r()));
    return Buffer.concat(chunks);
  };
  const theirs = new HeaderCodec();
  t.deepEqual(await theirs.decode(await block({ streamtype: 'error', port: '80', requestid: '0' })), { streamtype: 'error', port: '80', requestid: '0' });
  t.deepEqual(await theirs.decode(await block({ streamtype: 'data', port: '80', requestid: '0' })), { streamtype: 'data', port: '80', requestid: '0' });
  await t.throwsAsync(new HeaderCodec().decode(Buffer.from('garbage!')), { instanceOf: SpdyProtocolError });
});

test('resize messages from kubectl and client-node; exit statuses', (t) => {
  t.deepEqual(parseResize(Buffer.from('{"Width":120,"Height":40}')), { cols: 120, rows: 40 });
  t.deepEqual(parseResize(Buffer.from('{"height":24,"width":80}')), { cols: 80, rows: 24 });
  t.is(parseResize(Buffer.from('{nope')), undefined);
  t.deepEqual(exitStatus(0, ['ls']), { metadata: {}, status: 'Success' });
  t.is((exitStatus(3, ['sh']) as { details: { causes: Array<{ message: string }> } }).details.causes[0]!.message, '3');
});
