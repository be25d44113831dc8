/** Keys in one read keep their meaning: Esc + typed-ahead text is Esc, then the text; alt-x and escape sequences are untouched. */
import test from 'ava';
import { splitEscapes } from '../../../src/ui/input-split.js';

const parts = (s: string) => splitEscapes(Buffer.from(s)).map((b) => b.toString());

test('Esc followed at once by a command is Esc, then the command', (t) => {
  t.deepEqual(parts('\x1b:cm -n shop\r'), ['\x1b', ':cm -n shop\r']);
  t.deepEqual(parts('abc\x1b/web'), ['abc', '\x1b', '/web']);
});

test('alt-x (two bytes), arrows (CSI), F1 (SS3) and a lone Esc are left alone', (t) => {
  t.deepEqual(parts('\x1bx'), ['\x1bx']);
  t.deepEqual(parts('\x1b[A\x1b[B'), ['\x1b[A\x1b[B']);
  t.deepEqual(parts('\x1bOP'), ['\x1bOP']);
  t.deepEqual(parts('\x1b'), ['\x1b']);
  t.deepEqual(parts('plain text'), ['plain text']);
});

test('each mouse report is a read of its own (blessed parses only the first report of a read)', (t) => {
  const press = '\x1b[<0;12;7M';
  const release = '\x1b[<0;12;7m';
  t.deepEqual(parts(press + release), [press, release]);
  t.deepEqual(parts('\x1b[<65;3;4M\x1b[<65;3;4M\x1b[<65;3;4M'), ['\x1b[<65;3;4M', '\x1b[<65;3;4M', '\x1b[<65;3;4M']);
  // Keys next to a report survive (blessed's key parser drops a whole read that holds a report).
  t.deepEqual(parts('j' + press + 'k'), ['j', press, 'k']);
  // X10 reports: ESC [ M and three bytes.
  t.deepEqual(parts('\x1b[M !!\x1b[M#!!'), ['\x1b[M !!', '\x1b[M#!!']);
  // An unfinished report is left as it is.
  t.deepEqual(parts('\x1b[<0;12'), ['\x1b[<0;12']);
});
