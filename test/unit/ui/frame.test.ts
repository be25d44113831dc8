import test from 'ava';
import { FrameScheduler } from '../../../src/ui/frame.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('many changes within a frame paint once', async (t) => {
  let paints = 0;
  const f = new FrameScheduler(() => paints++, 30);
  t.teardown(() => f.stop());
  for (let i = 0; i < 1000; i++) f.markDirty();
  await tick(80);
  t.is(paints, 1);
});

test('nothing dirty, nothing painted', async (t) => {
  let paints = 0;
  const f = new FrameScheduler(() => paints++, 10);
  t.teardown(() => f.stop());
  await tick(40);
  t.is(paints, 0);
});

test('a key paints without waiting for the interval, and coalesces with pending changes', async (t) => {
  let paints = 0;
  const f = new FrameScheduler(() => paints++, 60_000);
  t.teardown(() => f.stop());
  f.markDirty(); // first frame: last=0 so it is due now
  await tick(5);
  t.is(paints, 1);
  f.markDirty(); // now waits a whole minute…
  f.soon(); // …unless the user presses a key
  f.soon();
  await new Promise((r) => setImmediate(r));
  await tick(1);
  t.is(paints, 2);
});

test('stop cancels pending frames', async (t) => {
  let paints = 0;
  const f = new FrameScheduler(() => paints++, 5);
  f.markDirty();
  f.stop();
  await tick(20);
  t.is(paints, 0);
});
