// The host model: file roles, host roots, the routed subnet and where it came from, the gateway,
// the mode, the guests and the address index; free addresses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyPath, normalizeMac, scriptMode } from '../../../server/src/host/model';
import { hostPathOf, localPathOf } from '../../../server/src/host/table';
import { freeAddresses, freeInSubnet } from '../../../server/src/host/free';
import { ipv4Subnet } from '../../../server/src/core/address';
import { article, host, vm, INTERFACES, ROOT } from './helpers';

test('file roles come from the path', () => {
  assert.equal(classifyPath('file:///ws/h/etc/network/interfaces'), 'interfaces');
  assert.equal(classifyPath('/ws/h/etc/network/interfaces.d/dummy'), 'interfaces');
  assert.equal(classifyPath('/ws/h/etc/xen/xend-config.sxp'), 'xend-config');
  assert.equal(classifyPath('/ws/h/etc/xen/xl.conf'), 'xl-conf');
  assert.equal(classifyPath('/ws/h/etc/modules'), 'modules');
  assert.equal(classifyPath('/ws/h/etc/xen/vm1.cfg'), 'domain');
  assert.equal(classifyPath('/ws/h/etc/xen/auto/vm1'), 'domain');
  assert.equal(classifyPath('/ws/h/etc/xen/scripts/vif-route'), undefined);
  assert.equal(classifyPath('/ws/h/README.md'), undefined);
  assert.equal(classifyPath('/elsewhere/guest', 'xen-domain'), 'domain');
  assert.equal(classifyPath('file:///ws/my%20host/etc/modules'), 'modules');
});

test('the host table maps each file of each layout to its path on the host', () => {
  // a folder holding the host's etc/ tree
  assert.equal(hostPathOf('etc-tree', 'etc/network/interfaces'), '/etc/network/interfaces');
  assert.equal(hostPathOf('etc-tree', 'etc/xen/vm1.cfg'), '/etc/xen/vm1.cfg');
  assert.equal(hostPathOf('etc-tree', 'network/interfaces'), undefined);
  assert.equal(hostPathOf('etc-tree', 'etc/xen/scripts/vif-route'), undefined);
  // a folder that is the host's /etc
  assert.equal(hostPathOf('folder', 'network/interfaces'), '/etc/network/interfaces');
  assert.equal(hostPathOf('folder', 'sysctl.d/xen-routed.conf'), '/etc/sysctl.d/xen-routed.conf');
  // files side by side
  assert.equal(hostPathOf('folder', 'interfaces'), '/etc/network/interfaces');
  assert.equal(hostPathOf('folder', 'xend-config.sxp'), '/etc/xen/xend-config.sxp');
  assert.equal(hostPathOf('folder', 'vm1.cfg'), '/etc/xen/vm1.cfg');
  assert.equal(hostPathOf('folder', 'notes.txt'), undefined);
  // and back, for a file to create
  assert.equal(localPathOf('etc-tree', '/etc/xen/vm2.cfg'), 'etc/xen/vm2.cfg');
  assert.equal(localPathOf('folder', '/etc/xen/vm2.cfg'), 'xen/vm2.cfg');
  assert.equal(localPathOf('folder', '/etc/xen/vm2.cfg', true), 'vm2.cfg');
  assert.equal(localPathOf('folder', '/etc/sysctl.d/xen-routed.conf', true), 'sysctl.d/xen-routed.conf');
});

test('scripts name their mode', () => {
  assert.equal(scriptMode('vif-route'), 'routed');
  assert.equal(scriptMode('/etc/xen/scripts/network-bridge netdev=eth1'), 'bridged');
  assert.equal(scriptMode('vif-nat'), 'nat');
  assert.equal(scriptMode('my-script'), 'unknown');
});

test("the article's host: subnet from dummy0, gateway, routed mode, guests and the address index", () => {
  const m = host(article());
  assert.equal(m.subnet?.cidr, '80.68.86.192/29');
  assert.equal(m.subnet?.source.kind, 'gateway-stanza');
  assert.equal(m.subnet?.broadcast, '80.68.86.199');
  assert.deepEqual(m.gateway && [m.gateway.address, m.gateway.interface], ['80.68.86.193', 'dummy0']);
  assert.deepEqual(m.mode, { mode: 'routed', source: 'xend', toolstack: 'xend' });
  assert.equal(m.guests.length, 1);
  const g = m.guests[0];
  assert.equal(g.name?.text, 'vm1');
  assert.deepEqual(
    g.vifs[0].ips.map((a) => a.address),
    ['80.68.86.194'],
  );
  const text = m.files.get(g.uri)!.text;
  assert.equal(text.slice(g.vifs[0].ips[0].span.start, g.vifs[0].ips[0].span.end), '80.68.86.194');
  assert.deepEqual(
    m.addresses.get('80.68.86.194')!.map((u) => [u.uri.slice(ROOT.length), u.role]),
    [['/etc/xen/vm1.cfg', 'guest-vif']],
  );
  assert.deepEqual(
    m.addresses.get('80.68.86.193')!.map((u) => u.role),
    ['interface-address'],
  );
  assert.deepEqual(
    m.addresses.get('80.68.86.199')!.map((u) => u.role),
    ['interface-broadcast'],
  );
  assert.deepEqual(freeAddresses(m), { addresses: ['80.68.86.195', '80.68.86.196', '80.68.86.197', '80.68.86.198'], count: 4 });
});

