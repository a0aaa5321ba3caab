// What the three readers of /etc/network/interfaces understand: families, their methods, and
// the options of each method, with value types, defaults and which tool knows them.
// Facts from ifupdown 0.8's interfaces(5), bridge-utils, ifupdown2 and ifupdown-ng; words ours.

export type Dialect = 'ifupdown' | 'ifupdown2' | 'ifupdown-ng';
export const ALL_DIALECTS: readonly Dialect[] = ['ifupdown', 'ifupdown2', 'ifupdown-ng'];

export type ValueType =
  | 'ipv4'
  | 'ipv4cidr'
  | 'ipv6'
  | 'ipv6cidr'
  | 'ip'
  | 'ipcidr'
  | 'netmask'
  | 'netmask6'
  | 'broadcast'
  | 'number'
  | 'boolean'
  | 'onoff'
  | 'mac'
  | 'name'
  | 'names'
  | 'string'
  | 'command'
  | 'enum';

export interface OptionSpec {
  name: string;
  type: ValueType;
  description: string;
  default?: string;
  /** Which tools read it (defaults to all three). */
  dialects?: readonly Dialect[];
  /** May appear several times in one stanza, each line adding something. */
  repeat?: boolean | readonly Dialect[];
  values?: readonly string[];
  /** Given by a companion package rather than ifupdown itself. */
  package?: string;
}

export interface MethodSpec {
  name: string;
  description: string;
  options: readonly string[];
  required?: readonly string[];
}

export interface FamilySpec {
  name: string;
  description: string;
  methods: Record<string, MethodSpec>;
}

const m = (name: string, description: string, options: string[] = [], required: string[] = []): MethodSpec => ({ name, description, options, required });

export const FAMILIES: Record<string, FamilySpec> = {
  inet: {
    name: 'inet',
    description: 'IPv4 addressing for the interface.',
    methods: {
      loopback: m('loopback', 'The loopback interface (lo): brought up with 127.0.0.1 and nothing else to say.'),
      static: m(
        'static',
        'A fixed IPv4 address written in this stanza.',
        ['address', 'netmask', 'broadcast', 'metric', 'gateway', 'pointopoint', 'hwaddress', 'mtu', 'scope'],
        ['address'],
      ),
      manual: m(
        'manual',
        'Brings the link up without giving it an address: other stanzas, scripts or a bridge do the rest. Usual for bridge ports and for Xen dom0 interfaces handed to a bridge.',
        ['hwaddress', 'mtu'],
      ),
      dhcp: m('dhcp', 'Asks a DHCP server for the address, using whichever DHCP client is installed.', [
        'hostname',
        'metric',
        'leasetime',
        'leasehours',
        'vendor',
        'client',
        'hwaddress',
      ]),
      bootp: m('bootp', 'Asks a BOOTP server for the address.', ['bootfile', 'server', 'hwaddr']),
      tunnel: m(
        'tunnel',
        'A GRE or IPIP tunnel to another host.',
        ['address', 'mode', 'endpoint', 'dstaddr', 'local', 'metric', 'gateway', 'ttl', 'mtu'],
        ['address', 'mode', 'endpoint'],
      ),
      ppp: m('ppp', 'A PPP link started with pon/poff.', ['provider', 'unit', 'options']),
      wvdial: m('wvdial', 'A modem link started with wvdial.', ['provider']),
      ipv4ll: m('ipv4ll', 'A link-local 169.254.x.x address picked with avahi-autoipd.'),
    },
  },
  inet6: {
    name: 'inet6',
    description: 'IPv6 addressing for the interface.',
    methods: {
      auto: m('auto', 'Stateless autoconfiguration from router advertisements, optionally with stateless DHCPv6.', [
        'privext',
        'accept_ra',
        'dhcp',
        'request_prefix',
        'll-attempts',
        'll-interval',
      ]),
      loopback: m('loopback', 'The IPv6 loopback address ::1 on lo.'),
      static: m(
        'static',
        'A fixed IPv6 address written in this stanza.',
        [
          'address',
          'netmask',
          'metric',
          'gateway',
          'media',
          'hwaddress',
          'mtu',
          'accept_ra',
          'autoconf',
          'privext',
          'scope',
          'preferred-lifetime',
          'dad-attempts',
          'dad-interval',
        ],
        ['address'],
      ),
      manual: m('manual', 'Brings the link up without an IPv6 address of its own.', ['hwaddress', 'mtu']),
      dhcp: m('dhcp', 'Stateful DHCPv6.', ['hwaddress', 'accept_ra', 'autoconf', 'request_prefix', 'll-attempts', 'll-interval']),
      tunnel: m(
        'tunnel',
        'An IP6GRE, IP6IP6 or IPIP6 tunnel.',
        ['address', 'netmask', 'mode', 'endpoint', 'dstaddr', 'local', 'metric', 'gateway', 'ttl', 'mtu', 'encaplimit'],
        ['mode', 'endpoint'],
      ),
      v4tunnel: m(
        'v4tunnel',
        'IPv6 carried inside IPv4 (a 6in4 tunnel).',
        ['address', 'netmask', 'endpoint', 'local', 'metric', 'gateway', 'ttl', 'mtu', 'preferred-lifetime'],
        ['address', 'endpoint'],
      ),
      '6to4': m(
        '6to4',
        'A 6to4 tunnel whose IPv6 prefix is derived from a public IPv4 address.',
        ['local', 'metric', 'ttl', 'mtu', 'preferred-lifetime'],
        ['local'],
      ),
    },
  },
  ipx: {
    name: 'ipx',
    description: 'The old Novell IPX protocol.',
    methods: {
      static: m('static', 'A fixed IPX network.', ['frame', 'netnum'], ['frame', 'netnum']),
      dynamic: m('dynamic', 'An IPX network learned from the wire.', ['frame']),
    },
  },
  can: {
    name: 'can',
    description: 'A Controller Area Network bus (SocketCAN).',
    methods: {
      static: m(
        'static',
        'A CAN interface with a fixed bit rate.',
        ['bitrate', 'samplepoint', 'loopback', 'listenonly', 'triple', 'oneshot', 'berr', 'restart-ms'],
        ['bitrate'],
      ),
    },
  },
  meta: {
    name: 'meta',
    description: "ifupdown's internal family for stanzas that only group others.",
    methods: { none: m('none', 'Does nothing by itself.') },
  },
};

