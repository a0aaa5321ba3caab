// The xen.hosts validator, the ssh argv builders, and the fetch script run by the real sh on files
// of a temporary folder, read back by the parser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, symlinkSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { validateHostEntry, validateHosts, fetchScript, fetchArgv, parseFetchOutput, sshStdinArgv, targetOf } from '../../server/src/apply';
import { runSh } from './helpers';

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'xnt-fetch-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('xen.hosts entries: good ones pass as they are', () => {
  for (const e of [
    { name: 'dom0', destination: 'dom0-alias', folder: 'hosts/dom0' },
    { name: 'dom0', destination: 'root@80.68.86.200', port: 2222, sudo: false, folder: '/srv/hosts/dom0' },
    { name: 'Xen host (old)', destination: 'admin.user@xen-1.example.org', sudo: true, folder: 'h' },
    { name: 'v6', destination: 'root@[2001:db8::1]', folder: 'h' },
    { name: 'v6b', destination: 'fe80::1%eth0', folder: 'h' },
  ]) {
    const r = validateHostEntry(e);
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.ok && r.host, e);
  }
});

test('xen.hosts entries: every mistake is told in plain words', () => {
  const errs = (v: unknown): string[] => {
    const r = validateHostEntry(v);
    assert.equal(r.ok, false, JSON.stringify(v));
    return r.ok ? [] : r.errors;
  };
  assert.deepEqual(errs('dom0'), ['each entry of xen.hosts must be an object such as { "name": "dom0", "destination": "root@dom0", "folder": "hosts/dom0" }']);
  assert.deepEqual(errs({}), [
    '"name" is missing: give the host a name to show in the editor',
    '"destination" is missing: give an ssh alias from ~/.ssh/config, a host name or user@host',
    '"folder" is missing: give the local folder that mirrors the host (its files under <folder>/etc/...)',
  ]);
  assert.deepEqual(errs({ name: 'a', destination: '-oProxyCommand=id', folder: 'f' }), [
    'host "a": "destination" must not start with "-" (ssh would read it as an option): "-oProxyCommand=id"',
  ]);
  assert.deepEqual(errs({ name: 'a', destination: 'root@host;id', folder: 'f' }), [
    'host "a": the host in "destination" may only hold letters, digits, ".", "-" and "_" (or be an IPv6 address): "host;id"',
  ]);
  assert.deepEqual(errs({ name: 'a', destination: '$(id)@h', folder: 'f' }), [
    'host "a": the user name before "@" in "destination" is not a valid login name: "$(id)"',
  ]);
  assert.deepEqual(errs({ name: 'a', destination: 'h', port: 70000, sudo: 'yes', folder: '', user: 'x' }), [
    'host "a": unknown key "user" (known: name, destination, port, sudo, folder, sshConfig, confirmSeconds, identityFile)',
    'host "a": "port" must be a whole number from 1 to 65535, not 70000',
    'host "a": "sudo" must be true or false, not "yes"',
    'host "a": "folder" is empty',
  ]);
  assert.deepEqual(errs({ name: 'a', destination: 'ssh://root@h:22', folder: 'f' }), [
    'host "a": "destination" is a plain user@host, not an ssh:// address; put the port in "port": "ssh://root@h:22"',
  ]);
  assert.deepEqual(errs({ name: 'a\nb', destination: 'h h', folder: 'f' }), [
    '"name" must not hold control characters such as line breaks',
    '"destination" must not hold spaces: "h h"',
  ]);
  const all = validateHosts([{ name: 'a', destination: 'h', folder: 'f' }, { name: 'a', destination: 'h2', folder: 'g' }, 3]);
  assert.equal(all.hosts.length, 1);
  assert.deepEqual(all.errors, [
    'xen.hosts entry 2: the name "a" is used by an earlier entry',
    'xen.hosts entry 3: each entry of xen.hosts must be an object such as { "name": "dom0", "destination": "root@dom0", "folder": "hosts/dom0" }',
  ]);
  assert.deepEqual(validateHosts({}).errors, ['xen.hosts must be a list of hosts: [ { "name": ..., "destination": ..., "folder": ... } ]']);
});

test('ssh argv: options before --, the destination after it, a short fixed bootstrap last (the script goes on standard input)', () => {
  const t = targetOf({ name: 'a', destination: 'root@dom0', port: 2222, folder: 'f' }, { configFile: '/x/config' });
  const argv = sshStdinArgv(t, { sudo: true });
  assert.ok(argv[0].startsWith('/'), `ssh by an absolute path: ${argv[0]}`);
  assert.deepEqual(argv.slice(1), ['-F', '/x/config', '-p', '2222', '-T', '--', 'root@dom0', 'sudo sh -s']);
  const f = fetchArgv({ destination: 'dom0', ssh: '/usr/bin/ssh' }, ['/etc/modules'], { sudo: true });
  assert.deepEqual(f, ['/usr/bin/ssh', '-T', '-o', 'BatchMode=yes', '--', 'dom0', 'sudo -n sh -s']);
});

