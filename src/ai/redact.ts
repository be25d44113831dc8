/**
 * Nothing secret leaves the machine. Everything bound for a model passes through one
 * Redactor per session, which replaces secret values with stable placeholders
 * («secret-1», «secret-2», …: the same value always gets the same one, so the model can
 * still say "the same password") and counts what it withheld.
 *
 * Three nets, each catching what the others miss:
 *  1. structure: Secret data/stringData, env values of secret-looking names, and the
 *     last-applied-configuration annotation (parsed and redacted the same way);
 *  2. known values: every Secret value the session has seen (learn()), in plain text,
 *     base64, URL-encoded and hex, is replaced wherever it appears — logs, events, specs;
 *  3. patterns: bearer tokens, JWTs, private keys, passwords in connection strings and
 *     key=value pairs, well-known key formats (AWS, GitHub, OpenAI, Slack, Google).
 */

const SECRET_NAME = /(pass(word|wd|phrase)?|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential|auth|session[-_]?key|signing[-_]?key|client[-_]?secret|dsn|conn(ection)?[-_]?str(ing)?|database[-_]?url|cookie|salt)/i;

const PATTERNS: Array<[RegExp, (m: string, ...g: string[]) => string | undefined]> = [
  // -----BEGIN … PRIVATE KEY----- … -----END … PRIVATE KEY----- (also when \n are escaped)
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g, (m) => m],
  [/\bBearer\s+([A-Za-z0-9._~+/=-]{8,})/gi, (_m, v) => v],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, (m) => m],
  // scheme://user:password@host
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"']+:([^\s@/"']{1,200})@/gi, (_m, v) => v],
  // password=…, "token": "…", secret: …, api_key='…' (not secretName:, secretKeyRef:, tokenPath:…)
  [/\b([\w.-]*(?:pass(?:word|wd)?|secret|token|api[-_]?key|access[-_]?key|client[-_]?secret|credential)[\w.-]*)["']?[ \t]*[:=][ \t]*["']?([^\s"',;&}]{4,})/gi,
    (_m, key, v) => (/(name|ref|path|file|mode|type|policy|source|projection|count|seconds|ttl)$/i.test(key!) || /^(«secret-\d+»|true|false|null|\d+|<[^>]*>|\*+|\$\{?\w+\}?)$/i.test(v!) ? undefined : v)],
  [/\b(AKIA[0-9A-Z]{16})\b/g, (m) => m],
  [/\b(gh[pousr]_[A-Za-z0-9]{30,})\b/g, (m) => m],
  [/\b(sk-[A-Za-z0-9_-]{20,})\b/g, (m) => m],
  [/\b(xox[abprs]-[A-Za-z0-9-]{10,})\b/g, (m) => m],
  [/\b(AIza[0-9A-Za-z_-]{35})\b/g, (m) => m],
];

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export class Redactor {
  private readonly placeholders = new Map<string, string>();
  private readonly known = new Map<string, string>();
  private readonly used = new Set<string>();
  /** How many distinct values were actually withheld from what was sent. */
  get count(): number { return this.used.size; }

  constructor(readonly enabled = true) {}

  private placeholder(value: string): string {
    let p = this.placeholders.get(value);
    if (!p) { p = `«secret-${this.placeholders.size + 1}»`; this.placeholders.set(value, p); }
    return p;
  }

  /** Remembers a secret value so it is withheld wherever and however it appears later. */
  learn(value: string): void {
    if (!this.enabled || value.length < 4) return;
    const p = this.placeholder(value);
    for (const form of encodings(value)) if (form.length >= 4) this.known.set(form, p);
  }

  /** Learns every value of a Secret object (data is base64 on the wire). */
  learnSecret(obj: any): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const v of Object.values<string>(obj?.data ?? {})) {
      if (typeof v !== 'string') continue;
      this.learn(Buffer.from(v, 'base64').toString('utf8'));
      this.learn(v);
    }
    for (const v of Object.values<string>(obj?.stringData ?? {})) if (typeof v === 'string') this.learn(v);
  }

  /** Free text (logs, events, transcripts, YAML): known values first, then patterns. */
  text(s: string): string {
    if (!this.enabled || !s) return s;
    let out = s;
    if (this.known.size) {
      // Longest first, so a value's base64 form is not half-replaced by a shorter one.
      for (const [form, p] of [...this.known.entries()].sort((a, b) => b[0].length - a[0].length)) {
        if (out.includes(form)) { out = out.split(form).join(p); this.used.add(p); }
      }
    }
    for (const [re, pick] of PATTERNS) {
      out = out.replace(re, (m: string, ...g: unknown[]) => {
        const v = pick(m, ...(g.filter((x) => typeof x === 'string') as string[]));
        if (!v || v.startsWith('«secret-')) return m;
        this.learn(v);
        const p = this.placeholder(v);
        this.used.add(p);
        return m.replace(v, p);
      });
    }
    return out;
  }

  /** A Kubernetes object (or any JSON value), redacted by structure and then as text. */
  object<T>(obj: T): T {
    if (!this.enabled) return obj;
    return this.walk(structuredClone(obj), '', undefined) as T;
  }

  private walk(v: unknown, key: string, parent: Record<string, unknown> | undefined): unknown {
    if (typeof v === 'string') {
      if (key === LAST_APPLIED) return this.lastApplied(v);
      return this.text(v);
    }
    if (Array.isArray(v)) return v.map((x) => this.walk(x, key, parent));
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (o.kind === 'Secret') this.learnSecret(o);
    for (const [k, val] of Object.entries(o)) {
      if ((k === 'data' || k === 'stringData') && o.kind === 'Secret' && val && typeof val === 'object') {
        o[k] = Object.fromEntries(Object.keys(val).map((dk) => [dk, this.placeholderFor((val as Record<string, string>)[dk]!, k === 'data')]));
        continue;
      }
      // env: [{ name: DB_PASSWORD, value: … }] — the name says it is secret.
      if (k === 'value' && typeof val === 'string' && typeof o.name === 'string' && SECRET_NAME.test(o.name) && val) {
        this.learn(val);
        o[k] = this.use(val);
        continue;
      }
      // A ConfigMap key named like a secret (DB_PASSWORD: …) is withheld too.
      if (typeof val === 'string' && val && key === 'data' && SECRET_NAME.test(k)) {
        this.learn(val);
        o[k] = this.use(val);
        continue;
      }
      o[k] = this.walk(val, k, o);
    }
    return o;
  }

  private placeholderFor(v: string, base64: boolean): string {
    const plain = base64 ? Buffer.from(v, 'base64').toString('utf8') : v;
    this.learn(plain);
    if (base64) this.learn(v);
    return this.use(plain);
  }

  private use(value: string): string {
    const p = this.placeholder(value);
    this.used.add(p);
    return p;
  }

  private lastApplied(s: string): string {
    try {
      return JSON.stringify(this.walk(JSON.parse(s), '', undefined));
    } catch {
      return this.text(s);
    }
  }
}

/** The forms a value can take in cluster text: plain, base64 (and its padding-free form), URL-encoded, hex. */
function encodings(v: string): string[] {
  const b64 = Buffer.from(v, 'utf8').toString('base64');
  return [...new Set([v, b64, b64.replace(/=+$/, ''), Buffer.from(v, 'utf8').toString('base64url'), encodeURIComponent(v), Buffer.from(v, 'utf8').toString('hex'), JSON.stringify(v).slice(1, -1)])];
}
