// Import Host, Compare with Host and `xen-net-check --ssh` against the real sshd test host
// (test/support/ssh-host.ts): the folder holds exactly the host's files, a hostile host (its `sh`
// replaced by one that prints paths of its choosing) cannot write outside the folder, Compare tells
// a changed file and not an unchanged one, the CLI names the host's paths, and nothing on the host
// changes (its files' checksums and the scratch folder, before and after each run).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST_PATH_PATTERNS } from '../../server/src/host/paths';
import { HostIndex } from '../../server/src/host/index';
import { pathToUri } from '../../server/src/core/uri';
import { compareHost, importHost } from '../../server/src/features/remote';
import { startSshHost, whyNotSshHost, type SshHost } from '../support/ssh-host';
import { requirement } from '../support/requirements';
import { repoRoot } from '../support/paths';
import { snapshot } from './helpers';

const sshHost = requirement(whyNotSshHost(), 'SKIP_SSH');
const skip = sshHost.skip;

const INTERFACES = `auto lo
iface lo inet loopback

auto dummy0
iface dummy0 inet static
    address 80.68.86.193
    netmask 255.255.255.248
`;
const VM1 = "name = 'vm1'\nvif = [ 'ip=80.68.86.194' ]\n";
// an unclosed list: xend-config.sxp has an error the CLI reports at its line
const XEND_BROKEN = "(network-script network-route)\n(vif-script 'vif-route netdev=dummy0'\n";

