/** blessed key events → terminal bytes, and the one chord that leaves the shell pane. */
import test from 'ava';
import { isLeaveChord, keyBytes } from '../../../src/ui/terminal/keys.js';

test('printable characters, enter, backspace, tab, esc, space', (t) => {
  t.is(keyBytes('a', 'a'), 'a');
  t.is(keyBytes('S-a', 'A'), 'A');
  t.is(keyBytes('?', '?'), '?');
  t.is(keyBytes('-', '-'), '-');
  t.is(keyBytes('é', 'é'), 'é');
  t.is(keyBytes('enter', '\r'), '\r');
  t.is(keyBytes('backspace', '\x7f'), '\x7f');
  t.is(keyBytes('tab', '\t'), '\t');
  t.is(keyBytes('S-tab', undefined), '\x1b[Z');
  t.is(keyBytes('escape', '\x1b'), '\x1b');
  t.is(keyBytes('space', ' '), ' ');
});

test('ctrl-letters become control bytes; alt-x is ESC x', (t) => {
  t.is(keyBytes('C-c', '\x03'), '\x03');
  t.is(keyBytes('C-d', '\x04'), '\x04');
  t.is(keyBytes('C-a', undefined), '\x01');
  t.is(keyBytes('C-z', undefined), '\x1a');
  t.is(keyBytes('M-b', undefined), '\x1bb');
  t.is(keyBytes('M-S-b', undefined), '\x1bB');
  t.is(keyBytes('M-backspace', undefined), '\x1b\x7f');
});

test('arrows and navigation keys follow xterm, with application cursor mode and modifiers', (t) => {
  t.is(keyBytes('up', undefined), '\x1b[A');
  t.is(keyBytes('left', undefined), '\x1b[D');
  t.is(keyBytes('up', undefined, { applicationCursor: true }), '\x1bOA');
  t.is(keyBytes('C-right', undefined), '\x1b[1;5C');
  t.is(keyBytes('S-up', undefined), '\x1b[1;2A');
  t.is(keyBytes('home', undefined), '\x1b[H');
  t.is(keyBytes('end', undefined), '\x1b[F');
  t.is(keyBytes('pageup', undefined), '\x1b[5~');
  t.is(keyBytes('pagedown', undefined), '\x1b[6~');
  t.is(keyBytes('delete', undefined), '\x1b[3~');
  t.is(keyBytes('f1', undefined), '\x1bOP');
  t.is(keyBytes('f5', undefined), '\x1b[15~');
  t.is(keyBytes('f12', undefined), '\x1b[24~');
});

test('ctrl-] leaves; ctrl-c, esc and q do not', (t) => {
  t.true(isLeaveChord('\x1d', '\x1d'));
  t.false(isLeaveChord('C-c', '\x03'));
  t.false(isLeaveChord('escape', '\x1b'));
  t.false(isLeaveChord('q', 'q'));
});

test('keys with no terminal meaning give nothing', (t) => {
  t.is(keyBytes('undefined', undefined), undefined);
});
