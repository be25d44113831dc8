/** A 5-field cron parser (minute hour day-of-month month day-of-week), with @-macros, in UTC. */

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export interface Cron { minute: Set<number>; hour: Set<number>; dom: Set<number>; month: Set<number>; dow: Set<number>; domStar: boolean; dowStar: boolean }

function field(s: string, min: number, max: number, names?: string[]): Set<number> {
  const out = new Set<number>();
  for (const part of s.split(',')) {
    const [range, stepS] = part.split('/') as [string, string | undefined];
    const step = stepS === undefined ? 1 : Number(stepS);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in "${s}"`);
    let lo: number;
    let hi: number;
    const val = (v: string): number => {
      const i = names?.indexOf(v.toUpperCase()) ?? -1;
      const n = i >= 0 ? i + (min === 1 ? 1 : 0) : Number(v);
      if (!Number.isInteger(n) || n < min || n > max + (names === DAYS ? 1 : 0)) throw new Error(`value "${v}" out of range`);
      return names === DAYS && n === 7 ? 0 : n;
    };
    if (range === '*' || range === '?') [lo, hi] = [min, max];
    else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      [lo, hi] = [val(a), val(b)];
    } else {
      lo = val(range);
      hi = stepS === undefined ? lo : max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export function parseCron(expr: string): Cron {
  let e = expr.trim();
  if (e.startsWith('TZ=') || e.startsWith('CRON_TZ=')) e = e.split(/\s+/).slice(1).join(' ');
  e = MACROS[e] ?? e;
  const f = e.split(/\s+/);
  if (f.length !== 5) throw new Error(`expected exactly 5 fields, found ${f.length}: "${expr}"`);
  return {
    minute: field(f[0]!, 0, 59), hour: field(f[1]!, 0, 23), dom: field(f[2]!, 1, 31),
    month: field(f[3]!, 1, 12, MONTHS), dow: field(f[4]!, 0, 6, DAYS),
    domStar: f[2] === '*' || f[2] === '?', dowStar: f[4] === '*' || f[4] === '?',
  };
}

/** The first scheduled time strictly after `after` (ms, UTC), or undefined within ~5 years. */
export function nextAfter(c: Cron, after: number): number | undefined {
  const d = new Date(Math.floor(after / 60_000) * 60_000 + 60_000);
  for (let i = 0; i < 5 * 366 * 24 * 60; ) {
    if (!c.month.has(d.getUTCMonth() + 1)) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
      d.setUTCHours(0, 0, 0, 0);
      i += 1440;
      continue;
    }
    const domOk = c.dom.has(d.getUTCDate());
    const dowOk = c.dow.has(d.getUTCDay());
    const dayOk = c.domStar || c.dowStar ? domOk && dowOk : domOk || dowOk;
    if (!dayOk) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
      i += 1440;
      continue;
    }
    if (!c.hour.has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
      i += 60;
      continue;
    }
    if (!c.minute.has(d.getUTCMinutes())) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
      i++;
      continue;
    }
    return d.getTime();
  }
  return undefined;
}
