// Outline, folding, hover and completion of interfaces files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SymbolKind, type Hover, type MarkupContent } from 'vscode-languageserver-types';
import { interfacesService } from '../../../server/src/formats/interfaces/service';
import type { InterfacesDialect } from '../../../server/src/core/settings';
import { ARTICLE, parse, settingsFor } from './helpers';

/** The position of the n-th occurrence of `needle` in text, plus `delta` characters. */
function pos(text: string, needle: string, delta = 0, nth = 0) {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, needle);
  const before = text.slice(0, i + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}
const hoverText = (h: Hover | null) => (h ? (h.contents as MarkupContent).value : '');
const hoverAt = (text: string, needle: string, delta = 1, nth = 0) => interfacesService.hover(parse(text), pos(text, needle, delta, nth), settingsFor('auto'));
const complete = (text: string, dialect: InterfacesDialect = 'auto') => {
  const lines = text.split('\n');
  const line = lines.length - 1;
  return interfacesService.completion(parse(text, dialect), { line, character: lines[line].length }, settingsFor(dialect)).map((c) => c.label);
};

test('symbols: one per stanza, iface stanzas with their options as children', () => {
  const doc = parse(ARTICLE);
  const syms = interfacesService.symbols(doc);
  assert.deepEqual(
    syms.map((s) => s.name),
    ['auto lo', 'iface lo inet loopback', 'allow-hotplug eth0', 'iface eth0 inet static', 'auto dummy0', 'iface dummy0 inet static'],
  );
  const dummy = syms[5];
  assert.equal(dummy.kind, SymbolKind.Interface);
  assert.deepEqual(dummy.range, { start: { line: 13, character: 0 }, end: { line: 16, character: 26 } });
  assert.deepEqual(dummy.selectionRange, { start: { line: 13, character: 6 }, end: { line: 13, character: 12 } });
  assert.deepEqual(
    dummy.children!.map((c) => [c.name, c.detail, c.kind]),
    [
      ['address', '80.68.86.193', SymbolKind.Property],
      ['netmask', '255.255.255.248', SymbolKind.Property],
      ['broadcast', '80.68.86.199', SymbolKind.Property],
    ],
  );
  assert.deepEqual(dummy.children![2].range, { start: { line: 16, character: 4 }, end: { line: 16, character: 26 } });
  assert.equal(syms[1].children, undefined);
});

test('symbols survive a broken line before them', () => {
  const syms = interfacesService.symbols(parse('iface\nauto\niface eth1 inet dhcp\n  hostname xen\n'));
  const eth1 = syms.find((s) => s.name === 'iface eth1 inet dhcp');
  assert.ok(eth1);
  assert.deepEqual(
    eth1.children!.map((c) => c.name),
    ['hostname'],
  );
});

test('folding: multi-line stanzas and runs of comments', () => {
  const folds = interfacesService.folding(parse(ARTICLE));
  const regions = folds.filter((f) => f.kind === 'region').map((f) => [f.startLine, f.endLine]);
  assert.deepEqual(regions, [
    [6, 9],
    [13, 16],
  ]);
  const text = '# one\n# two\n# three\n\n# alone\niface eth0 inet manual\n  up a \\\n    b\n';
  const f2 = interfacesService.folding(parse(text));
  assert.deepEqual(
    f2.filter((f) => f.kind === 'comment').map((f) => [f.startLine, f.endLine]),
    [[0, 2]],
  );
  assert.deepEqual(
    f2.filter((f) => f.kind === 'region').map((f) => [f.startLine, f.endLine]),
    [[5, 7]],
  );
});

test('hover on stanza keywords', () => {
  for (const k of ['auto', 'iface', 'allow-hotplug']) {
    const h = hoverAt(ARTICLE, k + ' ');
    assert.match(hoverText(h), new RegExp(`\\*\\*${k}\\*\\*`), k);
    assert.ok(hoverText(h).length > 40, k);
  }
  const h = hoverAt(ARTICLE, 'iface dummy0');
  assert.deepEqual(h!.range, { start: { line: 13, character: 0 }, end: { line: 13, character: 5 } });
  assert.match(hoverText(hoverAt('allow-ovs br0\n', 'allow')), /ovs/);
  for (const k of ['mapping eth0', 'source x', 'source-directory x', 'rename a=b', 'no-auto-down x', 'no-scripts x']) {
    assert.ok(hoverText(hoverAt(k + '\n', k.split(' ')[0])).length > 20, k);
  }
});

test('hover on families and methods', () => {
  assert.match(hoverText(hoverAt(ARTICLE, 'inet static', 1)), /inet.*address family/s);
  const m = hoverAt(ARTICLE, 'static', 2, 1);
  assert.match(hoverText(m), /\*\*static\*\* \(method of inet\)/);
  assert.match(hoverText(m), /Required: `address`/);
  assert.deepEqual(m!.range, { start: { line: 13, character: 18 }, end: { line: 13, character: 24 } });
  assert.match(hoverText(hoverAt(ARTICLE, 'inet loopback', 6)), /loopback/);
  assert.equal(hoverAt('iface eth0 inet bogus\n', 'bogus'), null);
});

