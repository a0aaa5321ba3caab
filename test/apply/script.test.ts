// The apply script run by the real sh (dash) and bash on files in a temporary folder of this
// machine: backups, atomic writes, idempotence, rollback, hostile names, signals, shellcheck.
// (The same script over real ssh on a namespaced host: ssh-apply.test.ts.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import {
  ApplyExit,
  buildApplyScript,
  commandsFor,
  planApply,
  planProblems,
  sshStdinArgv,
  runnerScript,
  confirmScript,
  fetchScript,
  describeApplyExit,
  type ApplyPlan,
  type FileToWrite,
} from '../../server/src/apply';
import { HOSTILE, progress, runSh, shellcheck, snapshot, startSh, sleep } from './helpers';
import { requirement } from '../support/requirements';

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'xnt-apply-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** A fresh root folder with etc/network, etc/xen and a backups folder. */
function root(): { dir: string; etc: string; backups: string } {
  const dir = join(tmp, `r${n++}`);
  mkdirSync(join(dir, 'etc/network'), { recursive: true });
  mkdirSync(join(dir, 'etc/xen'), { recursive: true });
  return { dir, etc: join(dir, 'etc'), backups: join(dir, 'backups') };
}

/**
 * The environment of a script whose `mv` is the real one after a pause of `seconds`: so that a
 * test can act (a signal, a second run) between two of its writes.
 */
function slowMv(r: { dir: string }, seconds: number): NodeJS.ProcessEnv {
  const stand = join(r.dir, 'bin');
  mkdirSync(stand, { recursive: true });
  writeFileSync(join(stand, 'mv'), `#!/bin/sh\nsleep ${seconds}\nexec /bin/mv "$@"\n`);
  chmodSync(join(stand, 'mv'), 0o755);
  return { ...process.env, PATH: `${stand}:${process.env.PATH}` };
}

const OLD_IF = 'auto lo\niface lo inet loopback\n';
const NEW_IF = OLD_IF + '\nauto dummy0\niface dummy0 inet static\n    address 80.68.86.193\n    netmask 255.255.255.248\n    broadcast 80.68.86.199\n';
const XEND = "(network-script network-route)\n(vif-script 'vif-route netdev=dummy0')\n";

function backupRuns(backups: string): string[] {
  return existsSync(backups)
    ? readdirSync(backups)
        .filter((n) => !n.startsWith('.'))
        .sort()
    : [];
}

for (const shell of ['sh', 'bash']) {
  test(`${shell}: writes, backs up, and a second run changes nothing (exit 10)`, () => {
    const r = root();
    writeFileSync(join(r.etc, 'network/interfaces'), OLD_IF);
    writeFileSync(join(r.etc, 'modules'), 'loop\n');
    const files: FileToWrite[] = [
      { path: join(r.etc, 'network/interfaces'), content: NEW_IF },
      { path: join(r.etc, 'modules'), content: 'loop\n' }, // already so
      { path: join(r.etc, 'xen/xend-config.sxp'), content: XEND }, // new file
    ];
    const script = buildApplyScript({ hostLabel: 'dom0', files, commands: [], backupRoot: r.backups });
    const first = runSh(script, { shell });
    assert.equal(first.code, ApplyExit.Applied, first.stdout + first.stderr);
    assert.equal(readFileSync(join(r.etc, 'network/interfaces'), 'utf8'), NEW_IF);
    assert.equal(readFileSync(join(r.etc, 'xen/xend-config.sxp'), 'utf8'), XEND);
    const runs = backupRuns(r.backups);
    assert.equal(runs.length, 1);
    // the backup mirrors the path below the run's folder and holds the old content
    assert.equal(readFileSync(join(r.backups, runs[0], r.etc, 'network/interfaces'), 'utf8'), OLD_IF);
    assert.ok(!existsSync(join(r.backups, runs[0], r.etc, 'modules')), 'an unchanged file is not backed up');
    const lines = progress(first.stdout);
    assert.ok(
      lines.some((l) => l.startsWith('unchanged:') && l.endsWith('/etc/modules')),
      first.stdout,
    );
    assert.ok(
      lines.some((l) => l.startsWith('created:') && l.endsWith('xend-config.sxp')),
      first.stdout,
    );
    assert.ok(
      lines.some((l) => l.startsWith('backed up:') && l.endsWith('network/interfaces')),
      first.stdout,
    );
    assert.match(lines.at(-1)!, /^result: applied \(2 file\(s\) written, 1 of them new, 0 command\(s\) run\)$/);
    // no temporary file left next to the targets
    assert.deepEqual(
      readdirSync(join(r.etc, 'network')).filter((f) => f.startsWith('.')),
      [],
    );

    const before = snapshot(r.dir);
    const second = runSh(script, { shell });
    assert.equal(second.code, ApplyExit.NothingToChange, second.stdout + second.stderr);
    assert.match(second.stdout, /result: nothing to change/);
    assert.deepEqual(snapshot(r.dir), before, 'the second run touched nothing (files, times, backups)');
  });
}