const NG: Dialect[] = ['ifupdown-ng'];
const I2: Dialect[] = ['ifupdown2'];
const NEW: Dialect[] = ['ifupdown2', 'ifupdown-ng'];

const o = (name: string, type: ValueType, description: string, extra: Partial<OptionSpec> = {}): OptionSpec => ({ name, type, description, ...extra });

const optionList: OptionSpec[] = [
  // addressing
  o(
    'address',
    'ipcidr',
    'The address the interface gets, optionally with its prefix length (`a.b.c.d/nn`); for the routed Xen host, the address dom0 keeps on dummy0. Required by the static method. ifupdown2 and ifupdown-ng accept several address lines; ifupdown reads one per stanza (write another stanza for a second address).',
    { repeat: NEW },
  ),
  o(
    'netmask',
    'netmask',
    'The network mask: a dotted quad whose one-bits are contiguous (255.255.255.248 is /29), or a prefix length. Not needed when the address carries `/nn`; when both are given, ifupdown uses the netmask.',
  ),
  o('broadcast', 'broadcast', 'The broadcast address. `+` (the default) lets ifupdown compute it with all host bits set, `-` with all host bits clear.', {
    default: '+',
  }),
  o('gateway', 'ip', "The default route's next hop. ifupdown adds `default via GATEWAY` when the interface comes up.", { repeat: NEW }),
  o('metric', 'number', 'The metric (preference) of the default route this stanza adds; lower wins.'),
  o('pointopoint', 'ipv4', 'The address of the other end of a point-to-point link.'),
  o('hwaddress', 'mac', "Sets the link's MAC address before it is brought up (`random` picks one)."),
  o('mtu', 'number', 'The largest packet size, in bytes, the link sends.'),
  o('scope', 'enum', 'How far the address is valid: global, site, link or host.', { values: ['global', 'site', 'link', 'host'], default: 'global' }),
  o('media', 'string', 'The medium type, for drivers that need to be told.'),
  o('accept_ra', 'number', 'Whether router advertisements are accepted: 0 no, 1 yes, 2 yes even when forwarding.', { values: ['0', '1', '2'] }),
  o('autoconf', 'number', 'Whether the kernel builds addresses from advertised prefixes (0 off, 1 on).', { values: ['0', '1'] }),
  o('privext', 'number', 'IPv6 privacy extensions: 0 off, 1 make temporary addresses, 2 prefer them.', { values: ['0', '1', '2'] }),
  o('preferred-lifetime', 'number', 'How many seconds the address stays preferred.'),
  o('dad-attempts', 'number', 'How many times duplicate address detection is tried before giving up; 0 turns it off.', { default: '60' }),
  o('dad-interval', 'number', 'Seconds between duplicate address detection polls.', { default: '0.1' }),
  o('dhcp', 'number', 'Also ask for stateless DHCPv6 information (1) or not (0).', { values: ['0', '1'] }),
  o('request_prefix', 'number', 'Ask the DHCPv6 server for a delegated prefix (1) or not (0).', { values: ['0', '1'] }),
  o('ll-attempts', 'number', 'How many times to wait for a link-local address.', { default: '60' }),
  o('ll-interval', 'number', 'Seconds between link-local address polls.', { default: '0.1' }),
  // dhcp / bootp
  o('hostname', 'string', 'The host name sent to the DHCP server.'),
  o('leasetime', 'number', 'The lease time asked for, in seconds.'),
  o('leasehours', 'number', 'The lease time asked for, in hours (pump only).'),
  o('vendor', 'string', 'The vendor class identifier sent to the DHCP server.'),
  o('client', 'string', 'The client identifier sent to the DHCP server (`no` sends none).'),
  o('bootfile', 'string', 'The boot file asked of the BOOTP server.'),
  o('server', 'ipv4', 'The BOOTP server to ask.'),
  o('hwaddr', 'mac', 'The hardware address to send to the BOOTP server.'),
  // tunnels
  o('mode', 'string', 'The tunnel type: GRE or IPIP for IPv4, IP6GRE, IP6IP6 or IPIP6 for IPv6.'),
  o('endpoint', 'ip', 'The address of the far end of the tunnel.'),
  o('dstaddr', 'ip', 'The remote address inside the tunnel.'),
  o('local', 'ip', 'The local address the tunnel is sent from.'),
  o('ttl', 'number', "The time to live of the tunnel's outer packets."),
  o('encaplimit', 'string', 'The IPv6 tunnel encapsulation limit (`none` or a number).'),
  // ppp
  o('provider', 'name', 'The peers file (under /etc/ppp/peers) to dial.'),
  o('unit', 'number', 'The ppp unit number, so that the link is always pppN.'),
  o('options', 'string', 'Extra options passed to pppd.'),
  // ipx, can
  o('frame', 'string', 'The IPX frame type (802.2, 802.3, EtherII, SNAP).'),
  o('netnum', 'string', 'The IPX network number.'),
  o('bitrate', 'number', 'The CAN bus speed in bits per second (1 to 1000000).'),
  o('samplepoint', 'string', 'The CAN sample point (0.000 to 0.999).'),
  o('loopback', 'onoff', 'Whether sent CAN frames are looped back (on or off).'),
  o('listenonly', 'onoff', 'Listen-only CAN mode (on or off).'),
  o('triple', 'onoff', 'Triple sampling (on or off).'),
  o('oneshot', 'onoff', 'One-shot mode (on or off).'),
  o('berr', 'onoff', 'Bus error reporting (on or off).'),
  o('restart-ms', 'number', 'Milliseconds before the CAN controller restarts after bus-off.'),
  // hooks, valid everywhere
  o('pre-up', 'command', 'A shell command run before the interface is brought up; if it fails, the interface stays down.', { repeat: true }),
  o('up', 'command', 'A shell command run after the interface is up. Several lines run in order.', { repeat: true }),
  o('post-up', 'command', 'Same as `up`: a command run after the interface is up.', { repeat: true }),
  o('down', 'command', 'A shell command run before the interface is taken down.', { repeat: true }),
  o('pre-down', 'command', 'Same as `down`: a command run before the interface is taken down.', { repeat: true }),
  o('post-down', 'command', 'A shell command run after the interface is down.', { repeat: true }),
  o('description', 'string', 'A free-text description of the interface (also set as the link alias by some tools).'),
  // mapping
  o('script', 'string', 'In a mapping stanza: the program that is given the interface name and prints the logical name to use.'),
  o('map', 'string', "In a mapping stanza: a line written to the mapping script's standard input.", { repeat: true }),
  // vlan
  o('vlan-raw-device', 'name', 'The physical interface a VLAN interface sits on (vlan package, ifupdown2, ifupdown-ng).', { package: 'vlan' }),
  o('vlan-id', 'number', 'The 802.1Q VLAN number (0 to 4094) of a VLAN interface whose name does not say it.', { dialects: NEW }),
  o('vlan-protocol', 'enum', 'The VLAN tag protocol: 802.1q or 802.1ad.', { dialects: NEW, values: ['802.1q', '802.1ad'], default: '802.1q' }),
  // bridge-utils (ifupdown) and ifupdown2/ng
  o(
    'bridge_ports',
    'names',
    'The interfaces enslaved to the bridge: a list, `all`, `none`, or `regex ...`. This is how a Xen bridged setup puts the physical NIC into xenbr0.',
    { package: 'bridge-utils' },
  ),
  o('bridge_stp', 'boolean', 'Whether the bridge runs the spanning tree protocol.', { package: 'bridge-utils', default: 'off' }),
  o('bridge_fd', 'number', 'The bridge forward delay in seconds.', { package: 'bridge-utils', default: '15' }),
  o('bridge_maxwait', 'number', 'How many seconds to wait for the bridge ports to be ready; 0 does not wait.', { package: 'bridge-utils' }),
  o('bridge_ageing', 'number', 'Seconds a learned MAC address is kept.', { package: 'bridge-utils', default: '300' }),
  o('bridge_bridgeprio', 'number', 'The bridge priority (0 to 65535) for the spanning tree.', { package: 'bridge-utils', default: '32768' }),
  o('bridge_gcint', 'number', 'The garbage collection interval in seconds.', { package: 'bridge-utils', default: '4' }),
  o('bridge_hello', 'number', 'The spanning tree hello time in seconds.', { package: 'bridge-utils', default: '2' }),
  o('bridge_hw', 'string', 'The MAC address (or the interface whose address) the bridge takes.', { package: 'bridge-utils' }),
  o('bridge_maxage', 'number', 'The spanning tree maximum message age in seconds.', { package: 'bridge-utils', default: '20' }),
  o('bridge_pathcost', 'string', 'The path cost of a port: `PORT COST`.', { package: 'bridge-utils' }),
  o('bridge_portprio', 'string', 'The priority of a port: `PORT PRIORITY`.', { package: 'bridge-utils' }),
  o('bridge_vlan_aware', 'boolean', 'Whether the bridge filters by VLAN.', { package: 'bridge-utils' }),
  o('bridge_waitport', 'string', 'Wait for ports to come up: `TIME [PORTS]`.', { package: 'bridge-utils' }),
  o('bridge-vids', 'string', 'The VLANs a bridge port carries (ifupdown2, ifupdown-ng).', { dialects: NEW }),
  o('bridge-pvid', 'number', 'The untagged VLAN of a bridge port.', { dialects: NEW }),
  o('bridge-access', 'number', 'Makes the port an access port of one VLAN.', { dialects: NEW }),
  o('bridge-allow-untagged', 'boolean', 'Whether a bridge port accepts untagged frames.', { dialects: NEW }),
  o('bridge-ports-condone-regex', 'string', 'A pattern of bridge ports that may be missing.', { dialects: I2 }),
  // ifupdown-ng and ifupdown2 structure
  o('use', 'name', 'ifupdown-ng: run an executor (dhcp, bridge, bond, vlan, ...) for this interface, instead of a method on the iface line.', {
    dialects: NG,
    repeat: true,
  }),
  o('requires', 'names', 'ifupdown-ng: interfaces that must be up before this one (and go down after it).', { dialects: NG, repeat: true }),
  o('inherit', 'name', 'ifupdown-ng: copy the options of another stanza, like `inherits` on the iface line.', { dialects: NG }),
  o('link-type', 'string', 'The kind of link to create (for example `dummy`, which a routed Xen dom0 can use instead of the dummy module line).', {
    dialects: NEW,
  }),
  o('alias', 'string', 'The link alias (a description) of the interface.', { dialects: I2 }),
  o('address-virtual', 'string', 'A MAC address and addresses of a virtual router interface (ifupdown2).', { dialects: I2, repeat: true }),
  o('vrf', 'name', 'Makes the interface a VRF device with this table.', { dialects: I2 }),
  o('vrf-table', 'string', 'The routing table of a VRF device (a number or `auto`).', { dialects: NEW }),
  o('vrf-member', 'name', 'The VRF device the interface belongs to.', { dialects: NG }),
  o('mock-depends', 'names', 'ifupdown-ng test helper: a fake dependency.', { dialects: NG }),
  o('dhcp-hostname', 'string', 'The host name sent to the DHCP server (ifupdown-ng).', { dialects: NG }),
  o('ppp-provider', 'name', 'The peers file to dial (ifupdown-ng).', { dialects: NG }),
  o('vlan_id', 'number', 'The VLAN number (ifupdown-ng spelling with `_`).', { dialects: NG }),
  o('wireguard-config-path', 'string', 'The WireGuard configuration file (ifupdown-ng).', { dialects: NG }),
  o('dns-nameservers', 'string', 'Name servers for resolvconf while the interface is up.', { package: 'resolvconf' }),
  o('dns-search', 'string', 'Search domains for resolvconf while the interface is up.', { package: 'resolvconf' }),
];

