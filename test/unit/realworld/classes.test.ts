// One small case of our own writing for each class of mistake the real-world files showed
// (issue 11): what the checks said wrongly, and the real mistakes they missed. Each case names the
// real behaviour it rests on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diags as domainDiags, codes as domainCodes } from '../domain/helpers';
import { diags as ifaceDiags, codes as ifaceCodes } from '../interfaces/helpers';
import { check } from '../host/helpers';
import { findTemplate } from '../../../server/src/formats/template';
import { sxpService } from '../../../server/src/formats/sxp/service';
import { modulesService } from '../../../server/src/formats/modules/service';
import { defaultSettings } from '../../../server/src/core/settings';

const loud = <T extends { severity?: number }>(ds: T[]): T[] => ds.filter((d) => d.severity === 1 || d.severity === 2);

// ---- class 1: point-to-point and on-link gateways (ifupdown 0.8: `ip addr add … peer G`,
// `ip route add default via G dev IF onlink`, as `ifup --no-act` prints)
test('class 1: a /32 with pointopoint G and gateway G says nothing; another off-subnet gateway is information', () => {
  const ptp = (extra: string) => ({
    'etc/network/interfaces': `auto eth0\niface eth0 inet static\n address 65.21.233.152/32\n pointopoint 65.21.233.129${extra}\n gateway 65.21.233.129\n`,
  });
  assert.deepEqual(
    check(ptp('')).map((f) => f.code),
    [],
  );
  assert.deepEqual(
    check(ptp(' dev eth0')).map((f) => f.code),
    [],
  );
  const off = check({ 'etc/network/interfaces': 'auto br0\niface br0 inet static\n address 10.20.30.2/24\n gateway 192.168.1.5\n' });
  assert.deepEqual(
    off.map((f) => [f.code, f.d.severity]),
    [['host/gateway-outside-subnet', 3]],
  );
  assert.match(String(off[0].d.message), /onlink/);
});

// ---- class 2: keys xl 4.17 and xm 4.4.4 really read
test('class 2: keys from xl_parse.c and create.py are known; cap is no longer "hap"', () => {
  for (const k of [
    'oos = 1',
    'nx = 1',
    'spicevdagent = 1',
    'spice_clipboard_sharing = 1',
    'cap = 50',
    'pvshim = 1',
    'vendor_device = "xenserver"',
    'hdtype = "ahci"',
  ]) {
    assert.deepEqual(domainCodes(`${k}\n`, 'xl'), [], k);
  }
  for (const k of ["bootentry = 'x'", "loader = '/usr/lib/xen/boot/hvmloader'", "description = 'x'", "restart = 'onreboot'", 'target = 1', "fda = '/f'"]) {
    assert.deepEqual(domainCodes(`${k}\n`, 'xm'), [], k);
  }
  assert.deepEqual(domainCodes('cpu_cap = 50\n', 'xl'), ['domain/xm-only-key'], 'xl reads cap, not cpu_cap');
  assert.deepEqual(domainCodes('inirtd = 1\n').length, 1, 'a real mistake is still told');
});

// ---- class 3: the Python of xm files (execfile: helper variables, NameError, SyntaxError)
test('class 3: a helper variable used later is not a key; an undefined name is NameError; a bad target a SyntaxError in every mode', () => {
  const helper = "import os\nlibdir = 'lib64'\ndevice_model = '/usr/' + libdir + '/xen/bin/qemu-dm'\nname = 'a'\n";
  assert.deepEqual(loud(domainDiags(helper)), []);
  const unused = "import os\nlibdir = 'lib64'\nname = 'a'\n";
  assert.deepEqual(
    loud(domainDiags(unused)).map((d) => d.code),
    ['domain/unknown-key'],
    'assigned and never used: no effect',
  );
  const lots = "name = 'a'\nmemory = lots\n";
  const e = domainDiags(lots).filter((d) => d.severity === 1);
  assert.deepEqual(
    e.map((d) => d.code),
    ['domain/python-name-error'],
  );
  // names xm defines before running the file, builtins, and names the file itself defines
  assert.deepEqual(
    domainCodes("maxmem = memory * 2\nname = 'vm%d' % vmid\nxm_vars.var('vmid', use='id', check=None)\nx = str(1)\n").filter(
      (c) => c === 'domain/python-name-error',
    ),
    [],
  );
  for (const mode of ['auto', 'xm', 'xl'] as const) {
    const d = domainDiags("install-method = debootstrap\nname = 'a'\n", mode).filter((x) => x.severity === 1);
    // (under xl the bare name debootstrap is an xl-python error of its own as well)
    assert.deepEqual(
      d.map((x) => x.code).filter((c) => c !== 'domain/xl-python'),
      ['domain/syntax'],
      mode,
    );
    if (mode !== 'xl') assert.equal(d.length, 1, mode);
  }
});

