// Every host check, positive and negative; the article's correct host is clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { article, check, codes, vm, INTERFACES, XEND, MODULES, ROOT } from './helpers';
import { HOST_CODES } from '../../../server/src/host/checks';

const withInterfaces = (dummy: string) => ({ ...article(), 'etc/network/interfaces': `iface dummy0 inet static\n${dummy}` });

test("the article's correct host gets no diagnostic", () => {
  assert.deepEqual(codes(article()), []);
  // nor with the subnet given in the setting, nor with more guests filling the block
  const full = { ...article(), ...Object.fromEntries([195, 196, 197, 198].map((n) => [`etc/xen/vm${n}.cfg`, vm(`vm${n}`, `'ip=80.68.86.${n}'`)])) };
  assert.deepEqual(codes(full, { routedSubnet: '80.68.86.192/29' }), []);
});

test('every code is host/<rule> and listed', () => {
  for (const c of HOST_CODES) assert.match(c, /^host\/[a-z0-9]+(-[a-z0-9]+)*$/);
  assert.equal(new Set(HOST_CODES).size, HOST_CODES.length);
});

test('interfaces: netmask disagreeing with /nn', () => {
  const found = check(withInterfaces(' address 80.68.86.193/24\n netmask 255.255.255.248\n broadcast 80.68.86.199\n'));
  const d = found.find((f) => f.code === 'host/netmask-prefix-mismatch')!;
  assert.equal(d.text, '255.255.255.248');
  assert.deepEqual(d.d.data, { fix: 'set-netmask', value: '255.255.255.0' });
  assert.equal(d.d.relatedInformation?.[0].location.uri, `${ROOT}/etc/network/interfaces`);
  assert.deepEqual(codes(withInterfaces(' address 80.68.86.193/29\n netmask 255.255.255.248\n')), []);
});

test('interfaces: wrong broadcast, with the value to set', () => {
  const found = check(withInterfaces(' address 80.68.86.193\n netmask 255.255.255.248\n broadcast 80.68.86.255\n'));
  assert.deepEqual(
    found.map((f) => [f.code, f.text]),
    [['host/wrong-broadcast', '80.68.86.255']],
  );
  assert.deepEqual(found[0].d.data, { fix: 'set-broadcast', value: '80.68.86.199' });
  assert.match(String(found[0].d.message), /80\.68\.86\.199/);
});

test('interfaces: the address is the network or the broadcast address', () => {
  assert.ok(codes(withInterfaces(' address 80.68.86.192\n netmask 255.255.255.248\n')).some((c) => c.includes('host/address-is-network 80.68.86.192')));
  assert.ok(codes(withInterfaces(' address 80.68.86.199\n netmask 255.255.255.248\n')).some((c) => c.includes('host/address-is-broadcast 80.68.86.199')));
  // a /31 has no network or broadcast address
  assert.deepEqual(codes({ 'etc/network/interfaces': 'iface eth1 inet static\n address 10.0.0.0/31\n' }), []);
});

test("interfaces: gateway outside the subnet, or the stanza's own address", () => {
  const iface = (gw: string) => ({ 'etc/network/interfaces': `iface eth0 inet static\n address 80.68.80.24\n netmask 255.255.255.0\n gateway ${gw}\n` });
  assert.deepEqual(codes(iface('80.68.81.1')), ['etc/network/interfaces: host/gateway-outside-subnet 80.68.81.1']);
  assert.deepEqual(codes(iface('80.68.80.24')), ['etc/network/interfaces: host/gateway-is-own-address 80.68.80.24']);
  assert.deepEqual(codes(iface('80.68.80.1')), []);
});

