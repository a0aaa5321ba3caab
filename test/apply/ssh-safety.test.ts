// The apply path's defences (issue 12), against the real sshd test host (test/support/ssh-host.ts):
// no secret in any process's command line, one apply at a time, what a rollback sets back (sysctl
// keys, modules, no false alarm without xend), nothing applied when the host's file is not what was
// reviewed, and the confirm-or-revert window (no confirmation, a confirmation, the network cut).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import {
  ApplyExit,
  buildApplyScript,
  planApply,
  runArgv,
  runScriptOverSsh,
  sshPrefix,
  storeCommand,
  runCommand,
  confirmScript,
  newRunId,
  runnerScript,
  writeRunFiles,
  fetchFiles,
  type FileToWrite,
  type SshTarget,
} from '../../server/src/apply';
import { startSshHost, whyNotSshHost, type SshHost } from '../support/ssh-host';
import { progress, sleep } from './helpers';

const why = whyNotSshHost();
if (why) console.log(`# ssh safety tests cannot run: ${why}`);
// (a test that cannot run fails with its reason)
const need = (): void => {
  if (why) assert.fail(`the real sshd test host cannot start: ${why}`);
};

let host: SshHost;
let target: SshTarget;
before(async () => {
  if (why) return;
  host = await startSshHost({ '/etc/network/interfaces': 'auto lo\niface lo inet loopback\n' });
  target = { destination: host.alias, configFile: host.configFile };
});
after(() => host?.stop());

const IF_193 = `auto lo
iface lo inet loopback

auto dummy0
iface dummy0 inet static
    address 80.68.86.193
    netmask 255.255.255.248
`;
const IF_201 = IF_193.replace('80.68.86.193', '80.68.86.201');
const MODULES = 'dummy\n';
const XEND = "(network-script network-route)\n(vif-script 'vif-route netdev=dummy0')\n";

function gatewayAddresses(): string[] {
  const r = host.exec(['ip', '-4', '-o', 'addr', 'show', 'dev', 'dummy0']);
  return [...r.stdout.matchAll(/inet (\S+)/g)].map((m) => m[1]);
}
/** Writes a host file from inside the host (an edit on the host: the overlay sees it as its own). */
function editOnHost(hostPath: string, content: string): void {
  const r = host.exec(['sh', '-c', 'printf %s "$1" > "$2"', 'sh', content, hostPath]);
  assert.equal(r.status, 0, r.stderr);
}
function hostSysctl(key: string): string {
  return host.exec(['sysctl', '-n', key]).stdout.trim();
}
function lines(hostPath: string): string[] {
  return (host.read(hostPath)?.toString() ?? '').split('\n').filter((l) => l !== '');
}
function apply(files: FileToWrite[], opts: { runId?: string; confirmSeconds?: number } = {}) {
  return runScriptOverSsh(target, buildApplyScript(planApply(files, { hostLabel: 'safety', ...opts })), { timeoutMs: 60_000 });
}
/** The runner as the editor's terminal runs it: /bin/sh <private folder>/run.sh. */
async function viaRunner(script: string, runId: string, confirmSeconds: number, t: SshTarget = target) {
  const files = writeRunFiles(runnerScript(t, { runId, confirmSeconds, hostLabel: 'safety' }), script);
  try {
    return await runArgv(files.argv, { timeoutMs: 90_000 });
  } finally {
    files.remove();
  }
}
/** Steps 1 and 2 of the runner by hand (store, run), without the confirmation. */
async function storeAndRun(script: string, runId: string) {
  const stored = await runArgv([...sshPrefix(target, { tty: false, batch: true }), storeCommand(runId)], { input: script, timeoutMs: 30_000 });
  assert.equal(stored.code, 0, stored.transcript);
  return runArgv([...sshPrefix(target, { tty: false, batch: true }), runCommand(runId, false)], { timeoutMs: 60_000 });
}
/** Every process's command line on this machine (the test host shares its pid namespace). */
function allCmdlines(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      out.push(readFileSync(`/proc/${pid}/cmdline`).toString('latin1'));
    } catch {
      /* gone */
    }
  }
  return out;
}

