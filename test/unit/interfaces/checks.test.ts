// Every check of checks.ts, each in a case that triggers it and one that does not; dialects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STRUCTURAL_CODES } from '../../../server/src/formats/interfaces/checks';
import type { InterfacesDialect } from '../../../server/src/core/settings';
import { ARTICLE, codes, diags } from './helpers';

const DIALECTS: InterfacesDialect[] = ['auto', 'ifupdown', 'ifupdown2', 'ifupdown-ng'];
const has = (text: string, code: string, dialect: InterfacesDialect = 'auto') => codes(text, dialect).includes(`interfaces/${code}`);
const only = (text: string, dialect: InterfacesDialect = 'auto') => [...new Set(codes(text, dialect))].sort();
const one = (text: string, code: string, dialect: InterfacesDialect = 'auto') => {
  const ds = diags(text, dialect).filter((d) => d.code === `interfaces/${code}`);
  assert.equal(ds.length, 1, `${code} in ${JSON.stringify(text)}: ${JSON.stringify(diags(text, dialect))}`);
  return ds[0];
};
const STATIC = (extra: string) => `iface eth0 inet static\n  address 80.68.80.24\n${extra}`;

test('the article file has no diagnostics in any dialect', () => {
  for (const d of DIALECTS) assert.deepEqual(diags(ARTICLE, d), [], d);
  assert.deepEqual(diags(ARTICLE.replace(/\n/g, '\r\n'), 'ifupdown'), []);
});

test('every diagnostic has a code interfaces/<rule>, a message and a source-free range', () => {
  const text = 'iface\nfoo 1\niface eth0 bogus x\nauto eth9\n';
  for (const d of diags(text, 'ifupdown')) {
    assert.match(String(d.code), /^interfaces\/[a-z-]+$/);
    assert.ok(String(d.message).length > 20, String(d.message));
  }
});

test('syntax', () => {
  const d = one('auto\n', 'syntax');
  assert.equal(d.severity, 1);
  assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } });
  assert.ok(!has('auto lo\n', 'syntax'));
});

test('template: Mako lines are errors except for ifupdown2 and auto', () => {
  const text = '%for i in range(2):\niface eth0 inet manual\n%endfor\n';
  assert.ok(has(text, 'template', 'ifupdown'));
  assert.ok(has(text, 'template', 'ifupdown-ng'));
  assert.ok(!has(text, 'template', 'ifupdown2'));
  assert.ok(!has(text, 'template', 'auto'));
  assert.ok(!has('iface eth0 inet manual\n  up echo 100%\n', 'template', 'ifupdown'));
});

test('option-outside-stanza: before any iface, after auto, and non-mapping lines in a mapping', () => {
  const d = one('address 1.2.3.4\niface eth0 inet manual\n', 'option-outside-stanza');
  assert.equal(d.severity, 1);
  assert.deepEqual(d.range.start, { line: 0, character: 0 });
  assert.ok(has('iface eth0 inet manual\nauto eth0\n  mtu 1500\n', 'option-outside-stanza'));
  assert.ok(has('mapping eth0\n  script /bin/x\n  address 1.2.3.4\n', 'option-outside-stanza'));
  assert.ok(!has('mapping eth0\n  script /bin/x\n  map home eth0-home\n', 'option-outside-stanza'));
  assert.ok(!has('iface eth0 inet manual\n  mtu 1500\nauto eth0\n', 'option-outside-stanza'));
});

test('auto-without-iface: an error for auto, a warning with source or for allow-CLASS, never for lo or a mapping', () => {
  const d = one('auto eth9\n', 'auto-without-iface', 'ifupdown');
  assert.equal(d.severity, 1);
  assert.deepEqual(d.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 9 } });
  assert.equal(one('allow-auto eth9\n', 'auto-without-iface').severity, 1);
  assert.equal(one('allow-hotplug eth9\n', 'auto-without-iface').severity, 2);
  assert.equal(one('source /etc/network/interfaces.d/*\nauto eth9\n', 'auto-without-iface').severity, 2);
  assert.ok(!has('auto lo\n', 'auto-without-iface'));
  assert.ok(!has('auto eth0\niface eth0 inet dhcp\n', 'auto-without-iface'));
  assert.ok(!has('iface eth0 inet dhcp\nauto eth0\n', 'auto-without-iface'), 'the stanza may come after auto');
  assert.ok(!has('auto eth1\nmapping eth*\n  script /bin/map\n', 'auto-without-iface'));
});

