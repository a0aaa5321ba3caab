// What a run of xen-net-check loads: each format's service on its first use (formats/index.ts),
// so a 20-line interfaces file does not load the domain reader and chevrotain (a bundle of its own,
// dist/cli-chevrotain.js), nor the sxp reader. Counted, not timed: the CLI names the formats it
// loaded when XEN_NET_CHECK_COUNT_WORK=1. (The time is the bench's: docs/benchmarks.md "A cheaper start".)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/paths';

const bin = join(repoRoot, 'server', 'bin', 'xen-net-check');

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'xen-net-check-start-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function loaded(...paths: string[]): { formats: string[]; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...paths], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, XEN_NET_CHECK_COUNT_WORK: '1' } });
  const line = r.stderr.split('\n').find((l) => l.startsWith('formats loaded: '));
  assert.ok(line, `the CLI did not say which formats it loaded (status ${r.status}): ${r.stderr.slice(-400)}`);
  return { formats: line.slice('formats loaded: '.length).split(' ').sort(), stdout: r.stdout, stderr: r.stderr };
}

test('a 20-line interfaces file loads the interfaces format alone', () => {
  const f = join(tmp, 'small.interfaces');
  writeFileSync(
    f,
    'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet static\n    address 192.0.2.10\n    netmask 255.255.255.0\n    gateway 192.0.2.1\n',
  );
  const r = loaded(f);
  assert.deepEqual(r.formats, ['interfaces'], r.stderr);
  assert.match(r.stderr, /0 errors, 0 warnings in 1 file/);
});

test('a host loads every format it holds, and the domain reader finds chevrotain beside the bundle', () => {
  const root = join(tmp, 'host');
  mkdirSync(join(root, 'etc', 'network'), { recursive: true });
  mkdirSync(join(root, 'etc', 'xen'), { recursive: true });
  writeFileSync(join(root, 'etc', 'network', 'interfaces'), 'auto dummy0\niface dummy0 inet static\n    address 10.0.0.1\n    netmask 255.255.0.0\n');
  writeFileSync(join(root, 'etc', 'xen', 'xend-config.sxp'), "(network-script network-route)\n(vif-script 'vif-route netdev=dummy0')\n");
  writeFileSync(join(root, 'etc', 'modules'), 'dummy\n');
  // a syntax error that only the domain parser reports
  writeFileSync(join(root, 'etc', 'xen', 'vm1.cfg'), "name = 'vm1'\nmemory = 256\nvif = [ 'ip=10.0.0.2'\n");
  const r = loaded(root);
  assert.deepEqual(r.formats, ['domain', 'interfaces', 'modules', 'sxp'], r.stderr);
  assert.match(r.stdout, /etc\/xen\/vm1\.cfg:\d+:\d+: error: /, r.stdout);
});

test('the CLI bundle leaves chevrotain to a bundle of its own', () => {
  const cli = join(repoRoot, 'dist', 'cli.js');
  assert.ok(existsSync(join(repoRoot, 'dist', 'cli-chevrotain.js')), 'dist/cli-chevrotain.js is missing: run node scripts/build.mjs');
  const text = readFileSync(cli, 'utf8');
  assert.ok(text.includes('require("./cli-chevrotain.js")'), 'dist/cli.js does not require ./cli-chevrotain.js');
  assert.ok(!text.includes('class EmbeddedActionsParser') && !text.includes('function createToken('), 'chevrotain is inside dist/cli.js');
});

test('a file over 2 MiB is checked when named on the command line, and skipped (and said) when found by a walk', () => {
  const dir = join(tmp, 'big', 'etc', 'network');
  mkdirSync(dir, { recursive: true });
  const stanza = (i: number) => `auto eth${i}\niface eth${i} inet static\n    address 10.${(i >> 8) & 255}.${i & 255}.1\n    netmask 255.255.255.0\n\n`;
  const parts: string[] = [];
  for (let i = 0; i < 40_000; i++) parts.push(stanza(i));
  const file = join(dir, 'interfaces');
  writeFileSync(file, parts.join(''));
  assert.ok(readFileSync(file).length > 2 * 1024 * 1024);
  const named = spawnSync(process.execPath, [bin, file], { encoding: 'utf8', timeout: 120_000 });
  assert.match(named.stderr, / in 1 file\n/, named.stderr);
  assert.doesNotMatch(named.stdout, /cli\/not-followed/);
  const walked = spawnSync(process.execPath, [bin, join(tmp, 'big')], { encoding: 'utf8', timeout: 120_000 });
  assert.match(walked.stdout, /interfaces:1:1: warning: not checked: bigger than 2 MiB .*\[cli\/not-followed\]/, walked.stdout);
  assert.match(walked.stderr, / in 0 files\n/, walked.stderr);
});