// ---- class 4: dialect-aware interfaces options
test('class 4: Open vSwitch options, address on loopback (ifupdown2), network under inet static', () => {
  const ovs =
    'auto br0\niface br0 inet dhcp\n ovs_type OVSBridge\n ovs_ports eth0\n\nallow-br0 eth0\niface eth0 inet manual\n ovs_bridge br0\n ovs_type OVSPort\n';
  assert.deepEqual(loud(ifaceDiags(ovs)), []);
  assert.deepEqual(loud(ifaceDiags(ovs, 'ifupdown2')), []);
  assert.ok(ifaceCodes(ovs, 'ifupdown-ng').includes('interfaces/unknown-option'), 'ifupdown-ng has no Open vSwitch executor');
  const lo = 'auto lo\niface lo inet loopback\n address 10.0.0.11/32\n';
  assert.deepEqual(loud(ifaceDiags(lo)), []);
  assert.deepEqual(ifaceDiags(lo, 'ifupdown2'), []);
  assert.deepEqual(
    loud(ifaceDiags(lo, 'ifupdown')).map((d) => d.code),
    ['interfaces/option-wrong-method'],
  );
  const net = 'auto eth0\niface eth0 inet static\n address 192.168.1.2\n netmask 255.255.255.0\n network 192.168.1.0\n';
  assert.deepEqual(
    ifaceDiags(net).map((d) => [d.code, d.severity]),
    [['interfaces/obsolete-option', 4]],
  );
});

test('class 4: ifupdown2 reads `_` in option names as `-`', () => {
  const text = 'auto swp1\niface swp1\n mstpctl_portadminedge yes\n mstpctl-bpduguard yes\n';
  assert.deepEqual(loud(ifaceDiags(text, 'ifupdown2')), []);
  assert.deepEqual(loud(ifaceDiags(text)), []);
});

// ---- class 8: the shared corpus (ifup --no-act shows `ip -4 addr add` for the ipip6 tunnel)
test('class 8: an inet6 ipip6 tunnel carries an IPv4 address; a stanza without family is IPv6 when its address is', () => {
  const tunnel = 'iface tunnel3 inet6 tunnel\n address 192.0.2.1\n netmask 24\n mode ipip6\n endpoint 2001:db8::2\n local 2001:db8::1\n';
  assert.deepEqual(loud(ifaceDiags(tunnel)), []);
  const gre = 'iface tunnel3 inet6 tunnel\n address 192.0.2.1\n mode ip6gre\n endpoint 2001:db8::2\n';
  assert.deepEqual(
    loud(ifaceDiags(gre)).map((d) => d.code),
    ['interfaces/invalid-value'],
    'ip6gre carries IPv6',
  );
  const ng = 'auto eth0\niface eth0\n address 2001:db8:1000:2::2\n netmask 112\n gateway 2001:db8:1000:2::1\n';
  assert.deepEqual(loud(ifaceDiags(ng, 'ifupdown-ng')), []);
  assert.deepEqual(
    loud(ifaceDiags('auto eth0\niface eth0\n address 10.0.0.2\n netmask 112\n', 'ifupdown-ng')).map((d) => d.code),
    ['interfaces/invalid-value'],
  );
});

