import test from 'ava';
import { nextAfter, parseCron } from '../../../src/sim/controllers/cron.js';

const at = (s: string) => Date.parse(s);
const next = (expr: string, after: string) => new Date(nextAfter(parseCron(expr), at(after))!).toISOString();

test('steps, ranges, lists and names', (t) => {
  t.is(next('*/5 * * * *', '2026-11-21T10:02:30Z'), '2026-11-21T10:05:00.000Z');
  t.is(next('*/5 * * * *', '2026-11-21T10:05:00Z'), '2026-11-21T10:10:00.000Z');
  t.is(next('0 2 * * *', '2026-11-21T10:00:00Z'), '2026-11-22T02:00:00.000Z');
  t.is(next('30 9 * * MON-FRI', '2026-11-21T10:00:00Z'), '2026-11-23T09:30:00.000Z'); // Saturday → Monday
  t.is(next('0 0 1 JAN,JUL *', '2026-11-21T10:00:00Z'), '2027-01-01T00:00:00.000Z');
  t.is(next('@hourly', '2026-11-21T10:00:00Z'), '2026-11-21T11:00:00.000Z');
  t.is(next('15,45 */6 * * *', '2026-11-21T06:20:00Z'), '2026-11-21T06:45:00.000Z');
});

test('day-of-month and day-of-week are OR-ed when both are restricted, as cron does', (t) => {
  // 2026-11-21 is a Saturday; the 1st of December is a Tuesday.
  t.is(next('0 0 1 * SUN', '2026-11-21T10:00:00Z'), '2026-11-22T00:00:00.000Z');
});

test('bad expressions are rejected with a reason', (t) => {
  t.throws(() => parseCron('* * * *'), { message: /exactly 5 fields/ });
  t.throws(() => parseCron('61 * * * *'), { message: /out of range/ });
  t.throws(() => parseCron('*/0 * * * *'), { message: /bad step/ });
});
