// Writes a bundle's V8 code cache (server/bin/code-cache.js reads it): marks the bundle with its id
// (a hash of its text), runs it once on a warm-up host in a child Node.js started with no option
// (V8 takes a cache only from the same version with the same flags), and writes what V8 compiled by
// the end of that run, the functions compiled lazily included.
// Usage: node scripts/code-cache.mjs dist/cli.js   (scripts/build.mjs runs it after each build)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const cache = require('../server/bin/code-cache.js');

/**
 * The warm-up: a 20-line /etc/network/interfaces, the commonest file a run meets alone (a pre-commit
 * hook, the bench's `small` row). Measured against a warm-up on a whole host (interfaces,
 * xend-config.sxp, /etc/modules, two guests): that cache is twice the size (480 KB against 250 KB),
 * and V8 reads all of it at start, which costs the 20-line run 5-8 ms more than it saves, while a
 * host's run is led by chevrotain's (docs/benchmarks.md "A cheaper start").
 */
function warmUpFile(dir) {
  // (the bench's 20-line file, test/fixtures/small.interfaces; copied into a scratch folder, where
  // no etc/ tree around it makes it part of a host)
  const file = join(dir, 'small.interfaces');
  writeFileSync(file, readFileSync(fileURLToPath(new URL('../test/fixtures/small.interfaces', import.meta.url))));
  return file;
}

/** The child's side: runs the bundle on args, and writes the cache once the run is over. */
function produce(bundle, args) {
  const source = readFileSync(bundle, 'utf8');
  const id = cache.bundleId(source);
  if (!id) throw new Error(`${bundle} has no id`);
  const { script, fn } = cache.compile(bundle, source, undefined);
  process.argv = [process.argv[0], bundle, ...args];
  // ('exit', not 'beforeExit': the CLI ends with process.exit once its output is written)
  process.on('exit', () => {
    writeFileSync(cache.cachePath(bundle), cache.encode(id, script.createCachedData()));
    process.exitCode = 0;
  });
  cache.run(bundle, fn);
}

/** Marks the bundle with its id, before its source map comment (the lines above do not move). */
function mark(bundle) {
  let text = readFileSync(bundle, 'utf8');
  const old = text.lastIndexOf('\n' + cache.ID_MARK);
  if (old >= 0) text = text.slice(0, old + 1) + text.slice(text.indexOf('\n', old + 1) + 1);
  const id = createHash('sha256').update(text).digest('hex');
  const map = text.lastIndexOf('\n//# sourceMappingURL=');
  const at = map >= 0 ? map + 1 : text.length;
  text = text.slice(0, at) + (at > 0 && text[at - 1] !== '\n' ? '\n' : '') + cache.ID_MARK + id + '\n' + text.slice(at);
  writeFileSync(bundle, text);
}

if (process.argv[2] === '--produce') {
  produce(resolve(process.argv[3]), process.argv.slice(4));
} else {
  const bundle = resolve(process.argv[2]);
  mark(bundle);
  const tmp = mkdtempSync(join(tmpdir(), 'xen-code-cache-'));
  try {
    const env = { ...process.env };
    delete env.NODE_OPTIONS; // (another flag, another cache)
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--produce', bundle, warmUpFile(tmp)], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (r.status !== 0 || !r.stderr.includes(' in 1 file\n')) throw new Error(`the warm-up run of ${bundle} failed (${r.status ?? r.signal}): ${r.stderr}`);
    // (the cache written is this build's: a run that ends without writing it leaves the last build's)
    const made = cache.decode(readFileSync(cache.cachePath(bundle)), cache.bundleId(readFileSync(bundle, 'utf8')));
    if (!made.data) throw new Error(`the warm-up run of ${bundle} wrote no code cache for this build: ${made.why}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