test('guests: ip= outside the subnet, or its network, broadcast or gateway address, with free addresses to assign', () => {
  const at = (ip: string) => codes({ ...article(), 'etc/xen/vm1.cfg': vm('vm1', `'ip=${ip}'`) });
  assert.deepEqual(at('80.68.86.200'), ['etc/xen/vm1.cfg: host/guest-ip-outside-subnet 80.68.86.200']);
  assert.deepEqual(at('80.68.86.192'), ['etc/xen/vm1.cfg: host/guest-ip-network 80.68.86.192']);
  assert.deepEqual(at('80.68.86.199'), ['etc/xen/vm1.cfg: host/guest-ip-broadcast 80.68.86.199']);
  assert.deepEqual(at('80.68.86.193'), ['etc/xen/vm1.cfg: host/guest-ip-gateway 80.68.86.193']);
  assert.deepEqual(at('80.68.86.198'), []);
  const d = check({ ...article(), 'etc/xen/vm1.cfg': vm('vm1', "'ip=80.68.86.193'") })[0].d;
  assert.deepEqual(d.data, { fix: 'assign-address', free: ['80.68.86.194', '80.68.86.195', '80.68.86.196', '80.68.86.197', '80.68.86.198'] });
  assert.equal(d.relatedInformation?.[0].location.uri, `${ROOT}/etc/network/interfaces`);
});

test('guests: an address the host holds on another interface is flagged, pointing at the stanza; the free list skips it', () => {
  const files = {
    ...article(),
    'etc/network/interfaces': INTERFACES + '\niface eth1 inet static\n address 80.68.86.197\n netmask 255.255.255.248\n',
    'etc/xen/vm1.cfg': vm('vm1', "'ip=80.68.86.197'"),
  };
  const found = check(files).filter((f) => f.code === 'host/guest-ip-host-address');
  assert.equal(found.length, 1);
  assert.equal(found[0].text, '80.68.86.197');
  assert.equal(found[0].d.relatedInformation?.[0].location.uri, `${ROOT}/etc/network/interfaces`);
  assert.ok(!(found[0].d.data as { free: string[] }).free.includes('80.68.86.197'));
  // the same host with the guest elsewhere: nothing
  assert.deepEqual(
    codes({ ...files, 'etc/xen/vm1.cfg': vm('vm1', "'ip=80.68.86.194'") }).filter((c) => c.includes('host-address')),
    [],
  );
});

test('guests: IPv6 addresses are never flagged', () => {
  assert.deepEqual(codes({ ...article(), 'etc/xen/vm1.cfg': vm('vm1', "'ip=80.68.86.194 2001:db8::1'") }), []);
  assert.deepEqual(
    codes({ ...article(), 'etc/network/interfaces': INTERFACES + '\niface dummy0 inet6 static\n address 2001:db8::1/64\n gateway fe80::1\n' }),
    [],
  );
});

test('guests: the same address on two guests, on both, each pointing at the other', () => {
  const found = check({ ...article(), 'etc/xen/vm2.cfg': vm('vm2', "'ip=80.68.86.194'") });
  assert.deepEqual(found.map((f) => `${f.file}: ${f.code} ${f.text}`).sort(), [
    'etc/xen/vm1.cfg: host/duplicate-guest-ip 80.68.86.194',
    'etc/xen/vm2.cfg: host/duplicate-guest-ip 80.68.86.194',
  ]);
  const one = found.find((f) => f.file === 'etc/xen/vm1.cfg')!;
  assert.equal(one.d.relatedInformation?.[0].location.uri, `${ROOT}/etc/xen/vm2.cfg`);
  assert.match(String(one.d.message), /vm2/);
  assert.deepEqual(one.d.data, { fix: 'assign-address', free: ['80.68.86.195', '80.68.86.196', '80.68.86.197', '80.68.86.198'] });
});

