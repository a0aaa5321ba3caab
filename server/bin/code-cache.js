'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, run by Node.js as it is (not bundled) */
// Runs a bundle of dist/ (dist/cli.js) as require() would, compiled with the V8 code cache that the
// build writes beside it (dist/cli.js.cache, by scripts/code-cache.mjs after a warm-up run): V8 then
// neither parses the bundle nor compiles the functions the warm-up ran (docs/benchmarks.md "A cheaper
// start"). Without a usable cache the bundle is required as before, and runs the same.
//
// The bundle is written inside OPEN ... CLOSE (scripts/build.mjs): required as CommonJS, it runs its
// module function at once; compiled here as a script, it hands that function back. So V8 compiles
// the file's own text, not a copy of it inside Node's CommonJS wrapper (making that 0.5 MB copy
// cost 5-13 ms of a 20-line file's run, a scavenge included).
//
// The cache file: MAGIC, the bundle's id (ID_LENGTH hex digits, also written in the bundle's last
// lines as ID_MARK + id), the payload's length (4 bytes, little-endian), the payload, and the payload
// once more. V8 checks its own version, its flags and the source's length, but in a release build
// not the payload's checksum, and bytes it does not expect crash the process: so the cache is used
// only when it has the size its header gives, names the bundle's id (a cache of another build of the
// same length is not taken) and its two copies are equal (a damaged or partly written file is not
// taken). These guard against damage, not forgery: whoever can write the cache can write the bundle.
const { closeSync, fstatSync, openSync, readFileSync } = require('node:fs');
const { dirname } = require('node:path');
const Module = require('node:module');
const { Script } = require('node:vm');
const { setFlagsFromString } = require('node:v8');

const MAGIC = 'xen-code-cache-1';
const ID_MARK = '//# xen-code-cache-id=';
const ID_LENGTH = 64;
const HEADER = MAGIC.length + ID_LENGTH + 4;
/** A cache file larger than this is not read (a cache is under 1 MB). */
const MAX_CACHE = 32 * 1024 * 1024;
/** The bundle's first and last text (around the id and source map lines). */
const OPEN =
  '(this === globalThis ? (f) => f : (f) => f.call(exports, exports, require, module, __filename, __dirname))(function (exports, require, module, __filename, __dirname) {';
const CLOSE = '});';
/**
 * The V8 flags the CLI runs with (server/src/cli.ts sets the same, for a run without this file): set
 * before the bundle is compiled, here and when the cache is made, since V8 takes a cache only under
 * the flags it was made with, and the cache is made at the end of a run, under these.
 */
const CLI_V8_FLAGS = '--max-inlined-bytecode-size-cumulative=100';

/** The cache file of a bundle. */
function cachePath(bundle) {
  return bundle + '.cache';
}

/** The id written in the bundle's last lines, or undefined. */
function bundleId(source) {
  const tail = source.slice(-400);
  const at = tail.lastIndexOf(ID_MARK);
  if (at < 0) return undefined;
  const id = tail.slice(at + ID_MARK.length, at + ID_MARK.length + ID_LENGTH);
  return /^[0-9a-f]{64}$/.test(id) ? id : undefined;
}

/** The cache file's bytes for a bundle of this id and V8's cached data. */
function encode(id, data) {
  const head = Buffer.alloc(HEADER);
  head.write(MAGIC, 0, 'latin1');
  head.write(id, MAGIC.length, 'latin1');
  head.writeUInt32LE(data.length, MAGIC.length + ID_LENGTH);
  return Buffer.concat([head, data, data]);
}

/** V8's cached data from a cache file's bytes, or why they are not taken. */
function decode(bytes, id) {
  if (bytes.length < HEADER || bytes.latin1Slice(0, MAGIC.length) !== MAGIC) return { why: 'not a code cache' };
  if (bytes.latin1Slice(MAGIC.length, MAGIC.length + ID_LENGTH) !== id) return { why: 'made for another build of the bundle' };
  const n = bytes.readUInt32LE(MAGIC.length + ID_LENGTH);
  if (n === 0 || bytes.length !== HEADER + 2 * n) return { why: 'not of the size its header gives' };
  const data = bytes.subarray(HEADER, HEADER + n);
  if (!data.equals(bytes.subarray(HEADER + n))) return { why: 'damaged (its two copies differ)' };
  return { data };
}

/** How the last runBundle went: 'used', 'rejected by V8', or 'not used: why'. */
const state = { outcome: '' };

/** The bundle (written inside OPEN ... CLOSE) compiled, as a function of CommonJS's five parameters. */
function compile(bundle, source, cachedData) {
  if (!source.startsWith(OPEN)) throw new Error('the bundle is not written inside OPEN ... CLOSE');
  setFlagsFromString(CLI_V8_FLAGS);
  const script = new Script(source, { filename: bundle, cachedData });
  const fn = script.runInThisContext();
  if (typeof fn !== 'function') throw new Error('the bundle did not hand back its module function');
  return { script, fn };
}

/** Runs the compiled bundle with a module of its own, as require() does. */
function run(bundle, fn) {
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  const req = Module.createRequire(bundle);
  req.cache[bundle] = mod; // (a later require of the bundle gets this module, not a second run)
  fn.call(mod.exports, mod.exports, req, mod, bundle, dirname(bundle));
  mod.loaded = true;
  return mod.exports;
}

/**
 * Runs the bundle at path bundle (absolute) with its code cache when there is a usable one, else
 * compiled from its text alone; as require(bundle) when it is not wrapped for this (an esbuild
 * --watch build is) or with --enable-source-maps (require() maps the stack traces).
 */
function runBundle(bundle) {
  let source;
  try {
    if (process.sourceMapsEnabled) throw new Error('source maps are enabled');
    source = readFileSync(bundle, 'utf8');
    if (!source.startsWith(OPEN)) throw new Error('the bundle is not wrapped for it');
  } catch (e) {
    state.outcome = `not used: ${why(e)}`;
    return require(bundle);
  }
  let data;
  try {
    const id = bundleId(source);
    if (!id) throw new Error('the bundle has no id');
    const d = decode(readCache(cachePath(bundle)), id);
    if (!d.data) throw new Error(d.why);
    data = d.data;
  } catch (e) {
    state.outcome = `not used: ${why(e)}`;
  }
  const { script, fn } = compile(bundle, source, data);
  if (data) state.outcome = script.cachedDataRejected ? 'rejected by V8' : 'used';
  return run(bundle, fn);
}

/** The cache file's bytes, unless it is larger than MAX_CACHE. */
function readCache(path) {
  const fd = openSync(path, 'r');
  try {
    if (fstatSync(fd).size > MAX_CACHE) throw new Error(`larger than ${MAX_CACHE / 1024 / 1024} MiB`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

function why(e) {
  return e && e.code ? e.code : e instanceof Error ? e.message : String(e);
}

module.exports = { CLI_V8_FLAGS, MAGIC, ID_MARK, OPEN, CLOSE, ID_LENGTH, cachePath, bundleId, encode, decode, compile, run, runBundle, state };
