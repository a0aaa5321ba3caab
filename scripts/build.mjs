// Bundles the client, the server, its command-line fronts and the tests with esbuild.
// Usage: [ONLY_TESTS=regex] node scripts/build.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { readdirSync, statSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

// dist/cli.js is written inside the wrapper server/bin/code-cache.js compiles it in (OPEN ... CLOSE).
const codeCache = createRequire(import.meta.url)('../server/bin/code-cache.js');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// chevrotain 13 calls Object.groupBy (ES2024); Node 20 and older VS Code hosts lack it.
const polyfills = ['server/src/core/polyfills.ts'];

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  inject: polyfills,
};

function findTests(dir) {
  const out = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name === 'fixtures' || name.startsWith('.')) continue;
      out.push(...findTests(p));
    } else if (/\.(test|bench|e2e)\.ts$/.test(name) || /^(bench|runner|index|restricted|first-view|package-view|stdio-client|on-host|onhost)\.ts$/.test(name)) {
      out.push(p);
    }
  }
  return out;
}

// The network diagram's webview script (client/src/webview/): bundled for the browser, with its
// graph layout library, and carried as text inside the client (`import s from 'webview:<path>'`),
// which hands it to the webview inline under a nonce: the webview loads nothing else.
const webviewText = {
  name: 'webview-text',
  setup(build) {
    build.onResolve({ filter: /^webview:/ }, (a) => ({ path: resolve(a.path.slice('webview:'.length)), namespace: 'webview-text' }));
    build.onLoad({ filter: /.*/, namespace: 'webview-text' }, async (a) => {
      const r = await esbuild.build({
        entryPoints: [a.path],
        bundle: true,
        platform: 'browser',
        format: 'iife',
        target: 'es2020',
        minify: production,
        write: false,
        metafile: true,
        logLevel: 'warning',
      });
      return { contents: r.outputFiles[0].text, loader: 'text', watchFiles: Object.keys(r.metafile.inputs).map((f) => resolve(f)) };
    });
  },
};

// In the CLI's bundle, `import ... from 'chevrotain'` becomes require('./cli-chevrotain.js'), run
// where the importing module is first run (the formats are loaded on first use: formats/index.ts).
const lazyChevrotain = {
  name: 'lazy-chevrotain',
  setup(build) {
    build.onResolve({ filter: /^chevrotain$/ }, () => ({ path: './cli-chevrotain.js', external: true }));
  },
};

const builds = [
  { ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'], plugins: [webviewText], loader: { '.css': 'text' } },
  { ...common, entryPoints: { server: 'server/src/main.ts' }, outdir: 'dist' },
  // xen-net-check (server/bin/xen-net-check): the same checks from the command line; not in the vsix.
  // Written inside the wrapper server/bin/code-cache.js compiles it in, with its V8 code cache (below).
  // chevrotain (a third of the code) is a bundle of its own, dist/cli-chevrotain.js, required by
  // the domain reader when it is first used: a run that reads no domain file neither reads nor
  // compiles it (docs/benchmarks.md "A cheaper start").
  {
    ...common,
    entryPoints: { cli: 'server/src/cli.ts' },
    outdir: 'dist',
    plugins: [lazyChevrotain],
    // (names kept, for the stack of an internal error: 505 KB of text became 371 KB, which V8 reads
    // into a string at every start)
    minifyWhitespace: true,
    minifySyntax: true,
    banner: { js: codeCache.OPEN },
    footer: { js: codeCache.CLOSE },
  },
  { ...common, entryPoints: { 'cli-chevrotain': 'chevrotain' }, outdir: 'dist' },
];
if (!production) {
  // ONLY_TESTS=<regex> builds just the matching tests (quicker while working on one part).
  const only = process.env.ONLY_TESTS ? new RegExp(process.env.ONLY_TESTS) : null;
  const tests = findTests('test').filter((t) => !only || only.test(t));
  if (tests.length) {
    builds.push({ ...common, entryPoints: tests, outdir: 'out/test', outbase: 'test', external: ['vscode', 'playwright-core', '@vscode/test-electron'] });
  }
}

if (production) rmSync('dist', { recursive: true, force: true });
if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  // The CLI's V8 code cache, dist/cli.js.cache (server/bin/code-cache.js): ~0.5 s, after a warm-up run.
  execFileSync(process.execPath, ['scripts/code-cache.mjs', 'dist/cli.js'], { stdio: 'inherit' });
}
