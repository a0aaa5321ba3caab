// What xend knows about its settings and the network scripts it runs, described in our words.
// Facts from Xen's XendOptions.py (4.4.4, the last release with xend), XendRoot.py (3.0) and the
// hotplug scripts; see /work/shared/reference/xend-options.md.

export type SxpValueType = 'bool' | 'int' | 'string' | 'address' | 'script' | 'regexps' | 'list' | 'path';

export interface SxpOption {
  key: string;
  type: SxpValueType;
  /** The default as xend applies it, in words or as a value. */
  default: string;
  description: string;
  /** For integer options: the unit. */
  unit?: string;
  /** For 'address': an interface name is accepted too. */
  allowInterface?: boolean;
  /** For string options with a fixed set of values. */
  values?: string[];
  /** For script options: which family of scripts is expected. */
  scripts?: 'network' | 'vif' | 'any';
  /** Only read by Xen 3.0's xend (or later); informative. */
  since?: string;
}

const o = (key: string, type: SxpValueType, def: string, description: string, extra: Partial<SxpOption> = {}): SxpOption => ({
  key,
  type,
  default: def,
  description,
  ...extra,
});

export const XEND_OPTIONS: SxpOption[] = [
  o('logfile', 'path', '/var/log/xen/xend.log (Xen 3.0: /var/log/xend.log)', 'The file xend writes its log to.'),
  o('loglevel', 'string', 'DEBUG', 'How much xend logs: only messages at this level or above are written.', {
    values: ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'],
  }),
  o('xsm_module_name', 'string', 'dummy', 'The Xen security module xend drives: `flask`, `acm`, or `dummy` for none.', {
    values: ['flask', 'acm', 'dummy'],
  }),
  o(
    'xen-api-server',
    'list',
    '((unix))',
    'Where the Xen-API server listens and who may use it: a list of entries, each starting with `unix`, a TCP port or `address:port`, then the authentication (`none` or `pam`), then host regular expressions, and optionally an SSL key and certificate.',
  ),
  o('xend-http-server', 'bool', 'no', 'Whether xend serves its legacy HTTP interface (on `xend-port`).'),
  o('xend-unix-server', 'bool', 'no (Xen 3.0: yes)', 'Whether xend listens on its UNIX-domain socket (`xend-unix-path`).'),
  o('xend-tcp-xmlrpc-server', 'bool', 'no', 'Whether xend serves the legacy XML-RPC interface over TCP.'),
  o('xend-unix-xmlrpc-server', 'bool', 'yes', 'Whether xend serves XML-RPC on a UNIX-domain socket; the `xm` tool talks to xend through it.'),
  o('xend-relocation-server', 'bool', 'no', 'Whether xend accepts guests migrated from other hosts (on `xend-relocation-port`).'),
  o('xend-relocation-ssl-server', 'bool', 'no', 'Whether xend accepts migrations over SSL (on `xend-relocation-ssl-port`).'),
  o('xend-udev-event-server', 'bool', 'no', 'Whether xend listens for udev events.'),
  o('xend-unix-path', 'path', '/var/lib/xend/xend-socket', "The UNIX-domain socket of xend's unix server."),
  o('xend-tcp-xmlrpc-server-address', 'address', 'localhost', 'The address the TCP XML-RPC server listens on.'),
  o('xend-tcp-xmlrpc-server-port', 'int', '8006', 'The TCP port of the XML-RPC server.'),
  o('xend-tcp-xmlrpc-server-ssl-key-file', 'path', 'none', 'The SSL private key of the TCP XML-RPC server; with a key and a certificate it speaks only SSL.'),
  o('xend-tcp-xmlrpc-server-ssl-cert-file', 'path', 'none', 'The SSL certificate of the TCP XML-RPC server.'),
  o('xend-port', 'int', '8000', 'The TCP port of the legacy HTTP interface.'),
  o('xend-relocation-port', 'int', '8002', 'The TCP port on which migrated guests arrive.'),
  o('xend-relocation-ssl-port', 'int', '8003', 'The TCP port on which migrations over SSL arrive.'),
  o('xend-relocation-server-ssl-key-file', 'path', 'none', 'The SSL private key of the SSL relocation server.'),
  o('xend-relocation-server-ssl-cert-file', 'path', 'none', 'The SSL certificate of the SSL relocation server.'),
  o('xend-relocation-ssl', 'bool', 'no', 'Whether outgoing migrations use SSL by default.'),
  o(
    'xend-address',
    'address',
    "'' (every address)",
    'The address the HTTP interface listens on. Empty means every address; `localhost` keeps other machines out.',
  ),
  o(
    'xend-relocation-address',
    'address',
    "'' (every address)",
    'The address (or interface name, such as eth0) the relocation server listens on. Empty means every address.',
    {
      allowInterface: true,
    },
  ),
  o(
    'xend-relocation-hosts-allow',
    'regexps',
    "'' (every host)",
    "The hosts allowed to migrate guests here: regular expressions separated by spaces, matched against the peer's host name or address. Empty allows every host. Quote the whole list.",
  ),
  o('console-limit', 'int', '1024', "The size limit of a guest console's buffer.", { unit: 'KiB' }),
  o(
    'network-script',
    'script',
    'none (xend sets up no network)',
    "The script xend runs when it starts, to set up the host's network for guests: `network-bridge` (bridged), `network-route` (routed) or `network-nat` (NAT), optionally followed by `key=value` arguments — then quote the whole value, e.g. `'network-bridge netdev=eth1'`.",
    {
      scripts: 'network',
    },
  ),
  o(
    'vif-script',
    'script',
    'vif-bridge',
    "The script run for each guest network interface as it comes up or goes away: `vif-bridge`, `vif-route` or `vif-nat`, to match `network-script`; arguments follow as `key=value` words in a quoted value, e.g. `'vif-route netdev=dummy0'`. A guest's own vif `script=` overrides it.",
    {
      scripts: 'vif',
    },
  ),
  o(
    'dom0-min-mem',
    'int',
    '0',
    'The least memory dom0 keeps when xend shrinks it (ballooning) to make room for guests. 0 means no limit and turns ballooning off.',
    { unit: 'MiB' },
  ),
  o('enable-dom0-ballooning', 'bool', 'yes (no when dom0-min-mem is 0)', 'Whether xend may take memory from dom0 to start guests.'),
  o('total_available_memory', 'int', '0', 'Memory kept in reserve for 32-bit paravirtual guests; read only when ballooning is on.', { unit: 'GiB' }),
  o('dom0-cpus', 'int', '0', 'How many CPUs dom0 uses; 0 means all of them.'),
  o('enable-dump', 'bool', 'no', 'Whether xend saves a core dump of a guest that crashes.'),
  o('external-migration-tool', 'path', "''", "A tool run to migrate a guest's virtual TPM."),
  o('vnc-listen', 'address', '127.0.0.1', "The address guests' VNC servers listen on; 0.0.0.0 makes them reachable from other machines."),
  o('vncpasswd', 'string', 'none', 'The default VNC password of HVM guests; empty means no password.'),
  o('vnc-tls', 'string', '0', 'Set to 1 to have VNC servers use TLS with the certificates in `vnc-x509-cert-dir`.', { values: ['0', '1'] }),
  o('vnc-x509-cert-dir', 'path', '<xen config dir>/vnc', 'The folder of the VNC TLS certificates; it must exist.'),
  o('vnc-x509-verify', 'string', '0', 'Set to 1 to require VNC clients to present a certificate signed by the CA.', { values: ['0', '1'] }),
  o('keymap', 'string', 'none', "The keyboard layout of guests' virtual keyboards when their own file sets none, e.g. `en-us`."),
  o('resource-label-change-script', 'script', 'none', 'A script run when the security label of a resource changes; arguments follow as in `network-script`.', {
    scripts: 'any',
  }),
  o('qemu-dm-logrotate-count', 'int', '10', 'How many old qemu-dm log files are kept.'),
  o('xend-domains-path', 'path', '/var/lib/xend/domains', 'Where xend stores the configuration of managed guests.'),
  o('xend-state-path', 'path', '/var/lib/xend/state', 'Where xend keeps its state.'),
  o('xend-storage-path', 'path', '/var/lib/xend/storage', 'Where xend keeps storage records.'),
  o('xend-security-path', 'path', '/var/lib/xend/security', 'Where xend keeps security policy data.'),
  o('device-create-timeout', 'int', '100', 'How long xend waits for a device to appear before giving up.', { unit: 'seconds' }),
  o('device-destroy-timeout', 'int', '100', 'How long xend waits for a device to go away.', { unit: 'seconds' }),
  o(
    'pci-passthrough-strict-check',
    'bool',
    'yes',
    'Whether PCI devices given to HVM guests are checked strictly (co-assignment and ACS). Turning it off may be unsafe.',
  ),
  o('pscsi-device-mask', 'list', "('*')", "Limits which SCSI devices xend scans at start, as a list of lsscsi-style ids such as `('16:0:0:0' '15:0')`."),
];

