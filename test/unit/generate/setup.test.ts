// The generators: a routed setup into an empty folder and over the article's host (in place,
// nothing duplicated, a second run changes nothing), xend and xl, refusals, the mode switch and
// its round trips, and adding a guest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addGuest, routedSetup, switchMode } from '../../../server/src/generate/index';
import type { HostTexts, RoutedAnswers } from '../../../server/src/generate/types';
import { apply, articleHost, articleHostXl, brokenHost, codeLines, ok, refused } from './helpers';

const XEND: RoutedAnswers = { cidr: '80.68.86.192/29', toolstack: 'xend', guests: ['vm1', 'vm2'] };
const XL: RoutedAnswers = { ...XEND, toolstack: 'xl' };

const paths = (h: { changes: { path: string }[] }) => h.changes.map((c) => c.path);

test('empty folder, xend: interfaces, modules, xend-config.sxp and one domain file per guest', () => {
  const r = ok(routedSetup({}, XEND));
  assert.deepEqual(paths(r), ['etc/modules', 'etc/network/interfaces', 'etc/xen/vm1.cfg', 'etc/xen/vm2.cfg', 'etc/xen/xend-config.sxp']);
  assert.ok(r.changes.every((c) => c.oldText === undefined));
  const h = apply({}, r);
  assert.deepEqual(codeLines(h['etc/network/interfaces']!), [
    'auto lo',
    'iface lo inet loopback',
    'auto dummy0',
    'iface dummy0 inet static',
    'address 80.68.86.193',
    'netmask 255.255.255.248',
    'broadcast 80.68.86.199',
  ]);
  assert.deepEqual(codeLines(h['etc/modules']!), ['dummy']);
  assert.deepEqual(codeLines(h['etc/xen/xend-config.sxp']!), ['(network-script network-route)', "(vif-script 'vif-route netdev=dummy0')"]);
  const vm2 = codeLines(h['etc/xen/vm2.cfg']!);
  assert.ok(vm2.includes('name = "vm2"'));
  assert.ok(vm2.includes("vif = [ 'ip=80.68.86.195' ]"));
  assert.ok(vm2.includes('ip = "80.68.86.195"') && vm2.includes('netmask = "255.255.255.248"') && vm2.includes('gateway = "80.68.86.193"'));
  assert.deepEqual(r.addresses, { vm1: '80.68.86.194', vm2: '80.68.86.195' });
  assert.match(r.summary.join('\n'), /3 addresses of 80\.68\.86\.192\/29 left/);
  // a second run changes nothing
  assert.deepEqual(ok(routedSetup(h, XEND)).changes, []);
});

test('empty folder, xl: xl.conf carries the script and the gateway device; domain files name only the address', () => {
  const r = ok(routedSetup({}, XL));
  assert.deepEqual(paths(r), [
    'etc/modules',
    'etc/network/interfaces',
    'etc/sysctl.d/xen-routed.conf',
    'etc/xen/vm1.cfg',
    'etc/xen/vm2.cfg',
    'etc/xen/xl.conf',
  ]);
  const h = apply({}, r);
  assert.match(h['etc/sysctl.d/xen-routed.conf']!, /^net\.ipv4\.ip_forward = 1$/m);
  assert.deepEqual(codeLines(h['etc/xen/xl.conf']!), ['vif.default.script="vif-route"', 'vif.default.gatewaydev="dummy0"']);
  const vm1 = codeLines(h['etc/xen/vm1.cfg']!);
  assert.ok(vm1.includes("vif = [ 'ip=80.68.86.194' ]"));
  assert.ok(!vm1.some((l) => /^(ip|netmask|gateway)\s*=/.test(l)), 'no xm-only keys under xl');
  assert.deepEqual(ok(routedSetup(h, XL)).changes, []);
});