test("regression: the files (a vncpasswd) are in no process's command line, here or on the host, for the whole apply", async (t) => {
  need();
  const secret = `vncpasswd='${randomBytes(12).toString('hex')}'`;
  const content = `name = 'vm9'\n${secret}\nvif = [ 'ip=80.68.86.199' ]\n`;
  const b64 = Buffer.from(content).toString('base64').slice(0, 40);
  host.write('/usr/local/sbin/slow-mv', '0.5');
  let scans = 0;
  let found: string | undefined;
  try {
    const runId = newRunId();
    const script = buildApplyScript(planApply([{ path: '/etc/xen/vm9.cfg', content }], { hostLabel: 'secret', runId }));
    const running = viaRunner(script, runId, 0);
    let done = false;
    void running.finally(() => (done = true));
    while (!done) {
      for (const c of allCmdlines()) if (c.includes(secret.slice(11)) || c.includes(b64) || c.includes('vncpasswd')) found = c.slice(0, 200);
      scans++;
      await sleep(10);
    }
    const r = await running;
    assert.equal(r.code, ApplyExit.Applied, r.transcript);
    assert.equal(host.read('/etc/xen/vm9.cfg')?.toString(), content);
    assert.ok(!existsSync(`/tmp/xen-apply-${runId}`), 'the stored script went with the run');
  } finally {
    rmSync(host.local('/usr/local/sbin/slow-mv'), { force: true });
  }
  assert.equal(found, undefined, `a command line held the file: ${found}`);
  assert.ok(scans >= 20, `the process list was read ${scans} times during the apply`);
  t.diagnostic(`the process list was read ${scans} times during the apply`);
});

test("regression: two applies 0.3 s apart over ssh: exactly one applies, the other is busy; the host ends all one run's", async () => {
  need();
  const a: FileToWrite[] = [];
  const b: FileToWrite[] = [];
  for (let i = 0; i < 4; i++) {
    host.write(`/etc/xen/lock${i}.cfg`, `# old ${i}\n`);
    a.push({ path: `/etc/xen/lock${i}.cfg`, content: `# a ${i}\n` });
    b.push({ path: `/etc/xen/lock${i}.cfg`, content: `# b ${i}\n` });
  }
  host.write('/usr/local/sbin/slow-mv', '0.2');
  try {
    const ra = apply(a);
    await sleep(300);
    const rb = apply(b);
    const [x, y] = await Promise.all([ra, rb]);
    assert.deepEqual([x.code, y.code].sort(), [ApplyExit.Applied, ApplyExit.Busy], x.transcript + y.transcript);
    const won = x.code === ApplyExit.Applied ? 'a' : 'b';
    for (let i = 0; i < 4; i++) assert.equal(host.read(`/etc/xen/lock${i}.cfg`)?.toString(), `# ${won} ${i}\n`);
    assert.ok(progress((x.code === ApplyExit.Busy ? x : y).transcript).includes('result: busy (nothing was changed)'));
  } finally {
    rmSync(host.local('/usr/local/sbin/slow-mv'), { force: true });
  }
});