test('unknown-template: inherits of a stanza that does not exist', () => {
  const d = one('iface eth0 inet static inherits base\n  address 1.2.3.4\n', 'unknown-template');
  assert.equal(d.severity, 1);
  assert.ok(!has('iface base inet static\n  address 1.2.3.4\niface eth0 inet static inherits base\n', 'unknown-template'));
});

test('inherits: the template supplies family, method and required options', () => {
  const text = 'iface base inet static\n  address 1.2.3.4\n  netmask 255.255.255.0\niface eth0 inherits base\n';
  assert.deepEqual(diags(text, 'ifupdown'), []);
});

test('missing-family: a bare `iface NAME` only for ifupdown', () => {
  const d = one('iface br0\n  bridge-ports eth0\n', 'missing-family', 'ifupdown');
  assert.equal(d.severity, 1);
  assert.deepEqual(d.range, { start: { line: 0, character: 6 }, end: { line: 0, character: 9 } });
  for (const dl of ['auto', 'ifupdown2', 'ifupdown-ng'] as const) assert.ok(!has('iface br0\n', 'missing-family', dl), dl);
  assert.ok(!has('iface br0 inet manual\n', 'missing-family', 'ifupdown'));
});

test('missing-method: `iface NAME FAMILY`: an error for ifupdown, a warning under auto', () => {
  assert.equal(one('iface eth0 inet\n', 'missing-method', 'ifupdown').severity, 1);
  assert.equal(one('iface eth0 inet\n', 'missing-method', 'auto').severity, 2);
  for (const dl of ['ifupdown2', 'ifupdown-ng'] as const) assert.ok(!has('iface eth0 inet\n', 'missing-method', dl), dl);
  assert.ok(!has('iface eth0 inet dhcp\n', 'missing-method', 'ifupdown'));
});

test('unknown-family, with its range on the family word', () => {
  const d = one('iface eth0 inet4 static\n', 'unknown-family');
  assert.equal(d.severity, 1);
  assert.deepEqual(d.range, { start: { line: 0, character: 11 }, end: { line: 0, character: 16 } });
  assert.match(String(d.message), /inet/);
  for (const f of ['inet', 'inet6', 'ipx', 'can']) assert.ok(!has(`iface eth0 ${f} static\n`, 'unknown-family'), f);
});

test('unknown-method, with a suggestion', () => {
  const d = one('iface eth0 inet staic\n', 'unknown-method');
  assert.equal(d.severity, 1);
  assert.deepEqual(d.range, { start: { line: 0, character: 16 }, end: { line: 0, character: 21 } });
  assert.match(String(d.message), /Did you mean `static`\?/);
  assert.ok(has('iface eth0 inet6 loopbak\n', 'unknown-method'));
  assert.ok(has('iface eth0 inet auto\n', 'unknown-method'), 'auto is an inet6 method only');
  for (const m of ['loopback', 'manual', 'dhcp', 'bootp', 'ppp', 'wvdial', 'ipv4ll']) assert.ok(!has(`iface eth0 inet ${m}\n`, 'unknown-method'), m);
  for (const m of ['auto', 'loopback', 'manual', 'dhcp']) assert.ok(!has(`iface eth0 inet6 ${m}\n`, 'unknown-method'), m);
});

test('extra-parameter: words after the method are a warning', () => {
  const d = one('iface eth0 inet dhcp uplink\n', 'extra-parameter');
  assert.equal(d.severity, 2);
  assert.deepEqual(d.range, { start: { line: 0, character: 21 }, end: { line: 0, character: 27 } });
  assert.equal(codes('iface eth0 inet dhcp # the uplink\n').filter((c) => c === 'interfaces/extra-parameter').length, 3, 'one per word');
  assert.ok(!has('iface eth0 inet dhcp\n', 'extra-parameter'));
});

test('missing-required-option: a static stanza without address, with data naming the option', () => {
  const d = one('iface eth0 inet static\n  netmask 255.255.255.0\n', 'missing-required-option', 'ifupdown');
  assert.equal(d.severity, 1);
  // with the dialect left to 'auto' it is a warning that names the tools that accept it
  const w = one('iface eth0 inet static\n  netmask 255.255.255.0\n', 'missing-required-option');
  assert.equal(w.severity, 2);
  assert.match(String(w.message), /ifupdown2/);
  assert.deepEqual(d.range, { start: { line: 0, character: 16 }, end: { line: 0, character: 22 } });
  assert.deepEqual(d.data, { option: 'address' });
  assert.ok(has('iface eth0 inet6 static\n', 'missing-required-option'));
  assert.ok(has('iface t0 inet tunnel\n  address 1.2.3.4\n', 'missing-required-option'), 'tunnel needs mode and endpoint');
  assert.ok(has('iface eth0 inet static\n  address\n', 'missing-required-option'), 'an address line without a value does not count');
  assert.ok(!has(STATIC(''), 'missing-required-option'));
  assert.ok(!has('iface eth0 inet dhcp\n', 'missing-required-option'));
});

