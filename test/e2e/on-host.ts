// The end-to-end proof of "on the host itself" (issue 15): the editor's server runs inside a dom0
// test host's namespaces with that host's /etc as the workspace, as Remote-SSH to dom0 gives.
// Usage (scripts/e2e.sh runs it): node out/test/e2e/on-host.js
//
// The test host is a network namespace of its own (xnt-onhost-<random>, lo up) and a private
// mount namespace, as test/support/ssh-host.ts makes for the ssh tests:
//   /etc          overlay: this machine's /etc below, SCRATCH/etc-upper above (writes land there;
//                 /etc/modules and /etc/init.d/xend exist only there)
//   /etc/network  bound to SCRATCH/etc-network (the article's host; empty if-up.d etc.)
//   /etc/xen      bound to SCRATCH/etc-xen (the article's host, vm1 on a wrong address)
//   /var/backups  bound to SCRATCH/backups;  /run a fresh tmpfs;  /sys/module bound to SCRATCH/sys-module
//   /usr/local/sbin  bound to SCRATCH/sbin: the stand-in modprobe (this kernel has no dummy
//                 module: it makes dummy0 as a port-less bridge) and xend init script
// In it runs the whole VS Code (test/e2e/runner.js: code-server, its extension host and our
// server, Chromium) on the workspace folder /etc/xen, with the suite suite/onhost.ts.
// Around it, from outside: this machine's own /etc is never touched (checksums before and after),
// and dummy0 is up inside the namespace after Apply Here (`ip -n NS -4 addr show dev dummy0`).
// The namespace and the scratch folder are removed at the end, also on failure or a signal.
// Prints the suite's lines and one closing count "N passed, M failed" (the suite's and these).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { STAND_IN_MODPROBE, STAND_IN_XEND } from '../support/ssh-host';

const repoRoot = resolve(__dirname, '..', '..', '..');
const runDir = join(process.env.XEN_E2E_RUN ?? join(repoRoot, 'test', 'e2e', '.run'), 'onhost');
let passed = 0;
let failed = 0;
const out = (line: string): void => void process.stdout.write(line + '\n');
const check = (name: string, ok: boolean, detail = ''): void => {
  if (ok) passed++;
  else failed++;
  out(`${ok ? 'ok  ' : 'FAIL'} on-host: ${name}${ok || !detail ? '' : `\n      ${detail}`}`);
};