export const OPTIONS_BY_KEY: ReadonlyMap<string, SxpOption> = new Map(XEND_OPTIONS.map((x) => [x.key, x]));

export interface ScriptArgInfo {
  name: string;
  description: string;
  default?: string;
}

export interface ScriptInfo {
  name: string;
  family: 'network' | 'vif';
  description: string;
  args: ScriptArgInfo[];
  /** The network-script / vif-script it goes with. */
  partner?: string;
}

const netdevArg = (what: string, def?: string): ScriptArgInfo => ({ name: 'netdev', description: what, default: def });

export const SCRIPTS: ScriptInfo[] = [
  {
    name: 'network-bridge',
    family: 'network',
    partner: 'vif-bridge',
    description:
      "Bridged networking: at start it makes a bridge, moves the physical interface's addresses onto it and puts the interface in the bridge, so guests share the physical network.",
    args: [
      netdevArg('The physical interface put into the bridge.', 'the interface of the default route, else eth0'),
      { name: 'bridge', description: 'The name of the bridge it creates (`null` to do nothing).', default: 'the netdev name' },
      { name: 'vifnum', description: 'Xen 3.0: the number of the loopback vif dom0 uses on the bridge.', default: '0' },
      { name: 'antispoof', description: '`yes` to add iptables rules that stop guests from using addresses not theirs.', default: 'no' },
    ],
  },
  {
    name: 'network-route',
    family: 'network',
    partner: 'vif-route',
    description: "Routed networking: turns on IP forwarding and proxy ARP on the outgoing interface, so dom0 routes guests' traffic; no bridge is made.",
    args: [
      netdevArg('The outgoing interface on which proxy ARP is turned on.', 'eth0'),
      { name: 'antispoof', description: 'Accepted for symmetry with the other scripts.', default: 'no' },
    ],
  },
  {
    name: 'network-nat',
    family: 'network',
    partner: 'vif-nat',
    description:
      "NAT networking: turns on IP forwarding and masquerades guests' traffic behind the outgoing interface's address; it can also add a DHCP subnet for guests.",
    args: [
      netdevArg("The outgoing interface guests' traffic is masqueraded behind.", 'eth0'),
      { name: 'antispoof', description: 'Not implemented by the script.', default: 'no' },
      {
        name: 'dhcp',
        description: "`yes` to add a subnet for guests to the local DHCP server's configuration.",
        default: 'yes if /etc/dhcpd.conf exists, else no',
      },
    ],
  },
  {
    name: 'network-dummy',
    family: 'network',
    description: 'Does nothing: for hosts whose network is set up elsewhere.',
    args: [],
  },
  {
    name: 'vif-bridge',
    family: 'vif',
    partner: 'network-bridge',
    description: 'Adds each guest interface (vifD.N) to a bridge, so the guest sits on the bridged network.',
    args: [
      { name: 'bridge', description: 'The bridge the guest interface joins.', default: 'the first bridge found' },
      { name: 'ip', description: 'Addresses the guest may use (with antispoofing rules).' },
    ],
  },
  {
    name: 'vif-route',
    family: 'vif',
    partner: 'network-route',
    description:
      "Routed guests: gives each guest interface dom0's address (from `netdev`) with a /32 mask, turns on proxy ARP on it and adds a host route to each of the guest's `ip` addresses through it.",
    args: [
      netdevArg('The dom0 interface whose IPv4 address the guest interfaces borrow and route from (e.g. dummy0 in a routed block).', 'eth0'),
      { name: 'ip', description: "The guest's addresses routed to its interface (normally set per guest in its vif)." },
    ],
  },
  {
    name: 'vif-nat',
    family: 'vif',
    partner: 'network-nat',
    description:
      "NAT guests: gives each guest interface a private router address, routes the guest's address through it and, when asked, registers the guest with the DHCP server.",
    args: [
      { name: 'dhcp', description: '`yes` to add a DHCP host entry for the guest.', default: 'no' },
      { name: 'ip', description: "The guest's private address." },
      netdevArg('The outgoing interface.', 'eth0'),
    ],
  },
  {
    name: 'vif-openvswitch',
    family: 'vif',
    description: 'Adds each guest interface to an Open vSwitch bridge (a later addition; xl uses it more than xend).',
    args: [{ name: 'bridge', description: 'The Open vSwitch bridge, optionally with `.VLAN` or `:trunks`.' }],
  },
];

