// Applying a setup over real ssh to a real sshd in a network namespace (test/support/ssh-host.ts):
// the host's files, its backups, the gateway interface brought up by the real ifup, idempotence,
// failures undone, hostile names, fetching, and connections cut in the middle of an apply.
//
// What is real: ssh and sshd, sh (dash) on the host, cp/mv/cmp/base64, ifupdown's ifup/ifdown/
// ifquery on the generated /etc/network/interfaces, ip. Stand-ins (see ssh-host.ts): modprobe
// (creates dummy0 as a bridge with no ports: this kernel has no dummy link type), xend's init
// script (records restarts; can be made to fail), and a slow mv (to cut connections mid-apply).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
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
  newRunId,
  runnerScript,
  writeRunFiles,
  fetchFiles,
  describeApplyExit,
  DEFAULT_FETCH_PATHS,
  type FileToWrite,
  type SshTarget,
  type RunOptions,
} from '../../server/src/apply';
import { startSshHost, whyNotSshHost, type SshHost } from '../support/ssh-host';
import { HOSTILE, progress, snapshot, sleep } from './helpers';
import { requirement } from '../support/requirements';

const why = whyNotSshHost();
const sshHost = requirement(why, 'SKIP_SSH');

// (declared before the hook: node's runner may start it before the rest of the file ran)
const SUDO_USER = { name: 'xnt', password: `pw-${randomBytes(6).toString('hex')}` };
let host: SshHost;
let target: SshTarget;
before(async () => {
  if (sshHost.skip) return;
  sshHost.check();
  host = await startSshHost(
    {
      '/etc/network/interfaces': 'auto lo\niface lo inet loopback\n',
      '/etc/xen/vm1.cfg': "name = 'vm1'\nvif = [ 'ip=80.68.86.194' ]\n",
    },
    { sudoUser: existsSync('/usr/bin/sudo') ? SUDO_USER : undefined },
  );
  target = { destination: host.alias, configFile: host.configFile };
});
after(() => host?.stop());

const IF_193 = `auto lo
iface lo inet loopback

auto dummy0
iface dummy0 inet static
    address 80.68.86.193
    netmask 255.255.255.248
    broadcast 80.68.86.199
`;
const IF_201 = IF_193.replace('80.68.86.193', '80.68.86.201').replace('255.255.255.248', '255.255.255.240').replace('80.68.86.199', '80.68.86.207');
const MODULES = '# /etc/modules: kernel modules to load at boot time.\ndummy\n';
const XEND = "(network-script network-route)\n(vif-script 'vif-route netdev=dummy0')\n";
const XEND_2 = XEND + '(xend-relocation-server no)\n';
const VM1 = "name = 'vm1'\nmemory = 256\nvif = [ 'ip=80.68.86.194' ]\n";

function setup(interfaces: string, xend: string): FileToWrite[] {
  return [
    { path: '/etc/network/interfaces', content: interfaces },
    { path: '/etc/modules', content: MODULES },
    { path: '/etc/xen/xend-config.sxp', content: xend },
    { path: '/etc/xen/vm1.cfg', content: VM1 },
  ];
}

function apply(files: FileToWrite[], opts: { label?: string } = {}) {
  const script = buildApplyScript(planApply(files, { hostLabel: opts.label ?? 'test-dom0' }));
  return runScriptOverSsh(target, script, { timeoutMs: 60_000 });
}