// ---- class 5: templates
test('class 5: a Jinja, ERB or Mako template gets one diagnostic in every format, and nothing else', () => {
  const jinja = 'auto lo\niface lo inet loopback\n\nauto {{ wan }}\niface {{ wan }} inet dhcp\n{% for i in ports %}\nauto {{ i }}\n{% endfor %}\n';
  assert.deepEqual(
    ifaceDiags(jinja).map((d) => d.code),
    ['template/not-checked'],
  );
  assert.deepEqual(
    ifaceDiags(jinja, 'ifupdown').map((d) => d.code),
    ['template/not-checked'],
  );
  const erb = "name = '<%= @name %>'\nmemory = <%= @memory %>\n";
  assert.deepEqual(
    domainDiags(erb).map((d) => d.code),
    ['template/not-checked'],
  );
  const sxpText = '(network-script {{ script }})\n';
  const sx = sxpService.parse(sxpText, defaultSettings);
  assert.deepEqual(
    sxpService.diagnostics(sx, defaultSettings).map((d) => d.code),
    ['template/not-checked'],
  );
  const mods = modulesService.parse('{% for m in modules %}\n{{ m }}\n{% endfor %}\n', defaultSettings, 'file:///etc/modules');
  assert.deepEqual(
    modulesService.diagnostics(mods, defaultSettings).map((d) => d.code),
    ['template/not-checked'],
  );
  // ifupdown2 renders Mako itself: a hint; shell `${IFACE}` in a command is not a template
  const mako = '% for v in range(10, 12):\nauto vlan${v}\niface vlan${v}\n vlan-id ${v}\n% endfor\n';
  assert.deepEqual(
    ifaceDiags(mako, 'ifupdown2').map((d) => [d.code, d.severity]),
    [['template/not-checked', 4]],
  );
  assert.equal(findTemplate('auto eth0\niface eth0 inet manual\n up ip link set ${IFACE} up\n'), undefined);
  assert.equal(findTemplate('# 100% sure\nauto eth0\n'), undefined);
  // xen-tools writes its domain files from Perl Text::Template files (found in public files)
  const tt = "kernel  = '{$kernel}'\nmemory  = '{$memory}'\n{ if ( $initrd )\n  {\n    $OUT.= \"ramdisk = '$initrd'\\n\";\n  }\n}\n";
  assert.deepEqual(
    domainDiags(tt).map((d) => d.code),
    ['template/not-checked'],
  );
  assert.equal(findTemplate("extra = 'console=hvc0 ${x}'\n"), undefined);
});

// ---- class 6: domain severities (xl 4.11-4.17 parse_nic_config prints and goes on; xm stops)
test('class 6: xl-lexical is an error for an xl file under auto; vif type and unknown vif keys are warnings under xl, errors under xm', () => {
  const last = "name = 'a'\nmemory = 128\n# the end";
  assert.deepEqual(
    domainDiags(last).map((d) => [d.code, d.severity]),
    [['domain/xl-lexical', 1]],
  );
  const vif = "vif = [ 'mac=00:16:3e:00:00:01,type=netfront,colour=blue' ]\n";
  assert.deepEqual(
    domainDiags(vif, 'xl').map((d) => [d.code, d.severity]),
    [
      ['domain/invalid-vif-value', 2],
      ['domain/unknown-vif-key', 2],
    ],
  );
  assert.deepEqual(
    domainDiags(vif, 'xm').map((d) => [d.code, d.severity]),
    [['domain/unknown-vif-key', 1]],
  );
  assert.match(domainDiags(vif, 'xl')[1].message, /ignores it/);
  // several addresses in one ip=: xend hands the string to the vif script, which loops
  assert.deepEqual(domainCodes("vif = [ 'ip=80.68.86.194 80.68.86.195' ]\n", 'xm'), []);
});