function sh(argv: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

function whyNot(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (network and mount namespaces)';
  for (const tool of ['/usr/sbin/ifup', '/usr/bin/unshare']) if (!existsSync(tool)) return `${tool} is missing (Debian packages ifupdown, util-linux)`;
  if (sh(['ip', '-V']).status !== 0) return 'ip (iproute2) is missing';
  if (!existsSync(join(repoRoot, 'out', 'test', 'e2e', 'runner.js')) || !existsSync(join(repoRoot, 'out', 'test', 'e2e', 'suite', 'onhost.js')))
    return 'the e2e tests are not built (node scripts/build.mjs)';
  return null;
}

/** What this machine's own /etc (and /var/backups) hold of what the test host writes: must not change. */
function realState(): string {
  const hash = (p: string): string => {
    try {
      return createHash('sha256').update(readFileSync(p)).digest('hex');
    } catch {
      return 'absent';
    }
  };
  const list = (p: string): string => {
    try {
      return readdirSync(p).sort().join(',');
    } catch {
      return 'absent';
    }
  };
  return JSON.stringify({
    interfaces: hash('/etc/network/interfaces'),
    modules: hash('/etc/modules'),
    xen: list('/etc/xen'),
    vm1: hash('/etc/xen/vm1.cfg'),
    xend: hash('/etc/init.d/xend'),
    backups: list('/var/backups/xen-network'),
  });
}

async function main(): Promise<void> {
  const why = whyNot();
  if (why) {
    check('the dom0 test host can run here', false, why);
    return;
  }
  const ns = `xnt-onhost-${randomBytes(4).toString('hex')}`;
  if (existsSync(`/run/netns/${ns}`)) throw new Error(`namespace ${ns} exists already`);
  const scratch = mkdtempSync(join(tmpdir(), 'xnt-onhost-'));
  const d = (p: string): string => join(scratch, p);
  let child: ChildProcess | undefined;
  let nsMade = false;
  const cleanUp = (): void => {
    if (child?.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
    }
    if (nsMade) {
      // every process left in the namespace is this run's
      for (const pid of sh(['ip', 'netns', 'pids', ns])
        .stdout.split(/\s+/)
        .filter((s) => /^\d+$/.test(s))) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      sh(['ip', 'netns', 'del', ns]);
      nsMade = false;
    }
    rmSync(scratch, { recursive: true, force: true });
  };
  const onSignal = (): void => {
    cleanUp();
    out(`${passed} passed, ${failed + 1} failed`);
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const before = realState();
  try {
    for (const dir of ['etc-upper/init.d', 'etc-work', 'etc-xen', 'backups', 'sys-module', 'sbin', 'etc-network/interfaces.d'])
      mkdirSync(d(dir), { recursive: true });
    for (const hook of ['if-up.d', 'if-down.d', 'if-pre-up.d', 'if-post-down.d']) mkdirSync(d(`etc-network/${hook}`));
    // the article's host, with vm1 on an address outside the routed block (the mistake the suite sees)
    const fixture = join(repoRoot, 'test', 'e2e', 'fixtures', 'article-host', 'etc');
    cpSync(join(fixture, 'network', 'interfaces'), d('etc-network/interfaces'));
    cpSync(join(fixture, 'xen', 'xend-config.sxp'), d('etc-xen/xend-config.sxp'));
    writeFileSync(d('etc-xen/vm1.cfg'), readFileSync(join(fixture, 'xen', 'vm1.cfg'), 'utf8').replace("'ip=80.68.86.194'", "'ip=80.68.86.201'"));
    cpSync(join(fixture, 'modules'), d('etc-upper/modules'));
    writeFileSync(d('etc-upper/init.d/xend'), STAND_IN_XEND);
    chmodSync(d('etc-upper/init.d/xend'), 0o755);
    writeFileSync(d('sbin/modprobe'), STAND_IN_MODPROBE);
    chmodSync(d('sbin/modprobe'), 0o755);
    mkdirSync(runDir, { recursive: true });

    const made = sh(['ip', 'netns', 'add', ns]);
    if (made.status !== 0) throw new Error(`ip netns add ${ns}: ${made.stderr}`);
    nsMade = true;
    const lo = sh(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    if (lo.status !== 0) throw new Error(`lo up in ${ns}: ${lo.stderr}`);

    const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
    const setup = [
      'set -e',
      `mount -t overlay overlay -o ${q(`lowerdir=/etc,upperdir=${d('etc-upper')},workdir=${d('etc-work')}`)} /etc`,
      `mount --bind ${q(d('etc-network'))} /etc/network`,
      `mount --bind ${q(d('etc-xen'))} /etc/xen`,
      `mount --bind ${q(d('backups'))} /var/backups`,
      `mount --bind ${q(d('sys-module'))} /sys/module`,
      `mount --bind ${q(d('sbin'))} /usr/local/sbin`,
      'mount -t tmpfs -o mode=0755 tmpfs /run',
      'mkdir -p /run/network',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; export PATH',
      `exec ${q(process.execPath)} ${q(join(repoRoot, 'out', 'test', 'e2e', 'runner.js'))} /etc/xen`,
    ].join('\n');
    out(`[on-host] the dom0 test host: network namespace ${ns}, its /etc overlaid in a private mount namespace; VS Code opens /etc/xen in it`);
    child = spawn('ip', ['netns', 'exec', ns, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', setup], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: {
        ...process.env,
        XEN_E2E_TIMEOUT: process.env.XEN_E2E_TIMEOUT ?? '420000',
        XEN_E2E_RUN: runDir,
        XEN_E2E_SUITE: 'onhost',
        XEN_E2E_SHOTS: process.env.XEN_E2E_SHOTS ?? join(runDir, 'shots'),
      },
    });
    let suiteCount: string | undefined;
    const lines = (buf: Buffer, rest: { s: string }): void => {
      rest.s += buf.toString();
      let i: number;
      while ((i = rest.s.indexOf('\n')) >= 0) {
        const line = rest.s.slice(0, i);
        rest.s = rest.s.slice(i + 1);
        if (/^\d+ passed, \d+ failed/.test(line)) suiteCount = line;
        else if (!line.startsWith('Exit code: ')) out(line);
      }
    };
    const o = { s: '' };
    const e = { s: '' };
    child.stdout!.on('data', (b: Buffer) => lines(b, o));
    child.stderr!.on('data', (b: Buffer) => lines(b, e));
    const code = await new Promise<number | null>((res) => child!.on('close', (c) => res(c)));
    const m = suiteCount ? /^(\d+) passed, (\d+) failed/.exec(suiteCount) : null;
    if (m) {
      passed += Number(m[1]);
      failed += Number(m[2]);
    } else check('the suite in the test host ran to its count', false, `VS Code ended (exit ${code}) without a count of its tests`);
    if (code !== 0 && m && Number(m[2]) === 0) check('VS Code in the test host ended cleanly', false, `exit ${code}`);

    // from outside: dummy0 is up inside the namespace, with the gateway's address (Apply Here's ifup)
    const ip = sh(['ip', '-n', ns, '-4', 'addr', 'show', 'dev', 'dummy0']);
    check(
      'after Apply Here, dummy0 is up in the test host with 80.68.86.193/29 (ip -n NS addr)',
      /inet 80\.68\.86\.193\/29/.test(ip.stdout),
      ip.stdout + ip.stderr,
    );
  } catch (err) {
    check('the dom0 test host started', false, err instanceof Error ? err.message : String(err));
  } finally {
    cleanUp();
    check(
      'this namespace is gone afterwards',
      !sh(['ip', 'netns', 'list'])
        .stdout.split('\n')
        .some((l) => l.split(' ')[0] === ns),
    );
  }
  const after = realState();
  check(
    "this machine's own /etc and /var/backups are untouched (checksums and listings before and after)",
    after === before,
    `before ${before}\nafter  ${after}`,
  );
}

void main().then(
  () => {
    out(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  },
  (err: unknown) => {
    out(`on-host: ${err instanceof Error ? err.stack : String(err)}`);
    out(`${passed} passed, ${failed + 1} failed`);
    process.exit(1);
  },
);
