// xen-net-check runs dist/cli.js with the V8 code cache the build writes beside it
// (server/bin/code-cache.js, scripts/code-cache.mjs). The cache is taken when it is whole and made
// for this build; a missing, damaged, foreign or V8-rejected cache gives the same output, status
// and summary, never a crash. XEN_NET_CHECK_SAY_CODE_CACHE=1 makes the bin say how the cache went.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { repoRoot } from '../support/paths';

const host = join(repoRoot, 'test', 'fixtures', 'mistakes-host');
let tmp: string;
let small: string;
/** A copy of the installed CLI (bin, dist), whose cache each test may spoil. */
let install: string;
let goodCache: Buffer;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'xen-net-check-code-cache-'));
  small = join(tmp, 'small.interfaces');
  writeFileSync(
    small,
    'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet static\n    address 192.0.2.10\n    netmask 255.255.255.0\n    frobnicate 1\n',
  );
  install = join(tmp, 'install');
  mkdirSync(join(install, 'server', 'bin'), { recursive: true });
  mkdirSync(join(install, 'dist'));
  for (const f of ['xen-net-check', 'code-cache.js']) copyFileSync(join(repoRoot, 'server', 'bin', f), join(install, 'server', 'bin', f));
  for (const f of ['cli.js', 'cli-chevrotain.js', 'cli.js.cache']) {
    try {
      copyFileSync(join(repoRoot, 'dist', f), join(install, 'dist', f));
    } catch (e) {
      throw new Error(`dist/${f} is missing: run node scripts/build.mjs (${String(e)})`);
    }
  }
  copyFileSync(join(repoRoot, 'package.json'), join(install, 'package.json'));
  goodCache = readFileSync(join(install, 'dist', 'cli.js.cache'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  cache: string;
}

function run(bin: string, args: string[], nodeOptions: string[] = []): Run {
  const r = spawnSync(process.execPath, [...nodeOptions, bin, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    cwd: repoRoot,
    env: { ...process.env, XEN_NET_CHECK_SAY_CODE_CACHE: '1', NODE_OPTIONS: '' },
  });
  const lines = r.stderr.split('\n');
  const at = lines.findIndex((l) => l.startsWith('code cache: '));
  const cache = at >= 0 ? lines.splice(at, 1)[0].slice('code cache: '.length) : '(not said)';
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: lines.join('\n'), cache };
}

const installedBin = () => join(install, 'server', 'bin', 'xen-net-check');
const setCache = (bytes: Buffer | undefined) => {
  const p = join(install, 'dist', 'cli.js.cache');
  rmSync(p, { force: true });
  if (bytes) writeFileSync(p, bytes);
};

/** The runs of the project's own bin with its cache, one per input: what every other run must print. */
const expected = new Map<string, Run>();
function reference(args: string[]): Run {
  const key = args.join('\0');
  let r = expected.get(key);
  if (!r) {
    r = run(join(repoRoot, 'server', 'bin', 'xen-net-check'), args);
    assert.equal(r.cache, 'used', `the project's own run did not use its code cache: ${r.stderr}`);
    expected.set(key, r);
  }
  return r;
}

function assertSameAs(args: string[], r: Run, what: string): void {
  const want = reference(args);
  assert.equal(r.signal, null, `${what}: the CLI was killed by ${r.signal}: ${r.stderr.slice(-300)}`);
  assert.equal(r.status, want.status, `${what}: exit status ${r.status}, not ${want.status}: ${r.stderr.slice(-300)}`);
  assert.equal(r.stdout, want.stdout, `${what}: other findings`);
  assert.equal(r.stderr, want.stderr, `${what}: another summary`);
}

test('the build writes a code cache for dist/cli.js, and the CLI runs with it', () => {
  for (const args of [[small], [host], ['--format', 'json', host]]) {
    const r = reference(args);
    assert.match(r.stderr, / in \d+ files?\n/, r.stderr);
  }
  assert.match(reference([small]).stdout, /small\.interfaces:\d+:\d+: /);
  assert.match(reference([host]).stdout, /vm1\.cfg:\d+:\d+: error: /);
  // the copy with the cache intact takes it too
  setCache(goodCache);
  const r = run(installedBin(), [small]);
  assert.equal(r.cache, 'used');
  assertSameAs([small], r, 'the copied install');
});

