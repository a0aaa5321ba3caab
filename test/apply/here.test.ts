// "Apply Here" (issue 15): the local runner (apply/runner.ts localRunnerScript) and the
// preparation on this machine's own /etc (features/apply.ts prepareApplyHere).
//
// The runner runs for real, with a stand-in payload in place of the apply script (the real script
// would change this machine's /etc; test/apply/script.test.ts runs that one in scratch folders):
// it stores the payload with mkdir in a fresh /tmp/xen-apply-ID, runs it (through a recording sudo
// when asked), and after the payload's Pending asks for the confirmation on its standard input.
// The preparation runs in a private mount namespace (unshare -m) in which a test host's network/
// and xen/ folders are bound over /etc/network and /etc/xen: this machine's /etc is never written.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplyExit, LOCAL_CONFIRM_WORD, localRunnerScript, newRunId, runDirOf, writeRunFiles } from '../../server/src/apply/index';
import { prepareApplyHere } from '../../server/src/features/apply';
import { HostIndex } from '../../server/src/host/index';
import { defaultSettings } from '../../server/src/core/settings';
import { HOSTILE, shellcheck } from './helpers';
import { requirement } from '../support/requirements';
import { ROUTED_INTERFACES_NO_BROADCAST, ROUTED_SXP, VM1 } from '../support/lsp-server';

