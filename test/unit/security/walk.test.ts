// Issue 12, walks: what a host's files name on disk (`source`, `source-directory`, the disk
// listing of its etc/ tree) stays inside the host's real path, walks into no linked folder, and
// looks at a bounded number of entries. The reproductions of the issue, on hosts written to disk.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HostIndex, type OpenText } from '../../../server/src/host/index';
import { resolveSourced } from '../../../server/src/host/reader';
import { defaultSettings } from '../../../server/src/core/settings';

const made: string[] = [];
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A fresh folder holding `outside/SECRET.txt` (beside the host) and the host `h/` with the given files. */
function world(files: Record<string, string>): { top: string; root: string; etc: string; secret: string } {
  const top = mkdtempSync(join(tmpdir(), 'xen-walk-'));
  made.push(top);
  const root = join(top, 'h');
  const secret = join(top, 'SECRET.txt');
  // the secret is an interfaces file, so that it would show in the host model if it were read
  writeFileSync(secret, 'iface secret0 inet static\n  address 10.99.99.99/24\n');
  mkdirSync(join(root, 'etc', 'network', 'interfaces.d'), { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return { top, root, etc: join(root, 'etc'), secret };
}

/** Every file path the host check of the host's interfaces file read, relative to the world's top. */
function readByCheck(root: string, top: string): string[] {
  const checker = new HostIndex();
  const uri = pathToFileURL(join(root, 'etc', 'network', 'interfaces')).href;
  const check = checker.checkHostOf(uri, [] as OpenText[], defaultSettings);
  assert.ok(check, 'the host was checked');
  const topUri = pathToFileURL(top).href;
  return [...check.model.files.keys()].map((u) => u.slice(topUri.length + 1)).sort();
}

test('`source ../../../SECRET.txt`: a file outside the host is not read', () => {
  const w = world({
    'etc/network/interfaces':
      'auto lo\niface lo inet loopback\nsource ../../../SECRET.txt\nsource ../../SECRET.txt\nsource /SECRET.txt\nsource /etc/../../SECRET.txt\n',
  });
  const from = join(w.etc, 'network', 'interfaces');
  for (const p of ['../../../SECRET.txt', '../../SECRET.txt', '/SECRET.txt', '/etc/../../SECRET.txt', '../../*/../SECRET.txt', '../../../*.txt']) {
    assert.deepEqual(resolveSourced(w.etc, from, 'source', p), [], p);
  }
  assert.deepEqual(resolveSourced(w.etc, from, 'source-directory', '../../..'), []);
  assert.deepEqual(readByCheck(w.root, w.top), ['h/etc/network/interfaces']);
  // inside the host, `..` still works as ifupdown reads it
  writeFileSync(join(w.etc, 'network', 'extra'), 'iface eth1 inet manual\n');
  assert.deepEqual(resolveSourced(w.etc, from, 'source', '../network/extra'), [join(w.etc, 'network', 'extra')]);
});

test('`source ../../../../../../../../../*/*/*/*`: the walk never leaves the host (no /, no /proc)', () => {
  const w = world({ 'etc/network/interfaces': 'source ../../../../../../../../../*/*/*/*\n' });
  const from = join(w.etc, 'network', 'interfaces');
  const started = Date.now();
  assert.deepEqual(resolveSourced(w.etc, from, 'source', '../../../../../../../../../*/*/*/*'), []);
  assert.deepEqual(resolveSourced(w.etc, from, 'source-directory', '../../../../../../../../../proc/self'), []);
  assert.deepEqual(readByCheck(w.root, w.top), ['h/etc/network/interfaces']);
  assert.ok(Date.now() - started < 2000, 'a safety bound: the old walk of / never ended');
});

test('70 links to `.` in interfaces.d with `source interfaces.d/*/*/*/*`: no linked folder is walked into', () => {
  const w = world({
    'etc/network/interfaces': 'source interfaces.d/*/*/*/*\nsource interfaces.d/*\n',
    'etc/network/interfaces.d/eth1': 'iface eth1 inet manual\n',
  });
  const d = join(w.etc, 'network', 'interfaces.d');
  for (let i = 0; i < 70; i++) symlinkSync('.', join(d, `l${i}`));
  const from = join(w.etc, 'network', 'interfaces');
  assert.deepEqual(resolveSourced(w.etc, from, 'source', 'interfaces.d/*/*/*/*'), []);
  // links to `.` are folders, not files: only the real file is named
  assert.deepEqual(resolveSourced(w.etc, from, 'source', 'interfaces.d/*'), [join(d, 'eth1')]);
  assert.deepEqual(readByCheck(w.root, w.top), ['h/etc/network/interfaces', 'h/etc/network/interfaces.d/eth1']);
});

test('a link to a file outside the host is not named; a link inside it is', () => {
  const w = world({ 'etc/network/interfaces': 'source interfaces.d/*\nsource-directory interfaces.d\n', 'etc/network/eth2.conf': 'iface eth2 inet manual\n' });
  const d = join(w.etc, 'network', 'interfaces.d');
  symlinkSync(w.secret, join(d, 'leak'));
  symlinkSync('/proc/self/environ', join(d, 'environ'));
  symlinkSync('../eth2.conf', join(d, 'eth2'));
  const from = join(w.etc, 'network', 'interfaces');
  assert.deepEqual(resolveSourced(w.etc, from, 'source', 'interfaces.d/*'), [join(d, 'eth2')]);
  assert.deepEqual(resolveSourced(w.etc, from, 'source-directory', 'interfaces.d'), [join(d, 'eth2')]);
  assert.deepEqual(readByCheck(w.root, w.top), ['h/etc/network/interfaces', 'h/etc/network/interfaces.d/eth2']);
});

test("the disk listing reads no link that leaves the host's etc, nor an etc that is a link", () => {
  const w = world({ 'etc/xen/vm1.cfg': "name = 'vm1'\n" });
  symlinkSync(w.secret, join(w.etc, 'network', 'interfaces'));
  symlinkSync('/proc/self/environ', join(w.etc, 'modules'));
  symlinkSync(w.secret, join(w.etc, 'xen', 'vm2.cfg'));
  symlinkSync(w.secret, join(w.etc, 'sysctl.conf'));
  const checker = new HostIndex();
  const uri = pathToFileURL(join(w.etc, 'xen', 'vm1.cfg')).href;
  const check = checker.checkHostOf(uri, [] as OpenText[], defaultSettings);
  assert.deepEqual([...(check?.model.files.keys() ?? [])], [uri]);
  // a host whose etc/ is itself a link out of the host folder (`etc -> /etc` in a repository)
  const top2 = mkdtempSync(join(tmpdir(), 'xen-walk-'));
  made.push(top2);
  mkdirSync(join(top2, 'h'));
  symlinkSync(w.etc, join(top2, 'h', 'etc'));
  const check2 = new HostIndex().checkHostOf(pathToFileURL(join(top2, 'h', 'etc', 'xen', 'vm1.cfg')).href, [] as OpenText[], defaultSettings);
  assert.equal(check2?.model.files.size ?? 0, 0);
});

test('the entries looked at are capped: a wide tree of real folders stops at the cap', () => {
  const w = world({ 'etc/network/interfaces': 'source interfaces.d/*/*\n' });
  const d = join(w.etc, 'network', 'interfaces.d');
  for (let i = 0; i < 20; i++) {
    mkdirSync(join(d, `d${String(i).padStart(2, '0')}`));
    for (let j = 0; j < 20; j++) writeFileSync(join(d, `d${String(i).padStart(2, '0')}`, `f${j}`), '');
  }
  const from = join(w.etc, 'network', 'interfaces');
  assert.equal(resolveSourced(w.etc, from, 'source', 'interfaces.d/*/*').length, 400);
  // a cap of 100 entries: the 20 folders, then the 20 files of each of the first 4 folders
  assert.equal(resolveSourced(w.etc, from, 'source', 'interfaces.d/*/*', 100).length, 80);
  assert.equal(resolveSourced(w.etc, from, 'source', 'interfaces.d/*/*', 10).length, 0);
});