test('guests: a vif without ip= in routed mode; fine when bridged', () => {
  const found = check({ ...article(), 'etc/xen/vm1.cfg': vm('vm1', "'mac=00:16:3e:00:00:01'") });
  assert.deepEqual(
    found.map((f) => f.code),
    ['host/vif-without-ip'],
  );
  assert.equal(found[0].d.severity, 1, 'an error: the network proof shows the guest unreachable (docs/network-proof.md)');
  assert.deepEqual(found[0].d.data, { fix: 'add-ip', free: ['80.68.86.194', '80.68.86.195', '80.68.86.196', '80.68.86.197', '80.68.86.198'] });
  assert.equal(found[0].d.relatedInformation?.[0].location.uri, `${ROOT}/etc/xen/xend-config.sxp`);
  const bridged = {
    ...article(),
    'etc/xen/xend-config.sxp': '(network-script network-bridge)\n(vif-script vif-bridge)\n',
    'etc/xen/vm1.cfg': vm('vm1', "'mac=00:16:3e:00:00:01'"),
  };
  assert.deepEqual(codes(bridged), []);
});

test('guests: bridge= while the host routes', () => {
  const found = check({ ...article(), 'etc/xen/vm1.cfg': vm('vm1', "'ip=80.68.86.194,bridge=xenbr0'") });
  assert.deepEqual(
    found.map((f) => [f.code, f.text]),
    [['host/bridge-in-routed', 'bridge=xenbr0']],
  );
  assert.deepEqual(found[0].d.data, { fix: 'remove-vif-item', key: 'bridge' });
});

test('guests: duplicate MACs and names across files', () => {
  const files = {
    ...article(),
    'etc/xen/vm1.cfg': vm('vm1', "'ip=80.68.86.194,mac=00:16:3E:00:00:01'"),
    'etc/xen/vm2.cfg': vm('vm1', "'ip=80.68.86.195,mac=00:16:3e:0:0:1'"),
  };
  assert.deepEqual(codes(files).sort(), [
    'etc/xen/vm1.cfg: host/duplicate-mac 00:16:3E:00:00:01',
    'etc/xen/vm1.cfg: host/duplicate-name vm1',
    'etc/xen/vm2.cfg: host/duplicate-mac 00:16:3e:0:0:1',
    'etc/xen/vm2.cfg: host/duplicate-name vm1',
  ]);
  const distinct = { ...files, 'etc/xen/vm2.cfg': vm('vm2', "'ip=80.68.86.195,mac=00:16:3e:00:00:02'") };
  assert.deepEqual(codes(distinct), []);
});

test("guests: xm's top-level ip, gateway and netmask against the subnet", () => {
  const xm = (ip: string, gw: string, mask: string) => ({
    ...article(),
    'etc/xen/vm1.cfg': vm('vm1', "'ip=80.68.86.194'") + `ip = "${ip}"\ngateway = "${gw}"\nnetmask = "${mask}"\n`,
  });
  assert.deepEqual(codes(xm('80.68.86.194', '80.68.86.193', '255.255.255.248')), []);
  assert.deepEqual(codes(xm('80.68.86.194', '80.68.86.193', '255.255.255.255')), []);
  assert.deepEqual(codes(xm('80.68.86.195', '80.68.80.1', '255.255.255.0')), [
    'etc/xen/vm1.cfg: host/xm-ip-mismatch 80.68.86.195',
    'etc/xen/vm1.cfg: host/xm-gateway-mismatch 80.68.80.1',
    'etc/xen/vm1.cfg: host/xm-netmask-mismatch 255.255.255.0',
  ]);
  const out = check(xm('10.0.0.5', '80.68.86.193', '255.255.255.248'));
  assert.deepEqual(
    out.map((f) => f.code),
    ['host/xm-ip-mismatch'],
  );
});

test('guests: more guests than the subnet has addresses (a /29 gives 5 after the gateway)', () => {
  const files: Record<string, string> = { ...article() };
  for (let n = 2; n <= 6; n++) files[`etc/xen/vm${n}.cfg`] = vm(`vm${n}`, n === 6 ? "'mac=00:16:3e:00:00:06'" : `'ip=80.68.86.${193 + n}'`);
  // 6 routed guests, 5 addresses: the last file (vm6) is one too many, and lacks an ip=
  assert.deepEqual(codes(files).sort(), ['etc/xen/vm6.cfg: host/too-many-guests vm6', "etc/xen/vm6.cfg: host/vif-without-ip 'mac=00:16:3e:00:00:06'"]);
  delete files['etc/xen/vm6.cfg'];
  assert.deepEqual(codes(files), []);
});