export const SCRIPTS_BY_NAME: ReadonlyMap<string, ScriptInfo> = new Map(SCRIPTS.map((s) => [s.name, s]));

const TRUE_WORDS = ['yes', 'y', '1', 'on', 'true', 't'];
const FALSE_WORDS = ['no', 'n', '0', 'off', 'false', 'f'];

/** xend's reading of a boolean: true, false, or undefined when it refuses the word. */
export function readBool(text: string): boolean | undefined {
  const v = text.toLowerCase();
  if (TRUE_WORDS.includes(v)) return true;
  if (FALSE_WORDS.includes(v)) return false;
  return undefined;
}

/**
 * Whether readBool reads text[from, to) as true or false, read in place (no copy, no lower-case
 * copy): its words are ASCII, and an ASCII letter's lower case is the letter + 32. (A word with
 * other characters is handed to readBool itself.)
 */
export function isBoolWord(text: string, from: number, to: number): boolean {
  const n = to - from;
  // (no word xend takes is longer than 5 characters, nor becomes so in lower case)
  if (n > 5) return false;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) > 127) return readBool(text.slice(from, to)) !== undefined;
  return isWordOf(TRUE_WORDS, text, from, n) || isWordOf(FALSE_WORDS, text, from, n);
}

/** Whether the n ASCII characters at text[from] are, in lower case, one of words. */
function isWordOf(words: readonly string[], text: string, from: number, n: number): boolean {
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    if (w.length !== n) continue;
    let j = 0;
    while (j < n) {
      const c = text.charCodeAt(from + j);
      if ((c >= 65 && c <= 90 ? c + 32 : c) !== w.charCodeAt(j)) break;
      j++;
    }
    if (j === n) return true;
  }
  return false;
}

/**
 * Whether Python's int() accepts text[from, to) (optional surrounding whitespace and sign, decimal
 * digits), read in place: the checks ask it of every whole-number setting.
 */
export function isInt(text: string, from = 0, to = text.length): boolean {
  let i = from;
  while (i < to && isIntBlank(text.charCodeAt(i))) i++;
  if (i < to && (text.charCodeAt(i) === 43 /* + */ || text.charCodeAt(i) === 45) /* - */) i++;
  const digits = i;
  while (i < to && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === digits) return false;
  while (i < to && isIntBlank(text.charCodeAt(i))) i++;
  return i === to;
}

/** int()'s blanks: space, \t, \n, \v, \f, \r. */
function isIntBlank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** The closest known key, for "did you mean" (edit distance at most 3, or a prefix match). */
export function suggestKey(key: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const opt of XEND_OPTIONS) {
    const d = editDistance(key.toLowerCase(), opt.key, bestDistance);
    if (d < bestDistance) {
      best = opt.key;
      bestDistance = d;
    }
  }
  if (!best && key.length >= 4) best = XEND_OPTIONS.find((x) => x.key.startsWith(key) || key.startsWith(x.key))?.key;
  return best;
}

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  if (a.length > 64 || b.length > 64) return limit;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
