import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Address4, Address6 } from 'ip-address';
import {
  intToIPv4,
  ipv4Subnet,
  ipv4ToInt,
  ipv6Forms,
  isIPv4,
  isIPv4Cidr,
  isIPv6,
  isIPv6Cidr,
  isMac,
  netmaskToPrefix,
  parseIPv4Cidr,
  parseIPv6Cidr,
  prefixToNetmask,
} from '../../../server/src/core/address';

test('IPv4 and IPv6 addresses are told apart and validated', () => {
  for (const ok of ['80.68.86.193', '0.0.0.0', '255.255.255.255', '10.0.0.1']) assert.ok(isIPv4(ok), ok);
  for (const bad of ['80.68.86', '80.68.86.256', '1.2.3.4.5', ' 1.2.3.4', '1.2.3.04x', '', '1..2.3', '255.255.255.999']) assert.ok(!isIPv4(bad), bad);
  for (const ok of ['::1', '2001:db8::1', 'fe80::1%eth0', '::ffff:1.2.3.4', '2001:0db8:0000:0000:0000:0000:0000:0001']) assert.ok(isIPv6(ok), ok);
  for (const bad of ['2001:db8::1::2', '1.2.3.4', 'gggg::1', '::1/64']) assert.ok(!isIPv6(bad), bad);
  assert.deepEqual(parseIPv4Cidr('80.68.86.193/29'), { address: '80.68.86.193', prefix: 29 });
  assert.equal(parseIPv4Cidr('80.68.86.193/33'), undefined);
  assert.deepEqual(parseIPv6Cidr('2001:db8::1/64'), { address: '2001:db8::1', prefix: 64 });
});

test('the article subnet: 80.68.86.192/29', () => {
  const s = ipv4Subnet('80.68.86.193', 29);
  assert.deepEqual(s, {
    prefix: 29,
    network: '80.68.86.192',
    broadcast: '80.68.86.199',
    netmask: '255.255.255.248',
    firstUsable: '80.68.86.193',
    lastUsable: '80.68.86.198',
    usableCount: 6,
  });
  assert.equal(netmaskToPrefix('255.255.255.248'), 29);
  assert.equal(netmaskToPrefix('255.255.0.255'), undefined, 'non-contiguous');
  assert.equal(netmaskToPrefix('0.0.0.0'), 0);
  assert.equal(netmaskToPrefix('255.255.255.255'), 32);
});

test('netmask and prefix convert both ways for every prefix', () => {
  for (let p = 0; p <= 32; p++) assert.equal(netmaskToPrefix(prefixToNetmask(p)), p);
});

test('property: the subnet of any address agrees with a plain computation', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (n, prefix) => {
      const address = intToIPv4(n);
      assert.equal(ipv4ToInt(address), n);
      const s = ipv4Subnet(address, prefix);
      const size = 2 ** (32 - prefix);
      const net = Math.floor(n / size) * size;
      assert.equal(s.network, intToIPv4(net));
      assert.equal(s.broadcast, intToIPv4(net + size - 1));
      assert.ok(ipv4ToInt(s.firstUsable) <= ipv4ToInt(s.lastUsable));
    }),
  );
});

test('MAC addresses', () => {
  assert.ok(isMac('00:16:3e:00:00:11'));
  assert.ok(isMac('00:16:3E:74:3d:76'));
  assert.ok(!isMac('00:16:3e:00:00'));
  assert.ok(!isMac('00-16-3e-00-00-11'));
  assert.ok(!isMac('00:16:3g:00:00:11'));
});

// The hand-written address readers (no allocation, they run on every address at each keystroke)
// against ip-address, on strings made of the pieces addresses are made of.
const V6_PIECES = ['0', '1', '9', 'a', 'f', 'F', 'g', ':', '::', '.', '1.2.3.4', '255', '256', '%', 'eth0', 'ffff', '12345', '0db8', ' '];
const V4_PIECES = ['0', '1', '00', '01', '9', '25', '255', '256', '999', '.', '..', '/', '29', '33', 'a', '-', '+', ' '];

test('isIPv6 agrees with ip-address on random strings of address pieces', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...V6_PIECES), { minLength: 1, maxLength: 14 }), (parts) => {
      const s = parts.join('');
      const reference = s.includes(':') && !s.includes('/') && Address6.isValid(s);
      assert.equal(isIPv6(s), reference, JSON.stringify(s));
    }),
    { numRuns: 20000 },
  );
  for (const [s, ok] of [
    ['::', true],
    ['1:2:3:4:5:6:7::', true],
    ['1:2:3:4:5:6:7:8::', false],
    ['1:2:3:4:5:6:1.2.3.4', true],
    [':1::', false],
    ['1:::2', false],
    ['1:2', false],
  ] as const) {
    assert.equal(isIPv6(s), ok, s);
  }
  assert.deepEqual(ipv6Forms('2001:db8::1'), { full: '2001:0db8:0000:0000:0000:0000:0000:0001', short: '2001:db8::1' });
  assert.equal(ipv6Forms('80.68.86.193'), undefined);
});

test('isIPv6Cidr says what parseIPv6Cidr reads, with and without a trailing slash allowed', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...V6_PIECES, '/', '/64', '/128', '/129', '/0', '/1234'), { minLength: 1, maxLength: 12 }), (parts) => {
      const s = parts.join('');
      assert.equal(isIPv6Cidr(s), parseIPv6Cidr(s) !== undefined, JSON.stringify(s));
      assert.equal(isIPv6Cidr(s, true), parseIPv6Cidr(s.replace(/\/$/, '')) !== undefined, JSON.stringify(s));
    }),
    { numRuns: 20000 },
  );
});

test('isIPv4, isIPv4Cidr and ipv4ToInt agree with ip-address and with arithmetic', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...V4_PIECES), { minLength: 1, maxLength: 10 }), (parts) => {
      const s = parts.join('');
      // ip-address reads leading zeros and other forms that ifupdown and xl refuse: compare on canonical quads
      const canonical = /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(s) && Address4.isValid(s);
      assert.equal(isIPv4(s), canonical, JSON.stringify(s));
      const slash = s.indexOf('/');
      const cidr = slash < 0 ? canonical : isIPv4(s.slice(0, slash)) && /^\d{1,2}$/.test(s.slice(slash + 1)) && Number(s.slice(slash + 1)) <= 32;
      assert.equal(isIPv4Cidr(s), cidr, JSON.stringify(s));
      if (canonical) assert.equal(ipv4ToInt(s), Number(new Address4(s).bigInt()), s);
    }),
    { numRuns: 20000 },
  );
});