test('xend: network-script and vif-script of different modes', () => {
  const found = check({ ...article(), 'etc/xen/xend-config.sxp': "(network-script network-bridge)\n(vif-script 'vif-route netdev=dummy0')\n" });
  assert.deepEqual(
    found.map((f) => [f.code, f.text]),
    [['host/script-modes-differ', 'vif-route']],
  );
  assert.equal(found[0].d.severity, 1, 'an error: the network proof shows no forwarding past dom0 (docs/network-proof.md)');
  // the host routes (gateway on dummy0, guests with ip=): the routed pair first, the bridged one second
  assert.deepEqual(found[0].d.data, {
    fix: 'set-script-pair',
    networkScript: 'network-route',
    vifScript: 'vif-route',
    alternatives: [{ networkScript: 'network-bridge', vifScript: 'vif-bridge' }],
  });
});

test('xend: routed with the gateway on dummy0 while vif-route takes eth0', () => {
  const found = check({ ...article(), 'etc/xen/xend-config.sxp': '(network-script network-route)\n(vif-script vif-route)\n' });
  assert.deepEqual(
    found.map((f) => [f.code, f.text]),
    [['host/routed-netdev', 'vif-route']],
  );
  assert.deepEqual(found[0].d.data, { fix: 'set-vif-script', value: 'vif-route netdev=dummy0' });
  assert.match(String(found[0].d.message), /\(vif-script 'vif-route netdev=dummy0'\)/);
  const wrong = check({ ...article(), 'etc/xen/xend-config.sxp': "(network-script network-route)\n(vif-script 'vif-route netdev=eth1')\n" });
  assert.deepEqual(
    wrong.map((f) => [f.code, f.text]),
    [['host/routed-netdev', 'netdev=eth1']],
  );
  // the gateway on eth0 needs no netdev
  const eth0 = {
    ...article(),
    'etc/network/interfaces': 'iface eth0 inet static\n address 80.68.86.193\n netmask 255.255.255.248\n',
    'etc/xen/xend-config.sxp': '(network-script network-route)\n(vif-script vif-route)\n',
  };
  assert.deepEqual(codes(eth0, { gatewayInterface: 'eth0' }), []);
});

test('xl: routed with the gateway on dummy0 needs gatewaydev=dummy0', () => {
  const base = { 'etc/network/interfaces': INTERFACES, 'etc/modules': MODULES, 'etc/sysctl.d/xen-routed.conf': 'net.ipv4.ip_forward = 1\n' };
  const conf = check({ ...base, 'etc/xen/xl.conf': 'vif.default.script="vif-route"\n', 'etc/xen/vm1.cfg': vm('vm1', "'ip=80.68.86.194'") });
  assert.deepEqual(
    conf.map((f) => [f.file, f.code, f.text]),
    [['etc/xen/xl.conf', 'host/routed-gatewaydev', 'vif-route']],
  );
  assert.deepEqual(conf[0].d.data, { fix: 'set-xl-gatewaydev', value: 'dummy0' });
  assert.deepEqual(
    codes({
      ...base,
      'etc/xen/xl.conf': 'vif.default.script="vif-route"\nvif.default.gatewaydev="dummy0"\n',
      'etc/xen/vm1.cfg': vm('vm1', "'ip=80.68.86.194'"),
    }),
    [],
  );
  const perVif = check({ ...base, 'etc/xen/vm1.cfg': vm('vm1', "'ip=80.68.86.194,script=vif-route'") });
  assert.deepEqual(
    perVif.map((f) => [f.code, f.text]),
    [['host/routed-gatewaydev', 'script=vif-route']],
  );
  assert.deepEqual(perVif[0].d.data, { fix: 'add-vif-item', key: 'gatewaydev', value: 'dummy0' });
  assert.deepEqual(codes({ ...base, 'etc/xen/vm1.cfg': vm('vm1', "'ip=80.68.86.194,script=vif-route,gatewaydev=dummy0'") }), []);
});