test('subnet source precedence: setting, then the gateway stanza, then a static stanza holding the guests', () => {
  const files = article();
  const bySetting = host(files, { routedSubnet: '80.68.86.192/28' });
  assert.equal(bySetting.subnet?.cidr, '80.68.86.192/28');
  assert.deepEqual(bySetting.subnet?.source, { kind: 'setting', text: '80.68.86.192/28' });
  assert.equal(bySetting.gateway?.address, '80.68.86.193');

  const badSetting = host(files, { routedSubnet: 'nonsense' });
  assert.equal(badSetting.subnet?.source.kind, 'gateway-stanza');
  assert.match(badSetting.settingProblem!, /not an IPv4 subnet/);

  // another gateway interface name: dummy0 is no longer the gateway stanza, but it holds the guest
  const other = host(files, { gatewayInterface: 'br0' });
  assert.equal(other.subnet?.source.kind, 'static-stanza');
  assert.equal(other.subnet?.cidr, '80.68.86.192/29');
  assert.equal(other.gateway?.interface, 'dummy0');

  // no stanza holds the guests: no subnet at all
  const none = host({ ...files, 'etc/network/interfaces': 'iface eth0 inet static\n address 10.0.0.2\n netmask 255.0.0.0\n' }, { gatewayInterface: 'br0' });
  assert.equal(none.subnet, undefined);
});

test('netmask overrides /nn, as ifupdown does', () => {
  const m = host({ 'etc/network/interfaces': 'iface dummy0 inet static\n address 80.68.86.193/24\n netmask 255.255.255.248\n' });
  assert.equal(m.subnet?.cidr, '80.68.86.192/29');
  const slash = host({ 'etc/network/interfaces': 'iface dummy0 inet static\n address 80.68.86.193/29\n' });
  assert.equal(slash.subnet?.cidr, '80.68.86.192/29');
});

test("mode under xl: xl.conf default script, else the guests' vif scripts", () => {
  const xl = host({ 'etc/xen/xl.conf': 'vif.default.script="vif-route"\n', 'etc/xen/vm1.cfg': vm('vm1', "'ip=80.68.86.194'") });
  assert.deepEqual(xl.mode, { mode: 'routed', source: 'xl-conf', toolstack: 'xl' });
  const vifs = host({ 'etc/network/interfaces': INTERFACES, 'etc/xen/vm1.cfg': vm('vm1', "'ip=80.68.86.194,script=vif-route'") });
  assert.equal(vifs.mode.mode, 'routed');
  assert.equal(vifs.mode.source, 'domain-vifs');
  const none = host({ 'etc/xen/vm1.cfg': vm('vm1', "'ip=80.68.86.194'") });
  assert.equal(none.mode.mode, 'unknown');
});

test('IPv6 addresses are skipped by the model', () => {
  const m = host({ ...article(), 'etc/xen/vm2.cfg': vm('vm2', "'ip=2001:db8::2'") });
  assert.deepEqual(m.guests.find((g) => g.name?.text === 'vm2')!.vifs[0].ips, []);
});

test('free addresses: in order, limited, counted in full', () => {
  const s = ipv4Subnet('10.0.0.0', 29);
  assert.deepEqual(freeInSubnet(s, ['10.0.0.1', '10.0.0.3', '10.0.0.7', '192.168.0.1']), {
    addresses: ['10.0.0.2', '10.0.0.4', '10.0.0.5', '10.0.0.6'],
    count: 4,
  });
  const big = freeInSubnet(ipv4Subnet('10.0.0.0', 8), [], 3);
  assert.deepEqual(big, { addresses: ['10.0.0.1', '10.0.0.2', '10.0.0.3'], count: 2 ** 24 - 2 });
});

test('never throws on hostile texts', () => {
  const junk = ['\u0000\u0001(((', "\ufeffvif = [ 'ip=", 'iface dummy0 inet static\r\n address 999.1.1.1/99\r\n netmask 255.0.255.0', 'x'.repeat(100000)];
  for (const t of junk) {
    host({ 'etc/network/interfaces': t, 'etc/xen/xend-config.sxp': t, 'etc/modules': t, 'etc/xen/vm.cfg': t, 'etc/xen/xl.conf': t });
  }
});

test('normalizeMac: six lower-case two-digit octets; the usual form answered as it is; anything else undefined', () => {
  assert.equal(normalizeMac('00:16:3e:12:34:56'), '00:16:3e:12:34:56');
  assert.equal(normalizeMac('0:16:3E:1:34:5f'), '00:16:3e:01:34:5f');
  for (const bad of ['00:16:3e:12:34', '00:16:3e:12:34:567', '00-16-3e-12-34-56', '00:16:3g:12:34:56', '', '00:16:3e:12:34:56:'])
    assert.equal(normalizeMac(bad), undefined, bad);
  // against the plain definition, on strings made of MAC pieces
  const plain = (t: string) =>
    /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/.test(t)
      ? t
          .split(':')
          .map((o) => o.toLowerCase().padStart(2, '0'))
          .join(':')
      : undefined;
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom('0', '1', 'a', 'F', 'f', 'g', ':', '::', '00', '3e', 'AB', '-', ' ', '/'), { minLength: 1, maxLength: 20 }),
      (parts) => {
        const t = parts.join('');
        assert.equal(normalizeMac(t), plain(t), JSON.stringify(t));
      },
    ),
    { numRuns: 20000 },
  );
});