export const OPTIONS: ReadonlyMap<string, OptionSpec> = new Map(optionList.map((s) => [s.name, s]));

/** Options any stanza may carry whatever its method. */
export const COMMON_OPTIONS = ['pre-up', 'up', 'post-up', 'down', 'pre-down', 'post-down', 'description'];

/** Families of options that other packages add (hook scripts read them); any name with the prefix is accepted. */
export const PACKAGE_PREFIXES: readonly { prefix: string; package: string; dialects?: readonly Dialect[] }[] = [
  { prefix: 'bridge-', package: 'bridge-utils (as bridge_*), ifupdown2 and ifupdown-ng' },
  { prefix: 'bridge_', package: 'bridge-utils' },
  { prefix: 'bond-', package: 'ifenslave' },
  { prefix: 'bond_', package: 'ifenslave' },
  { prefix: 'wpa-', package: 'wpasupplicant' },
  { prefix: 'wireless-', package: 'wireless-tools' },
  { prefix: 'dns-', package: 'resolvconf' },
  { prefix: 'vxlan-', package: 'ifupdown2 and ifupdown-ng', dialects: NEW },
  { prefix: 'mstpctl-', package: 'mstpd (ifupdown2)', dialects: I2 },
  { prefix: 'clagd-', package: 'ifupdown2', dialects: I2 },
  { prefix: 'link-', package: 'ifupdown2', dialects: I2 },
  { prefix: 'tunnel-', package: 'ifupdown-ng and ifupdown2', dialects: NEW },
  { prefix: 'gre-', package: 'ifupdown-ng', dialects: NG },
  { prefix: 'ethtool-', package: 'ethtool' },
  { prefix: 'hw-', package: 'ifupdown2', dialects: I2 },
  { prefix: 'vlan-', package: 'vlan' },
  { prefix: 'vlan_', package: 'vlan' },
  { prefix: 'post-up', package: 'ifupdown' },
  // Open vSwitch: the ifupdown hook of openvswitch-switch reads ovs_type, ovs_bridge, ovs_ports,
  // ovs_bonds, ovs_options, ovs_extra, ovs_patch_peer, ovs_tunnel_type…; ifupdown2's openvswitch
  // addon reads the same names (with `_` or `-`). ifupdown-ng has no Open vSwitch executor.
  { prefix: 'ovs_', package: 'openvswitch-switch (ifupdown hook) and ifupdown2', dialects: ['ifupdown', 'ifupdown2'] },
  { prefix: 'ovs-', package: 'ifupdown2 (openvswitch addon)', dialects: ['ifupdown', 'ifupdown2'] },
];

