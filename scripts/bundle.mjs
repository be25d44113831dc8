// Build step after tsc: bundles dist/src/cli.js into dist/bundle/ for the launcher (bin/kai-tui).
// Why: at start-up Node's ESM loader resolves, reads and compiles ~150 of our modules and
// yaml's ~80 files one by one; one file per lazily loaded part starts ~100–150 ms sooner
// (test/bench/reports/cockpit.md). Lazy `import()`s stay lazy (code splitting into chunks/).
// Tests import dist/src/** directly; the e2e tests run the launcher, so both are exercised.
import { rmSync, readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
// Bundled: pure-JS packages on the cockpit's start-up path. Everything else stays a normal
// import from node_modules: native addons (better-sqlite3, node-pty), blessed (its widgets are
// required by computed names, its terminfo fallback is found from __dirname), and the big
// packages loaded only on use (@kubernetes/client-node, openai, …).
const BUNDLED = new Set(['yaml', 'chokidar']);
const external = Object.keys(pkg.dependencies).filter((d) => !BUNDLED.has(d));

const outdir = new URL('dist/bundle/', root).pathname;
// Never a stale bundle: it is made anew from this build or not at all.
rmSync(outdir, { recursive: true, force: true });
let build;
try {
  ({ build } = await import('esbuild'));
} catch {
  // node_modules from before esbuild was a devDependency: bin/kai-tui then runs dist/src/cli.js.
  console.warn('scripts/bundle.mjs: esbuild is not installed (run npm ci); the launcher runs the unbundled CLI (slower start-up)');
  process.exit(0);
}
await build({
  absWorkingDir: new URL('.', root).pathname,
  entryPoints: ['dist/src/cli.js'],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  external,
  // CommonJS code inside the bundle (yaml) calls require() for Node's built-ins.
  banner: { js: "import { createRequire as __kaiRequire } from 'node:module'; const require = __kaiRequire(import.meta.url);" },
  logLevel: 'warning',
});