let host: SshHost;
let tmp: string;
before(async () => {
  if (skip) return;
  sshHost.check();
  host = await startSshHost({
    '/etc/network/interfaces': INTERFACES,
    '/etc/network/interfaces.d/eth1': 'iface eth1 inet manual\n',
    '/etc/xen/vm1.cfg': VM1,
    '/etc/xen/xend-config.sxp': XEND_BROKEN,
    '/etc/modules': 'dummy\n',
  });
  // a link on the host, as xendomains keeps them: fetched as the file it names, written here as a plain file
  mkdirSync(host.local('/etc/xen/auto'), { recursive: true });
  symlinkSync('../vm1.cfg', host.local('/etc/xen/auto/vm1.cfg'));
  tmp = mkdtempSync(join(tmpdir(), 'xnt-import-'));
});
after(() => {
  host?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const entry = (folder: string) => ({ name: 'dom0', destination: host.alias, folder });
const sshConfigUri = () => pathToUri(host.configFile);

/** The host's files of the table, as the host itself sees them: path -> sha256 (read with sha256sum, not with the fetch). */
function hostSums(): Map<string, string> {
  const script = `for p in ${HOST_PATH_PATTERNS.join(' ')}; do for f in $p; do [ -f "$f" ] && [ -r "$f" ] && sha256sum "$f"; done; done; exit 0`;
  const r = host.exec(['sh', '-c', script]);
  assert.equal(r.status, 0, r.stderr);
  const out = new Map<string, string>();
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const [sum, ...rest] = line.split('  ');
    out.set(rest.join('  '), sum);
  }
  return out;
}

/** Every file below a local folder: host path (from its etc/ tree) -> sha256; fails on anything that is not a plain file or a folder. */
function localSums(folder: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string, rel: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      const st = lstatSync(p);
      assert.ok(st.isDirectory() || st.isFile(), `${p}: a plain file or folder, not a link or anything else`);
      if (st.isDirectory()) walk(p, `${rel}/${n}`);
      else out.set(`${rel}/${n}`, createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(folder, '');
  return out;
}

/** What the host holds (the scratch folder: its /etc/network, /etc overlay, backups, stand-ins) and its files' checksums. */
function hostState(): { scratch: Map<string, string>; sums: Map<string, string> } {
  const scratch = new Map<string, string>();
  for (const part of ['etc-network', 'etc-upper', 'backups', 'sys-module', 'sbin'])
    for (const [k, v] of snapshot(join(host.scratch, part))) scratch.set(`${part}/${k}`, v);
  return { scratch, sums: hostSums() };
}

const temporaries = () => readdirSync(tmpdir()).filter((n) => n.startsWith('xen-host-'));

test("Import Host: the new folder holds exactly the host's files (an etc/ tree of plain files), and the host is unchanged", { skip }, async () => {
  const before = hostState();
  const folder = join(tmp, 'imports', 'dom0');
  const r = await importHost({ host: entry(folder), sshConfigUri: sshConfigUri(), folderUri: pathToUri(folder) });
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.ok && r.folderUri, pathToUri(folder));
  // the same files, the same bytes, nothing else (the host's /etc below the overlay adds its sysctl files: the host has them too)
  assert.deepEqual(localSums(folder), before.sums);
  assert.ok(before.sums.has('/etc/xen/auto/vm1.cfg') && before.sums.has('/etc/network/interfaces.d/eth1'));
  assert.deepEqual(readdirSync(join(tmp, 'imports')), ['dom0'], 'no staging folder left beside it');
  assert.deepEqual(r.ok && [...r.files].sort(), [...before.sums.keys()].sort());
  assert.deepEqual(hostState(), before, 'nothing changed on the host');

  // a second import into the same folder is refused (it holds files now), and writes nothing
  const again = await importHost({ host: entry(folder), sshConfigUri: sshConfigUri(), folderUri: pathToUri(folder) });
  assert.equal(again.ok, false);
  assert.equal(!again.ok && again.reason, 'not-empty');
  assert.deepEqual(localSums(folder), before.sums);
});

test('Compare with Host: a changed, an added and a missing file are told; unchanged files are not; the temporary copy is removed', { skip }, async () => {
  const folder = join(tmp, 'cmp');
  const imported = await importHost({ host: entry(folder), sshConfigUri: sshConfigUri(), folderUri: pathToUri(folder) });
  assert.ok(imported.ok, JSON.stringify(imported));
  // here: interfaces edited, modules deleted, a domain file the host lacks
  writeFileSync(join(folder, 'etc', 'network', 'interfaces'), INTERFACES + '\nauto eth1\n');
  unlinkSync(join(folder, 'etc', 'modules'));
  writeFileSync(join(folder, 'etc', 'xen', 'vm9.cfg'), "name = 'vm9'\n");
  const temps = temporaries();
  const before = hostState();
  const r = await compareHost({ host: entry(folder), sshConfigUri: sshConfigUri(), folderUri: pathToUri(folder) }, new HostIndex());
  assert.ok(r.ok, JSON.stringify(r));
  if (!r.ok) return;
  assert.deepEqual(
    r.differences.map((d) => [d.path, d.state]),
    [
      ['/etc/modules', 'added'],
      ['/etc/network/interfaces', 'changed'],
      ['/etc/xen/vm9.cfg', 'missing'],
    ],
  );
  const changed = r.differences[1];
  assert.equal(changed.hostText, INTERFACES, "the host's copy as it is now");
  assert.equal(changed.localUri, pathToUri(join(folder, 'etc', 'network', 'interfaces')));
  assert.equal(r.differences[0].hostText, 'dummy\n');
  assert.equal(r.differences[2].hostText, undefined);
  assert.ok(r.same.includes('/etc/xen/vm1.cfg') && r.same.includes('/etc/xen/auto/vm1.cfg') && r.same.includes('/etc/xen/xend-config.sxp'));
  assert.ok(!r.differences.some((d) => d.path === '/etc/xen/vm1.cfg'), 'an unchanged file is not reported');
  assert.deepEqual(temporaries(), temps, 'the temporary copy is removed');
  assert.deepEqual(hostState(), before, 'nothing changed on the host');

  // the host changes: Compare tells it at once
  host.write('/etc/xen/vm1.cfg', VM1 + 'memory = 512\n');
  try {
    const r2 = await compareHost({ host: entry(folder), sshConfigUri: sshConfigUri(), folderUri: pathToUri(folder) }, new HostIndex());
    assert.ok(r2.ok && r2.differences.some((d) => d.path === '/etc/xen/vm1.cfg' && d.state === 'changed' && d.hostText === VM1 + 'memory = 512\n'));
  } finally {
    host.write('/etc/xen/vm1.cfg', VM1);
  }
});

test('a hostile host (its sh prints paths of its choosing) writes nothing outside the folder', { skip }, async () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const block = (path: string, body: string) => `==xen-fetch== ${b64(path)} file\n${b64(body)}\n==xen-fetch-end== 0\n`;
  const marker = join(tmp, 'pwned');
  const output = [
    block('/etc/network/interfaces', 'auto lo\n'),
    block(`/etc/xen/../../../..${marker}.cfg`, 'owned'),
    block('/etc/xen/auto/../../../../root/.ssh/authorized_keys', 'ssh-ed25519 AAAA'),
    block('/etc/cron.d/evil', '* * * * * root id'),
    block('/etc/xen/..\\..\\evil.cfg', 'owned'),
    block('/etc/network/interfaces', 'a second copy\n'),
  ].join('');
  // the stand-in is found before the real sh in the session's PATH (/usr/local/sbin)
  host.write('/usr/local/sbin/sh', `#!/bin/sh\ncat >/dev/null\nprintf '%s' '${output}'\n`);
  chmodSync(host.local('/usr/local/sbin/sh'), 0o755);
  try {
    const parent = join(tmp, 'hostile');
    mkdirSync(parent);
    const folder = join(parent, 'dom0');
    const r = await importHost({ host: entry(folder), sshConfigUri: sshConfigUri(), folderUri: pathToUri(folder) });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.ok && r.files, ['/etc/network/interfaces']);
    assert.equal(r.ok && r.skipped.length, 5);
    assert.deepEqual(readdirSync(parent), ['dom0']);
    assert.deepEqual([...localSums(folder).keys()], ['/etc/network/interfaces']);
    assert.equal(readFileSync(join(folder, 'etc', 'network', 'interfaces'), 'utf8'), 'auto lo\n', 'the first copy');
    assert.ok(!existsSync(marker + '.cfg') && !existsSync(join(tmp, 'evil.cfg')));
  } finally {
    unlinkSync(host.local('/usr/local/sbin/sh'));
  }
});