function gatewayAddresses(): string[] {
  const r = host.exec(['ip', '-4', '-o', 'addr', 'show', 'dev', 'dummy0']);
  return [...r.stdout.matchAll(/inet (\S+) brd (\S+)/g)].map((m) => `${m[1]} brd ${m[2]}`);
}
function linkUp(): boolean {
  return /<[^>]*\bUP\b[^>]*>/.test(host.exec(['ip', '-o', 'link', 'show', 'dev', 'dummy0']).stdout);
}
function lines(hostPath: string): string[] {
  return (host.read(hostPath)?.toString() ?? '').split('\n').filter((l) => l !== '');
}
/** The state of the host that an apply may change: /etc files, backups, the stand-ins' logs. */
function hostState(): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of ['etc-upper', 'etc-network', 'backups', 'sbin', 'sys-module']) {
    for (const [k, v] of snapshot(join(host.scratch, part))) out.set(`${part}/${k}`, v);
  }
  return out;
}
function backupRuns(): string[] {
  const d = host.local('/var/backups/xen-network');
  return existsSync(d)
    ? readdirSync(d)
        .filter((n) => !n.startsWith('.') && !n.endsWith('.log'))
        .sort()
    : [];
}
/**
 * Waits until no process of a session is left in the host's namespace (the cut script finished):
 * none but the listening sshd and the clients' ProxyCommand (nc, which runs in the namespace too).
 */
async function sessionsGone(): Promise<void> {
  const deadline = Date.now() + 30_000;
  const comm = (pid: string): string => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      return '';
    }
  };
  while (Date.now() < deadline) {
    const pids = spawnSync('ip', ['netns', 'pids', host.ns], { encoding: 'utf8' })
      .stdout.split(/\s+/)
      .filter((s) => s !== '');
    if (pids.every((p) => Number(p) === host.sshdPid || comm(p) === 'nc' || comm(p) === '')) return;
    await sleep(100);
  }
  throw new Error('the cut session still runs after 30 s');
}

const skip = sshHost.skip;
const sudo = requirement(existsSync('/usr/bin/sudo') ? null : 'sudo is not installed (Debian package sudo)', 'SKIP_SSH');

/**
 * Runs an apply as the editor's terminal does: the runner (runner.ts) and the script in a private
 * folder, `/bin/sh <folder>/run.sh`. forceTty: ssh -tt on the run step (no local terminal here).
 */
async function viaRunner(
  script: string,
  runId: string,
  opts: { sudo?: boolean; destination?: string; confirmSeconds?: number; respond?: RunOptions['respond'] } = {},
) {
  const t = opts.destination ? { ...target, destination: opts.destination } : target;
  const runner = runnerScript(t, { runId, sudo: opts.sudo, confirmSeconds: opts.confirmSeconds ?? 0, hostLabel: 'test-dom0', forceTty: !!opts.respond });
  const files = writeRunFiles(runner, script);
  try {
    return await runArgv(files.argv, { timeoutMs: 90_000, respond: opts.respond });
  } finally {
    files.remove();
  }
}

/** Runs a script as the sudo user through the runner (ssh -tt), typing `password` at each sudo prompt. */
async function applyWithSudo(script: string, password: string, runId: string): Promise<{ code: number | null; transcript: string; prompts: number }> {
  let pending = '';
  let prompts = 0;
  const r = await viaRunner(script, runId, {
    sudo: true,
    destination: `${SUDO_USER.name}@${host.alias}`,
    respond: (text, write) => {
      pending += text;
      if (pending.includes(`[sudo] password for ${SUDO_USER.name}:`)) {
        pending = '';
        prompts++;
        write(password + '\n');
      }
    },
  });
  return { code: r.code, transcript: r.transcript, prompts };
}

