/**
 * Keys that arrive in one read (a paste, a slow SSH link, automation) must not change meaning:
 * an Esc immediately followed by more text would otherwise be read by blessed as alt-<next
 * key>, losing the `:` of "Esc :cm -n shop" and running the rest as hotkeys. So an ESC that is
 * followed by two or more bytes that do not start an escape sequence (CSI `[`, SS3 `O`) is
 * delivered on its own, then the rest — as terminals and k9s do for typed-ahead input. A lone
 * "ESC x" (exactly two bytes) stays alt-x.
 *
 * Mouse reports get a read of their own too: blessed parses only the first report of a read
 * (a click's press and release arriving together lose the release, so no click), and its key
 * parser drops a whole read that contains a mouse report (typed keys next to it would vanish).
 */
import { PassThrough } from 'node:stream';

const ESC = 0x1b;

/** Length of the mouse report starting at `i` (SGR `ESC [ < b;x;y M|m` or X10 `ESC [ M bxy`), else 0. */
function mouseReportLength(chunk: Buffer, i: number): number {
  if (chunk[i + 1] !== 0x5b /* [ */) return 0;
  if (chunk[i + 2] === 0x4d /* M */) return i + 6 <= chunk.length ? 6 : 0;
  if (chunk[i + 2] !== 0x3c /* < */) return 0;
  for (let j = i + 3; j < chunk.length; j++) {
    const c = chunk[j]!;
    if (c === 0x4d || c === 0x6d) return j - i + 1; // M (press) or m (release)
    if (!((c >= 0x30 && c <= 0x39) || c === 0x3b)) return 0; // only digits and ';' inside
  }
  return 0;
}

/** One read → the reads blessed should see. */
export function splitEscapes(chunk: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < chunk.length; i++) {
    if (chunk[i] !== ESC) continue;
    const mouse = mouseReportLength(chunk, i);
    if (mouse > 0) {
      if (i > start) out.push(chunk.subarray(start, i));
      out.push(chunk.subarray(i, i + mouse));
      start = i + mouse;
      i = start - 1;
      continue;
    }
    const next = chunk[i + 1];
    const rest = chunk.length - i - 1;
    const startsSequence = next === 0x5b /* [ */ || next === 0x4f /* O */ || next === ESC;
    if (next === undefined || startsSequence || rest < 2) continue;
    if (i > start) out.push(chunk.subarray(start, i));
    out.push(chunk.subarray(i, i + 1));
    start = i + 1;
  }
  if (start < chunk.length) out.push(chunk.subarray(start));
  return out;
}

type TtyIn = NodeJS.ReadStream & { setRawMode?: (mode: boolean) => unknown; isRaw?: boolean };

/** A stand-in for the terminal's input that blessed reads, fed from it through splitEscapes. */
export function splitTerminalInput(src: TtyIn): NodeJS.ReadableStream {
  const out = new PassThrough();
  const proxy = out as unknown as TtyIn;
  Object.defineProperty(proxy, 'isTTY', { value: src.isTTY === true });
  Object.defineProperty(proxy, 'isRaw', { get: () => src.isRaw });
  proxy.setRawMode = (mode: boolean) => { src.setRawMode?.(mode); return proxy; };
  const resume = out.resume.bind(out);
  const pause = out.pause.bind(out);
  out.resume = () => { src.resume(); return resume(); };
  out.pause = () => { src.pause(); return pause(); };
  src.on('data', (d: Buffer | string) => {
    for (const part of splitEscapes(typeof d === 'string' ? Buffer.from(d) : d)) out.write(part);
  });
  src.on('end', () => out.end());
  return out;
}
