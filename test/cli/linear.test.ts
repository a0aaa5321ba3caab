// xen-net-check checks each host once: the work of the host checks grows linearly with the files
// of a host. Counted, not timed: the CLI prints how many host-check passes ran and how many files
// they looked at when XEN_NET_CHECK_COUNT_WORK=1 (the counter the host checker keeps for tests).
// Before, the CLI checked the host again for each of its files: passes = files, files looked at =
// files², ×4 for twice the guests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/paths';

const bin = join(repoRoot, 'server', 'bin', 'xen-net-check');

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'xen-net-check-linear-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A routed host of `guests` guests in 10.0.0.0/16 (guest i at 10.0.x.y), under tmp/name. */
function host(name: string, guests: number, duplicateIp = false): string {
  const root = join(tmp, name);
  mkdirSync(join(root, 'etc', 'network'), { recursive: true });
  mkdirSync(join(root, 'etc', 'xen'), { recursive: true });
  writeFileSync(
    join(root, 'etc', 'network', 'interfaces'),
    'auto lo\niface lo inet loopback\n\nauto dummy0\niface dummy0 inet static\n    address 10.0.0.1\n    netmask 255.255.0.0\n',
  );
  writeFileSync(join(root, 'etc', 'xen', 'xend-config.sxp'), "(network-script network-route)\n(vif-script 'vif-route netdev=dummy0')\n");
  writeFileSync(join(root, 'etc', 'modules'), 'dummy\n');
  for (let i = 0; i < guests; i++) {
    const n = i + 2;
    // (with duplicateIp, the last guest takes the first guest's address: a host diagnostic)
    const ip = duplicateIp && i === guests - 1 ? '10.0.0.2' : `10.0.${n >> 8}.${n & 255}`;
    writeFileSync(join(root, 'etc', 'xen', `vm${i + 1}.cfg`), `name = "vm${i + 1}"\nmemory = 256\nvif = [ 'ip=${ip}' ]\n`);
  }
  return root;
}

interface Work {
  passes: number;
  files: number;
  status: number | null;
  stdout: string;
}

function work(folder: string): Work {
  const r = spawnSync(process.execPath, [bin, folder], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, XEN_NET_CHECK_COUNT_WORK: '1' } });
  const line = r.stderr.split('\n').find((l) => l.startsWith('host checks: '));
  assert.ok(line, `the CLI printed no host-check count (status ${r.status}): ${r.stderr.slice(-400)}`);
  const words = line.split(' ');
  return { passes: Number(words[2]), files: Number(words[5]), status: r.status, stdout: r.stdout };
}

test('doubling the guests of one host at most doubles the host-check work', () => {
  const small = work(host('g100', 100));
  const large = work(host('g200', 200));
  // one pass per host, whatever its size
  assert.equal(small.passes, 1, `100 guests: ${small.passes} host-check passes`);
  assert.equal(large.passes, 1, `200 guests: ${large.passes} host-check passes`);
  // every file of the host (103, then 203) looked at once
  assert.ok(small.files >= 103, `100 guests: only ${small.files} files looked at`);
  assert.ok(large.files <= 2 * small.files, `200 guests: ${large.files} files looked at, more than twice the ${small.files} of 100 guests`);
});

test('two hosts: one pass each, and the host diagnostics still reach every file they concern', () => {
  const root = join(tmp, 'two');
  mkdirSync(root);
  host(join('two', 'a'), 20, true);
  host(join('two', 'b'), 40, true);
  const w = work(root);
  assert.equal(w.passes, 2, `${w.passes} host-check passes for two hosts`);
  assert.ok(w.files <= 2 * (23 + 43), `${w.files} files looked at for 66 files`);
  // the duplicate address is reported on both guests that share it, in each host
  for (const [h, last] of [
    ['a', 20],
    ['b', 40],
  ] as const) {
    for (const vm of ['vm1', `vm${last}`]) {
      const hit = w.stdout.split('\n').some((l) => l.includes(`/two/${h}/etc/xen/${vm}.cfg:`) && l.includes('[host/duplicate-guest-ip]'));
      assert.ok(hit, `no host/duplicate-guest-ip on ${h}/${vm}.cfg:\n${w.stdout.slice(0, 2000)}`);
    }
  }
});

test('the command line parses each file once', () => {
  const root = host('parses', 20);
  const r = spawnSync(process.execPath, [bin, root], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, XEN_NET_CHECK_COUNT_WORK: '1' } });
  const line = r.stderr.split('\n').find((l) => l.startsWith('host checks: '));
  assert.ok(line, r.stderr);
  const m = / (\d+) parses$/.exec(line);
  assert.ok(m, line);
  // interfaces, modules, xend-config.sxp and 20 domain files: 23 files, 23 parses
  const files = /in (\d+) files/.exec(r.stderr);
  assert.equal(Number(files?.[1]), 23, r.stderr);
  assert.equal(Number(m[1]), 23, `${m[1]} parses of 23 files`);
});