test('xl, routed: IP forwarding must be turned on by a sysctl file or an interfaces command (shown on a network)', () => {
  const xl = {
    'etc/network/interfaces': INTERFACES,
    'etc/modules': MODULES,
    'etc/xen/xl.conf': 'vif.default.script="vif-route"\nvif.default.gatewaydev="dummy0"\n',
    'etc/xen/vm1.cfg': vm('vm1', "'ip=80.68.86.194'"),
  };
  const found = check(xl);
  assert.deepEqual(
    found.map((f) => [f.file, f.code, f.text, f.d.severity]),
    [['etc/xen/xl.conf', 'host/xl-no-forwarding', 'vif-route', 1]],
  );
  assert.match(String(found[0].d.message), /net\.ipv4\.ip_forward = 1/);
  assert.deepEqual(codes({ ...xl, 'etc/sysctl.d/xen-routed.conf': '# routed\nnet.ipv4.ip_forward = 1\n' }), []);
  assert.deepEqual(codes({ ...xl, 'etc/sysctl.conf': 'net/ipv4/ip_forward=1\n' }), []);
  assert.deepEqual(codes({ ...xl, 'etc/network/interfaces': INTERFACES + ' up sysctl -w net.ipv4.ip_forward=1\n' }), []);
  // turned off explicitly: the error points at the line that does it
  const off = check({ ...xl, 'etc/sysctl.d/99-off.conf': 'net.ipv4.ip_forward = 0\n' });
  assert.equal(off[0].code, 'host/xl-no-forwarding');
  assert.equal(off[0].d.relatedInformation?.[0].location.uri.endsWith('/etc/sysctl.d/99-off.conf'), true);
  // xend turns it on itself (network-route): no such check
  assert.deepEqual(
    codes(article()).filter((c) => c.includes('forwarding')),
    [],
  );
});

test('across files: a dummy interface without dummy in /etc/modules', () => {
  const found = check({ ...article(), 'etc/modules': 'loop\n' });
  assert.deepEqual(
    found.map((f) => [f.file, f.code, f.text]),
    [['etc/network/interfaces', 'host/dummy-module-missing', 'dummy0']],
  );
  assert.deepEqual(found[0].d.data, { fix: 'add-module', module: 'dummy', uri: `${ROOT}/etc/modules` });
  assert.equal(found[0].d.relatedInformation?.[0].location.uri, `${ROOT}/etc/modules`);
  // no /etc/modules among the files: a softer note, and the file to create
  const files = article();
  delete (files as Record<string, string>)['etc/modules'];
  const none = check(files);
  assert.deepEqual(
    none.map((f) => [f.code, f.d.severity]),
    [['host/dummy-module-missing', 3]],
  );
  assert.deepEqual(none[0].d.data, { fix: 'add-module', module: 'dummy', uri: `${ROOT}/etc/modules` });
  // loaded by the stanza itself
  const pre = {
    ...article(),
    'etc/modules': '',
    'etc/network/interfaces': INTERFACES.replace('broadcast 80.68.86.199', 'broadcast 80.68.86.199\n    pre-up modprobe dummy'),
  };
  assert.deepEqual(codes(pre), []);
});

test('xend and the article: every check leaves the article alone under xl too', () => {
  const xl = {
    'etc/network/interfaces': INTERFACES,
    'etc/modules': MODULES,
    'etc/sysctl.d/xen-routed.conf': 'net.ipv4.ip_forward = 1\n',
    'etc/xen/xl.conf': 'vif.default.script="vif-route"\nvif.default.gatewaydev="dummy0"\n',
    'etc/xen/vm1.cfg': vm('vm1', "'ip=80.68.86.194'"),
  };
  assert.deepEqual(codes(xl), []);
  assert.equal(XEND.includes('netdev=dummy0'), true);
});