const asRoot = requirement(process.getuid?.() === 0 ? null : 'needs root (to give a file another owner)', 'SKIP_ROOT');
test("keeps the old file's mode and owner; new files get 0644", { skip: asRoot.skip }, () => {
  asRoot.check();
  const r = root();
  const p = join(r.etc, 'xen/secret.cfg');
  writeFileSync(p, 'old\n');
  chmodSync(p, 0o600);
  chownSync(p, 1234, 4321);
  const res = runSh(
    buildApplyScript({
      hostLabel: 'h',
      files: [
        { path: p, content: 'new\n' },
        { path: join(r.etc, 'xen/fresh.cfg'), content: 'x\n' },
      ],
      commands: [],
      backupRoot: r.backups,
    }),
  );
  assert.equal(res.code, 0, res.stdout);
  const st = statSync(p);
  assert.equal(st.mode & 0o777, 0o600);
  assert.equal(st.uid, 1234);
  assert.equal(st.gid, 4321);
  assert.equal(statSync(join(r.etc, 'xen/fresh.cfg')).mode & 0o777, 0o644);
  const bk = join(r.backups, backupRuns(r.backups)[0], p);
  assert.equal(statSync(bk).mode & 0o777, 0o600, 'the backup keeps the mode too');
  assert.equal(readFileSync(bk, 'utf8'), 'old\n');
});

test('any bytes are written exactly: NUL, no final newline, the here-document marker, invalid UTF-8, empty', () => {
  const r = root();
  const contents: Array<[string, Buffer]> = [
    ['bin', Buffer.from([0, 1, 2, 255, 254, 10, 0, 13, 10])],
    ['nonl', Buffer.from('no final newline')],
    ['marker', Buffer.from('XEN_APPLY_DATA\nXEN_APPLY_DATA\n$(touch x)\n`id`\n')],
    ['empty', Buffer.alloc(0)],
    ['big', randomBytes(200_000)],
  ];
  const files = contents.map(([name, b]) => ({ path: join(r.etc, 'xen', name), content: b }));
  const res = runSh(buildApplyScript({ hostLabel: 'h', files, commands: [], backupRoot: r.backups }));
  assert.equal(res.code, 0, res.stdout + res.stderr);
  for (const [name, b] of contents) assert.ok(readFileSync(join(r.etc, 'xen', name)).equals(b), name);
  const again = runSh(buildApplyScript({ hostLabel: 'h', files, commands: [], backupRoot: r.backups }));
  assert.equal(again.code, ApplyExit.NothingToChange, again.stdout);
});

