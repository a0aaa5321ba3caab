// A real host that the tests reach with the system's ssh client: Debian's sshd running in a network
// namespace of its own (xnt-dom0-<random>) and in a private mount namespace, so that what a session
// writes to the host's /etc, /var/backups and /run lands in a scratch folder, never on this machine.
//
//   /etc          overlay: this machine's /etc below, SCRATCH/etc-upper above (writes land there;
//                 /etc/modules, /etc/xen and /etc/init.d/xend exist only there)
//   /etc/network  bound to SCRATCH/etc-network (an empty if-up.d etc.: no script of this machine runs)
//   /var/backups  bound to SCRATCH/backups
//   /run          a fresh tmpfs (ifupdown's state in /run/network, sshd's /run/sshd)
//   /sys/module   bound to SCRATCH/sys-module (the stand-in modprobe records loaded modules there)
//   /usr/local/sbin  bound to SCRATCH/sbin: stand-ins found first in the session's PATH
//
// Stand-ins (the kernel here has no `dummy` link type and there is no modprobe):
//   modprobe M    mkdir /sys/module/M; for `dummy` also `ip link add dummy0 type bridge` (a bridge
//                 with no ports behaves like a dummy interface for ifup and ip), as the module would;
//                 `modprobe -r M` undoes both (fails while SCRATCH/sbin/fail-modprobe-r exists)
//   /etc/init.d/xend restart   appends a line to SCRATCH/sbin/xend-restarts; fails while
//                 SCRATCH/sbin/fail-xend exists (once only when it holds "once")
//   mv            the real mv, made slow (and its caller's pid written down) while SCRATCH/sbin/slow-mv
//                 exists: lets a test cut a connection in the middle of an apply
// Everything else is real: sshd, ssh, sh (dash), ifup/ifdown/ifquery (ifupdown), ip, cp, cmp, base64.
//
// The client reaches sshd through ProxyCommand `ip netns exec NS nc 127.0.0.1 22` (a TCP connection
// from this namespace into another one is refused in this sandbox), from a generated ssh_config.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface SshHost {
  /** The network namespace's name. */
  ns: string;
  /** The Host alias of the generated ssh_config. */
  alias: string;
  /** The generated ssh_config: pass it with `ssh -F`. */
  configFile: string;
  scratch: string;
  /** sshd's pid (in this machine's pid namespace). */
  sshdPid: number;
  /** Where a path of the host lives in the scratch folder (for reading what a session wrote). */
  local(hostPath: string): string;
  /** The host file's bytes, or null when it does not exist there. */
  read(hostPath: string): Buffer | null;
  /** Writes a host file (content set up by a test, not by the code under test). */
  write(hostPath: string, content: string | Buffer): void;
  /** Runs a command inside the host's namespaces (network and mount), as a session would see them. */
  exec(argv: string[]): { status: number | null; stdout: string; stderr: string };
  stop(): void;
}

export function whyNotSshHost(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (network and mount namespaces)';
  for (const tool of ['/usr/sbin/sshd', '/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/bin/nc', '/usr/sbin/ifup']) {
    if (!existsSync(tool)) return `${tool} is missing (Debian packages openssh-server openssh-client netcat-openbsd ifupdown)`;
  }
  return null;
}