test('gateway answers: another interface and address; eth0 needs no netdev and no dummy module', () => {
  const r = ok(routedSetup({}, { cidr: '10.1.2.0/28', toolstack: 'xend', gatewayInterface: 'dummy1', gatewayAddress: '10.1.2.14', guests: ['a', 'b'] }));
  const h = apply({}, r);
  assert.match(h['etc/network/interfaces']!, /iface dummy1 inet static\n {4}address 10\.1\.2\.14\n {4}netmask 255\.255\.255\.240\n {4}broadcast 10\.1\.2\.15/);
  assert.match(h['etc/xen/xend-config.sxp']!, /\(vif-script 'vif-route netdev=dummy1'\)/);
  assert.deepEqual(r.addresses, { a: '10.1.2.1', b: '10.1.2.2' });
  const e = apply({}, ok(routedSetup({}, { cidr: '10.1.2.0/28', toolstack: 'xend', gatewayInterface: 'eth1', guests: [] })));
  assert.match(e['etc/xen/xend-config.sxp']!, /\(vif-script 'vif-route netdev=eth1'\)/);
  assert.equal(e['etc/modules'], undefined);
  const e0 = apply({}, ok(routedSetup({}, { cidr: '10.1.2.0/28', toolstack: 'xend', gatewayInterface: 'eth0', guests: [] })));
  assert.match(e0['etc/xen/xend-config.sxp']!, /^\(vif-script vif-route\)$/m);
});