// ---- class 7: the host model
test('class 7: one vif listing an address twice is one guest; iface lo0 inet loopback is refused by ifupdown', () => {
  const iface = 'auto dummy0\niface dummy0 inet static\n address 80.68.86.193\n netmask 255.255.255.248\n';
  const xend = "(network-script network-route)\n(vif-script 'vif-route netdev=dummy0')\n";
  const twice = check({
    'etc/network/interfaces': iface,
    'etc/xen/xend-config.sxp': xend,
    'etc/xen/a.cfg': "name = 'a'\nvif = [ 'ip=80.68.86.194 80.68.86.194' ]\n",
  });
  assert.deepEqual(
    twice.filter((f) => f.code === 'host/duplicate-guest-ip'),
    [],
  );
  const two = check({
    'etc/network/interfaces': iface,
    'etc/xen/xend-config.sxp': xend,
    'etc/xen/a.cfg': "name = 'a'\nvif = [ 'ip=80.68.86.194', 'ip=80.68.86.194' ]\n",
  });
  assert.equal(two.filter((f) => f.code === 'host/duplicate-guest-ip').length, 2);
  // ifquery 0.8.41: "unknown interface lo" (the implicit auto lo has no stanza)
  assert.deepEqual(
    ifaceDiags('auto eth0\niface eth0 inet dhcp\niface lo0 inet loopback\n').map((d) => [d.code, d.severity]),
    [['interfaces/loopback-not-lo', 1]],
  );
  assert.deepEqual(ifaceCodes('auto lo\niface lo inet loopback\niface lo0 inet loopback\n'), []);
  assert.deepEqual(ifaceCodes('auto eth0\niface eth0 inet dhcp\n'), [], 'no loopback stanza at all: ifupdown adds lo itself');
});

// ---- class 9: the routed subnet and the fixes follow the host's evidence
test("class 9: a /28 netmask against a routed /29 is the netmask's fault; disagreeing xend scripts get the pair the host shows first", () => {
  const files = {
    'etc/network/interfaces': 'auto dummy0\niface dummy0 inet static\n address 80.68.86.193\n netmask 255.255.255.240\n broadcast 80.68.86.199\n',
  };
  const found = check(files, { routedSubnet: '80.68.86.192/29' });
  assert.deepEqual(
    found.filter((f) => f.code !== 'host/dummy-module-missing').map((f) => [f.code, f.text]),
    [['host/netmask-prefix-mismatch', '255.255.255.240']],
    'no wrong-broadcast: 80.68.86.199 is right for the routed /29',
  );
  assert.deepEqual(found.find((f) => f.code === 'host/netmask-prefix-mismatch')!.d.data, { fix: 'set-netmask', value: '255.255.255.248' });
  // the vif script says bridge, but the gateway on dummy0 and the guests' ip= say routed
  const iface = 'auto dummy0\niface dummy0 inet static\n address 80.68.86.193\n netmask 255.255.255.248\n';
  const mixed = check({
    'etc/network/interfaces': iface,
    'etc/xen/xend-config.sxp': '(network-script network-route)\n(vif-script vif-bridge)\n',
    'etc/xen/a.cfg': "name = 'a'\nvif = [ 'ip=80.68.86.194' ]\n",
  });
  const d = mixed.find((f) => f.code === 'host/script-modes-differ')!;
  assert.deepEqual(d.d.data, {
    fix: 'set-script-pair',
    networkScript: 'network-route',
    vifScript: 'vif-route',
    alternatives: [{ networkScript: 'network-bridge', vifScript: 'vif-bridge' }],
  });
  assert.match(String(d.d.message), /dummy0/);
});

test('class 7: `auto X` in a file that sources others is judged with the sourced files read', () => {
  const files = {
    'etc/network/interfaces': 'source /etc/network/interfaces.d/*\n\nauto lo\niface lo inet loopback\n\nauto eth0\nauto eth1\nallow-hotplug eth2\n',
    'etc/network/interfaces.d/eth0': 'iface eth0 inet dhcp\n',
  };
  assert.deepEqual(
    check(files).map((f) => [f.code, f.text, f.d.severity]),
    [
      ['host/auto-without-iface', 'eth1', 1],
      ['host/auto-without-iface', 'eth2', 2],
    ],
  );
  // the file's own check cannot see the sourced file: a warning that the host check replaces
  const own = ifaceDiags(files['etc/network/interfaces']).filter((d) => d.code === 'interfaces/auto-without-iface');
  assert.deepEqual(
    own.map((d) => [d.severity, (d as { data?: unknown }).data]),
    [
      [2, { sourced: true }],
      [2, { sourced: true }],
      [2, { sourced: true }],
    ],
  );
});

// ---- found in more public files (docs/accuracy.md): the kernel accepts the block's network address
test('more files: an interface on the network address of its block is a warning (Linux accepts it)', () => {
  const found = check({ 'etc/network/interfaces': 'auto vmbr1\niface vmbr1 inet static\n address 10.0.0.0/29\n bridge-ports none\n' });
  assert.deepEqual(
    found.map((f) => [f.code, f.d.severity]),
    [['host/address-is-network', 2]],
  );
});