function sh(argv: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', input, timeout: 30_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

function must(argv: string[], input?: string): string {
  const r = sh(argv, input);
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

const live = new Set<SshHost>();
process.on('exit', () => {
  for (const h of live) {
    try {
      h.stop();
    } catch {
      /* best effort at exit */
    }
  }
});

export const STAND_IN_MODPROBE = `#!/bin/sh
# stand-in for modprobe (no modules in this sandbox): records the module as loaded; -r unloads it
remove=0
for m in "$@"; do case $m in -r) remove=1 ;; -*) ;; *) mod=$m; break;; esac; done
[ -n "\${mod:-}" ] || { echo "modprobe: no module given" >&2; exit 1; }
if [ "$remove" = 1 ]; then
  if [ -e /usr/local/sbin/fail-modprobe-r ]; then echo "modprobe: FATAL: Module $mod is in use." >&2; exit 1; fi
  rmdir "/sys/module/$mod" 2>/dev/null || true
  if [ "$mod" = dummy ]; then ip link del dummy0 2>/dev/null || true; fi
  echo "-r $mod" >> /usr/local/sbin/modprobe.log
  exit 0
fi
if [ -e /usr/local/sbin/fail-modprobe ]; then echo "modprobe: FATAL: Module $mod not found." >&2; exit 1; fi
mkdir -p "/sys/module/$mod" || exit 1
if [ "$mod" = dummy ] && ! ip link show dev dummy0 >/dev/null 2>&1; then
  ip link add dummy0 type bridge || exit 1
fi
echo "$mod" >> /usr/local/sbin/modprobe.log
`;

export const STAND_IN_XEND = `#!/bin/sh
# stand-in for xend's init script
case "$1" in
  restart|start|stop)
    if [ -e /usr/local/sbin/fail-xend ]; then
      # "once": fail this time only
      if [ "$(cat /usr/local/sbin/fail-xend)" = once ]; then rm -f /usr/local/sbin/fail-xend; fi
      echo "Restarting xend: failed" >&2; exit 1
    fi
    echo "$1" >> /usr/local/sbin/xend-restarts; echo "Restarting xen daemons: xend." ;;
  *) echo "usage: $0 start|stop|restart" >&2; exit 2 ;;
esac
`;

const STAND_IN_MV = `#!/bin/sh
# the real mv; slow while /usr/local/sbin/slow-mv exists (a test cuts the connection meanwhile)
if [ -e /usr/local/sbin/slow-mv ]; then
  echo "$PPID" >> /usr/local/sbin/mv-callers
  sleep "$(cat /usr/local/sbin/slow-mv)"
fi
exec /bin/mv "$@"
`;

/**
 * Starts the host. Refuses when the namespace exists; on any failure removes what it made.
 * initial: host path -> content written before sshd starts (e.g. /etc/network/interfaces).
 */
export interface SshHostOptions {
  /** The namespace's name (default xnt-dom0-<random>). */
  name?: string;
  /**
   * A login that is not root, allowed to run anything as root with sudo after typing its password
   * (asked every time). Exists only inside the host's /etc overlay. Needs sudo installed.
   */
  sudoUser?: { name: string; password: string };
}

export async function startSshHost(initial: Record<string, string> = {}, opts: SshHostOptions = {}): Promise<SshHost> {
  const why = whyNotSshHost();
  if (why) throw new Error(`cannot start the ssh test host: ${why}`);
  const ns = opts.name ?? `xnt-dom0-${randomBytes(4).toString('hex')}`;
  if (
    existsSync(`/run/netns/${ns}`) ||
    sh(['ip', 'netns', 'list'])
      .stdout.split('\n')
      .some((l) => l.split(' ')[0] === ns)
  ) {
    throw new Error(`namespace ${ns} exists already: refusing to start`);
  }
  const scratch = mkdtempSync(join(tmpdir(), 'xnt-ssh-host-'));
  let child: ChildProcess | null = null;
  let nsMade = false;
  let stopped = false;
  const d = (p: string): string => join(scratch, p);

  const local = (hostPath: string): string => {
    if (hostPath === '/etc/network' || hostPath.startsWith('/etc/network/')) return d('etc-network' + hostPath.slice('/etc/network'.length));
    if (hostPath.startsWith('/etc/')) return d('etc-upper' + hostPath.slice('/etc'.length));
    if (hostPath.startsWith('/var/backups/')) return d('backups' + hostPath.slice('/var/backups'.length));
    if (hostPath.startsWith('/usr/local/sbin/')) return d('sbin' + hostPath.slice('/usr/local/sbin'.length));
    if (hostPath.startsWith('/sys/module/')) return d('sys-module' + hostPath.slice('/sys/module'.length));
    throw new Error(`the test host keeps ${hostPath} on this machine: not readable from the scratch folder`);
  };

  const host: SshHost = {
    ns,
    alias: 'xen-test-host',
    configFile: d('ssh/config'),
    scratch,
    sshdPid: 0,
    local,
    read(hostPath) {
      const p = local(hostPath);
      try {
        const st = lstatSync(p);
        if (st.isCharacterDevice()) return null; // an overlay whiteout: deleted on the host
        return readFileSync(p);
      } catch {
        return null;
      }
    },
    write(hostPath, content) {
      const p = local(hostPath);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
    },
    exec(argv) {
      return sh(['nsenter', '-t', String(host.sshdPid), '-m', '-n', '--', ...argv]);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      live.delete(host);
      // every process left in the namespace was started by this host (sshd, its sessions)
      if (nsMade) {
        const pids = sh(['ip', 'netns', 'pids', ns])
          .stdout.split(/\s+/)
          .filter((s) => /^\d+$/.test(s));
        for (const pid of pids) {
          try {
            process.kill(Number(pid), 'SIGKILL');
          } catch {
            /* gone already */
          }
        }
      }
      if (child && child.exitCode === null && child.pid) {
        try {
          child.kill('SIGKILL');
        } catch {
          /* gone */
        }
      }
      if (nsMade) sh(['ip', 'netns', 'del', ns]);
      rmSync(scratch, { recursive: true, force: true });
    },
  };
  live.add(host);

  try {
    for (const dir of [
      'etc-upper/xen',
      'etc-upper/init.d',
      'etc-work',
      'backups',
      'sys-module',
      'sbin',
      'ssh',
      'log',
      'etc-network/if-up.d',
      'etc-network/if-down.d',
      'etc-network/if-pre-up.d',
      'etc-network/if-post-down.d',
      'etc-network/interfaces.d',
    ]) {
      mkdirSync(d(dir), { recursive: true });
    }
    writeFileSync(d('etc-network/interfaces'), 'auto lo\niface lo inet loopback\n');
    writeFileSync(d('etc-upper/modules'), '# /etc/modules: kernel modules to load at boot time.\n');
    writeFileSync(d('etc-upper/init.d/xend'), STAND_IN_XEND);
    chmodSync(d('etc-upper/init.d/xend'), 0o755);
    writeFileSync(d('sbin/modprobe'), STAND_IN_MODPROBE);
    chmodSync(d('sbin/modprobe'), 0o755);
    writeFileSync(d('sbin/mv'), STAND_IN_MV);
    chmodSync(d('sbin/mv'), 0o755);
    for (const [p, text] of Object.entries(initial)) host.write(p, text);
    if (opts.sudoUser) addSudoUser(d, opts.sudoUser);

    must(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'xnt-host', '-f', d('ssh/host_key')]);
    must(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'xnt-client', '-f', d('ssh/id')]);
    // readable by every login (sshd reads it as the user): its own folder, the scratch folder passable
    chmodSync(scratch, 0o711);
    mkdirSync(d('keys'), { mode: 0o755 });
    writeFileSync(d('keys/authorized_keys'), readFileSync(d('ssh/id.pub')), { mode: 0o644 });
    // the host key is known in advance: StrictHostKeyChecking yes proves the client talks to this sshd
    writeFileSync(d('ssh/known_hosts'), `xen-test-host ${readFileSync(d('ssh/host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
    writeFileSync(
      d('ssh/sshd_config'),
      [
        'ListenAddress 127.0.0.1',
        'Port 22',
        `HostKey ${d('ssh/host_key')}`,
        `AuthorizedKeysFile ${d('keys/authorized_keys')}`,
        `PidFile ${d('ssh/sshd.pid')}`,
        'StrictModes no',
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'PrintMotd no',
        'PrintLastLog no',
        '',
      ].join('\n'),
    );
    writeFileSync(
      d('ssh/config'),
      [
        'Host xen-test-host',
        '  User root',
        `  IdentityFile ${d('ssh/id')}`,
        '  IdentitiesOnly yes',
        `  ProxyCommand ip netns exec ${ns} nc 127.0.0.1 22`,
        `  UserKnownHostsFile ${d('ssh/known_hosts')}`,
        '  HostKeyAlias xen-test-host',
        '  StrictHostKeyChecking yes',
        '  BatchMode yes',
        '  ConnectTimeout 10',
        '  LogLevel ERROR',
        '',
      ].join('\n'),
    );

    must(['ip', 'netns', 'add', ns]);
    nsMade = true;
    must(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);

    const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
    const setup = [
      'set -e',
      `mount -t overlay overlay -o ${q(`lowerdir=/etc,upperdir=${d('etc-upper')},workdir=${d('etc-work')}`)} /etc`,
      `mount --bind ${q(d('etc-network'))} /etc/network`,
      `mount --bind ${q(d('backups'))} /var/backups`,
      `mount --bind ${q(d('sys-module'))} /sys/module`,
      `mount --bind ${q(d('sbin'))} /usr/local/sbin`,
      'mount -t tmpfs -o mode=0755 tmpfs /run',
      'mkdir -p /run/sshd /run/network',
      `exec /usr/sbin/sshd -D -e -f ${q(d('ssh/sshd_config'))}`,
    ].join('\n');
    const logFd = d('log/sshd.log');
    child = spawn('ip', ['netns', 'exec', ns, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', setup], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr?.on('data', (b: Buffer) => {
      log += b.toString();
      try {
        writeFileSync(logFd, log);
      } catch {
        /* scratch removed */
      }
    });
    host.sshdPid = child.pid ?? 0;

    // ready when a login works
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}): ${log}`);
      const r = sh(['ssh', '-F', host.configFile, host.alias, 'true']);
      if (r.status === 0) break;
      if (Date.now() > deadline) throw new Error(`sshd did not answer within 15 s: ${r.stderr} ${log}`);
      await new Promise((res) => setTimeout(res, 100));
    }
    return host;
  } catch (e) {
    host.stop();
    throw e;
  }
}