test("the article's host, xend: only the new guest's file and vm1's xm keys change; a second run changes nothing", () => {
  const before = articleHost();
  const r = ok(routedSetup(before, XEND));
  assert.deepEqual(paths(r), ['etc/xen/vm1.cfg', 'etc/xen/vm2.cfg']);
  const vm1 = r.changes[0];
  // vm1 keeps its address and every line; the xm keys come right after its vif line
  assert.equal(
    vm1.newText.replace(/\n# xm hands these[^\n]*\nip = "80\.68\.86\.194"\nnetmask = "255\.255\.255\.248"\ngateway = "80\.68\.86\.193"\n/, ''),
    vm1.oldText,
  );
  assert.equal(r.addresses!.vm1, '80.68.86.194');
  assert.equal(r.addresses!.vm2, '80.68.86.195');
  const after = apply(before, r);
  assert.deepEqual(ok(routedSetup(after, XEND)).changes, []);
});

test("the article's host, xl: nothing but the new guest and IP forwarding", () => {
  const before = articleHostXl();
  const r = ok(routedSetup(before, XL));
  assert.deepEqual(paths(r), ['etc/sysctl.d/xen-routed.conf', 'etc/xen/vm2.cfg']);
  assert.deepEqual(ok(routedSetup(apply(before, r), XL)).changes, []);
});

test('a broken host is corrected in place: values fixed, comments and other content kept, nothing duplicated', () => {
  const before = brokenHost();
  const r = ok(routedSetup(before, XEND));
  const h = apply(before, r);
  const ifs = h['etc/network/interfaces']!;
  const old = before['etc/network/interfaces']!;
  // everything before the dummy0 stanza is kept byte for byte, and so is the tail
  assert.ok(ifs.startsWith(old.slice(0, old.indexOf('iface dummy0'))));
  assert.ok(ifs.endsWith('\n# trailing comment\n'));
  assert.match(
    ifs,
    /auto dummy0\niface dummy0 inet static\n\taddress 80\.68\.86\.193\n\tbroadcast 80\.68\.86\.199\n\t# a comment inside the stanza stays\n\tup echo dummy0 is up\n\tnetmask 255\.255\.255\.248\n/,
  );
  assert.equal(ifs.match(/iface dummy0/g)!.length, 1);
  assert.equal(ifs.match(/^auto dummy0$/gm)!.length, 1);
  const sxp = h['etc/xen/xend-config.sxp']!;
  assert.equal(
    sxp,
    [
      '# -*- sh -*-',
      '#(network-script network-route)',
      '#(vif-script     vif-route)',
      '(logfile /var/log/xen/xend.log)',
      '(network-script network-route)',
      "(vif-script 'vif-route netdev=dummy0')",
      '(dom0-min-mem 196)',
      '# the end',
      '',
    ].join('\n'),
  );
  assert.equal(h['etc/modules'], '# modules\nloop\n\n# dummy0 is a dummy interface: load the dummy module at boot.\ndummy\n');
  const vm1 = h['etc/xen/vm1.cfg']!;
  assert.match(vm1, /^vif = \[ 'ip=80\.68\.86\.194,mac=00:16:3e:00:00:01' \]$/m);
  assert.match(vm1, /^ip = "80\.68\.86\.194"$/m);
  assert.equal(vm1.match(/^ip\s*=/gm)!.length, 1);
  assert.match(vm1, /^name = 'vm1'\nmemory = 256\n/);
  // idempotent
  assert.deepEqual(ok(routedSetup(h, XEND)).changes, []);
});

test('duplicated xend settings all say the same; a setting without value gets one', () => {
  const files = { 'etc/xen/xend-config.sxp': '(vif-script vif-bridge)\n(network-script)\n(vif-script vif-nat)\n' };
  const h = apply(files, ok(routedSetup(files, { ...XEND, guests: [] })));
  assert.equal(
    h['etc/xen/xend-config.sxp'],
    "(vif-script 'vif-route netdev=dummy0')\n(network-script network-route)\n(vif-script 'vif-route netdev=dummy0')\n",
  );
});

test('xl.conf edited in place, last assignment wins, other keys kept; CRLF files keep CRLF', () => {
  const files = { 'etc/xen/xl.conf': 'autoballoon="off"\r\nvif.default.script="vif-bridge"\r\n#vif.default.gatewaydev="eth0"\r\n' };
  const h = apply(files, ok(routedSetup(files, { ...XL, guests: [] })));
  assert.equal(
    h['etc/xen/xl.conf'],
    'autoballoon="off"\r\nvif.default.script="vif-route"\r\n#vif.default.gatewaydev="eth0"\r\n\r\n# Routed networking (written by "Xen: New Routed Network Setup"): every vif uses vif-route, which takes\r\n# the host\'s address from dummy0.\r\nvif.default.gatewaydev="dummy0"\r\n',
  );
});

test('CRLF interfaces: the stanza is corrected in place and keeps CRLF', () => {
  const files = { 'etc/network/interfaces': 'auto lo\r\niface lo inet loopback\r\n\r\nauto dummy0\r\niface dummy0 inet static\r\n  address 80.68.86.193\r\n' };
  const h = apply(files, ok(routedSetup(files, { ...XEND, guests: [] })));
  assert.equal(
    h['etc/network/interfaces'],
    'auto lo\r\niface lo inet loopback\r\n\r\nauto dummy0\r\niface dummy0 inet static\r\n  address 80.68.86.193\r\n  netmask 255.255.255.248\r\n  broadcast 80.68.86.199\r\n',
  );
});

test('xl over a host that still has xend-config.sxp: the summary says it is left alone', () => {
  const r = ok(routedSetup(articleHost(), XL));
  assert.ok(!paths(r).includes('etc/xen/xend-config.sxp'));
  assert.match(r.summary.join('\n'), /xend-config\.sxp is left as it is/);
});

test('guests keep a usable address of their own, others get the next free ones; a guest file may have another name', () => {
  const files: HostTexts = {
    'etc/xen/web.cfg': "name = 'www'\nvif = [ 'ip=80.68.86.197' ]\n",
    'etc/xen/other.cfg': "name = 'other'\nvif = [ 'ip=80.68.86.194' ]\n",
    'etc/xen/bad.cfg': "name = 'bad'\nvif = [ 'ip=80.68.86.199' ]\n",
  };
  const r = ok(routedSetup(files, { ...XL, guests: ['www', 'bad', 'new'] }));
  assert.deepEqual(r.addresses, { www: '80.68.86.197', bad: '80.68.86.195', new: '80.68.86.196' });
  assert.ok(!paths(r).includes('etc/xen/www.cfg'), 'www is edited where it lives (web.cfg), not written twice');
  assert.ok(!paths(r).includes('etc/xen/other.cfg'));
  const clash = refused(routedSetup({ 'etc/xen/vm1.cfg': "name = 'somebody'\n" }, { ...XL, guests: ['vm1'] }));
  assert.match(clash.error, /etc\/xen\/vm1\.cfg already holds the guest 'somebody'/);
});

test('refusals: /31 and /32 with the reason, bad answers, more guests than addresses', () => {
  const r31 = refused(routedSetup({}, { ...XEND, cidr: '80.68.86.192/31' }));
  assert.equal(r31.field, 'cidr');
  assert.match(r31.error, /two addresses/);
  const r32 = refused(routedSetup({}, { ...XEND, cidr: '80.68.86.192/32' }));
  assert.match(r32.error, /single address/);
  assert.equal(refused(routedSetup({}, { ...XEND, gatewayAddress: '80.68.86.199' })).field, 'gatewayAddress');
  assert.equal(refused(routedSetup({}, { ...XEND, gatewayInterface: 'eth 0' })).field, 'gatewayInterface');
  assert.equal(refused(routedSetup({}, { ...XEND, guests: ['a', 'a'] })).field, 'guests');
  const full = refused(routedSetup({}, { ...XEND, cidr: '192.0.2.0/30', guests: ['a', 'b'] }));
  assert.match(full.error, /2 guests but only 1 free address/);
  // addresses held by other guests count
  const other = { 'etc/xen/x.cfg': "name = 'x'\nvif = [ 'ip=192.0.2.2' ]\n" };
  assert.match(refused(routedSetup(other, { ...XEND, cidr: '192.0.2.0/30', guests: ['a'] })).error, /only 0 free addresses/);
  // the gateway's address held by another interface, or by a guest that is not re-addressed
  const eth = { 'etc/network/interfaces': 'auto eth1\niface eth1 inet static\n    address 80.68.86.193\n    netmask 255.255.255.248\n' };
  assert.match(refused(routedSetup(eth, XEND)).error, /already the address of eth1/);
  const guest = { 'etc/xen/g.cfg': "name = 'g'\nvif = [ 'ip=80.68.86.193' ]\n" };
  assert.match(refused(routedSetup(guest, XEND)).error, /address of the guest in etc\/xen\/g\.cfg/);
  // a listed guest on the gateway's address is moved to a free one
  assert.deepEqual(ok(routedSetup(guest, { ...XEND, guests: ['g'] })).addresses, { g: '80.68.86.194' });
  // never throws on junk
  assert.ok('error' in routedSetup({}, null as never));
  assert.ok('error' in routedSetup(null as never, { cidr: 7 } as never));
});

test('switch mode: xend round trips routed -> bridged -> routed and routed -> nat -> routed', () => {
  for (const start of [apply({}, ok(routedSetup({}, XEND))), articleHost()]) {
    const bridged = apply(start, ok(switchMode(start, { mode: 'bridged' })));
    assert.deepEqual(
      codeLines(bridged['etc/xen/xend-config.sxp']!).filter((l) => /script/.test(l)),
      ['(network-script network-bridge)', '(vif-script vif-bridge)'],
    );
    assert.deepEqual(ok(switchMode(bridged, { mode: 'bridged' })).changes, []);
    const back = apply(bridged, ok(switchMode(bridged, { mode: 'routed' })));
    assert.deepEqual(back, start);
    const nat = apply(start, ok(switchMode(start, { mode: 'nat' })));
    assert.deepEqual(
      codeLines(nat['etc/xen/xend-config.sxp']!).filter((l) => /script/.test(l)),
      ['(network-script network-nat)', '(vif-script vif-nat)'],
    );
    assert.deepEqual(apply(nat, ok(switchMode(nat, { mode: 'routed' }))), start);
  }
});

test('switch mode: xl round trips, and per-vif scripts follow the mode', () => {
  const start = apply({}, ok(routedSetup({}, XL)));
  const bridged = apply(start, ok(switchMode(start, { mode: 'bridged' })));
  assert.match(bridged['etc/xen/xl.conf']!, /^vif\.default\.script="vif-bridge"$/m);
  assert.deepEqual(apply(bridged, ok(switchMode(bridged, { mode: 'routed' }))), start);
  const nat = apply(start, ok(switchMode(start, { mode: 'nat' })));
  assert.match(nat['etc/xen/xl.conf']!, /^vif\.default\.script="vif-nat"$/m);
  assert.deepEqual(apply(nat, ok(switchMode(nat, { mode: 'routed' }))), start);

  const perVif: HostTexts = {
    'etc/network/interfaces': 'auto dummy0\niface dummy0 inet static\n    address 10.9.0.1\n    netmask 255.255.255.0\n',
    'etc/modules': 'dummy\n',
    'etc/xen/g.cfg': "name = 'g'\nvif = [ 'ip=10.9.0.2,script=vif-bridge,bridge=xenbr0', 'script=vif-bridge' ]\n",
  };
  const routed = apply(perVif, ok(switchMode(perVif, { mode: 'routed', toolstack: 'xl' })));
  assert.match(
    routed['etc/xen/g.cfg']!,
    /vif = \[ 'ip=10\.9\.0\.2,script=vif-route,gatewaydev=dummy0', 'ip=10\.9\.0\.3,script=vif-route,gatewaydev=dummy0' \]/,
  );
  assert.match(routed['etc/xen/xl.conf']!, /vif\.default\.script="vif-route"\nvif\.default\.gatewaydev="dummy0"/);
});

test('switch mode: refusals', () => {
  assert.match(refused(switchMode({}, { mode: 'routed' })).error, /neither etc\/xen\/xend-config\.sxp nor etc\/xen\/xl\.conf/);
  assert.match(refused(switchMode({ 'etc/xen/xl.conf': '' }, { mode: 'routed' })).error, /No routed block/);
  assert.equal(refused(switchMode(articleHost(), { mode: 'tunnel' as never })).field, 'mode');
  assert.equal(refused(switchMode(articleHost(), { mode: 'routed', gatewayInterface: 'a b' })).field, 'gatewayInterface');
});

test('add guest: the next free address; a chosen one must be free; names must be new', () => {
  const host = apply(articleHost(), ok(routedSetup(articleHost(), XEND)));
  const r = ok(addGuest(host, { name: 'vm3' }));
  assert.deepEqual(paths(r), ['etc/xen/vm3.cfg']);
  assert.deepEqual(r.addresses, { vm3: '80.68.86.196' });
  assert.match(r.changes[0].newText, /^ip = "80\.68\.86\.196"$/m);
  assert.match(r.summary.join('\n'), /2 addresses of 80\.68\.86\.192\/29 left/);
  assert.deepEqual(ok(addGuest(host, { name: 'vm4', address: '80.68.86.198' })).addresses, { vm4: '80.68.86.198' });
  assert.match(refused(addGuest(host, { name: 'vm4', address: '80.68.86.195' })).error, /80\.68\.86\.195 is in use\. The next free address is 80\.68\.86\.196/);
  assert.match(refused(addGuest(host, { name: 'vm4', address: '80.68.86.193' })).error, /gateway/);
  assert.match(refused(addGuest(host, { name: 'vm4', address: '10.0.0.1' })).error, /outside 80\.68\.86\.192\/29/);
  assert.match(refused(addGuest(host, { name: 'vm2' })).error, /exists already/);
  assert.match(refused(addGuest(host, { name: '12' })).error, /all digits/);
  assert.match(refused(addGuest({}, { name: 'vm1' })).error, /No routed block/);
  // a full block
  let full = host;
  for (const n of ['a', 'b', 'c']) full = apply(full, ok(addGuest(full, { name: n })));
  assert.match(refused(addGuest(full, { name: 'd' })).error, /No address of 80\.68\.86\.192\/29 is free/);
});

test('add guest under xl: plain vif when xl.conf makes vif-route the default, else the vif names script and gatewaydev', () => {
  const xl = apply({}, ok(routedSetup({}, { ...XL, guests: [] })));
  assert.match(ok(addGuest(xl, { name: 'g' })).changes[0].newText, /^vif = \[ 'ip=80\.68\.86\.194' \]$/m);
  const noConf = { ...xl };
  delete noConf['etc/xen/xl.conf'];
  assert.match(
    ok(addGuest(noConf, { name: 'g', toolstack: 'xl' })).changes[0].newText,
    /^vif = \[ 'ip=80\.68\.86\.194,script=vif-route,gatewaydev=dummy0' \]$/m,
  );
});