test('a failure after the first change undoes it: changed files restored, created files removed (exit 11)', () => {
  const r = root();
  writeFileSync(join(r.etc, 'network/interfaces'), OLD_IF);
  writeFileSync(join(r.dir, 'not-a-folder'), 'x');
  const before = snapshot(r.etc);
  const res = runSh(
    buildApplyScript({
      hostLabel: 'h',
      files: [
        { path: join(r.etc, 'xen/new.cfg'), content: 'created first\n' },
        { path: join(r.etc, 'network/interfaces'), content: NEW_IF }, // its backup cannot be made
      ],
      commands: [],
      backupRoot: join(r.dir, 'not-a-folder/backups'),
      lockPath: join(r.dir, 'apply-lock'), // (the lock can be made, the backups cannot)
    }),
  );
  assert.equal(res.code, ApplyExit.FailedRestored, res.stdout + res.stderr);
  const lines = progress(res.stdout);
  assert.ok(lines.includes(`created: ${join(r.etc, 'xen/new.cfg')}`), res.stdout);
  assert.ok(lines.includes(`removed (it did not exist before): ${join(r.etc, 'xen/new.cfg')}`), res.stdout);
  assert.match(lines.at(-1)!, /^result: failed \(every change was undone/);
  assert.deepEqual(snapshot(r.etc), before, 'the tree is as before, no temporary file left');
});

test('a failure while preparing changes nothing (exit 11): missing folder, symbolic link, a folder in the way', () => {
  for (const [what, make] of [
    ['missing folder', (r: ReturnType<typeof root>) => join(r.etc, 'nope/file')],
    [
      'symbolic link',
      (r: ReturnType<typeof root>) => {
        writeFileSync(join(r.etc, 'xen/real'), 'x');
        spawnSync('ln', ['-s', 'real', join(r.etc, 'xen/link')]);
        return join(r.etc, 'xen/link');
      },
    ],
    [
      'folder',
      (r: ReturnType<typeof root>) => {
        mkdirSync(join(r.etc, 'xen/dir.cfg'));
        return join(r.etc, 'xen/dir.cfg');
      },
    ],
  ] as const) {
    const r = root();
    writeFileSync(join(r.etc, 'network/interfaces'), OLD_IF);
    const bad = make(r);
    const before = snapshot(r.dir);
    const res = runSh(
      buildApplyScript({
        hostLabel: 'h',
        files: [
          { path: join(r.etc, 'network/interfaces'), content: NEW_IF },
          { path: bad, content: 'y' },
        ],
        commands: [],
        backupRoot: r.backups,
      }),
    );
    assert.equal(res.code, ApplyExit.FailedRestored, `${what}: ${res.stdout}`);
    assert.match(res.stdout, /result: failed \(nothing was changed\)/, what);
    // (the lock file stays where it was made: removing a flock file would let two runs hold "the lock")
    const after = snapshot(r.dir);
    assert.match(after.get('backups/.apply.lock') ?? '', /^file 644 /, what);
    after.delete('backups/.apply.lock');
    after.delete('backups');
    assert.deepEqual(after, before, what);
  }
});

test('hostile file names and host names run nothing and are written under their exact names', () => {
  const r = root();
  const mark = join(tmp, `pwned-${randomBytes(4).toString('hex')}`);
  const names = HOSTILE.map((h) => h.replaceAll('MARK', mark).replaceAll('/', '_'));
  const files = names.map((nm) => ({ path: join(r.etc, 'xen', `${nm}.cfg`), content: `name = "${nm.replaceAll('\n', ' ')}"\n$(touch ${mark})\n` }));
  for (const h of HOSTILE) {
    const label = h.replaceAll('MARK', mark);
    const script = buildApplyScript({
      hostLabel: label,
      files,
      commands: [{ kind: 'note', text: label, ifChanged: files.map((f) => f.path) }],
      backupRoot: join(r.backups, label.replaceAll('/', '_')),
    });
    const res = runSh(script);
    assert.ok(res.code === ApplyExit.Applied || res.code === ApplyExit.NothingToChange, res.stdout + res.stderr);
    // every line of output is a progress line: no value broke a line or printed one of its own
    for (const line of res.stdout.split('\n').filter((l) => l !== '')) assert.ok(line.startsWith('xen-apply: '), JSON.stringify(line));
    assert.ok(!existsSync(mark), `a command ran for ${JSON.stringify(h)}`);
  }
  const written = readdirSync(join(r.etc, 'xen')).sort();
  assert.deepEqual(written, names.map((nm) => `${nm}.cfg`).sort());
  for (const f of files) assert.equal(readFileSync(f.path, 'utf8'), f.content);
  assert.ok(!existsSync(mark));
});

test('SIGHUP (a dropped terminal) in the middle: every file back to the old one, exit 11', async () => {
  const r = root();
  // a slow mv: the script is interrupted between two writes
  const env = slowMv(r, 0.15);
  const files: FileToWrite[] = [];
  for (let i = 0; i < 6; i++) {
    writeFileSync(join(r.etc, `xen/g${i}.cfg`), `old ${i}\n`);
    files.push({ path: join(r.etc, `xen/g${i}.cfg`), content: `new ${i}\n`.repeat(100) });
  }
  const before = snapshot(r.etc);
  const { child, done } = startSh(buildApplyScript({ hostLabel: 'h', files, commands: [], backupRoot: r.backups }), env);
  // once a file is in place (each takes two slow renames: its backup's, then its own)
  const deadline = Date.now() + 30_000;
  while (!files.some((f) => readFileSync(f.path, 'utf8').startsWith('new')) && Date.now() < deadline) await sleep(20);
  child.kill('SIGHUP');
  const res = await done;
  assert.equal(res.code, ApplyExit.FailedRestored, res.stdout + res.stderr);
  // (a file was in place when the signal came: there was a change to undo)
  assert.ok(
    progress(res.stdout).some((l) => l.startsWith('restored:')),
    'it was interrupted after a write: ' + res.stdout,
  );
  assert.match(res.stdout, /failed: interrupted/);
  assert.match(res.stdout, /result: failed \(every change was undone/);
  assert.deepEqual(snapshot(r.etc), before);
});

test('SIGKILL (no trap can run) in the middle: each file is whole, the old one or the new one', async () => {
  const r = root();
  const env = slowMv(r, 0.2);
  let sawMix = false;
  for (const wanted of [1, 3, 5]) {
    const files: FileToWrite[] = [];
    for (let i = 0; i < 8; i++) {
      writeFileSync(join(r.etc, `xen/k${i}.cfg`), `old ${i}\n`.repeat(5000));
      files.push({ path: join(r.etc, `xen/k${i}.cfg`), content: `new ${i}\n`.repeat(7000) });
    }
    const { child, done } = startSh(buildApplyScript({ hostLabel: 'h', files, commands: [], backupRoot: r.backups }), env);
    // kill once `wanted` files are in place (each takes two slow renames: its backup's and its own)
    const placed = (): number => files.filter((f) => readFileSync(f.path, 'utf8').startsWith('new')).length;
    const deadline = Date.now() + 30_000;
    while (placed() < wanted && Date.now() < deadline) await sleep(20);
    child.kill('SIGKILL');
    await done;
    // (the rename the kill interrupted is a child the kill did not reach: it ends, whole, within 0.2 s)
    await sleep(500);
    let news = 0;
    for (let i = 0; i < 8; i++) {
      const got = readFileSync(join(r.etc, `xen/k${i}.cfg`), 'utf8');
      const isOld = got === `old ${i}\n`.repeat(5000);
      const isNew = got === `new ${i}\n`.repeat(7000);
      assert.ok(isOld || isNew, `k${i}.cfg is neither the old nor the new file (${got.length} bytes)`);
      if (isNew) news++;
    }
    if (news > 0 && news < 8) sawMix = true;
    // the next run cleans the temporary files the killed run left and finishes the job
    const again = runSh(buildApplyScript({ hostLabel: 'h', files, commands: [], backupRoot: r.backups }));
    assert.ok(again.code === ApplyExit.Applied || again.code === ApplyExit.NothingToChange, again.stdout);
    assert.deepEqual(
      readdirSync(join(r.etc, 'xen')).filter((f) => f.startsWith('.')),
      [],
      'no temporary file left',
    );
  }
  assert.ok(sawMix, 'at least one kill landed between two writes (else the test proved nothing)');
});

test("regression: two applies 0.3 s apart: exactly one applies, the other says busy (exit 13) and changes nothing; the host ends all one run's", async () => {
  for (let round = 0; round < 3; round++) {
    const r = root();
    const env = slowMv(r, 0.2);
    const first: FileToWrite[] = [];
    const second: FileToWrite[] = [];
    for (let i = 0; i < 4; i++) {
      writeFileSync(join(r.etc, `xen/c${i}.cfg`), `old ${i}\n`);
      first.push({ path: join(r.etc, `xen/c${i}.cfg`), content: `first ${i}\n` });
      second.push({ path: join(r.etc, `xen/c${i}.cfg`), content: `second ${i}\n` });
    }
    const a = startSh(buildApplyScript({ hostLabel: 'h', files: first, commands: [], backupRoot: r.backups }), env);
    await sleep(300);
    const b = startSh(buildApplyScript({ hostLabel: 'h', files: second, commands: [], backupRoot: r.backups }), env);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    const codes = [ra.code, rb.code].sort();
    assert.deepEqual(codes, [ApplyExit.Applied, ApplyExit.Busy], ra.stdout + rb.stdout);
    const [won, lost] = ra.code === ApplyExit.Applied ? ['first', rb] : ['second', ra];
    assert.match(lost.stdout, /another apply to this host is running/);
    assert.match(lost.stdout, /result: busy \(nothing was changed\)/);
    for (let i = 0; i < 4; i++) assert.equal(readFileSync(join(r.etc, `xen/c${i}.cfg`), 'utf8'), `${won} ${i}\n`, 'every file from the run that applied');
    assert.deepEqual(
      readdirSync(join(r.etc, 'xen')).filter((f) => f.startsWith('.')),
      [],
      'no temporary file left',
    );
    // the lock went with the run: the next one applies
    const c = runSh(buildApplyScript({ hostLabel: 'h', files: won === 'first' ? second : first, commands: [], backupRoot: r.backups }));
    assert.equal(c.code, ApplyExit.Applied, c.stdout);
  }
  assert.match(describeApplyExit(ApplyExit.Busy), /another apply to this host was running/);
});

test('a run killed outright (SIGKILL) releases the lock with it; its temporary files are cleaned by the next run; a lock that cannot be made fails cleanly', async () => {
  const r = root();
  const env = slowMv(r, 0.5);
  const files: FileToWrite[] = [0, 1, 2].map((i) => ({ path: join(r.etc, `xen/k${i}.cfg`), content: `new ${i}\n` }));
  for (let i = 0; i < 3; i++) writeFileSync(join(r.etc, `xen/k${i}.cfg`), `old ${i}\n`);
  const a = startSh(buildApplyScript({ hostLabel: 'h', files, commands: [], backupRoot: r.backups }), env);
  // in its first rename, holding the lock, its temporary files made
  const deadline = Date.now() + 30_000;
  while (!readdirSync(join(r.etc, 'xen')).some((f) => f.includes('.xen-new.')) && Date.now() < deadline) await sleep(20);
  await sleep(100);
  assert.ok(
    readdirSync(join(r.etc, 'xen')).some((f) => f.includes('.xen-new.')),
    'the first run made its temporary files',
  );
  a.child.kill('SIGKILL');
  await a.done;
  // (its mv, a child that the kill did not reach, ends its pause and exits: it held the lock's fd too)
  await sleep(1000);
  const b = runSh(buildApplyScript({ hostLabel: 'h', files, commands: [], backupRoot: r.backups }));
  assert.equal(b.code, ApplyExit.Applied, b.stdout + b.stderr);
  assert.deepEqual(
    readdirSync(join(r.etc, 'xen')).filter((f) => f.startsWith('.')),
    [],
    "the dead run's temporary files are gone",
  );
  // the backup root cannot be made (a file stands where its folder would be): exit 11, nothing changed
  const blocked = join(r.dir, 'not-a-folder');
  writeFileSync(blocked, '');
  const res = runSh(
    buildApplyScript({ hostLabel: 'h', files: files.map((f) => ({ ...f, content: 'other\n' })), commands: [], backupRoot: join(blocked, 'backups') }),
  );
  assert.equal(res.code, ApplyExit.FailedRestored, res.stdout);
  assert.match(res.stdout, /cannot make the lock file/);
  assert.equal(readFileSync(join(r.etc, 'xen/k0.cfg'), 'utf8'), 'new 0\n');
});

test('a command that leaves a process behind (a daemon) does not keep the lock: the next apply is not busy', () => {
  const r = root();
  const bin = join(r.dir, 'bin');
  mkdirSync(bin, { recursive: true });
  // a stand-in modprobe that leaves a process running, as an init script starting a daemon does
  writeFileSync(join(bin, 'modprobe'), '#!/bin/sh\n(sleep 5) >/dev/null 2>&1 &\nexit 0\n');
  chmodSync(join(bin, 'modprobe'), 0o755);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  const mod = `xnt${randomBytes(3).toString('hex')}`;
  const plan = (content: string): ApplyPlan => ({
    hostLabel: 'h',
    files: [{ path: join(r.etc, 'modules'), content }],
    commands: [{ kind: 'load-module', module: mod }],
    backupRoot: r.backups,
  });
  const a = runSh(buildApplyScript(plan(`${mod}\n`)), { env });
  assert.equal(a.code, ApplyExit.Applied, a.stdout + a.stderr);
  const b = runSh(buildApplyScript(plan(`${mod}\n# again\n`)), { env });
  assert.equal(b.code, ApplyExit.Applied, b.stdout + b.stderr);
});

test('shellcheck passes on the apply script (every kind of command, hostile values) and the fetch script', () => {
  const plans: ApplyPlan[] = [
    { hostLabel: 'dom0', files: [], commands: [] },
    planApply(
      [
        { path: '/etc/network/interfaces', content: NEW_IF },
        { path: '/etc/modules', content: 'dummy\n' },
        { path: '/etc/xen/xend-config.sxp', content: XEND },
        { path: '/etc/xen/xl.conf', content: 'vif.default.script="vif-route"\n' },
        { path: '/etc/xen/vm1.cfg', content: "vif = [ 'ip=80.68.86.194' ]\n" },
      ],
      { hostLabel: "h'$(x)" },
    ),
    {
      hostLabel: HOSTILE.join(''),
      files: HOSTILE.map((h, i) => ({ path: `/etc/xen/${i}${h.replaceAll('/', '_')}`, content: h })),
      commands: [
        // the most unusual name the plan accepts (a name with $, quotes or spaces is refused: see below)
        { kind: 'interface-up', name: 'a@b+c.d_e-f', restartIfChanged: [] },
        { kind: 'note', text: HOSTILE.join('\n'), ifChanged: [] },
      ],
    },
  ];
  plans.push({
    hostLabel: 'confirm',
    files: [
      { path: '/etc/sysctl.d/xen.conf', content: 'net.ipv4.ip_forward = 1\n', expect: 'absent' },
      { path: '/etc/modules', content: 'dummy\n', expect: 'a'.repeat(64) },
    ],
    commands: [
      { kind: 'sysctl', file: '/etc/sysctl.d/xen.conf', keys: ['net.ipv4.ip_forward', 'net.ipv4.conf.all.proxy_arp'] },
      { kind: 'load-module', module: 'dummy' },
      { kind: 'restart-xend', ifChanged: [] },
    ],
    runId: 'ab'.repeat(16),
    confirmSeconds: 5,
  });
  for (const p of plans) assert.equal(shellcheck(buildApplyScript(p)), '');
  const runner = runnerScript(
    { destination: 'root@dom0', port: 2222, configFile: "/x/it's config" },
    { runId: 'cd'.repeat(16), sudo: true, confirmSeconds: 60, hostLabel: HOSTILE.join('') },
  );
  assert.equal(shellcheck(runner), '');
  assert.equal(shellcheck(confirmScript('cd'.repeat(16))), '');
  assert.equal(shellcheck(fetchScript(['/etc/network/interfaces', '/etc/xen/*.cfg', ...HOSTILE.map((h) => `/etc/${h.replaceAll('/', '_')}`)])), '');
});

test('plans with problems are refused in plain words', () => {
  const bad = planProblems({
    hostLabel: 'h',
    files: [
      { path: 'etc/modules', content: '' },
      { path: '/etc/a/../b', content: '' },
      { path: '/etc/x', content: '' },
      { path: '/etc/x', content: '' },
      { path: '/etc/dir/', content: '' },
    ],
    commands: [
      { kind: 'load-module', module: 'dummy; reboot' },
      { kind: 'interface-up', name: 'a/b', restartIfChanged: [] },
      { kind: 'interface-up', name: 'averyveryverylongname0', restartIfChanged: [] },
      { kind: 'interface-up', name: '-all', restartIfChanged: [] },
      { kind: 'interface-up', name: '$(x)', restartIfChanged: [] },
      { kind: 'interface-up', name: 'dummy0 ', restartIfChanged: [] },
      { kind: 'interface-up', name: '..', restartIfChanged: [] },
      { kind: 'interface-up', name: 'eth0:1', restartIfChanged: [] },
    ],
  });
  assert.deepEqual(bad, [
    'a file to write must be absolute (start with /): etc/modules',
    'a file to write must not hold . or .. parts: /etc/a/../b',
    '/etc/x is listed twice',
    'a file to write must name a file, not end with /: /etc/dir/',
    'not a kernel module name: dummy; reboot',
    'not an interface name: a/b',
    'not an interface name: averyveryverylongname0',
    'not an interface name: -all',
    'not an interface name: $(x)',
    'not an interface name: dummy0 ',
    'not an interface name: ..',
    'not an interface name: eth0:1',
  ]);
  assert.throws(() => buildApplyScript({ hostLabel: 'h', files: [{ path: 'rel', content: '' }], commands: [] }), /must be absolute/);
});

test('commands chosen from the setup: xend host, xl host, nothing for unrelated files', () => {
  const xm = commandsFor([
    { path: '/etc/modules', content: '# boot\ndummy\n' },
    { path: '/etc/network/interfaces', content: NEW_IF },
    { path: '/etc/xen/xend-config.sxp', content: XEND },
  ]);
  assert.deepEqual(
    xm.map((c) => c.kind),
    ['load-module', 'interface-up', 'restart-xend'],
  );
  assert.deepEqual(xm[0], { kind: 'load-module', module: 'dummy' });
  assert.deepEqual(xm[1], { kind: 'interface-up', name: 'dummy0', restartIfChanged: ['/etc/network/interfaces'] });
  const xl = commandsFor(
    [
      { path: '/etc/xen/xl.conf', content: 'vif.default.gatewaydev="dummy0"\n' },
      { path: '/etc/xen/vm1.cfg', content: '' },
    ],
    { toolstack: 'xl' },
  );
  assert.deepEqual(
    xl.map((c) => c.kind),
    ['note', 'note'],
    'xl: nothing is restarted, the script says when the change counts',
  );
  assert.deepEqual(
    commandsFor([
      { path: '/etc/modules', content: '# dummy\nloop\n' },
      { path: '/etc/network/interfaces', content: OLD_IF },
    ]),
    [],
  );
  // another gateway interface: no module to load for a bridge, but it is brought up
  assert.deepEqual(
    commandsFor([{ path: '/etc/network/interfaces', content: 'iface br0 inet static\n' }], { gatewayInterface: 'br0' }).map((c) => c.kind),
    ['interface-up'],
  );
});

test('the script travels on standard input: no argument of ssh holds any of it, and `sh -s` runs it in any sh', () => {
  const secret = `vncpasswd=${randomBytes(8).toString('hex')}`;
  const script = buildApplyScript({ hostLabel: 'h', files: [{ path: '/etc/xen/vm1.cfg', content: `${secret}\n` }], commands: [] });
  const argv = sshStdinArgv({ destination: 'root@dom0', port: 2222 }, { sudo: true });
  assert.ok(!argv.some((a) => a.includes('vncpasswd') || a.includes(Buffer.from(secret).toString('base64').slice(0, 12))), argv.join(' '));
  assert.equal(argv.at(-1), 'sudo sh -s');
  assert.ok(
    argv.every((a) => a.length < 200),
    'a short bootstrap',
  );
  assert.ok(script.includes(Buffer.from(`${secret}\n`).toString('base64').slice(0, 20)), 'the payload is the script');
  for (const shell of ['sh', 'bash']) {
    const r = spawnSync(shell, ['-c', 'sh -s'], { input: 'echo "small $((1+1))"\n', encoding: 'utf8' });
    assert.equal(r.stdout, 'small 2\n', shell);
  }
  assert.equal(describeApplyExit(10), 'nothing to change: the host has this setup already');
  assert.match(describeApplyExit(1), /sudo/);
  assert.match(describeApplyExit(137), /killed \(signal 9\)/);
});

test('a backup that fails half-way leaves no truncated backup where the script points (temporary name, then rename); nothing is changed', () => {
  const r = root();
  const bin = join(r.dir, 'bin');
  mkdirSync(bin, { recursive: true });
  // a cp that writes half of a backup, then fails (a full disk); any other copy is the real cp
  writeFileSync(join(bin, 'cp'), '#!/bin/sh\nfor last; do :; done\ncase $last in *.xen-part) head -c 10 "$3" > "$last"; exit 1 ;; esac\nexec /bin/cp "$@"\n');
  chmodSync(join(bin, 'cp'), 0o755);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  const old = 'old content, longer than ten bytes\n';
  writeFileSync(join(r.etc, 'modules'), old);
  const res = runSh(buildApplyScript({ hostLabel: 'h', files: [{ path: join(r.etc, 'modules'), content: 'new\n' }], commands: [], backupRoot: r.backups }), {
    env,
  });
  assert.equal(res.code, ApplyExit.FailedRestored, res.stdout + res.stderr);
  assert.ok(
    progress(res.stdout).some((l) => l.startsWith('error: cannot back up')),
    res.stdout,
  );
  assert.equal(readFileSync(join(r.etc, 'modules'), 'utf8'), old);
  const runs = backupRuns(r.backups);
  const leftovers: string[] = [];
  for (const run of runs) {
    const walk = (d: string): void => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else leftovers.push(p);
      }
    };
    walk(join(r.backups, run));
  }
  assert.deepEqual(leftovers, [], 'neither a truncated backup nor its temporary file');
});

