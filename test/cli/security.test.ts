// Issue 12, the CLI: a repository checked in CI must not make xen-net-check print what its links
// point at (`etc/network/interfaces -> /proc/self/environ` put CI_DEPLOY_TOKEN=… in the log), nor
// walk out of the folder given, nor hang on a crafted line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../support/paths';

const bin = join(repoRoot, 'server', 'bin', 'xen-net-check');
const TOKEN = 'glpat-Zq9sEcReTtOkEnVaLuE0123456789';

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'xen-net-check-sec-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, CI_DEPLOY_TOKEN: TOKEN } });
  return { status: r.status, signal: r.signal, out: r.stdout + r.stderr, stdout: r.stdout };
}

function write(root: string, rel: string, text: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

test('`etc/network/interfaces -> /proc/self/environ`: not read, the token is not printed', () => {
  const root = join(tmp, 'environ');
  write(root, 'etc/modules', 'dummy\n');
  mkdirSync(join(root, 'etc', 'network'), { recursive: true });
  symlinkSync('/proc/self/environ', join(root, 'etc', 'network', 'interfaces'));
  // a secret beside the folder, linked from inside it as a domain file
  write(tmp, 'outside-secret.cfg', `password = "${TOKEN}"\n`);
  mkdirSync(join(root, 'etc', 'xen'), { recursive: true });
  symlinkSync(join(tmp, 'outside-secret.cfg'), join(root, 'etc', 'xen', 'leak.cfg'));
  // a link to / inside the folder is not walked into
  symlinkSync('/', join(root, 'etc', 'rootfs'));
  const r = run(['.'], root);
  assert.equal(r.signal, null);
  assert.ok(!r.out.includes(TOKEN), r.out);
  assert.ok(!r.out.includes('CI_DEPLOY_TOKEN'), r.out);
  assert.match(r.stdout, /^etc\/network\/interfaces:1:1: warning: not checked: .*\[cli\/not-followed\]$/m);
  assert.match(r.stdout, /^etc\/xen\/leak\.cfg:1:1: warning: not checked: .*\[cli\/not-followed\]$/m);
  assert.ok(!r.stdout.includes('rootfs'), 'the link to / was not walked');
  // named on the command line, the link is refused too
  const named = run(['etc/network/interfaces'], root);
  assert.ok(!named.out.includes(TOKEN), named.out);
  assert.match(named.stdout, /\[cli\/not-followed\]/);
});

test('a link inside the folder given is still checked', () => {
  const root = join(tmp, 'inside');
  write(root, 'shared/interfaces', 'auto lo\niface lo inet loopback\nauto eth9\n');
  mkdirSync(join(root, 'etc', 'network'), { recursive: true });
  symlinkSync('../../shared/interfaces', join(root, 'etc', 'network', 'interfaces'));
  const whole = run(['.'], root);
  assert.doesNotMatch(whole.stdout, /not-followed/);
  assert.match(whole.stdout, /^etc\/network\/interfaces:3:6: error: .*\[interfaces\/auto-without-iface\]$/m);
  // run on etc/ alone, the same link leads out of the folder given: not followed
  const r = run(['etc'], root);
  assert.match(r.stdout, /^etc\/network\/interfaces:1:1: warning: not checked: .*\[cli\/not-followed\]$/m);
});

test('a token pasted into a file is quoted at most 40 characters long in any message', () => {
  const root = join(tmp, 'pasted');
  const long = 'CI_DEPLOY_TOKEN=' + TOKEN + 'X'.repeat(300);
  write(root, 'etc/network/interfaces', `auto lo\niface lo inet loopback\n${long}\niface ${long} inet ${long}\n`);
  write(root, 'etc/xen/xend-config.sxp', `(${long} 1)\n(network-script '${long}')\n`);
  write(root, 'etc/xen/vm1.cfg', `name = '${long}'\n${long} = 1\nvif = [ 'ip=${long}' ]\n`);
  write(root, 'etc/modules', `${long}!\n`);
  const r = run(['--format', 'json', '.'], root);
  const findings = JSON.parse(r.stdout) as { message: string }[];
  assert.ok(findings.length >= 4, r.stdout);
  for (const f of findings) {
    for (const word of f.message.split(/\s/)) assert.ok(word.length <= 41, `${word.length}: ${f.message}`);
    assert.ok(!f.message.includes(long.slice(0, 60)), f.message);
  }
});