// ---- real mistakes not caught before
test("missed before: a vif bridge no interfaces stanza defines (named, or xl's default xenbr0)", () => {
  const iface = 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet manual\n\nauto xenbr0\niface xenbr0 inet dhcp\n bridge_ports eth0\n';
  const guest = (vif: string) => ({ 'etc/network/interfaces': iface, 'etc/xen/a.cfg': `name = 'a'\nkernel = '/k'\nvif = [ ${vif} ]\n` });
  const one = check(guest("'bridge=xenbr1'"));
  assert.deepEqual(
    one.map((f) => [f.code, f.text, f.d.severity]),
    [['host/vif-bridge-missing', 'xenbr1', 1]],
  );
  assert.match(String(one[0].d.message), /Could not find bridge device xenbr1/);
  assert.deepEqual(
    check(guest("''")).map((f) => f.code),
    [],
  );
  assert.deepEqual(
    check(guest("'bridge=xenbr0'")).map((f) => f.code),
    [],
  );
  const noXenbr0 = { 'etc/network/interfaces': 'auto eth0\niface eth0 inet dhcp\n', 'etc/xen/a.cfg': "name = 'a'\nvif = [ '' ]\n" };
  assert.deepEqual(
    check(noXenbr0).map((f) => [f.code, f.d.severity]),
    [['host/vif-bridge-missing', 1]],
  );
  // vif-bridge's fallback: a missing xenbr0 becomes eth0 when eth0 is a bridge
  const eth0Bridge = { 'etc/network/interfaces': 'auto eth0\niface eth0 inet dhcp\n bridge_ports peth0\n', 'etc/xen/a.cfg': "name = 'a'\nvif = [ '' ]\n" };
  assert.deepEqual(
    check(eth0Bridge).map((f) => f.code),
    [],
  );
  // a stanza without auto: not up at boot
  const notAuto = { 'etc/network/interfaces': 'iface xenbr1 inet manual\n bridge_ports none\n', 'etc/xen/a.cfg': "name = 'a'\nvif = [ 'bridge=xenbr1' ]\n" };
  assert.deepEqual(
    check(notAuto).map((f) => [f.code, f.d.severity]),
    [['host/vif-bridge-missing', 2]],
  );
  // xend's network-bridge makes its own bridges; a routed host uses none
  assert.deepEqual(
    check({ ...guest("'bridge=xenbr1'"), 'etc/xen/xend-config.sxp': '(network-script network-bridge)\n(vif-script vif-bridge)\n' }).map((f) => f.code),
    [],
  );
});

test('missed before: a modules-load.d file without .conf is skipped by systemd', () => {
  const doc = modulesService.parse('dummy\n', defaultSettings, 'file:///etc/modules-load.d/xen');
  assert.deepEqual(
    modulesService.diagnostics(doc, defaultSettings).map((d) => [d.code, d.severity]),
    [['modules/not-conf', 2]],
  );
  const ok = modulesService.parse('dummy\n', defaultSettings, 'file:///etc/modules-load.d/xen.conf');
  assert.deepEqual(modulesService.diagnostics(ok, defaultSettings), []);
});

// ---- more public files (docs/accuracy.md): a bad value on an option the method does not read.
// `ifup` of `inet manual` with placeholder `address`/`gateway` lines succeeds (network namespace):
// ifupdown never reads them, so they are not a refusal; under auto a warning, under ifupdown only
// the option-wrong-method warning, and a real static stanza keeps its error.
test('evidence: a placeholder value under a method that ignores the option is no error', () => {
  const manual = 'auto eth0\niface eth0 inet manual\n address X.X.X.X\n gateway X.X.X.X\n';
  const auto = loud(ifaceDiags(manual));
  assert.deepEqual(
    auto.filter((d) => d.severity === 1),
    [],
    'no error under auto',
  );
  assert.deepEqual(
    auto.filter((d) => d.code === 'interfaces/invalid-value').map((d) => d.severity),
    [2, 2],
  );
  assert.match(String(auto.find((d) => d.code === 'interfaces/invalid-value')!.message), /ignores this line under manual/);
  assert.deepEqual(ifaceCodes(manual, 'ifupdown'), ['interfaces/option-wrong-method', 'interfaces/option-wrong-method']);
  const stat = 'auto eth0\niface eth0 inet static\n address X.X.X.X\n';
  assert.deepEqual(
    loud(ifaceDiags(stat)).map((d) => [d.code, d.severity]),
    [['interfaces/invalid-value', 1]],
  );
});