test('empty-value: an option line without a value', () => {
  const d = one(STATIC('  mtu\n'), 'empty-value');
  assert.equal(d.severity, 1);
  assert.deepEqual(d.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 5 } });
  assert.ok(has('mapping eth0\n  script\n', 'empty-value'));
  assert.ok(!has(STATIC('  mtu 1500\n'), 'empty-value'));
});

test('unknown-option: a typo, and options of another dialect', () => {
  const d = one(STATIC('  adress 1.2.3.4\n'), 'unknown-option');
  assert.equal(d.severity, 2);
  assert.match(String(d.message), /IF_ADRESS/);
  assert.ok(has(STATIC('  use dhcp\n'), 'unknown-option', 'ifupdown'));
  assert.ok(has(STATIC('  use dhcp\n'), 'unknown-option', 'ifupdown2'));
  assert.ok(!has(STATIC('  use dhcp\n'), 'unknown-option', 'ifupdown-ng'));
  assert.ok(!has(STATIC('  use dhcp\n'), 'unknown-option', 'auto'));
  assert.ok(has(STATIC('  vxlan-id 10\n'), 'unknown-option', 'ifupdown'));
  assert.ok(!has(STATIC('  vxlan-id 10\n'), 'unknown-option', 'ifupdown2'));
  assert.ok(!has(STATIC('  bridge_ports eth1\n  bond-mode 802.3ad\n  dns-nameservers 1.1.1.1\n  up ip link set $IFACE up\n'), 'unknown-option', 'ifupdown'));
});

test('option-wrong-method: an option of another method', () => {
  const d = one(STATIC('  leasetime 3600\n'), 'option-wrong-method');
  assert.equal(d.severity, 2);
  assert.ok(!has('iface eth0 inet dhcp\n  leasetime 3600\n', 'option-wrong-method'));
  assert.ok(!has(STATIC('  mtu 9000\n  pre-up true\n'), 'option-wrong-method'));
});

test('duplicate-option: several address lines are fine in ifupdown2/ng, a warning in ifupdown', () => {
  const text = STATIC('  address 80.68.80.25\n');
  const d = one(text, 'duplicate-option', 'ifupdown');
  assert.equal(d.severity, 2);
  assert.deepEqual(d.range.start, { line: 2, character: 2 });
  for (const dl of ['auto', 'ifupdown2', 'ifupdown-ng'] as const) assert.ok(!has(text, 'duplicate-option', dl), dl);
  assert.ok(has(STATIC('  mtu 1500\n  mtu 9000\n'), 'duplicate-option', 'auto'), 'mtu may appear once anywhere');
  assert.ok(!has(STATIC('  up echo 1\n  up echo 2\n'), 'duplicate-option', 'ifupdown'), 'hooks repeat');
  assert.ok(!has(STATIC('  netmask 255.255.255.0\n'), 'duplicate-option', 'ifupdown'));
});