test('the expected state of each file is checked before anything changes: a mismatch stops the run (exit 15), a match goes ahead', () => {
  const r = root();
  const p = join(r.etc, 'modules');
  writeFileSync(p, 'loop\n');
  const sha = (t: string): string => createHash('sha256').update(t).digest('hex');
  const other = join(r.etc, 'xen/new.cfg');
  const plan = (expect: string): ApplyPlan => ({
    hostLabel: 'h',
    files: [
      { path: other, content: 'x\n', expect: 'absent' },
      { path: p, content: 'dummy\n', expect },
    ],
    commands: [],
    backupRoot: r.backups,
  });
  const before = snapshot(r.etc);
  const stale = runSh(buildApplyScript(plan(sha('loop\nedited\n'))));
  assert.equal(stale.code, ApplyExit.ChangedSinceReview, stale.stdout + stale.stderr);
  assert.match(stale.stdout, /result: stopped, nothing was changed/);
  assert.deepEqual(snapshot(r.etc), before);
  assert.deepEqual(backupRuns(r.backups), []);
  const ok = runSh(buildApplyScript(plan(sha('loop\n'))));
  assert.equal(ok.code, ApplyExit.Applied, ok.stdout + ok.stderr);
  assert.equal(readFileSync(p, 'utf8'), 'dummy\n');
  assert.throws(() => buildApplyScript(plan('nothex')), /neither a sha256 nor 'absent'/);
});