/** The cache's header: its magic, the bundle's id, the payload's length (server/bin/code-cache.js). */
const MAGIC = 'xen-code-cache-1';
const HEADER = MAGIC.length + 64 + 4;

test('a missing, damaged or foreign cache is not used, and the output is the same', () => {
  const n = goodCache.readUInt32LE(MAGIC.length + 64);
  assert.equal(goodCache.length, HEADER + 2 * n, 'the cache is not laid out as server/bin/code-cache.js writes it');
  const flipped = (at: number) => {
    const b = Buffer.from(goodCache);
    b[at] ^= 0x5a;
    return b;
  };
  const randomPayload = (() => {
    // a frame that passes every check of ours (magic, id, size, two equal copies) around bytes V8 did not write
    const junk = randomBytes(n);
    return Buffer.concat([goodCache.subarray(0, HEADER), junk, junk]);
  })();
  const cases: [string, Buffer | undefined, RegExp][] = [
    ['no cache file', undefined, /^not used: ENOENT$/],
    ['an empty file', Buffer.alloc(0), /^not used: not a code cache$/],
    ['random bytes', randomBytes(goodCache.length), /^not used: not a code cache$/],
    ['cut in half', goodCache.subarray(0, goodCache.length >> 1), /^not used: not of the size its header gives$/],
    ['one more byte', Buffer.concat([goodCache, Buffer.from([0])]), /^not used: not of the size its header gives$/],
    ['a length of zero', Buffer.concat([goodCache.subarray(0, HEADER - 4), Buffer.alloc(4)]), /^not used: not of the size its header gives$/],
    ['another build (its id differs)', flipped(MAGIC.length + 3), /^not used: (made for another build of the bundle|not a code cache)$/],
    ['a byte of the first copy damaged', flipped(HEADER + (n >> 1)), /^not used: damaged \(its two copies differ\)$/],
    ['a byte of the second copy damaged', flipped(HEADER + n + 17), /^not used: damaged \(its two copies differ\)$/],
    ['the first byte V8 reads damaged', flipped(HEADER), /^not used: damaged \(its two copies differ\)$/],
    ['random bytes in a whole frame', randomPayload, /^rejected by V8$/],
    ['33 MiB of zeros', Buffer.alloc(33 * 1024 * 1024), /^not used: larger than 32 MiB$/],
  ];
  for (const [what, bytes, outcome] of cases) {
    setCache(bytes);
    for (const args of [[small], [host]]) {
      const r = run(installedBin(), args);
      assert.match(r.cache, outcome, `${what}: ${r.cache}`);
      assertSameAs(args, r, what);
    }
  }
});

test('a cache V8 rejects (Node started with another V8 flag) gives the same output', () => {
  setCache(goodCache);
  for (const args of [[small], [host]]) {
    const r = run(installedBin(), args, ['--max-old-space-size=300']);
    assert.equal(r.cache, 'rejected by V8');
    assertSameAs(args, r, 'another V8 flag');
  }
});

test('a bundle without its id line is run without the cache', () => {
  setCache(goodCache);
  const cli = join(install, 'dist', 'cli.js');
  const text = readFileSync(cli, 'utf8');
  const mark = '\n//# xen-code-cache-id=';
  const at = text.lastIndexOf(mark);
  assert.ok(at > 0, 'dist/cli.js has no id line: run node scripts/build.mjs');
  // (an esbuild --watch rebuild writes the bundle without it)
  writeFileSync(cli, text.slice(0, at + 1) + text.slice(text.indexOf('\n', at + 1) + 1));
  try {
    const r = run(installedBin(), [small]);
    assert.equal(r.cache, 'not used: the bundle has no id');
    assertSameAs([small], r, 'no id');
  } finally {
    writeFileSync(cli, text);
  }
});

test('the CLI sets the V8 flags the bin compiles it under (a cache is taken only under the flags it was made with)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bin's CommonJS helper, as the bin loads it
  const { CLI_V8_FLAGS } = require(join(repoRoot, 'server', 'bin', 'code-cache.js')) as { CLI_V8_FLAGS: string };
  const cli = readFileSync(join(repoRoot, 'server', 'src', 'cli.ts'), 'utf8');
  assert.ok(cli.includes(`setFlagsFromString('${CLI_V8_FLAGS}')`), `server/src/cli.ts does not set ${CLI_V8_FLAGS}`);
});