/**
 * Options ifupdown once read and now ignores, which old installers still wrote: a hint, not a
 * warning (the file works; the line does nothing). `network` under inet static was dropped in
 * ifupdown 0.7 (the network address is computed from address and netmask) but Debian's installer
 * kept writing it.
 */
export const OBSOLETE_OPTIONS: ReadonlyMap<string, string> = new Map([
  [
    'network',
    'ifupdown computes the network from `address` and `netmask` and has ignored this line since 0.7 (older installers wrote it); it is only passed to hook scripts as IF_NETWORK',
  ],
]);

export interface KeywordSpec {
  name: string;
  description: string;
  snippet: string;
}

export const KEYWORDS: readonly KeywordSpec[] = [
  {
    name: 'iface',
    description:
      "Starts a stanza that says how to configure one interface: `iface NAME FAMILY METHOD`, followed by its option lines. Several stanzas for one name add up (an IPv4 and an IPv6 one, or a second address). `inherits OTHER` at the end copies another stanza's options.",
    snippet: 'iface ${1:eth0} ${2|inet,inet6|} ${3|static,dhcp,manual,loopback|}',
  },
  {
    name: 'auto',
    description: 'Names interfaces that `ifup -a` brings up at boot. ifupdown refuses a name here that no `iface` stanza defines (except lo).',
    snippet: 'auto ${1:eth0}',
  },
  {
    name: 'allow-hotplug',
    description: 'Names interfaces brought up when the kernel reports them (udev), rather than at boot.',
    snippet: 'allow-hotplug ${1:eth0}',
  },
  { name: 'allow-auto', description: 'The same as `auto`.', snippet: 'allow-auto ${1:eth0}' },
  {
    name: 'mapping',
    description: 'Runs a script to choose which logical stanza an interface gets (`script PATH`, then `map` lines fed to it).',
    snippet: 'mapping ${1:eth0}\n    script ${2:/usr/local/sbin/map-scheme}',
  },
  {
    name: 'source',
    description: 'Reads other files (a path or a shell pattern) as if they were written here.',
    snippet: 'source ${1:/etc/network/interfaces.d/*}',
  },
  {
    name: 'source-directory',
    description: 'Reads every file of a directory whose name is made of letters, digits, `_` and `-`.',
    snippet: 'source-directory ${1:/etc/network/interfaces.d}',
  },
  { name: 'rename', description: 'Renames interfaces before they are configured: `rename CURRENT=NEW`.', snippet: 'rename ${1:eth0}=${2:lan}' },
  { name: 'no-auto-down', description: 'Interfaces that `ifdown -a` leaves up.', snippet: 'no-auto-down ${1:eth0}' },
  { name: 'no-scripts', description: 'Interfaces for which the hook scripts in /etc/network/if-*.d are not run.', snippet: 'no-scripts ${1:eth0}' },
];

