// The article's routed host, built of network namespaces, for the network proof (routing.test.ts).
//
//   upstream (xnp-<id>-up)   eth0 198.51.100.1/24, routes the routed block to dom0's eth0
//      | veth eth0 <-> eth0
//   dom0 (xnp-<id>-dom0)     the ssh test host (test/support/ssh-host.ts): our apply script writes its
//      |                     files and Debian's ifup brings up the gateway interface; eth0 198.51.100.2/24
//      | veth vif<N>.0 <-> eth0 (one pair per guest, dom0's end named like Xen's backend vif)
//   guest N (xnp-<id>-gN)    the address from its domain file's vif ip=, default route via the gateway
//
// What stands in for xend when it starts (Python xend is long gone from Debian): its network-script
// is emulated (network-route: ip_forward=1 and proxy ARP on eth0, as Xen 3's script did;
// network-bridge: a bridge xenbr0 and nothing else, no forwarding; network-nat: ip_forward=1), and
// for each guest the vif-script is Debian's real /etc/xen/scripts/<script> run with bash, with the
// words of (vif-script '...') as its arguments (xend ran `SCRIPT online ARGS` through vif-setup)
// or, under xl, netdev=<gatewaydev> in its environment (as libxl does). It runs in dom0's network
// namespace and a private mount namespace where file-backed stand-ins replace xenstore-read/-write/
// -exists (no xenstored here) and logger, and /var/log/xen and /run are fresh tmpfs.
//
// The files are read back from the host after the apply and read here with small readers of our
// own (not the project's parsers: the test must not trust the code it checks to interpret them).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const UPSTREAM_IP = '198.51.100.1';
export const DOM0_IP = '198.51.100.2';
export const UPLINK_PREFIX = 24;

export interface Cmd {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(argv: string[], input?: string, timeout = 30_000): Cmd {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', input, timeout });
  return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

export function must(argv: string[], input?: string): string {
  const r = run(argv, input);
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** Why this machine cannot run the proof, or null. */
export function whyNotNetwork(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (network and mount namespaces)';
  const need: [string, string][] = [
    ['/usr/bin/ping', 'iputils-ping'],
    ['/usr/sbin/ifup', 'ifupdown'],
    ['/etc/xen/scripts/vif-route', 'xen-utils-common'],
    ['/var/log/xen', 'xen-utils-common'],
    ['/usr/bin/xenstore-read', 'xen-utils-common'],
    ['/sbin/ifconfig', 'net-tools'],
    ['/usr/sbin/sshd', 'openssh-server'],
    ['/usr/bin/nc', 'netcat-openbsd'],
    ['/bin/bash', 'bash'],
    ['/usr/bin/unshare', 'util-linux'],
  ];
  for (const [path, pkg] of need) if (!existsSync(path)) return `${path} is missing (Debian package ${pkg})`;
  return null;
}

export function namespaces(): string[] {
  return run(['ip', 'netns', 'list'])
    .stdout.split('\n')
    .map((l) => l.split(' ')[0])
    .filter((s) => s !== '');
}

/** Kills every process left in a namespace of ours and deletes it. */
export function deleteNamespace(ns: string): void {
  const pids = run(['ip', 'netns', 'pids', ns])
    .stdout.split(/\s+/)
    .filter((s) => /^\d+$/.test(s));
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      /* gone already */
    }
  }
  run(['ip', 'netns', 'del', ns]);
}

// ---------------------------------------------------------------------------------------------
// Readers of our own for the applied files

/** (network-script X) and (vif-script 'A b=c') of an xend-config.sxp, comments skipped. */
export function readXend(text: string): { networkScript?: string; vifScript?: string[] } {
  const body = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n');
  const value = (key: string): string | undefined => {
    const m = new RegExp(`\\(\\s*${key}\\s+(?:'([^']*)'|"([^"]*)"|([^\\s()]+))\\s*\\)`).exec(body);
    return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
  };
  const vif = value('vif-script');
  return { networkScript: value('network-script'), vifScript: vif?.trim().split(/\s+/) };
}

/** A domain file's name and the items of its first vif (key=value). */
export function readDomain(text: string): { name?: string; vif?: Record<string, string>; top: Record<string, string> } {
  const lines = text.split('\n').filter((l) => !l.trimStart().startsWith('#'));
  const top: Record<string, string> = {};
  for (const l of lines) {
    const m = /^\s*([a-z_]+)\s*=\s*["']([^"']*)["']\s*$/.exec(l);
    if (m) top[m[1]] = m[2];
  }
  const joined = lines.join('\n');
  const vm = /^\s*vif\s*=\s*\[\s*(?:'([^']*)'|"([^"]*)")/m.exec(joined);
  let vif: Record<string, string> | undefined;
  if (vm) {
    vif = {};
    for (const item of (vm[1] ?? vm[2]).split(',')) {
      const eq = item.indexOf('=');
      if (eq > 0) vif[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
    }
  }
  return { name: top.name, vif, top };
}

/** vif.default.script / vif.default.gatewaydev of an xl.conf. */
export function readXlConf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of text.split('\n')) {
    const m = /^\s*([a-z.]+)\s*=\s*"([^"]*)"\s*$/.exec(l);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The network

