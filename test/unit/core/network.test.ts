import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  DEFAULT_GATEWAY_INTERFACE,
  ROUTED_SUBNET_SETTING_PATTERN,
  gatewayInterfaceProblem,
  interfaceNameProblem,
  isDummyInterface,
  moduleOfInterface,
  readRoutedSubnet,
  routedSubnetProblem,
} from '../../../server/src/core/network';

test('routed subnet: usable blocks are read and normalised', () => {
  for (const [text, cidr, first] of [
    ['80.68.86.192/29', '80.68.86.192/29', '80.68.86.193'],
    [' 203.0.113.0/28 ', '203.0.113.0/28', '203.0.113.1'],
    ['10.0.0.0/8', '10.0.0.0/8', '10.0.0.1'],
    ['192.0.2.0/30', '192.0.2.0/30', '192.0.2.1'],
  ] as const) {
    const r = readRoutedSubnet(text);
    assert.ok('subnet' in r, text);
    assert.equal(r.cidr, cidr);
    assert.equal(r.subnet.firstUsable, first);
    assert.equal(routedSubnetProblem(text), undefined);
  }
});

test('routed subnet: one reason per failure', () => {
  const cases: [unknown, RegExp][] = [
    ['', /address\/prefix/],
    [42, /address\/prefix/],
    [undefined, /address\/prefix/],
    ['nonsense', /'nonsense' is not an IPv4 subnet/],
    ['80.68.86.300/29', /not an IPv4 subnet/],
    ['1.2.3.0/33', /not an IPv4 subnet/],
    ['80.68.86.192', /no prefix length.*80\.68\.86\.192\/29/],
    ['80.68.86.193/32', /single address/],
    ['80.68.86.192/31', /RFC 3021/],
    ['10.0.0.0/4', /far larger/],
    ['80.68.86.194/29', /not the start of a block.*Write 80\.68\.86\.192\/29/],
    ['1'.repeat(100_000), /not an IPv4 subnet/],
  ];
  const seen = new Set<string>();
  for (const [value, re] of cases) {
    const p = routedSubnetProblem(value);
    assert.ok(p !== undefined, String(value).slice(0, 20));
    assert.match(p, re);
    assert.ok(p.length < 400, 'a long value is shortened in the reason');
    seen.add(p.replace(/'[^']*'|\S*\d+\.\d+\S*/g, ''));
  }
  // the kinds of failure have different reasons
  assert.ok(seen.size >= 7);
});

test("package.json's pattern for xen.network.routedSubnet is the core's, and lets through what the server accepts", () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const setting = pkg.contributes.configuration.properties['xen.network.routedSubnet'];
  assert.equal(setting.pattern, ROUTED_SUBNET_SETTING_PATTERN);
  const re = new RegExp(ROUTED_SUBNET_SETTING_PATTERN);
  for (const ok of ['', '80.68.86.192/29', ' 10.0.0.0/8 ', '192.0.2.0/30']) {
    assert.ok(re.test(ok), ok);
    if (ok) assert.equal(routedSubnetProblem(ok), undefined, ok);
  }
  // what the pattern refuses, the server refuses too (with its reason)
  for (const bad of ['x', '80.68.86.192', '80.68.86.192/31', '80.68.86.192/32', '10.0.0.0/4', '1.2.3.0/33']) {
    assert.ok(!re.test(bad), bad);
    assert.ok(routedSubnetProblem(bad), bad);
  }
});

test('interface names: the kernel rule, and the gateway rule on top of it', () => {
  for (const n of ['dummy0', 'eth0', 'br-routed', 'vlan.10', 'a', 'x'.repeat(15)]) {
    assert.equal(interfaceNameProblem(n), undefined, n);
    assert.equal(gatewayInterfaceProblem(n), undefined, n);
  }
  assert.match(interfaceNameProblem('x'.repeat(16))!, /15 characters/);
  assert.match(interfaceNameProblem('dum my')!, /spaces/);
  assert.match(interfaceNameProblem('eth0:1')!, /':'/);
  assert.match(interfaceNameProblem('a/b')!, /'\/'/);
  assert.match(interfaceNameProblem('..')!, /cannot be an interface name/);
  assert.match(interfaceNameProblem('eth$0')!, /characters/);
  assert.match(interfaceNameProblem('')!, /Give an interface name/);
  assert.equal(interfaceNameProblem('lo'), undefined);
  assert.match(gatewayInterfaceProblem('lo')!, /loopback/);
  assert.match(gatewayInterfaceProblem(7)!, /gateway/);
  assert.equal(DEFAULT_GATEWAY_INTERFACE, 'dummy0');
  assert.equal(gatewayInterfaceProblem(DEFAULT_GATEWAY_INTERFACE), undefined);
});

test('the dummy module: dummy, dummy0, dummy12 need it; other names do not', () => {
  for (const n of ['dummy', 'dummy0', 'dummy12']) {
    assert.ok(isDummyInterface(n), n);
    assert.equal(moduleOfInterface(n), 'dummy');
  }
  for (const n of ['dummyx', 'dumm0', 'eth0', 'xdummy0', 'dummy0a', 'dummy-0', '']) {
    assert.ok(!isDummyInterface(n), n);
    assert.equal(moduleOfInterface(n), undefined);
  }
  // linear on a hostile name
  const t0 = Date.now();
  assert.ok(!isDummyInterface('dummy' + '0'.repeat(1_000_000) + 'x'));
  assert.ok(Date.now() - t0 < 1000);
});