export const KEYWORD_BY_NAME: ReadonlyMap<string, KeywordSpec> = new Map(KEYWORDS.map((k) => [k.name, k]));

/** The option's spec under its own name or its `_`/`-` twin (both reach hook scripts as the same variable). */
export function lookupOption(name: string): OptionSpec | undefined {
  return OPTIONS.get(name) ?? OPTIONS.get(name.replace(/_/g, '-')) ?? OPTIONS.get(name.replace(/-/g, '_'));
}

export function packagePrefix(name: string): (typeof PACKAGE_PREFIXES)[number] | undefined {
  for (const p of PACKAGE_PREFIXES) if (name.startsWith(p.prefix) && name.length > p.prefix.length) return p;
  return undefined;
}

export function dialectsOf(spec: OptionSpec | undefined): readonly Dialect[] {
  return spec?.dialects ?? ALL_DIALECTS;
}

export function describeDialects(ds: readonly Dialect[]): string {
  if (ds.length === 1) return ds[0];
  return ds.slice(0, -1).join(', ') + ' and ' + ds[ds.length - 1];
}

/** The names of the options a stanza with this family and method takes (method options plus the common ones). */
export function optionsFor(family: string | undefined, method: string | undefined): string[] {
  const spec = family ? FAMILIES[family]?.methods[method ?? ''] : undefined;
  return [...(spec?.options ?? []), ...COMMON_OPTIONS];
}

/** Every method name any family has, for telling "wrong method for this option" apart. */
export const METHOD_OPTIONS: ReadonlySet<string> = new Set(Object.values(FAMILIES).flatMap((f) => Object.values(f.methods).flatMap((mm) => mm.options)));