const XENSTORE_READ = `#!/bin/sh
# stand-in for xenstore-read: keys are files below $XNP_STORE
[ $# -ge 1 ] || exit 1
for k in "$@"; do [ -f "$XNP_STORE$k" ] || { echo "xenstore-read: couldn't read path $k" >&2; exit 1; }; cat "$XNP_STORE$k"; echo; done
`;
const XENSTORE_WRITE = `#!/bin/sh
# stand-in for xenstore-write: KEY VALUE pairs into files below $XNP_STORE
while [ $# -ge 2 ]; do mkdir -p "$XNP_STORE$(dirname "$1")" && printf '%s' "$2" > "$XNP_STORE$1" || exit 1; shift 2; done
`;
const XENSTORE_EXISTS = `#!/bin/sh
[ -e "$XNP_STORE$1" ]
`;
const LOGGER = `#!/bin/sh
# stand-in for logger: the message goes to the hotplug log, nothing to this machine's syslog
while [ $# -gt 0 ]; do case $1 in -p|-t) shift 2;; --) shift; break;; *) break;; esac; done
echo "logger: $*" >&2
`;

export interface PingResult {
  from: string;
  to: string;
  ok: boolean;
}

export interface VifRun {
  guest: string;
  vif: string;
  argv: string[];
  env: Record<string, string>;
  status: number | null;
  log: string;
  hotplugStatus: string | null;
}

export interface GuestUp {
  guest: string;
  ns: string;
  address?: string;
  /** Steps of the guest's own bring-up that failed: what failed, and the tool's message. */
  problems: { step: string; message: string }[];
}

const live = new Set<Network>();
process.on('exit', () => {
  for (const n of live) {
    try {
      n.destroy();
    } catch {
      /* best effort at exit */
    }
  }
});

/** The namespaces of one run: upstream and the guests (dom0 belongs to the ssh host). */
export class Network {
  readonly up: string;
  private readonly made: string[] = [];
  readonly scratch: string;

  constructor(
    readonly id: string,
    readonly dom0: string,
  ) {
    this.up = `xnp-${id}-up`;
    this.scratch = mkdtempSync(join(tmpdir(), 'xnp-net-'));
    live.add(this);
    const sbin = join(this.scratch, 'sbin');
    mkdirSync(sbin);
    for (const [name, text] of [
      ['xenstore-read', XENSTORE_READ],
      ['xenstore-write', XENSTORE_WRITE],
      ['xenstore-exists', XENSTORE_EXISTS],
      ['logger', LOGGER],
    ]) {
      writeFileSync(join(sbin, name), text);
      chmodSync(join(sbin, name), 0o755);
    }
  }