test('apply over ssh: files written, old ones backed up, dummy loaded, dummy0 up with the gateway, xend restarted', { skip }, async () => {
  assert.deepEqual(gatewayAddresses(), [], 'no dummy0 before');
  const r = await apply(setup(IF_193, XEND));
  assert.equal(r.code, ApplyExit.Applied, r.transcript);
  assert.equal(host.read('/etc/network/interfaces')?.toString(), IF_193);
  assert.equal(host.read('/etc/modules')?.toString(), MODULES);
  assert.equal(host.read('/etc/xen/xend-config.sxp')?.toString(), XEND);
  assert.equal(host.read('/etc/xen/vm1.cfg')?.toString(), VM1);
  // backups: one run folder, the old versions of the files that existed, under their own paths
  const runs = backupRuns();
  assert.equal(runs.length, 1);
  const bk = (p: string): string | null => host.read(`/var/backups/xen-network/${runs[0]}${p}`)?.toString() ?? null;
  assert.equal(bk('/etc/network/interfaces'), 'auto lo\niface lo inet loopback\n');
  assert.equal(bk('/etc/modules'), '# /etc/modules: kernel modules to load at boot time.\n');
  assert.equal(bk('/etc/xen/vm1.cfg'), "name = 'vm1'\nvif = [ 'ip=80.68.86.194' ]\n");
  assert.equal(bk('/etc/xen/xend-config.sxp'), null, 'a file that did not exist has no backup');
  // the commands
  assert.deepEqual(lines('/usr/local/sbin/modprobe.log'), ['dummy']);
  assert.deepEqual(gatewayAddresses(), ['80.68.86.193/29 brd 80.68.86.199'], "the real ifup gave dummy0 the stanza's address");
  assert.ok(linkUp());
  assert.equal(host.exec(['ifquery', '--state', 'dummy0']).stdout.trim(), 'dummy0=dummy0');
  assert.deepEqual(lines('/usr/local/sbin/xend-restarts'), ['restart']);
  const p = progress(r.transcript);
  for (const want of [
    'will change: /etc/network/interfaces',
    'will create: /etc/xen/xend-config.sxp',
    'running: modprobe dummy',
    'running: ifup dummy0',
    'running: /etc/init.d/xend restart',
  ]) {
    assert.ok(p.includes(want), `${want}\n${r.transcript}`);
  }
  assert.ok(
    p.some((l) => l.startsWith('note: a domain file changed')),
    r.transcript,
  );
  assert.equal(p.at(-1), 'result: applied (4 file(s) written, 1 of them new, 3 command(s) run)');
});

test('the same setup again: "nothing to change" (exit 10), files, backups and services untouched', { skip }, async () => {
  const before = hostState();
  const r = await apply(setup(IF_193, XEND));
  assert.equal(r.code, ApplyExit.NothingToChange, r.transcript);
  const p = progress(r.transcript);
  assert.ok(p.includes('module dummy is loaded already'), r.transcript);
  assert.ok(p.includes('interface dummy0 is up and its settings are unchanged'), r.transcript);
  assert.equal(p.at(-1), 'result: nothing to change (the host has this setup already)');
  assert.deepEqual(hostState(), before);
  assert.equal(backupRuns().length, 1);
});

test('a new gateway address: ifdown then ifup, xend left alone (its file did not change)', { skip }, async () => {
  const r = await apply(setup(IF_201, XEND));
  assert.equal(r.code, ApplyExit.Applied, r.transcript);
  assert.deepEqual(gatewayAddresses(), ['80.68.86.201/28 brd 80.68.86.207']);
  const p = progress(r.transcript);
  assert.ok(p.includes('running: ifdown dummy0 (with its current settings)') && p.includes('running: ifup dummy0'), r.transcript);
  assert.ok(
    p.indexOf('running: ifdown dummy0 (with its current settings)') < p.indexOf('wrote: /etc/network/interfaces'),
    'ifdown ran before the new file was in place',
  );
  assert.deepEqual(lines('/usr/local/sbin/xend-restarts'), ['restart'], 'no second restart');
  assert.equal(backupRuns().length, 2);
});

