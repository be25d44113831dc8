/**
 * The house rules as tests, over the source's import graph: no cycle through the composition
 * root (panes use src/ui/host.ts), the embedded cluster imports nothing from the rest of src/,
 * the AI cannot reach the code that executes plans.
 */
import test from 'ava';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(process.cwd(), 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Static and dynamic imports of relative modules, resolved to src/…ts paths. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g)) out.push(resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
  return out;
}

const ALL = files(ROOT);
const GRAPH = new Map(ALL.map((f) => [f, imports(f)]));
const rel = (f: string) => relative(ROOT, f);

test('no file in src/ui, src/kube, src/ops, src/ai or src/triage imports src/app.ts', (t) => {
  const app = join(ROOT, 'app.ts');
  const offenders = ALL.filter((f) => /^(ui|kube|ops|ai|triage)\//.test(rel(f)) && GRAPH.get(f)!.includes(app)).map(rel);
  t.deepEqual(offenders, []);
});

test('the import graph has no cycle through src/app.ts', (t) => {
  const app = join(ROOT, 'app.ts');
  const seen = new Set<string>();
  const stack = [...GRAPH.get(app)!];
  const back: string[] = [];
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const d of GRAPH.get(f) ?? []) {
      if (d === app) back.push(rel(f));
      else stack.push(d);
    }
  }
  t.deepEqual(back, [], 'these modules reached from app.ts import it back');
});

test('src/sim imports nothing from the rest of src/', (t) => {
  const out = ALL.filter((f) => rel(f).startsWith('sim/')).flatMap((f) => GRAPH.get(f)!.filter((d) => !rel(d).startsWith('sim/')).map((d) => `${rel(f)} → ${rel(d)}`));
  t.deepEqual(out, []);
});

test('src/ai cannot reach the code that executes plans (ops/execute, ops/journal)', (t) => {
  const forbidden = ['ops/execute.ts', 'ops/journal.ts'].map((f) => join(ROOT, f));
  const out = ALL.filter((f) => rel(f).startsWith('ai/')).flatMap((f) => GRAPH.get(f)!.filter((d) => forbidden.includes(d)).map((d) => `${rel(f)} → ${rel(d)}`));
  t.deepEqual(out, []);
});

test('panes get their streams from the host (kube/streams via PaneHost), never from the cluster source itself', (t) => {
  const cluster = join(ROOT, 'kube', 'cluster.ts');
  const offenders = ALL.filter((f) => /^ui\/panes\//.test(rel(f)) && GRAPH.get(f)!.includes(cluster)).map(rel);
  t.deepEqual(offenders, []);
  const reaching = ALL.filter((f) => /^ui\/panes\//.test(rel(f)) && /source as [^)]*\)\.transport/.test(readFileSync(f, 'utf8'))).map(rel);
  t.deepEqual(reaching, []);
});

test('the bundle sees every module: import() paths are literal, and files are found from packageRoot(), not import.meta.url', (t) => {
  // scripts/bundle.mjs bundles what it can see; a computed import() path would be left to resolve
  // next to the bundle at run time (and fail), a path relative to a module's file moves with it.
  // (Not a method named import: `store.import(…)`, `import(text: string, …) {`.)
  const computed = ALL.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/(?<![.\w])import\(\s*(?!['"`])([^)]+)\)/g)]
    .filter((m) => !m[1]!.includes(':'))
    .map((m) => `${rel(f)}: import(${m[1]})`));
  t.deepEqual(computed, []);
  const metaUrl = ALL.filter((f) => !['version.ts', 'ui/blessed-lite.ts'].includes(rel(f)) && /import\.meta\.url/.test(readFileSync(f, 'utf8'))).map(rel);
  t.deepEqual(metaUrl, []);
});