test('invalid-value: each value type', () => {
  const bad: [string, string][] = [
    ['netmask', '255.0.255.0'],
    ['netmask', '255.255.255.999'],
    ['netmask', '33'],
    ['broadcast', 'x'],
    ['mtu', 'abc'],
    ['hwaddress', 'zz'],
    ['scope', 'world'],
    ['bridge_stp', 'maybe'],
    ['gateway', '80.68.80.256'],
    ['pointopoint', '::1'],
  ];
  for (const [k, v] of bad) {
    const d = one(STATIC(`  ${k} ${v}\n`), 'invalid-value');
    assert.equal(d.severity, 1, k);
    assert.deepEqual(d.range, { start: { line: 2, character: 3 + k.length }, end: { line: 2, character: 3 + k.length + v.length } }, k);
  }
  assert.ok(has('iface eth0 inet static\n  address 80.68.86.300\n', 'invalid-value'));
  assert.ok(has('iface eth0 inet static\n  address 80.68.86.193/33\n', 'invalid-value'));
  assert.ok(has('iface eth0 inet6 static\n  address 2001:db8::1/129\n', 'invalid-value'));
  assert.ok(has('iface eth0 inet6 static\n  address 2001:db8::1\n  netmask 255.255.255.0\n', 'invalid-value'));
  assert.ok(has('iface c0 can static\n  bitrate 125000\n  loopback maybe\n', 'invalid-value'));
  const good: [string, string][] = [
    ['netmask', '255.255.255.248'],
    ['netmask', '29'],
    ['broadcast', '+'],
    ['broadcast', '-'],
    ['broadcast', '80.68.86.199'],
    ['mtu', '9000'],
    ['hwaddress', '00:16:3e:12:34:56'],
    ['hwaddress', 'ether 00:16:3e:12:34:56'],
    ['hwaddress', 'random'],
    ['scope', 'link'],
    ['bridge_stp', 'off'],
    ['gateway', '80.68.80.1'],
  ];
  for (const [k, v] of good) assert.ok(!has(STATIC(`  ${k} ${v}\n`), 'invalid-value'), `${k} ${v}`);
  assert.ok(!has('iface eth0 inet static\n  address 80.68.86.193/29\n', 'invalid-value'));
  assert.ok(!has('iface eth0 inet6 static\n  address 2001:db8::1/64\n  netmask 64\n  gateway fe80::1\n', 'invalid-value'));
});

test('dialects on a typical ifupdown2 / ifupdown-ng stanza', () => {
  const text =
    'auto br0\niface br0\n  bridge-ports eth0 eth1\n  bridge-vids 10 20\n  address 80.68.86.193/29\n  address 2001:db8::1/64\n  use bridge\n  requires eth0\n';
  assert.deepEqual(only(text, 'ifupdown'), ['interfaces/duplicate-option', 'interfaces/missing-family', 'interfaces/unknown-option']);
  assert.deepEqual(only(text, 'ifupdown2'), ['interfaces/unknown-option']);
  assert.deepEqual(only(text, 'ifupdown-ng'), []);
  assert.deepEqual(only(text, 'auto'), []);
  // the ifupdown verdict (structural) refuses it; the others accept
  const structural = (dl: InterfacesDialect) => codes(text, dl).some((c) => STRUCTURAL_CODES.has(c));
  assert.equal(structural('ifupdown'), true);
  assert.equal(structural('ifupdown2'), false);
  assert.equal(structural('ifupdown-ng'), false);
  assert.equal(structural('auto'), false);
});

test('address/nn without netmask is accepted in every dialect', () => {
  const text = 'auto dummy0\niface dummy0 inet static\n  address 80.68.86.193/29\n';
  for (const d of DIALECTS) assert.deepEqual(diags(text, d), [], d);
});

test('STRUCTURAL_CODES lists only codes that exist and are errors', () => {
  const samples: Record<string, string> = {
    'interfaces/syntax': 'auto\n',
    'interfaces/unknown-family': 'iface eth0 foo static\n',
    'interfaces/unknown-method': 'iface eth0 inet foo\n',
    'interfaces/missing-family': 'iface eth0\n',
    'interfaces/missing-method': 'iface eth0 inet\n',
    'interfaces/option-outside-stanza': 'mtu 1\n',
    'interfaces/empty-value': 'iface eth0 inet manual\n  mtu\n',
    'interfaces/missing-required-option': 'iface eth0 inet static\n',
    'interfaces/auto-without-iface': 'auto eth0\n',
    'interfaces/unknown-template': 'iface eth0 inet manual inherits x\n',
    'interfaces/template': '%if 1:\n',
    'interfaces/loopback-not-lo': 'iface lo0 inet loopback\n',
  };
  assert.deepEqual([...STRUCTURAL_CODES].sort(), Object.keys(samples).sort());
  for (const [code, text] of Object.entries(samples)) {
    const d = diags(text, 'ifupdown').find((x) => x.code === code);
    assert.ok(d, `${code} from ${JSON.stringify(text)}`);
    assert.equal(d.severity, 1, code);
  }
});

// ifupdown2 configures `inet static` without an address line (its own examples, corpus
// ifupdown2/example_interfaces, have `iface bond3 inet static` with only bond options).
test('missing-required-option: ifupdown2 accepts a static stanza without address', () => {
  const text = 'auto bond3\niface bond3 inet static\n  bond-slaves swp1 swp2\n  bond-mode 802.3ad\n';
  assert.ok(!has(text, 'missing-required-option', 'ifupdown2'));
  assert.ok(has(text, 'missing-required-option', 'ifupdown'));
});