test('xend fails to restart: every file put back, dummy0 back on its old address, xend restarted on the old config (exit 11)', { skip }, async () => {
  const before = new Map([...hostState()].filter(([k]) => k.startsWith('etc-')));
  host.write('/usr/local/sbin/fail-xend', 'once'); // the stand-in fails once, then works
  const r = await apply(setup(IF_193, XEND_2));
  assert.equal(r.code, ApplyExit.FailedRestored, r.transcript);
  const p = progress(r.transcript);
  assert.ok(p.includes('failed: restarting xend failed'), r.transcript);
  for (const f of ['/etc/network/interfaces', '/etc/xen/xend-config.sxp']) assert.ok(p.includes(`restored: ${f}`), r.transcript);
  assert.ok(p.includes('undoing: ifup dummy0 with its old settings'), r.transcript);
  assert.match(p.at(-1)!, /^result: failed \(every change was undone; backups stay in \/var\/backups\/xen-network\/\S+\)$/);
  assert.deepEqual(new Map([...hostState()].filter(([k]) => k.startsWith('etc-'))), before, '/etc as before (contents, modes, times)');
  assert.deepEqual(gatewayAddresses(), ['80.68.86.201/28 brd 80.68.86.207'], 'dummy0 has its old address again');
  assert.deepEqual(lines('/usr/local/sbin/xend-restarts'), ['restart', 'restart'], 'the undo restarted xend with the old config');
  assert.equal(backupRuns().length, 3, "the failed run's backups stay");
});

test("a command that cannot be undone is reported: exit 12 and the backups' place", { skip }, async () => {
  host.write('/usr/local/sbin/fail-xend', 'always');
  try {
    const r = await apply(setup(IF_201, XEND_2));
    assert.equal(r.code, ApplyExit.FailedNotRestored, r.transcript);
    const p = progress(r.transcript);
    assert.ok(p.includes('restored: /etc/xen/xend-config.sxp'), r.transcript);
    assert.ok(p.includes('error: xend did not restart with the old configuration'), r.transcript);
    assert.match(p.at(-1)!, /^result: failed and NOT everything was undone/);
    assert.equal(host.read('/etc/xen/xend-config.sxp')?.toString(), XEND, 'the files are back all the same');
  } finally {
    rmSync(host.local('/usr/local/sbin/fail-xend'), { force: true });
  }
});

test('modprobe fails after the files were written: files put back, nothing else run (exit 11)', { skip }, async () => {
  rmSync(host.local('/sys/module/dummy'), { recursive: true, force: true }); // "not loaded" again
  host.write('/usr/local/sbin/fail-modprobe', '');
  try {
    const before = new Map([...hostState()].filter(([k]) => k.startsWith('etc-')));
    const r = await apply(setup(IF_193, XEND));
    assert.equal(r.code, ApplyExit.FailedRestored, r.transcript);
    const p = progress(r.transcript);
    assert.ok(p.includes('wrote: /etc/network/interfaces') && p.includes('restored: /etc/network/interfaces'), r.transcript);
    assert.ok(!p.some((l) => l.startsWith('running: ifup')), 'ifup never ran');
    assert.deepEqual(new Map([...hostState()].filter(([k]) => k.startsWith('etc-'))), before);
  } finally {
    rmSync(host.local('/usr/local/sbin/fail-modprobe'), { force: true });
  }
  const r = await apply(setup(IF_201, XEND));
  assert.equal(r.code, ApplyExit.Applied, r.transcript);
  assert.ok(progress(r.transcript).includes('running: modprobe dummy'));
});

test("fetch over ssh: the host's files in one connection, missing ones and empty patterns said so", { skip }, async () => {
  host.write('/etc/xen/bin.cfg', Buffer.from([0, 1, 255, 10]));
  // the host's /etc lies over this machine's, which has an xl.conf once xen-utils-common is
  // installed: take it away on the host (the overlay hides it there, not here)
  const rm = host.exec(['rm', '-f', '/etc/xen/xl.conf']);
  assert.equal(rm.status, 0, rm.stderr);
  try {
    const r = await fetchFiles(target, DEFAULT_FETCH_PATHS);
    assert.equal(r.code, 0, r.stderr);
    const by = new Map(r.files.map((f) => [f.path, f]));
    assert.equal(by.get('/etc/network/interfaces')?.content?.toString(), IF_201);
    assert.equal(by.get('/etc/modules')?.content?.toString(), MODULES);
    assert.equal(by.get('/etc/xen/xend-config.sxp')?.content?.toString(), XEND);
    assert.equal(by.get('/etc/xen/vm1.cfg')?.content?.toString(), VM1);
    assert.ok(by.get('/etc/xen/bin.cfg')?.content?.equals(Buffer.from([0, 1, 255, 10])));
    assert.equal(by.get('/etc/xen/xl.conf')?.state, 'missing');
    assert.equal(by.get('/etc/xen/auto/*')?.state, 'no-match');
    assert.equal(by.get('/etc/network/interfaces.d/*')?.state, 'no-match');
  } finally {
    rmSync(host.local('/etc/xen/bin.cfg'), { force: true });
  }
});