// ---- more public files: two stanzas up at boot each with `gateway` (a lab's three NICs, a router
// whose LAN side names the WAN gateway). ifupdown's second `ip route add default … onlink` answers
// "File exists" and `ifup` of that interface fails (network namespace); a metric tells them apart.
test('evidence: a second default route without metric is a warning on the later gateway', () => {
  const two = (extra: string) => ({
    'etc/network/interfaces': `auto eth0\niface eth0 inet static\n address 10.1.0.5/24\n gateway 10.1.0.1\n\nauto eth1\niface eth1 inet static\n address 10.2.0.5/24\n gateway 10.2.0.1\n${extra}`,
  });
  const found = check(two(''));
  assert.deepEqual(
    found.map((f) => [f.code, f.text, f.d.severity]),
    [['host/second-default-route', '10.2.0.1', 2]],
  );
  assert.match(String(found[0].d.message), /File exists/);
  assert.deepEqual(
    check(two(' metric 100\n')).map((f) => f.code),
    [],
    'a metric makes the routes distinct',
  );
  // not brought up at boot: nothing runs the second route
  const manualOnly = {
    'etc/network/interfaces':
      'auto eth0\niface eth0 inet static\n address 10.1.0.5/24\n gateway 10.1.0.1\n\niface eth1 inet static\n address 10.2.0.5/24\n gateway 10.2.0.1\n',
  };
  assert.deepEqual(
    check(manualOnly).map((f) => f.code),
    [],
  );
  // one gateway, the other stanza without: nothing
  assert.deepEqual(
    check({ 'etc/network/interfaces': 'auto eth0\niface eth0 inet dhcp\n\nauto eth1\niface eth1 inet static\n address 10.2.0.5/24\n gateway 10.2.0.1\n' }).map(
      (f) => f.code,
    ),
    [],
  );
});

// ---- more public files: `iface wlan0 inet` with wpa-* options and no method (a Raspberry Pi's
// file). ifquery refuses the whole file ("unknown or no method"); ifupdown2 reads it. Said as a
// warning under auto, an error under ifupdown, nothing under ifupdown2.
test('evidence: a family without a method is a warning under auto', () => {
  const text = 'auto wlan0\niface wlan0 inet\n wpa-ssid "x"\n';
  assert.deepEqual(
    loud(ifaceDiags(text)).map((d) => [d.code, d.severity]),
    [['interfaces/missing-method', 2]],
  );
  assert.match(String(loud(ifaceDiags(text))[0].message), /refuses the whole file/);
  assert.deepEqual(
    loud(ifaceDiags(text, 'ifupdown')).map((d) => [d.code, d.severity]),
    [['interfaces/missing-method', 1]],
  );
  assert.deepEqual(
    loud(ifaceDiags(text, 'ifupdown2')).map((d) => d.code),
    [],
  );
});

// ---- more public files: an interfaces file with `iface $INTERFACE_NAME inet static` and
// `address $IP` (filled in by a script). ifupdown does not expand variables in stanza names or
// values, so it is a template: one diagnostic; `$IFACE` in an `up` command stays a real file.
test('evidence: `iface $NAME` marks a shell-variable template; $IFACE in commands does not', () => {
  const tpl = 'auto lo\niface lo inet loopback\n\nallow-hotplug $IF\niface $IF inet static\n\taddress $IP\n\tgateway $GW\n';
  const mark = findTemplate(tpl);
  assert.equal(mark?.kind, 'shell-variable');
  assert.equal(tpl.slice(mark!.start, mark!.end), '$IF');
  assert.deepEqual(
    ifaceDiags(tpl).map((d) => d.code),
    ['template/not-checked'],
  );
  const real = 'auto eth1\niface eth1 inet manual\n up ip link set dev $IFACE up\n';
  assert.equal(findTemplate(real), undefined);
  assert.deepEqual(loud(ifaceDiags(real)), []);
});