  guestNs(n: number): string {
    return `xnp-${this.id}-g${n}`;
  }

  private add(ns: string): void {
    if (namespaces().includes(ns)) throw new Error(`namespace ${ns} exists already: refusing to start`);
    must(['ip', 'netns', 'add', ns]);
    this.made.push(ns);
    must(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
  }

  /** upstream and its link to dom0 (dom0's eth0 gets its address from the host's own interfaces file). */
  buildUpstream(block: string): void {
    this.add(this.up);
    must(['ip', '-n', this.up, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', this.dom0]);
    must(['ip', '-n', this.up, 'addr', 'add', `${UPSTREAM_IP}/${UPLINK_PREFIX}`, 'dev', 'eth0']);
    must(['ip', '-n', this.up, 'link', 'set', 'eth0', 'up']);
    // the provider routes the block to the host's main address
    must(['ip', '-n', this.up, 'route', 'add', block, 'via', DOM0_IP]);
  }

  /** Runs a shell snippet in dom0's network namespace (this machine's files: read-only use). */
  dom0Sh(script: string): Cmd {
    return run(['ip', 'netns', 'exec', this.dom0, 'sh', '-c', script]);
  }

  /** What xend's network-script did at xend's start (see the top of this file). */
  networkScript(name: string | undefined, args: string[] = []): string {
    const netdev = args.find((a) => a.startsWith('netdev='))?.slice(7) || 'eth0';
    switch (name) {
      case 'network-route':
        must(['ip', 'netns', 'exec', this.dom0, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
        must(['ip', 'netns', 'exec', this.dom0, 'sysctl', '-q', '-w', `net.ipv4.conf.${netdev}.proxy_arp=1`]);
        return `network-route: ip_forward=1, proxy_arp on ${netdev}`;
      case 'network-nat':
        must(['ip', 'netns', 'exec', this.dom0, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
        return 'network-nat: ip_forward=1';
      case 'network-bridge':
        must(['ip', '-n', this.dom0, 'link', 'add', 'xenbr0', 'type', 'bridge']);
        must(['ip', '-n', this.dom0, 'link', 'set', 'xenbr0', 'up']);
        return 'network-bridge: bridge xenbr0, no forwarding';
      default:
        return `no network-script run (${name ?? 'none'})`;
    }
  }

  /** Guest N's namespace and the veth pair vif<N>.0 (dom0) <-> eth0 (guest), dom0's end down as Xen leaves it. */
  buildGuest(n: number): string {
    const ns = this.guestNs(n);
    this.add(ns);
    must(['ip', '-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', `vif${n}.0`, 'netns', this.dom0]);
    return ns;
  }

  /**
   * Debian's real vif hotplug script for guest N's vif, as xend/libxl ran it: `SCRIPT online ARGS`
   * with vif=vif<N>.0 and XENBUS_PATH in the environment, the vif's ip= in the (stand-in) xenstore.
   */
  vifScript(n: number, guest: string, script: string, args: string[], env: Record<string, string>, ip: string | undefined): VifRun {
    const vif = `vif${n}.0`;
    const xenbus = `/local/domain/0/backend/vif/${n}/0`;
    const store = join(this.scratch, `store-${n}`);
    mkdirSync(join(store, xenbus), { recursive: true });
    if (ip !== undefined) writeFileSync(join(store, xenbus, 'ip'), ip);
    writeFileSync(join(store, xenbus, 'script'), `/etc/xen/scripts/${script}`);
    const sbin = join(this.scratch, 'sbin');
    const logDir = join(this.scratch, `log-${n}`);
    mkdirSync(logDir);
    const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
    const path = `/etc/xen/scripts/${script}`;
    const fullEnv: Record<string, string> = { vif, XENBUS_PATH: xenbus, ...env };
    const setup = [
      'set -e',
      `mount --bind ${q(logDir)} /var/log/xen`,
      'mount -t tmpfs -o mode=0755 tmpfs /run',
      ...['xenstore-read', 'xenstore-write', 'xenstore-exists'].map((t) => `mount --bind ${q(join(sbin, t))} /usr/bin/${t}`),
      `mount --bind ${q(join(sbin, 'logger'))} /usr/bin/logger`,
      `exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin XNP_STORE=${q(store)} ${Object.entries(fullEnv)
        .map(([k, v]) => q(`${k}=${v}`))
        .join(' ')} /bin/bash ${q(path)} online ${args.map(q).join(' ')}`,
    ].join('\n');
    const r = run(['ip', 'netns', 'exec', this.dom0, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', setup]);
    let log = '';
    try {
      log = readFileSync(join(logDir, 'xen-hotplug.log'), 'utf8');
    } catch {
      /* nothing logged */
    }
    let hotplugStatus: string | null = null;
    try {
      hotplugStatus = readFileSync(join(store, xenbus, 'hotplug-status'), 'utf8');
    } catch {
      /* not written */
    }
    return { guest, vif, argv: [path, 'online', ...args], env: fullEnv, status: r.status, log: (log + r.stderr).trim(), hotplugStatus };
  }

  /** The guest's own side: its address and a default route via the gateway, as its ifup would. */
  guestUp(n: number, guest: string, address: string | undefined, prefix: number, gateway: string): GuestUp {
    const ns = this.guestNs(n);
    const problems: GuestUp['problems'] = [];
    const step = (argv: string[]): boolean => {
      const r = run(['ip', '-n', ns, ...argv]);
      if (r.status !== 0) problems.push({ step: `ip ${argv.join(' ')}`, message: r.stderr.trim() });
      return r.status === 0;
    };
    step(['link', 'set', 'eth0', 'up']);
    if (address === undefined) {
      problems.push({ step: 'no address in the domain file', message: '' });
      return { guest, ns, problems };
    }
    if (step(['addr', 'add', `${address}/${prefix}`, 'dev', 'eth0'])) step(['route', 'add', 'default', 'via', gateway]);
    return { guest, ns, address, problems };
  }

  /** One ping from a namespace (-w 4: proxy ARP answers can take most of a second). */
  ping(ns: string, from: string, to: string): Promise<PingResult> {
    return new Promise((resolve) => {
      const child = spawn('ip', ['netns', 'exec', ns, 'ping', '-n', '-q', '-c', '1', '-w', '4', to], { stdio: 'ignore' });
      child.on('close', (code) => resolve({ from, to, ok: code === 0 }));
      child.on('error', () => resolve({ from, to, ok: false }));
    });
  }

  /** dom0's addresses, routes and forwarding, in a stable order (to tell "works but differs"). */
  dom0State(): string[] {
    const addrs = must(['ip', '-n', this.dom0, '-4', '-o', 'addr', 'show'])
      .split('\n')
      .map((l) => /^\d+:\s+(\S+)\s+inet\s+(\S+)(?:\s+brd\s+(\S+))?/.exec(l))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => `addr ${m[1]} ${m[2]}${m[3] ? ` brd ${m[3]}` : ''}`);
    const routes = must(['ip', '-n', this.dom0, '-4', 'route', 'show', 'table', 'main'])
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => `route ${l.trim().replace(/\s+/g, ' ')}`);
    const fwd = must(['ip', 'netns', 'exec', this.dom0, 'sysctl', '-n', 'net.ipv4.ip_forward']).trim();
    return [...addrs, ...routes, `ip_forward ${fwd}`].sort();
  }

  /** Deletes every namespace this run made and its scratch folder (dom0 is the ssh host's to stop). */
  destroy(): void {
    live.delete(this);
    for (const ns of this.made.splice(0).reverse()) deleteNamespace(ns);
    rmSync(this.scratch, { recursive: true, force: true });
  }
}
