// xen-net-check over many hosts checks them in a worker thread (this thread for one host or a few
// files), or split between threads when XEN_NET_CHECK_WORKERS asks for more, and prints byte for
// byte what this thread alone prints, in the same order.
// XEN_NET_CHECK_WORKERS forces the number of threads (1: this thread alone); XEN_NET_CHECK_COUNT_WORK=1
// makes the CLI say how many threads ran and how much host checking they did. Counted, not timed.
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
  tmp = mkdtempSync(join(tmpdir(), 'xen-net-check-parallel-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Host k of a repository: guests guests, and a problem of its own on some hosts (so each host's output differs). */
function host(root: string, k: number, guests: number): void {
  mkdirSync(join(root, 'etc', 'network'), { recursive: true });
  mkdirSync(join(root, 'etc', 'xen'), { recursive: true });
  writeFileSync(
    join(root, 'etc', 'network', 'interfaces'),
    `auto dummy0\niface dummy0 inet static\n    address 10.${k}.0.1\n    netmask 255.255.0.0\n` + (k % 3 === 0 ? '    frobnicate yes\n' : ''),
  );
  writeFileSync(
    join(root, 'etc', 'xen', 'xend-config.sxp'),
    k % 4 === 0 ? '(network-script network-route)\n' : "(network-script network-route)\n(vif-script 'vif-route netdev=dummy0')\n",
  );
  writeFileSync(join(root, 'etc', 'modules'), k % 5 === 0 ? '' : 'dummy\n');
  for (let i = 0; i < guests; i++) {
    const n = i + 2;
    // every third host: two guests share an address; every fifth: a syntax error in a guest
    const ip = k % 3 === 1 && i === guests - 1 ? `10.${k}.0.2` : `10.${k}.${n >> 8}.${n & 255}`;
    writeFileSync(
      join(root, 'etc', 'xen', `vm${i + 1}.cfg`),
      `name = "vm${i + 1}"\nmemory = 256\nvif = [ 'ip=${ip}' ]\n` + (k % 5 === 2 && i === 0 ? 'disk = [\n' : ''),
    );
  }
}

interface Run {
  status: number | null;
  stdout: string;
  summary: string;
  threads: number;
  inWorker: boolean;
  passes: number;
  files: number;
}

function run(args: string[], workers?: number): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, XEN_NET_CHECK_COUNT_WORK: '1' };
  if (workers === undefined) delete env.XEN_NET_CHECK_WORKERS;
  else env.XEN_NET_CHECK_WORKERS = String(workers);
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000, env });
  const lines = r.stderr.split('\n');
  const work = lines.find((l) => l.startsWith('host checks: '));
  const threads = lines.find((l) => l.startsWith('threads: '));
  assert.ok(work && threads, `the CLI did not count its work (status ${r.status}): ${r.stderr.slice(-600)}`);
  const w = work.split(' ');
  return {
    status: r.status,
    stdout: r.stdout,
    summary: lines.find((l) => / in \d+ files?$/.test(l)) ?? '',
    threads: Number(threads.slice('threads: '.length)),
    inWorker: lines.includes('in a worker: yes'),
    passes: Number(w[2]),
    files: Number(w[5]),
  };
}

test('many hosts: two threads print byte for byte what one thread prints', () => {
  const repo = join(tmp, 'repo');
  for (let k = 1; k <= 24; k++) host(join(repo, `host${String(k).padStart(2, '0')}`), k, 6 + (k % 4));
  // a file of no host among them, and a second folder given: their findings sort in with the rest
  writeFileSync(join(tmp, 'loose.interfaces'), 'iface eth0 inet static\n    adress 192.0.2.1\n');
  for (const args of [
    [repo, join(tmp, 'loose.interfaces')],
    ['--format', 'json', repo],
  ]) {
    const one = run(args, 1);
    assert.equal(one.threads, 1);
    assert.ok(one.stdout.split('\n').length > 30, `too few findings to compare:\n${one.stdout}`);
    for (const workers of [2, 3]) {
      const many = run(args, workers);
      assert.equal(many.threads, workers, `XEN_NET_CHECK_WORKERS=${workers}`);
      assert.equal(many.stdout, one.stdout, `${workers} threads printed something else than one thread`);
      assert.equal(many.summary, one.summary);
      assert.equal(many.status, one.status);
      // the same work, shared: one host-check pass per host, each file looked at once
      assert.equal(many.passes, 24);
      assert.equal(many.files, one.files);
    }
  }
});

test('by default: many hosts checked in one worker thread (a bounded young generation), one host however large and a few files in this thread', () => {
  const repo = join(tmp, 'big');
  for (let k = 1; k <= 40; k++) host(join(repo, `host${k}`), k, 8); // 40 hosts, 440 files
  const many = run([repo]);
  assert.equal(many.threads, 1);
  assert.equal(many.inWorker, true, '40 hosts of 440 files');
  const here = run([repo], 1);
  assert.equal(here.inWorker, false);
  assert.equal(many.stdout, here.stdout, 'the worker printed something else than this thread');
  assert.equal(many.passes, here.passes);
  const one = join(tmp, 'one');
  host(one, 1, 400);
  const r1 = run([one]);
  assert.equal(r1.threads, 1, 'one host of 403 files');
  assert.equal(r1.inWorker, false, 'one host of 403 files');
  const few = join(tmp, 'few');
  for (let k = 1; k <= 3; k++) host(join(few, `host${k}`), k, 3);
  assert.equal(run([few]).inWorker, false, 'three hosts of 6 files');
});