/** Adds a user with a password and a sudo rule to the overlay's /etc (this machine's stay as they are). */
function addSudoUser(d: (p: string) => string, user: { name: string; password: string }): void {
  if (!existsSync('/usr/bin/sudo')) throw new Error('sudo is not installed (Debian package sudo)');
  if (!/^[a-z][a-z0-9-]*$/.test(user.name)) throw new Error(`not a user name for the test host: ${user.name}`);
  const uid = 4242;
  const home = d(`home-${user.name}`);
  mkdirSync(home, { recursive: true });
  chownSync(home, uid, uid);
  const hash = must(['openssl', 'passwd', '-6', '-stdin'], user.password).trim();
  const add = (file: string, line: string, mode: number): void => {
    const base = existsSync(`/etc/${file}`) ? readFileSync(`/etc/${file}`, 'utf8') : '';
    writeFileSync(d(`etc-upper/${file}`), base + (base.endsWith('\n') || base === '' ? '' : '\n') + line + '\n');
    chmodSync(d(`etc-upper/${file}`), mode);
  };
  add('passwd', `${user.name}:x:${uid}:${uid}:sudo test user:${home}:/bin/sh`, 0o644);
  add('group', `${user.name}:x:${uid}:`, 0o644);
  add('shadow', `${user.name}:${hash}:19000:0:99999:7:::`, 0o640);
  mkdirSync(d('etc-upper/sudoers.d'), { recursive: true });
  // timestamp_timeout=0: the password is asked every time
  writeFileSync(d(`etc-upper/sudoers.d/${user.name}`), `Defaults:${user.name} timestamp_timeout=0\n${user.name} ALL=(root) ALL\n`);
  chmodSync(d(`etc-upper/sudoers.d/${user.name}`), 0o440);
}