test('regression: a failed apply sets each sysctl key back (net.ipv4.ip_forward = 1 does not stay), and says so', async () => {
  need();
  assert.equal(host.exec(['sysctl', '-q', '-w', 'net.ipv4.ip_forward=0']).status, 0);
  assert.equal(hostSysctl('net.ipv4.ip_forward'), '0');
  // sysctl -p sets the first key, then fails on the second: the apply fails after a change of the kernel
  const bad = await apply([{ path: '/etc/sysctl.d/xen-routed.conf', content: 'net.ipv4.ip_forward = 1\nnet.ipv4.xnt_no_such_key = 1\n' }]);
  assert.equal(bad.code, ApplyExit.FailedRestored, bad.transcript);
  const p = progress(bad.transcript);
  assert.ok(p.includes('set back: net.ipv4.ip_forward = 0'), bad.transcript);
  assert.match(p.at(-1)!, /^result: failed \(every change was undone/);
  assert.equal(hostSysctl('net.ipv4.ip_forward'), '0', 'forwarding is off again');
  assert.equal(host.read('/etc/sysctl.d/xen-routed.conf'), null, 'the new file is gone');
  // a good one stays
  const good = await apply([{ path: '/etc/sysctl.d/xen-routed.conf', content: 'net.ipv4.ip_forward = 1\n' }]);
  assert.equal(good.code, ApplyExit.Applied, good.transcript);
  assert.equal(hostSysctl('net.ipv4.ip_forward'), '1');
  rmSync(host.local('/etc/sysctl.d/xen-routed.conf'));
  host.exec(['sysctl', '-q', '-w', 'net.ipv4.ip_forward=0']);
});

test('a failed apply unloads the module it loaded; without /etc/init.d/xend the rollback does not cry "NOT everything was undone"', async () => {
  need();
  assert.ok(!existsSync(host.local('/sys/module/dummy')), 'dummy not loaded before');
  host.write('/usr/local/sbin/fail-xend', 'once');
  const r = await apply([
    { path: '/etc/modules', content: MODULES },
    { path: '/etc/xen/xend-config.sxp', content: XEND },
  ]);
  assert.equal(r.code, ApplyExit.FailedRestored, r.transcript);
  const p = progress(r.transcript);
  assert.ok(p.includes('running: modprobe dummy') && p.includes('unloaded the module dummy'), r.transcript);
  assert.ok(!existsSync(host.local('/sys/module/dummy')), 'dummy unloaded');
  assert.equal(host.exec(['ip', 'link', 'show', 'dev', 'dummy0']).status, 1, 'dummy0 gone with it');
  assert.deepEqual(lines('/usr/local/sbin/modprobe.log').slice(-2), ['dummy', '-r dummy']);
  // a module that cannot be unloaded is reported: exit 12
  host.write('/usr/local/sbin/fail-xend', 'once');
  host.write('/usr/local/sbin/fail-modprobe-r', '');
  try {
    const stuck = await apply([
      { path: '/etc/modules', content: MODULES },
      { path: '/etc/xen/xend-config.sxp', content: XEND },
    ]);
    assert.equal(stuck.code, ApplyExit.FailedNotRestored, stuck.transcript);
    assert.ok(
      progress(stuck.transcript).some((l) => l.startsWith('error: could not unload the module dummy')),
      stuck.transcript,
    );
  } finally {
    rmSync(host.local('/usr/local/sbin/fail-modprobe-r'), { force: true });
    host.exec(['modprobe', '-r', 'dummy']);
  }
  // no xend: the run fails before restarting anything, and everything is undone
  const xend = host.read('/etc/init.d/xend')!;
  assert.equal(host.exec(['rm', '-f', '/etc/init.d/xend']).status, 0);
  try {
    const r2 = await apply([{ path: '/etc/xen/xend-config.sxp', content: XEND + '(xend-relocation-server no)\n' }]);
    assert.equal(r2.code, ApplyExit.FailedRestored, r2.transcript);
    const p2 = progress(r2.transcript);
    assert.ok(p2.includes('error: /etc/init.d/xend is missing: is this a xend (xm) host? For xl, set the toolstack to xl'), r2.transcript);
    assert.ok(!p2.some((l) => l.includes('NOT everything')), r2.transcript);
    assert.match(p2.at(-1)!, /^result: failed \(every change was undone/);
  } finally {
    host.write('/etc/init.d/xend', xend);
    chmodSync(host.local('/etc/init.d/xend'), 0o755);
  }
});

test("regression: the host's file changed after it was fetched for review: the apply refuses (exit 15) and changes nothing", async () => {
  need();
  editOnHost('/etc/xen/vm5.cfg', "name = 'vm5'\n");
  const fetched = await fetchFiles(target, ['/etc/xen/vm5.cfg', '/etc/xen/vm6.cfg']);
  assert.equal(fetched.code, 0, fetched.stderr);
  const seen = fetched.files.find((f) => f.path === '/etc/xen/vm5.cfg')!;
  const expect = createHash('sha256').update(seen.content!).digest('hex');
  const files: FileToWrite[] = [
    { path: '/etc/xen/vm5.cfg', content: "name = 'vm5'\nmemory = 512\n", expect },
    { path: '/etc/xen/vm6.cfg', content: "name = 'vm6'\n", expect: 'absent' },
  ];
  // someone edits the host's file meanwhile
  editOnHost('/etc/xen/vm5.cfg', "name = 'vm5'\n# edited on the host\n");
  const backupsBefore = readdirSync(host.local('/var/backups/xen-network')).length;
  const r = await apply(files);
  assert.equal(r.code, ApplyExit.ChangedSinceReview, r.transcript);
  assert.ok(
    progress(r.transcript).some((l) => l.startsWith('error: /etc/xen/vm5.cfg changed on the host after it was read for review')),
    r.transcript,
  );
  assert.equal(host.read('/etc/xen/vm5.cfg')?.toString(), "name = 'vm5'\n# edited on the host\n", 'not overwritten');
  assert.equal(host.read('/etc/xen/vm6.cfg'), null, 'nothing else written either');
  assert.equal(readdirSync(host.local('/var/backups/xen-network')).length, backupsBefore, 'no backup run made');
  // a file that appeared although it was absent: refused as well
  editOnHost('/etc/xen/vm6.cfg', 'appeared\n');
  const r2 = await apply([{ path: '/etc/xen/vm6.cfg', content: "name = 'vm6'\n", expect: 'absent' }]);
  assert.equal(r2.code, ApplyExit.ChangedSinceReview, r2.transcript);
  // what was reviewed is what is there: applied
  const now = createHash('sha256').update(host.read('/etc/xen/vm5.cfg')!).digest('hex');
  const r3 = await apply([{ path: '/etc/xen/vm5.cfg', content: "name = 'vm5'\nmemory = 512\n", expect: now }]);
  assert.equal(r3.code, ApplyExit.Applied, r3.transcript);
});

// (an ssh login takes up to 3 s on a loaded test machine: the window leaves room for two)
const WINDOW = 10;

test('confirm-or-revert: no confirmation arrives: the host goes back as it was (files, gateway address) and frees the lock', async () => {
  need();
  host.exec(['rm', '-f', '/etc/xen/xend-config.sxp']);
  const first = await apply([
    { path: '/etc/network/interfaces', content: IF_193 },
    { path: '/etc/modules', content: MODULES },
  ]);
  assert.equal(first.code, ApplyExit.Applied, first.transcript);
  assert.deepEqual(gatewayAddresses(), ['80.68.86.193/29']);
  const runId = newRunId();
  const script = buildApplyScript(planApply([{ path: '/etc/network/interfaces', content: IF_201 }], { hostLabel: 'w', runId, confirmSeconds: WINDOW }));
  const r = await storeAndRun(script, runId);
  assert.equal(r.code, ApplyExit.Pending, r.transcript);
  const p = progress(r.transcript);
  assert.ok(
    p.some((l) => l.startsWith(`applied; this host goes back as it was in ${WINDOW} s unless the change is confirmed`)),
    r.transcript,
  );
  assert.deepEqual(gatewayAddresses(), ['80.68.86.201/29'], 'the change is live during the window');
  // during the window another apply is busy (the waiter holds the lock)
  const busy = await apply([{ path: '/etc/network/interfaces', content: IF_193 }]);
  assert.equal(busy.code, ApplyExit.Busy, busy.transcript);
  await sleep((WINDOW + 3) * 1000);
  assert.equal(host.read('/etc/network/interfaces')?.toString(), IF_193, 'the old file is back');
  assert.deepEqual(gatewayAddresses(), ['80.68.86.193/29'], 'the old address is back');
  assert.ok(existsSync(`/tmp/xen-apply-${runId}/reverted`), 'the waiter left its answer for a late confirmation');
  const late = await runScriptOverSsh(target, confirmScript(runId), { timeoutMs: 30_000 });
  assert.equal(late.code, 4, late.transcript);
  assert.match(late.transcript, /too late: the host had gone back/);
  const log = readdirSync(host.local('/var/backups/xen-network')).filter((n) => n.endsWith('.confirm.log'));
  assert.ok(log.length >= 1);
  const again = await apply([{ path: '/etc/network/interfaces', content: IF_193 }]);
  assert.equal(again.code, ApplyExit.NothingToChange, 'the lock is free again, and the host is as before: ' + again.transcript);
  rmSync(`/tmp/xen-apply-${runId}`, { recursive: true, force: true });
});

test('confirm-or-revert: the runner confirms over a new connection: the change stays after the window', async () => {
  need();
  const runId = newRunId();
  const script = buildApplyScript(planApply([{ path: '/etc/network/interfaces', content: IF_201 }], { hostLabel: 'w', runId, confirmSeconds: WINDOW }));
  const r = await viaRunner(script, runId, WINDOW);
  assert.equal(r.code, ApplyExit.Applied, r.transcript);
  assert.ok(progress(r.transcript).includes('confirmed over a new connection: the change stays'), r.transcript);
  await sleep((WINDOW + 2) * 1000);
  assert.equal(host.read('/etc/network/interfaces')?.toString(), IF_201);
  assert.deepEqual(gatewayAddresses(), ['80.68.86.201/29']);
  assert.ok(!existsSync(`/tmp/xen-apply-${runId}`), 'the run folder is gone');
});

test("confirm-or-revert: the host's network is cut right after the change (no connection can confirm): it comes back as it was", async () => {
  need();
  const runId = newRunId();
  const script = buildApplyScript(planApply([{ path: '/etc/network/interfaces', content: IF_193 }], { hostLabel: 'w', runId, confirmSeconds: WINDOW }));
  const r = await storeAndRun(script, runId);
  assert.equal(r.code, ApplyExit.Pending, r.transcript);
  // the host's only way in goes down (its loopback carries the test's ssh sessions)
  assert.equal(spawnSync('ip', ['netns', 'exec', host.ns, 'ip', 'link', 'set', 'lo', 'down']).status, 0);
  try {
    const confirm = await runScriptOverSsh({ ...target, options: ['-o', 'ConnectTimeout=2'] }, confirmScript(runId), { timeoutMs: 20_000 });
    assert.notEqual(confirm.code, 0, 'no connection reached the host');
    await sleep((WINDOW + 3) * 1000);
  } finally {
    assert.equal(spawnSync('ip', ['netns', 'exec', host.ns, 'ip', 'link', 'set', 'lo', 'up']).status, 0);
  }
  assert.equal(host.read('/etc/network/interfaces')?.toString(), IF_201, 'the file from before the change');
  assert.deepEqual(gatewayAddresses(), ['80.68.86.201/29'], 'the address from before the change');
  rmSync(`/tmp/xen-apply-${runId}`, { recursive: true, force: true });
});

test("confirm-or-revert in a terminal (ssh -tt, as the editor runs it): the waiter outlives the session's hang-up, and without a confirmation the host goes back", async () => {
  need();
  const runId = newRunId();
  const script = buildApplyScript(planApply([{ path: '/etc/network/interfaces', content: IF_193 }], { hostLabel: 'w', runId, confirmSeconds: WINDOW }));
  const stored = await runArgv([...sshPrefix(target, { tty: false, batch: true }), storeCommand(runId)], { input: script, timeoutMs: 30_000 });
  assert.equal(stored.code, 0, stored.transcript);
  // -t twice: a terminal on the host although this test has none; its end hangs the terminal up (SIGHUP)
  const r = await runArgv([...sshPrefix({ ...target, options: ['-t'] }, { tty: true, batch: true }), runCommand(runId, false)], { timeoutMs: 60_000 });
  assert.equal(r.code, ApplyExit.Pending, r.transcript);
  assert.deepEqual(gatewayAddresses(), ['80.68.86.193/29'], 'the change is live');
  await sleep((WINDOW + 3) * 1000);
  assert.equal(host.read('/etc/network/interfaces')?.toString(), IF_201, 'back as it was');
  assert.deepEqual(gatewayAddresses(), ['80.68.86.201/29']);
  assert.ok(existsSync(`/tmp/xen-apply-${runId}/reverted`));
  rmSync(`/tmp/xen-apply-${runId}`, { recursive: true, force: true });
});

test("confirm-or-revert: the change itself cuts the ssh session (the new settings take the host's only way in down): the runner cannot confirm, and the host comes back as it was", async (t) => {
  need();
  // before: dummy0 on .201, and its post-up keeps the loopback (which carries every ssh session of the test host) up;
  // the change: dummy0 on .193, whose post-up takes the loopback down: the session is cut by the change itself
  const before = IF_201.replace('    netmask 255.255.255.248\n', '    netmask 255.255.255.248\n    post-up ip link set dev lo up\n');
  const cutting = IF_193.replace('    netmask 255.255.255.248\n', '    netmask 255.255.255.248\n    post-up ip link set dev lo down\n');
  const set = await apply([
    { path: '/etc/network/interfaces', content: before },
    { path: '/etc/modules', content: MODULES },
  ]);
  assert.equal(set.code, ApplyExit.Applied, set.transcript);
  assert.deepEqual(gatewayAddresses(), ['80.68.86.201/29']);
  const runId = newRunId();
  const script = buildApplyScript(planApply([{ path: '/etc/network/interfaces', content: cutting }], { hostLabel: 'w', runId, confirmSeconds: WINDOW }));
  // (the test's own ssh gives up on a silent host after 2 s; the runner's default is about 20 s)
  const quick = { ...target, options: ['-o', 'ServerAliveInterval=1', '-o', 'ServerAliveCountMax=2', '-o', 'ConnectTimeout=2'] };
  const started = Date.now();
  const r = await viaRunner(script, runId, WINDOW, quick);
  const cutAfter = Date.now() - started;
  try {
    assert.equal(r.code, ApplyExit.NotConfirmed, r.transcript);
    assert.ok(
      progress(r.transcript).some((l) => l.startsWith('no confirmation reached the host')),
      r.transcript,
    );
    assert.match(host.exec(['ip', '-o', 'link', 'show', 'dev', 'lo']).stdout, /state DOWN|<LOOPBACK>/, 'the change did take the loopback down');
    // the window runs from the moment the script on the host finished (within the runner's run): wait for the revert
    const until = Date.now() + (WINDOW + 25) * 1000;
    while (!/<LOOPBACK,UP/.test(host.exec(['ip', '-o', 'link', 'show', 'dev', 'lo']).stdout) && Date.now() < until) await sleep(500);
    assert.match(host.exec(['ip', '-o', 'link', 'show', 'dev', 'lo']).stdout, /<LOOPBACK,UP/, 'the loopback is up again');
    const backAfter = Date.now() - started;
    assert.ok(backAfter > WINDOW * 1000, `not before the window ended (${backAfter} ms)`);
    t.diagnostic(`the runner gave up after ${cutAfter} ms; the host was back ${backAfter} ms after the apply started (window ${WINDOW} s)`);
    assert.equal(host.read('/etc/network/interfaces')?.toString(), before, 'the file from before the change');
    assert.deepEqual(gatewayAddresses(), ['80.68.86.201/29'], 'the address from before the change');
    // and the host answers ssh again
    const again = await apply([{ path: '/etc/network/interfaces', content: before }]);
    assert.equal(again.code, ApplyExit.NothingToChange, again.transcript);
  } finally {
    spawnSync('ip', ['netns', 'exec', host.ns, 'ip', 'link', 'set', 'lo', 'up']);
    rmSync(`/tmp/xen-apply-${runId}`, { recursive: true, force: true });
  }
});
