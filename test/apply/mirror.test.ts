// Writing a host's fetched files into a local folder (apply/mirror.ts), without ssh: what a hostile
// host can send (paths that climb out, links, junk, duplicates, huge files) never lands outside the
// folder; an existing folder is written only when asked; a new folder appears whole. The same code
// runs behind Import Host and `xen-net-check --ssh` (test/apply/ssh-import.test.ts runs it over ssh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostPathProblem, localHostFiles, parseFetchOutput, sortFetched, writeMirror, type FetchedFile, type MirrorFile } from '../../server/src/apply';
import { snapshot } from './helpers';

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'xnt-mirror-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const file = (path: string, text: string): FetchedFile => ({ path, state: 'file', content: Buffer.from(text) });

/** Every path below dir (slash-separated, relative), with its kind. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      const r = rel ? `${rel}/${n}` : n;
      const st = lstatSync(p);
      out.push(`${st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : 'file'} ${r}`);
      if (st.isDirectory()) walk(p, r);
    }
  };
  walk(dir, '');
  return out;
}

test('host paths: only the table paths under /etc, with no climbing, control characters or backslashes', () => {
  for (const ok of ['/etc/network/interfaces', '/etc/network/interfaces.d/eth0', '/etc/xen/vm1.cfg', '/etc/xen/auto/vm1.cfg', '/etc/sysctl.d/99-xen.conf'])
    assert.equal(hostPathProblem(ok, 'linux'), undefined, ok);
  const bad: [string, string][] = [
    ['/etc/xen/../../root/.ssh/authorized_keys', 'not one of'],
    ['/etc/xen/../shadow', 'not one of'],
    ['/etc/network/interfaces.d/../../passwd', 'not one of'],
    ['etc/network/interfaces', 'not a path under /etc'],
    ['/etc//network/interfaces', 'not one of'],
    ['/etc/xen/./vm1.cfg', 'not one of'],
    ['/root/.bashrc', 'not a path under /etc'],
    ['/etc/xen/a\nb.cfg', 'control character'],
    ['/etc/xen/a\0b.cfg', 'control character'],
    ['/etc/xen/..\\..\\evil.cfg', 'backslash'],
    ['/etc/xen/.hidden.cfg', 'not one of'],
    ['/etc/passwd', 'not one of'],
    ['', 'not a path'],
  ];
  for (const [p, why] of bad) assert.match(hostPathProblem(p, 'linux') ?? 'accepted', new RegExp(why), JSON.stringify(p));
  assert.match(hostPathProblem('/etc/xen/c:evil.cfg', 'win32') ?? 'accepted', /cannot/);
  assert.match(hostPathProblem('/etc/xen/auto/vm1.', 'win32') ?? 'accepted', /dot or a space/);
  assert.equal(hostPathProblem('/etc/xen/c:evil.cfg', 'linux'), undefined);
});

test('sortFetched keeps whole plain files of the table, first copy only, and says why of every other one', () => {
  const big = Buffer.alloc(3 * 1024 * 1024, 0x61);
  const { files, skipped } = sortFetched([
    file('/etc/xen/vm2.cfg', 'b'),
    file('/etc/network/interfaces', 'auto lo\n'),
    file('/etc/network/interfaces', 'second copy\n'),
    file('/etc/xen/../../tmp/evil.cfg', 'x'),
    file('/etc/shadow', 'root:x'),
    { path: '/etc/xen/big.cfg', state: 'file', content: big },
    { path: '/etc/modules', state: 'missing' },
    { path: '/etc/xen/*.cfg', state: 'no-match' },
    { path: '/etc/xen/secret.cfg', state: 'unreadable' },
    { path: '/etc/xen/dir.cfg', state: 'not-a-file' },
    { path: '/etc/xen/cut.cfg', state: 'incomplete' },
    file('/etc/xen/a\x1b[2Jb.cfg', 'x'),
  ]);
  assert.deepEqual(
    files.map((f) => [f.path, f.content.toString()]),
    [
      ['/etc/network/interfaces', 'auto lo\n'],
      ['/etc/xen/vm2.cfg', 'b'],
    ],
  );
  assert.deepEqual(
    skipped.map((s) => s.path),
    [
      '/etc/network/interfaces',
      '/etc/xen/../../tmp/evil.cfg',
      '/etc/shadow',
      '/etc/xen/big.cfg',
      '/etc/xen/secret.cfg',
      '/etc/xen/dir.cfg',
      '/etc/xen/cut.cfg',
      '/etc/xen/a\\x1b[2Jb.cfg',
    ],
  );
  assert.match(skipped[0].why, /sent twice/);
  assert.match(skipped[3].why, /bigger than 2 MiB/);
  assert.match(skipped[4].why, /could not be read/);
  // a cap on the number of files
  const many = sortFetched(
    Array.from({ length: 5 }, (_, i) => file(`/etc/xen/vm${i}.cfg`, 'x')),
    { maxFiles: 3 },
  );
  assert.equal(many.files.length, 3);
  assert.equal(many.skipped.length, 2);
});

test('a hostile fetch output (markers made by hand) never writes outside the folder', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const out = [
    'Welcome to dom0',
    `==xen-fetch== ${b64('/etc/xen/../../../../../tmp/pwned.cfg')} file`,
    b64('owned'),
    '==xen-fetch-end== 0',
    `==xen-fetch== ${b64('/etc/network/interfaces')} file`,
    b64('auto lo\n'),
    '==xen-fetch-end== 0',
    `==xen-fetch== ${b64('/etc/xen/..')} file`,
    b64('x'),
    '==xen-fetch-end== 0',
    `==xen-fetch== ${b64('/etc/xen/auto/../../../root/.profile')} file`,
    b64('x'),
    '==xen-fetch-end== 0',
    // a path written as it is (the form the fetch script uses for plain names)
    '==xen-fetch-path== /etc/xen/../../../tmp/raw.cfg file',
    b64('x'),
    '==xen-fetch-end== 0',
  ].join('\n');
  const { files, skipped } = sortFetched(parseFetchOutput(out));
  assert.deepEqual(
    files.map((f) => f.path),
    ['/etc/network/interfaces'],
  );
  assert.equal(skipped.length, 4);
  const parent = join(tmp, 'hostile');
  mkdirSync(parent);
  // even handed straight to the writer (not sorted), such paths are refused
  const w = writeMirror(join(parent, 'dom0'), [...files, { path: '/etc/xen/../../../pwned.cfg', content: Buffer.from('x') }]);
  assert.ok(w.ok, JSON.stringify(w));
  assert.deepEqual(w.ok && w.written, ['/etc/network/interfaces']);
  assert.deepEqual(tree(parent), ['dir dom0', 'dir dom0/etc', 'dir dom0/etc/network', 'file dom0/etc/network/interfaces']);
  assert.ok(!existsSync(join(tmp, 'pwned.cfg')) && !existsSync('/tmp/pwned.cfg') && !existsSync('/tmp/raw.cfg'));
});

const FILES: MirrorFile[] = [
  { path: '/etc/network/interfaces', content: Buffer.from('auto lo\niface lo inet loopback\n') },
  { path: '/etc/xen/vm1.cfg', content: Buffer.from("name = 'vm1'\n") },
  { path: '/etc/xen/auto/vm1.cfg', content: Buffer.from("name = 'vm1'\n") },
  { path: '/etc/modules', content: Buffer.from('dummy\n') },
];

test('a new folder is made whole: the files as an etc/ tree, plain files only, nothing beside it', () => {
  const parent = join(tmp, 'new');
  const w = writeMirror(join(parent, 'a', 'dom0'), FILES);
  assert.ok(w.ok, JSON.stringify(w));
  assert.deepEqual(tree(parent), [
    'dir a',
    'dir a/dom0',
    'dir a/dom0/etc',
    'file a/dom0/etc/modules',
    'dir a/dom0/etc/network',
    'file a/dom0/etc/network/interfaces',
    'dir a/dom0/etc/xen',
    'dir a/dom0/etc/xen/auto',
    'file a/dom0/etc/xen/auto/vm1.cfg',
    'file a/dom0/etc/xen/vm1.cfg',
  ]);
  for (const f of FILES) assert.deepEqual(readFileSync(join(parent, 'a', 'dom0', ...f.path.split('/').filter(Boolean))), f.content);
  // what the folder holds is what the compare reads back
  assert.deepEqual([...localHostFiles(join(parent, 'a', 'dom0'), 'etc-tree').keys()].sort(), FILES.map((f) => f.path).sort());
});

test('an empty folder is filled; a folder that holds anything is refused unless asked, and then only its files change', () => {
  const empty = join(tmp, 'empty');
  mkdirSync(empty);
  assert.ok(writeMirror(empty, FILES).ok);
  assert.equal(readFileSync(join(empty, 'etc', 'modules'), 'utf8'), 'dummy\n');

  const full = join(tmp, 'full');
  mkdirSync(join(full, 'etc', 'network'), { recursive: true });
  writeFileSync(join(full, 'README'), 'mine\n');
  writeFileSync(join(full, 'etc', 'network', 'interfaces'), 'old\n');
  const before = snapshot(full);
  const refused = writeMirror(full, FILES);
  assert.equal(refused.ok, false);
  assert.equal(!refused.ok && refused.reason, 'not-empty');
  assert.deepEqual(snapshot(full), before, 'nothing written');

  const replaced = writeMirror(full, FILES, { replace: true });
  assert.ok(replaced.ok, JSON.stringify(replaced));
  assert.equal(readFileSync(join(full, 'README'), 'utf8'), 'mine\n', 'other files stay');
  assert.equal(readFileSync(join(full, 'etc', 'network', 'interfaces'), 'utf8'), 'auto lo\niface lo inet loopback\n');
  assert.ok(!readdirSync(join(full, 'etc', 'network')).some((n) => n.includes('xen-import')), 'no temporary file left');
});

test('replacing in a folder whose etc/xen is a link out of it: the link is not followed, the rest is written', () => {
  const outside = join(tmp, 'outside');
  mkdirSync(outside);
  const folder = join(tmp, 'linked');
  mkdirSync(join(folder, 'etc'), { recursive: true });
  symlinkSync(outside, join(folder, 'etc', 'xen'));
  // and a file that is a link to a file outside: replaced by a plain file, its target untouched
  mkdirSync(join(folder, 'etc', 'network'));
  writeFileSync(join(outside, 'target'), 'keep\n');
  symlinkSync(join(outside, 'target'), join(folder, 'etc', 'network', 'interfaces'));
  const w = writeMirror(folder, FILES, { replace: true });
  assert.ok(w.ok, JSON.stringify(w));
  assert.deepEqual(w.ok && w.written, ['/etc/network/interfaces', '/etc/modules']);
  assert.deepEqual(w.ok && w.skipped.map((s) => s.path), ['/etc/xen/vm1.cfg', '/etc/xen/auto/vm1.cfg']);
  assert.match((w.ok && w.skipped[0].why) || '', /symbolic link stands where its folder goes/);
  assert.deepEqual(readdirSync(outside), ['target'], 'nothing written through the link');
  assert.equal(readFileSync(join(outside, 'target'), 'utf8'), 'keep\n');
  assert.ok(lstatSync(join(folder, 'etc', 'network', 'interfaces')).isFile());
});

test("refused: /, a relative path, a file, a folder whose etc is this machine's /etc", () => {
  assert.equal(writeMirror('/', FILES, { replace: true }).ok, false);
  assert.equal(writeMirror('relative/dom0', FILES).ok, false);
  const f = join(tmp, 'a-file');
  writeFileSync(f, 'x');
  assert.equal(writeMirror(f, FILES).ok, false);
  const sys = join(tmp, 'sys');
  mkdirSync(sys);
  symlinkSync('/etc', join(sys, 'etc'));
  const r = writeMirror(sys, FILES, { replace: true });
  assert.equal(r.ok, false);
  assert.match((!r.ok && r.error) || '', /this machine's \/etc/);
});