test('hostile guest names, file names and host labels over ssh: nothing runs, names kept exactly', { skip }, async () => {
  const mark = `/tmp/xnt-pwned-${randomBytes(4).toString('hex')}`;
  const names = HOSTILE.map((h) => h.replaceAll('MARK', mark).replaceAll('/', '_'));
  const files = names.map((nm) => ({ path: `/etc/xen/${nm}.cfg`, content: `name = '${nm.replaceAll('\n', ' ')}'\n$(touch ${mark})\n` }));
  const label = HOSTILE.map((h) => h.replaceAll('MARK', mark)).join(' ');
  const r = await apply(files, { label });
  assert.equal(r.code, ApplyExit.Applied, r.transcript);
  for (const line of r.stdout
    .toString()
    .split('\n')
    .filter((l) => l !== ''))
    assert.ok(line.startsWith('xen-apply: '), JSON.stringify(line));
  assert.ok(!existsSync(mark), 'a hostile value ran a command');
  assert.equal(host.exec(['test', '-e', mark]).status, 1, 'not on the host either');
  for (const f of files) assert.equal(host.read(f.path)?.toString(), f.content, JSON.stringify(f.path));
  // read back through fetch: same names, same contents
  const fetched = await fetchFiles(
    target,
    files.map((f) => f.path),
  );
  assert.deepEqual(
    fetched.files.map((f) => [f.path, f.content?.toString()]),
    files.map((f) => [f.path, f.content]),
  );
  const again = await apply(files, { label });
  assert.equal(again.code, ApplyExit.NothingToChange, again.transcript);
  for (const f of files) rmSync(host.local(f.path));
});

test("a long script goes compressed (over one command line's size) and arrives whole", { skip }, async () => {
  const big = Array.from({ length: 12_000 }, (_v, i) => `# guest ${i}: vif = [ 'ip=80.68.86.${i % 256}' ]`).join('\n') + '\n';
  assert.ok(big.length > 200_000);
  const r = await apply([{ path: '/etc/xen/big.cfg', content: big }]);
  assert.equal(r.code, ApplyExit.Applied, r.transcript.slice(0, 2000));
  assert.equal(host.read('/etc/xen/big.cfg')?.toString(), big);
  rmSync(host.local('/etc/xen/big.cfg'));
});

/** Old contents on the host, new ones to apply, and a check that each file is whole. */
function cutCase(tag: string): { files: FileToWrite[]; check: (allowTemps?: boolean) => { old: number; new: number } } {
  const files: FileToWrite[] = [];
  for (let i = 0; i < 6; i++) {
    host.write(`/etc/xen/${tag}${i}.cfg`, `# old ${i}\n`.repeat(3000));
    files.push({ path: `/etc/xen/${tag}${i}.cfg`, content: `# new ${i}\n`.repeat(4000) });
  }
  return {
    files,
    check(allowTemps = false) {
      let o = 0;
      let nw = 0;
      for (let i = 0; i < 6; i++) {
        const got = host.read(`/etc/xen/${tag}${i}.cfg`)?.toString();
        if (got === `# old ${i}\n`.repeat(3000)) o++;
        else if (got === `# new ${i}\n`.repeat(4000)) nw++;
        else assert.fail(`${tag}${i}.cfg is neither the old nor the new file (${got?.length} bytes)`);
      }
      const leftovers = readdirSync(host.local('/etc/xen')).filter((f) => f.startsWith('.'));
      if (!allowTemps) assert.deepEqual(leftovers, [], 'no temporary file left');
      return { old: o, new: nw };
    },
  };
}