test('xen-net-check --ssh: the live host checked, its own paths named, the temporary folder removed, the host unchanged', { skip }, () => {
  const bin = join(repoRoot, 'server', 'bin', 'xen-net-check');
  const temps = temporaries();
  const before = hostState();
  const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8', timeout: 60_000 });
  const r = run(['--ssh', host.alias, '--ssh-config', host.configFile, '--identity', join(host.scratch, 'ssh', 'id'), '--port', '22']);
  assert.equal(r.status, 1, `an error is found: ${r.stdout}\n${r.stderr}`);
  const lines = r.stdout.split('\n').filter(Boolean);
  assert.ok(lines.length > 0);
  assert.ok(
    lines.some((l) => l.startsWith('/etc/xen/xend-config.sxp:2:')),
    r.stdout,
  );
  for (const l of lines) assert.match(l, /^\/etc\/[^:]+:\d+:\d+: (error|warning|info|hint): /, l);
  assert.ok(!(r.stdout + r.stderr).includes('xen-host-') && !(r.stdout + r.stderr).includes(tmpdir() + '/'), 'no temporary path shown');
  assert.match(r.stderr, /\d+ errors?, \d+ warnings? in \d+ files?/);
  // the same as JSON
  const j = run(['--ssh', host.alias, '--ssh-config', host.configFile, '--format', 'json']);
  const findings = JSON.parse(j.stdout) as { file: string }[];
  assert.ok(findings.length > 0 && findings.every((f) => f.file.startsWith('/etc/')));
  assert.deepEqual(temporaries(), temps, 'the temporary folder is removed');
  assert.deepEqual(hostState(), before, 'nothing changed on the host');

  // a host that cannot be reached: exit 2 and why; usage mistakes: exit 2
  const gone = run(['--ssh', 'nosuchhost.invalid', '--ssh-config', host.configFile]);
  assert.equal(gone.status, 2, gone.stderr);
  assert.match(gone.stderr, /could not read nosuchhost\.invalid's files over ssh/);
  assert.equal(run(['--ssh', host.alias, 'some/path']).status, 2);
  assert.equal(run(['--port', '22', '.']).status, 2);
  assert.equal(run(['--ssh', '-oProxyCommand=id']).status, 2);
  assert.equal(run(['--ssh', host.alias, '--port', '0']).status, 2);
});