test('fetch: contents of any bytes and names, missing files, patterns, folders, through the real sh', () => {
  const etc = join(tmp, 'etc');
  mkdirSync(join(etc, 'xen/auto'), { recursive: true });
  mkdirSync(join(etc, 'network'), { recursive: true });
  const bin = Buffer.from([0, 255, 10, 13, 10, 0x80]);
  const mark = join(tmp, `pwned-${randomBytes(3).toString('hex')}`);
  const weird = `$(touch ${mark.replaceAll('/', '_')})'\n"x.cfg`;
  writeFileSync(join(etc, 'network/interfaces'), 'auto lo\n');
  writeFileSync(join(etc, 'xen/a.cfg'), bin);
  writeFileSync(join(etc, 'xen/b.cfg'), 'no newline');
  writeFileSync(join(etc, 'xen', weird), `$(touch ${mark})`);
  writeFileSync(join(etc, 'xen/empty.cfg'), '');
  writeFileSync(join(etc, 'xen/big.cfg'), 'x'.repeat(100_000));
  mkdirSync(join(etc, 'xen/dir.cfg'));
  symlinkSync('a.cfg', join(etc, 'xen/link.cfg'));
  symlinkSync('gone', join(etc, 'xen/dangling.cfg'));
  writeFileSync(join(etc, 'xen/unreadable.cfg'), 'secret');
  chmodSync(join(etc, 'xen/unreadable.cfg'), 0);
  const res = runSh(fetchScript([join(etc, 'network/interfaces'), join(etc, 'modules'), join(etc, 'xen/*.cfg'), join(etc, 'xen/auto/*'), join(etc, 'xen/*')]));
  assert.equal(res.code, 0, res.stderr);
  assert.ok(!existsSync(mark));
  const files = parseFetchOutput(Buffer.from('Welcome to dom0!\nsome banner line\n' + res.stdout + 'trailing junk\n'));
  const by = new Map(files.filter((f) => !f.path.endsWith('/xen/*')).map((f) => [f.path.slice(etc.length), f]));
  assert.equal(by.get('/network/interfaces')?.content?.toString(), 'auto lo\n');
  assert.equal(by.get('/modules')?.state, 'missing');
  assert.ok(by.get('/xen/a.cfg')?.content?.equals(bin));
  assert.equal(by.get('/xen/b.cfg')?.content?.toString(), 'no newline');
  assert.equal(by.get(`/xen/${weird}`)?.content?.toString(), `$(touch ${mark})`);
  assert.equal(by.get('/xen/empty.cfg')?.content?.length, 0);
  assert.equal(by.get('/xen/empty.cfg')?.state, 'file');
  assert.equal(by.get('/xen/big.cfg')?.content?.length, 100_000);
  assert.equal(by.get('/xen/dir.cfg')?.state, 'not-a-file');
  assert.ok(by.get('/xen/link.cfg')?.content?.equals(bin), 'a link is read through');
  assert.equal(by.get('/xen/dangling.cfg')?.state, 'no-match', 'a dangling link matched by a pattern reads as nothing there');
  // root reads any file whatever its mode: the state says file here (as it would over ssh as root)
  assert.equal(by.get('/xen/unreadable.cfg')?.state, process.getuid?.() === 0 ? 'file' : 'unreadable');
  assert.equal(by.get('/xen/auto/*')?.state, 'no-match');
  assert.equal(files.filter((f) => f.path.endsWith('/xen/*')).length, 0, 'xen/* matched: each file listed by its own name');
  // a plain name is printed as it is (no process spent on it), any other name in base64
  assert.ok(res.stdout.includes(`==xen-fetch-path== ${join(etc, 'xen/b.cfg')} file\n`), 'a plain name as it is');
  assert.ok(
    !res.stdout.includes(weird) && res.stdout.includes(`==xen-fetch== ${Buffer.from(join(etc, 'xen', weird)).toString('base64')} file`),
    'a strange name in base64',
  );
});

test('fetch parser: never throws, marks a cut-off file incomplete and a failed read unreadable', () => {
  const b = (s: string): string => Buffer.from(s).toString('base64');
  const out = [
    `==xen-fetch== ${b('/etc/a')} file`,
    b('hello\n'),
    '==xen-fetch-end== 0',
    `==xen-fetch== ${b('/etc/b')} file`,
    b('partial'),
    '==xen-fetch-end== 1',
    `==xen-fetch== ${b('/etc/c')} weird-state`,
    '==xen-fetch-end== 0',
    `==xen-fetch== ${b('/etc/d')} file`,
    b('cut off'),
  ].join('\r\n');
  const files = parseFetchOutput(out);
  assert.deepEqual(
    files.map((f) => [f.path, f.state, f.content?.toString()]),
    [
      ['/etc/a', 'file', 'hello\n'],
      ['/etc/b', 'unreadable', undefined],
      ['/etc/c', 'unreadable', undefined],
      ['/etc/d', 'incomplete', undefined],
    ],
  );
  for (let i = 0; i < 200; i++) {
    const junk = randomBytes(200);
    if (i % 2) junk.write('==xen-fetch== ', i % 150);
    assert.doesNotThrow(() => parseFetchOutput(junk));
  }
  assert.deepEqual(parseFetchOutput(''), []);
});