for (const [how, tty] of [
  ['no terminal: the script sees a broken pipe', false],
  ['a terminal (ssh -tt): the script gets SIGHUP', true],
] as const) {
  test(`the ssh client killed in the middle of an apply (${how}): every file entirely old`, { skip }, async () => {
    const c = cutCase(tty ? 'tty' : 'pipe');
    writeFileSync(host.local('/usr/local/sbin/slow-mv'), '0.4');
    rmSync(host.local('/usr/local/sbin/mv-callers'), { force: true });
    try {
      // the steps of the runner: the script stored (its own connection), then run with or without a terminal
      const runId = newRunId();
      const script = buildApplyScript(planApply(c.files, { hostLabel: 'cut', runId }));
      const stored = await runArgv([...sshPrefix(target, { tty: false, batch: true }), storeCommand(runId)], { input: script, timeoutMs: 30_000 });
      assert.equal(stored.code, 0, stored.transcript);
      const argv = [...sshPrefix({ ...target, options: tty ? ['-t'] : [] }, { tty, batch: true }), runCommand(runId, false)];
      const ac = new AbortController();
      const run = runArgv(argv, { signal: ac.signal });
      try {
        // kill once the third file is being moved in place
        const deadline = Date.now() + 20_000;
        while (lines('/usr/local/sbin/mv-callers').length < 3 && Date.now() < deadline) await sleep(20);
        assert.ok(lines('/usr/local/sbin/mv-callers').length >= 3, 'the apply did not get going');
        const mid = c.check(true);
        assert.ok(mid.new >= 1 && mid.new < 6, `it is cut after some writes and before the last (${JSON.stringify(mid)})`);
      } finally {
        ac.abort(); // SIGTERM to the ssh client: the connection drops
      }
      const r = await run;
      assert.notEqual(r.code, 0);
      await sessionsGone();
      assert.deepEqual(c.check(), { old: 6, new: 0 }, 'the interrupted script put every file back');
      // (the host's /tmp is this machine's) the run's folder went with the interrupted script
      assert.ok(!existsSync(`/tmp/xen-apply-${runId}`), 'the run folder is gone');
    } finally {
      rmSync(host.local('/usr/local/sbin/slow-mv'), { force: true });
    }
  });
}

test("the host's script or its sshd session killed outright (SIGKILL, no trap runs): each file whole; the next apply finishes the job", { skip }, async () => {
  for (const victim of ['sh', 'sshd'] as const) {
    const c = cutCase(`kill${victim}`);
    writeFileSync(host.local('/usr/local/sbin/slow-mv'), '0.4');
    rmSync(host.local('/usr/local/sbin/mv-callers'), { force: true });
    try {
      const ac = new AbortController();
      const run = runScriptOverSsh(target, buildApplyScript(planApply(c.files, { hostLabel: 'kill' })), { timeoutMs: 60_000, signal: ac.signal });
      const deadline = Date.now() + 20_000;
      // each file takes two renames (its backup's, then its own): the fifth is the third file's backup
      while (lines('/usr/local/sbin/mv-callers').length < 5 && Date.now() < deadline) await sleep(20);
      const scriptPid = Number(lines('/usr/local/sbin/mv-callers')[0]);
      assert.ok(scriptPid > 0, 'the apply did not get going');
      // pids as seen from this machine: the host shares its pid namespace. Only processes this test started.
      // pids as seen from this machine (the host shares its pid namespace); only processes this test started
      const victims = [scriptPid];
      if (victim === 'sshd') {
        // the sshd processes of this session: the script's ancestors below the listening sshd
        victims.length = 0;
        const parent = (p: number): number => Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
        for (let p = parent(scriptPid); p > 1 && p !== host.sshdPid; p = parent(p)) {
          if (readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'sshd') victims.push(p);
        }
        assert.ok(victims.length >= 1, "found the session's sshd");
      }
      for (const pid of victims) process.kill(pid, 'SIGKILL');
      await sessionsGone();
      // with its sshd gone the client may not notice at once (the ProxyCommand's nc keeps its end open)
      ac.abort();
      const r = await run;
      assert.notEqual(r.code, 0);
      // no trap ran: files may be a mix of old and new ones, each whole; a temporary file may be left
      const got = c.check(true);
      assert.equal(got.old + got.new, 6);
      if (victim === 'sh') assert.ok(got.new >= 2 && got.old >= 1, `killed mid-way, nothing undid it: a mix of whole files (${JSON.stringify(got)})`);
    } finally {
      rmSync(host.local('/usr/local/sbin/slow-mv'), { force: true });
    }
    const again = await runScriptOverSsh(target, buildApplyScript(planApply(c.files, { hostLabel: 'kill' })), { timeoutMs: 60_000 });
    assert.equal(again.code, ApplyExit.Applied, again.transcript);
    assert.deepEqual(c.check(), { old: 0, new: 6 });
  }
});

