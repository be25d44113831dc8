/** $(( )) arithmetic: integers, + - * / % comparisons, parentheses, variables, i++ style updates omitted. */

export function evalArith(src: string, get: (name: string) => string | undefined, set: (name: string, v: number) => void): number {
  const toks = src.match(/\d+|[A-Za-z_][A-Za-z0-9_]*|==|!=|<=|>=|&&|\|\||[-+*/%()<>!=]/g) ?? [];
  let i = 0;
  const num = (name: string) => Math.trunc(Number(get(name) ?? 0)) || 0;
  const primary = (): number => {
    const t = toks[i++];
    if (t === undefined) throw new Error('arithmetic syntax error');
    if (t === '(') { const v = assign(); i++; return v; }
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (t === '!') return primary() ? 0 : 1;
    if (/^\d+$/.test(t)) return Number(t);
    if (/^[A-Za-z_]/.test(t)) return num(t);
    throw new Error(`arithmetic syntax error near "${t}"`);
  };
  const binary = (ops: string[], next: () => number) => (): number => {
    let v = next();
    while (i < toks.length && ops.includes(toks[i]!)) {
      const op = toks[i++]!;
      const r = next();
      switch (op) {
        case '*': v *= r; break;
        case '/': if (!r) throw new Error('divide by zero'); v = Math.trunc(v / r); break;
        case '%': if (!r) throw new Error('divide by zero'); v %= r; break;
        case '+': v += r; break;
        case '-': v -= r; break;
        case '<': v = +(v < r); break;
        case '>': v = +(v > r); break;
        case '<=': v = +(v <= r); break;
        case '>=': v = +(v >= r); break;
        case '==': v = +(v === r); break;
        case '!=': v = +(v !== r); break;
        case '&&': v = +(!!v && !!r); break;
        case '||': v = +(!!v || !!r); break;
      }
    }
    return v;
  };
  const mul = binary(['*', '/', '%'], primary);
  const add = binary(['+', '-'], mul);
  const cmp = binary(['<', '>', '<=', '>='], add);
  const eq = binary(['==', '!='], cmp);
  const and = binary(['&&'], eq);
  const or = binary(['||'], and);
  const assign = (): number => {
    if (/^[A-Za-z_]/.test(toks[i] ?? '') && toks[i + 1] === '=' ) {
      const name = toks[i]!;
      i += 2;
      const v = assign();
      set(name, v);
      return v;
    }
    return or();
  };
  const v = assign();
  if (i < toks.length) throw new Error(`arithmetic syntax error near "${toks[i]}"`);
  return v;
}