test('hover on options: what it does, its type, default and who reads it', () => {
  const h = hoverAt(ARTICLE, 'netmask', 1, 1);
  const v = hoverText(h);
  assert.match(v, /\*\*netmask\*\*/);
  assert.match(v, /contiguous/);
  assert.match(v, /Type: netmask/);
  assert.deepEqual(h!.range, { start: { line: 15, character: 4 }, end: { line: 15, character: 11 } });
  assert.match(hoverText(hoverAt(ARTICLE, 'broadcast')), /Default: `\+`/);
  assert.match(hoverText(hoverAt('iface br0\n  use bridge\n', 'use')), /ifupdown-ng/);
  assert.match(hoverText(hoverAt('iface br0 inet manual\n  bond-mode 4\n', 'bond-mode')), /ifenslave/);
  assert.match(hoverText(hoverAt('address 1.2.3.4\n', 'address')), /\*\*address\*\*/, 'orphan options get a hover too');
});

test('no hover on values, blanks, comments and unknown options', () => {
  assert.equal(hoverAt(ARTICLE, '80.68.86.193', 3), null);
  assert.equal(hoverAt(ARTICLE, '# The loopback', 3), null);
  assert.equal(hoverAt('iface eth0 inet manual\n  frobnicate 1\n', 'frob'), null);
  assert.equal(interfacesService.hover(parse(ARTICLE), { line: 3, character: 0 }, settingsFor('auto')), null);
});

test('completion at the start of a line in a static stanza offers its options and the stanza keywords', () => {
  const labels = complete('iface eth0 inet static\n  ');
  for (const l of ['address', 'netmask', 'gateway', 'broadcast', 'mtu', 'up', 'pre-up', 'iface', 'auto', 'allow-hotplug']) assert.ok(labels.includes(l), l);
  assert.ok(!labels.includes('leasetime'), 'a dhcp option');
  const dhcp = complete('iface eth0 inet dhcp\n  ');
  assert.ok(dhcp.includes('hostname'));
  assert.ok(!dhcp.includes('netmask'));
  assert.deepEqual(
    complete('iface eth0 inet static\n  addr').filter((l) => l.startsWith('addr')),
    ['address'],
  );
});

test('completion outside a stanza offers only stanza keywords', () => {
  const labels = complete('');
  assert.ok(labels.includes('iface') && labels.includes('source-directory'));
  assert.ok(!labels.includes('address'));
  assert.ok(complete('iface eth0 inet static\n  address 1.2.3.4\nauto eth0\n').includes('iface'));
});

test('completion on a mapping stanza offers script and map', () => {
  const labels = complete('mapping eth0\n  ');
  assert.ok(labels.includes('script') && labels.includes('map'));
  assert.ok(!labels.includes('address'));
});

test('completion after `iface NAME ` offers families; after the family, its methods', () => {
  assert.deepEqual(complete('iface eth0 ').sort(), ['can', 'inet', 'inet6', 'ipx']);
  const inet = complete('iface eth0 inet ');
  for (const m of ['static', 'dhcp', 'manual', 'loopback']) assert.ok(inet.includes(m), m);
  assert.ok(!inet.includes('auto'));
  const inet6 = complete('iface eth0 inet6 ');
  assert.ok(inet6.includes('auto') && inet6.includes('static'));
  assert.deepEqual(complete('iface eth0 inet st'), inet, 'while typing the method');
  assert.deepEqual(complete('iface eth0 inet static '), ['inherits']);
});

test('completion of interface names after auto, and of option values', () => {
  assert.deepEqual(complete(ARTICLE + 'auto ').sort(), ['dummy0', 'eth0', 'lo']);
  assert.deepEqual(complete('iface eth0 inet static\n  scope ').sort(), ['global', 'host', 'link', 'site']);
  assert.ok(complete('iface br0 inet manual\n  bridge_stp ').includes('off'));
  assert.deepEqual(complete('iface eth0 inet static\n  broadcast ').sort(), ['+', '-']);
  assert.deepEqual(complete('# iface eth0 '), []);
});

test('completion respects the dialect: ifupdown-ng options only where ifupdown-ng is read', () => {
  const ng = complete('iface br0 inet manual\n  ', 'ifupdown');
  assert.ok(!ng.includes('use'));
  const loose = complete('iface br0\n  ', 'ifupdown-ng');
  assert.ok(loose.includes('use') && loose.includes('requires'));
  assert.ok(!complete('iface br0\n  ', 'ifupdown').includes('use'));
});