test('sudo: the password prompt shows in the terminal and the answer typed there is taken; the script runs as root', { skip }, async () => {
  sudo.check();
  const content = "# written through sudo\nvif = [ 'ip=80.68.86.195' ]\n";
  const script = buildApplyScript(planApply([{ path: '/etc/xen/sudo.cfg', content }], { hostLabel: 'sudo' }));
  // a wrong password three times: sudo gives up, the script never runs
  const wrongId = newRunId();
  const wrong = await applyWithSudo(script, 'not-the-password', wrongId);
  // (the host's /tmp is this machine's: the stored script went with the failed run)
  assert.ok(!existsSync(`/tmp/xen-apply-${wrongId}`), 'the stored script is removed when sudo refuses');
  assert.equal(wrong.code, 1, wrong.transcript);
  assert.equal(wrong.prompts, 3, wrong.transcript);
  assert.match(describeApplyExit(wrong.code), /sudo/);
  assert.equal(host.read('/etc/xen/sudo.cfg'), null);
  // no terminal at all: sudo cannot ask, and says so
  const noTty = await runScriptOverSsh({ ...target, destination: `${SUDO_USER.name}@${host.alias}` }, script, { sudo: true, timeoutMs: 30_000 });
  assert.equal(noTty.code, 1, noTty.transcript);
  assert.match(noTty.transcript, /sudo: a terminal is required|sudo: a password is required/);
  // the right one
  const ok = await applyWithSudo(script, SUDO_USER.password, newRunId());
  assert.equal(ok.code, ApplyExit.Applied, ok.transcript);
  assert.equal(ok.prompts, 1);
  assert.ok(progress(ok.transcript).includes('created: /etc/xen/sudo.cfg'), ok.transcript);
  assert.ok(!progress(ok.transcript).some((l) => l.startsWith('warning: not running as root')), 'ran as root');
  assert.equal(host.read('/etc/xen/sudo.cfg')?.toString(), content);
  const again = await applyWithSudo(script, SUDO_USER.password, newRunId());
  assert.equal(again.code, ApplyExit.NothingToChange, again.transcript);
  rmSync(host.local('/etc/xen/sudo.cfg'));
});

test('the test host refuses to start on a namespace that exists, and leaves nothing behind when stopped', { skip }, async () => {
  const h = await startSshHost();
  const { ns, scratch } = h;
  assert.ok(existsSync(`/run/netns/${ns}`));
  h.stop();
  assert.ok(!existsSync(`/run/netns/${ns}`), 'namespace deleted');
  assert.ok(!existsSync(scratch), 'scratch folder removed');
  // a namespace of the same name: made by hand here, then refused
  mkdirSync('/run/netns', { recursive: true });
  const clash = `xnt-dom0-clash${randomBytes(2).toString('hex')}`;
  assert.equal(spawnSync('ip', ['netns', 'add', clash]).status, 0);
  try {
    await assert.rejects(startSshHost({}, { name: clash }), /exists already: refusing to start/);
  } finally {
    spawnSync('ip', ['netns', 'del', clash]);
  }
});