const scratch: string[] = [];
after(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

test('the local runner passes shellcheck, with and without sudo, whatever the host is called', () => {
  for (const sudo of [false, true]) {
    const runner = localRunnerScript({ runId: 'ab'.repeat(16), sudo, confirmSeconds: 60, hostLabel: HOSTILE.join('') });
    assert.equal(shellcheck(runner), '', `sudo: ${sudo}`);
    assert.ok(!runner.includes('ssh'), 'no ssh in a local run');
  }
});

/** A payload standing in for the apply script: exits `exit`; on Pending, leaves a waiter that answers a confirmation with `kept`, as the script's waiter does. */
function payload(exit: number, mark: string): string {
  return [
    '#!/bin/sh',
    `printf 'payload ran as %s\\n' "$(id -u)" > ${mark}`,
    'd=${0%/*}',
    'rm -f -- "$d/script"',
    ...(exit === ApplyExit.Pending
      ? [
          '( i=0; while [ $i -lt 100 ]; do if [ -e "$d/confirmed" ]; then : > "$d/kept"; exit 0; fi; sleep 0.1; i=$((i+1)); done; : > "$d/reverted" ) </dev/null >/dev/null 2>&1 &',
        ]
      : []),
    `exit ${exit}`,
    '',
  ].join('\n');
}

function runLocal(exit: number, answer: string, opts: { sudo?: boolean; confirmSeconds?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'xnt-here-'));
  scratch.push(dir);
  const mark = join(dir, 'ran');
  const runId = newRunId();
  // (a run left waiting for a confirmation keeps its folder in /tmp: removed after the tests)
  scratch.push(runDirOf(runId));
  const runner = localRunnerScript({ runId, sudo: !!opts.sudo, confirmSeconds: opts.confirmSeconds ?? 5, hostLabel: 'dom0 (this host)' });
  const files = writeRunFiles(runner, payload(exit, mark), dir);
  // a sudo that records its arguments and runs them (the real one would ask for a password)
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'sudo'), `#!/bin/sh\nprintf '%s\\n' "$*" > ${join(dir, 'sudo-args')}\nexec "$@"\n`);
  chmodSync(join(dir, 'bin', 'sudo'), 0o755);
  const r = spawnSync(files.argv[0], files.argv.slice(1), {
    input: answer,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}` },
    timeout: 30_000,
  });
  return {
    r,
    runId,
    dir,
    files,
    ran: existsSync(mark),
    sudoArgs: existsSync(join(dir, 'sudo-args')) ? readFileSync(join(dir, 'sudo-args'), 'utf8') : undefined,
  };
}

test(`the local runner: the person types ${LOCAL_CONFIRM_WORD}: confirmed (exit 0), its folders gone`, () => {
  const { r, runId, files, ran, sudoArgs } = runLocal(ApplyExit.Pending, `${LOCAL_CONFIRM_WORD}\n`);
  assert.equal(r.status, ApplyExit.Applied, r.stdout + r.stderr);
  assert.ok(ran, 'the payload ran');
  assert.equal(sudoArgs, undefined, 'no sudo asked');
  assert.match(r.stdout, /storing the script in \/tmp\/xen-apply-/);
  assert.match(r.stdout, /result: applied and confirmed/);
  assert.ok(!existsSync(runDirOf(runId)), 'the run folder in /tmp is gone');
  assert.ok(!existsSync(files.dir), "the runner's own folder is gone");
});

test('the local runner: anything else typed, or nothing: not confirmed (exit 16), the host left to go back', () => {
  for (const answer of ['no\n', '']) {
    const { r } = runLocal(ApplyExit.Pending, answer, { confirmSeconds: 2 });
    assert.equal(r.status, ApplyExit.NotConfirmed, JSON.stringify(answer) + r.stdout + r.stderr);
    assert.match(r.stdout, /not confirmed: whatever the script changed goes back/);
  }
});

test("the local runner: the script's own end is the run's (nothing to change: 10), with sudo when asked, the run folder removed", () => {
  const { r, runId, sudoArgs } = runLocal(ApplyExit.NothingToChange, '', { sudo: true });
  assert.equal(r.status, ApplyExit.NothingToChange, r.stdout + r.stderr);
  assert.equal(sudoArgs?.trim(), `sh ${runDirOf(runId)}/script`);
  assert.match(r.stdout, /running it with sudo/);
  assert.ok(!existsSync(runDirOf(runId)));
});

test('the local runner: a run folder that exists already (a guessed name) is not used: nothing runs (exit 17)', () => {
  const runId = newRunId();
  mkdirSync(runDirOf(runId), { mode: 0o700 });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'xnt-here-'));
    scratch.push(dir);
    const mark = join(dir, 'ran');
    const files = writeRunFiles(localRunnerScript({ runId, sudo: false, confirmSeconds: 5, hostLabel: 'h' }), payload(0, mark), dir);
    const r = spawnSync(files.argv[0], files.argv.slice(1), { input: '', encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, ApplyExit.NotSent, r.stdout + r.stderr);
    assert.ok(!existsSync(mark), 'the payload did not run');
  } finally {
    rmSync(runDirOf(runId), { recursive: true, force: true });
  }
});

test('Apply Here is refused for a folder that is not this machine, or not a workspace folder', () => {
  const index = new HostIndex();
  for (const [folderUri, folders] of [
    ['file:///srv/mirror', ['file:///srv/mirror']],
    ['file:///etc/xen', ['file:///srv/mirror']],
    ['', ['file:///etc/xen']],
  ] as const) {
    const p = prepareApplyHere({ folderUri, workspaceFolderUris: [...folders] }, index, [], defaultSettings);
    assert.equal(p.ok, false, folderUri);
    if (!p.ok) assert.match(p.errors.join(' '), /Apply Here applies to this machine only/);
  }
});

// ---- the preparation on a live /etc, in a private mount namespace ----

const ns = requirement(
  process.getuid?.() !== 0 ? 'needs root (a private mount namespace)' : spawnSync('unshare', ['--version']).error ? 'unshare (util-linux) is missing' : null,
  'SKIP_ROOT',
);

const INTERFACES = ROUTED_INTERFACES_NO_BROADCAST;
const SXP = ROUTED_SXP;

if (process.env.XNT_HERE_CHILD === '1') {
  // in the namespace: /etc/network and /etc/xen are the test host's; an edit of vm1.cfg is open, unsaved
  const open = [{ uri: 'file:///etc/xen/vm1.cfg', languageId: 'xen-domain', version: 2, getText: () => VM1.replace('194', '195') }];
  const p = prepareApplyHere({ folderUri: 'file:///etc/xen', workspaceFolderUris: ['file:///etc/xen/'] }, new HostIndex(), open, defaultSettings);
  process.stdout.write(`\n@@PREPARED@@${JSON.stringify(p)}@@END@@\n`);
} else {
  test(
    'Apply Here on a live /etc/xen: the unsaved edit against the disk, /etc/network/interfaces read from outside the folder, nothing but the host table read, no sudo as root',
    { skip: ns.skip },
    () => {
      ns.check();
      const dir = mkdtempSync(join(tmpdir(), 'xnt-here-etc-'));
      scratch.push(dir);
      mkdirSync(join(dir, 'network'));
      mkdirSync(join(dir, 'xen'));
      writeFileSync(join(dir, 'network', 'interfaces'), INTERFACES);
      writeFileSync(join(dir, 'xen', 'xend-config.sxp'), SXP);
      writeFileSync(join(dir, 'xen', 'vm1.cfg'), VM1);
      // a domain file that is a link to a file of /etc outside the table: never read, never sent
      symlinkSync('/etc/hostname', join(dir, 'xen', 'leak.cfg'));
      const r = spawnSync(
        'unshare',
        [
          '-m',
          '--propagation',
          'private',
          'sh',
          '-c',
          'mount --bind "$1/network" /etc/network && mount --bind "$1/xen" /etc/xen && exec "$2" "$3"',
          'sh',
          dir,
          process.execPath,
          __filename,
        ],
        { encoding: 'utf8', env: { ...process.env, XNT_HERE_CHILD: '1' }, timeout: 60_000 },
      );
      assert.equal(r.status, 0, r.stderr);
      const m = /@@PREPARED@@(.*)@@END@@/.exec(r.stdout);
      assert.ok(m, r.stdout + r.stderr);
      const p = JSON.parse(m[1]);
      assert.equal(p.ok, true, JSON.stringify(p));
      assert.equal(p.hostName, `${hostname()} (this host)`);
      assert.deepEqual(p.local, { sudo: false, confirmWord: LOCAL_CONFIRM_WORD });
      const byPath = new Map<string, { changes: boolean; text: string; remote: { state: string; text?: string } }>(
        p.files.map((f: { path: string }) => [f.path, f]),
      );
      assert.deepEqual(
        [...byPath.keys()].filter((k) => k.startsWith('/etc/xen/') || k.startsWith('/etc/network/')),
        ['/etc/network/interfaces', '/etc/xen/vm1.cfg', '/etc/xen/xend-config.sxp'],
      );
      const vm1 = byPath.get('/etc/xen/vm1.cfg')!;
      assert.equal(vm1.changes, true);
      assert.match(vm1.text, /80\.68\.86\.195/);
      assert.equal(vm1.remote.state, 'file');
      assert.match(vm1.remote.text!, /80\.68\.86\.194/);
      assert.equal(byPath.get('/etc/network/interfaces')!.changes, false);
      // the script checks each file is what was read, and brings dummy0 up; the runner is local, without sudo
      assert.match(p.script, /80\.68\.86\.19[45]|base64/);
      assert.ok(
        p.commands.some((c: string) => /bring up dummy0/.test(c)),
        p.commands.join('; '),
      );
      assert.match(p.runner, /\nsh "\$d\/script"\n/);
      assert.ok(!/sudo sh/.test(p.runner));
      // nothing of /etc/hostname (the link) reached the answer
      const host = readFileSync('/etc/hostname', 'utf8').trim();
      assert.ok(!p.files.some((f: { path: string }) => /leak|hostname/.test(f.path)), JSON.stringify(p.files.map((f: { path: string }) => f.path)));
      if (host.length > 3) assert.ok(!JSON.stringify(p.files).includes(host), 'the text of /etc/hostname is in the answer');
    },
  );
}
