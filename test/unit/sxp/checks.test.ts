// Every check, each with a case that triggers it and one that does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sxpService } from '../../../server/src/formats/sxp/service';
import { SXP_CODES } from '../../../server/src/formats/sxp/checks';
import { defaultSettings } from '../../../server/src/core/settings';

function diags(text: string) {
  const doc = sxpService.parse(text, defaultSettings);
  return sxpService.diagnostics(doc, defaultSettings);
}
const codes = (text: string) => diags(text).map((d) => d.code);

// the article's host: routed mode
const ARTICLE = [
  '# -*- sh -*-',
  '(xend-relocation-server yes)',
  '(network-script network-route)',
  '(vif-script vif-route)',
  '(dom0-min-mem 196)',
  '(dom0-cpus 0)',
  '',
].join('\n');

test("the article's xend-config gets no diagnostics at all", () => {
  assert.deepEqual(diags(ARTICLE), []);
  assert.deepEqual(diags("(network-script network-route)\n(vif-script 'vif-route netdev=dummy0')\n"), []);
});

const cases: [code: string, bad: string, good: string, severity: number][] = [
  ['sxp/unclosed-list', '(dom0-cpus 0\n', '(dom0-cpus 0)\n', 1],
  ['sxp/unexpected-close', '(dom0-cpus 0))\n', '(dom0-cpus 0)\n', 1],
  ['sxp/unterminated-string', "(vncpasswd 'x)\n", "(vncpasswd 'x')\n", 1],
  ['sxp/invalid-character', '(dom0-cpus \u00010)\n', '(dom0-cpus 0)\n', 1],
  ['sxp/invalid-escape', "(keymap 'en\\x-us')\n", "(keymap 'en\\x2dus')\n", 1],
  ['sxp/not-a-setting', '(dom0-cpus 0)\n()\nstray\n', '(dom0-cpus 0)\n', 2],
  ['sxp/unknown-key', '(dom0-cpu 0)\n(dom0-cpus 0)\n', '(dom0-cpus 0)\n', 2],
  ['sxp/missing-value', '(dom0-cpus)\n', '(dom0-cpus 0)\n', 2],
  ['sxp/unquoted-spaces', '(network-script network-bridge netdev=eth1)\n', "(network-script 'network-bridge netdev=eth1')\n", 1],
  ['sxp/duplicate-key', '(dom0-cpus 0)\n(dom0-cpus 1)\n', '(dom0-cpus 0)\n(dom0-min-mem 1)\n', 2],
  ['sxp/invalid-bool', '(xend-http-server maybe)\n', '(xend-http-server On)\n', 1],
  ['sxp/invalid-int', '(dom0-min-mem 196M)\n', '(dom0-min-mem 196)\n', 1],
  ['sxp/invalid-address', "(xend-address '10.0.0.256')\n", "(xend-address '10.0.0.1')\n(vnc-listen ::1)\n(xend-relocation-address eth0)\n", 2],
  ['sxp/invalid-regexp', "(xend-relocation-hosts-allow '^localhost$ ^a(b$')\n", "(xend-relocation-hosts-allow '^localhost$ ^(?P<h>a)b$')\n", 1],
  ['sxp/unknown-value', '(loglevel LOUD)\n', '(loglevel INFO)\n', 2],
  ['sxp/expected-value', '(dom0-cpus (0))\n', '(dom0-cpus 0)\n', 1],
  ['sxp/expected-list', '(xen-api-server unix)\n', '(xen-api-server ((unix)))\n', 2],
  ['sxp/unknown-script', '(network-script network-routed)\n', '(network-script network-route)\n(network-script /usr/local/bin/my-net)\n', 2],
  ['sxp/unknown-script-arg', "(network-script 'network-bridge netdv=eth1')\n", "(network-script 'network-bridge netdev=eth1 bridge=xenbr0')\n", 2],
  ['sxp/malformed-script-arg', "(vif-script 'vif-bridge xenbr0')\n", "(vif-script 'vif-bridge bridge=xenbr0')\n", 2],
  ['sxp/script-pair', '(network-script network-route)\n(vif-script vif-bridge)\n', '(network-script network-nat)\n(vif-script vif-nat)\n', 3],
];

test('every code has a positive and a negative case', () => {
  assert.deepEqual(new Set(cases.map((c) => c[0])), new Set(SXP_CODES));
});

for (const [code, bad, good, severity] of cases) {
  test(`${code}: reported when due, silent otherwise`, () => {
    const found = diags(bad).filter((d) => d.code === code);
    assert.ok(found.length > 0, `${code} expected in ${JSON.stringify(bad)}: got ${codes(bad).join(', ')}`);
    assert.equal(found[0].severity, severity);
    assert.equal(found[0].source, 'xen');
    assert.ok(String(found[0].message).length > 20);
    assert.ok(!codes(good).includes(code), `${code} not expected in ${JSON.stringify(good)}: ${JSON.stringify(diags(good))}`);
  });
}

test('unquoted value with spaces: says xend takes only the first word, and how to quote', () => {
  const d = diags('(network-script network-bridge netdev=eth1)\n').find((x) => x.code === 'sxp/unquoted-spaces')!;
  assert.match(String(d.message), /only the first word, 'network-bridge'/);
  assert.match(String(d.message), /'network-bridge netdev=eth1'/);
  assert.deepEqual(d.range, { start: { line: 0, character: 16 }, end: { line: 0, character: 42 } });
  assert.deepEqual(d.data, { quoted: "'network-bridge netdev=eth1'" });
});

test('a duplicate points at the first through related information', () => {
  const d = diags('(vif-script vif-route)\n# later\n(vif-script vif-bridge)\n').find((x) => x.code === 'sxp/duplicate-key')!;
  assert.equal(d.range.start.line, 2);
  assert.match(String(d.message), /first one \(line 1\)/);
  assert.deepEqual(d.relatedInformation![0].location.range, { start: { line: 0, character: 1 }, end: { line: 0, character: 11 } });
});

test('unknown key suggests the closest known one', () => {
  const d = diags('(vif-scrpit vif-route)\n(dom0-cpus 0)\n').find((x) => x.code === 'sxp/unknown-key')!;
  assert.match(String(d.message), /vif-script/);
});

test('files that set none of xend keys (PCI quirk tables) get no xend-only warnings', () => {
  assert.deepEqual(codes("(tg3\n  (pci_ids ('14e4:1644')))\n"), []);
});

test('broken lines do not hide later errors', () => {
  const text = "(dom0-cpus 0))\n(vncpasswd 'x)\n(xend-http-server maybe)\n(dom0-min-mem (\n(dom0-cpus zero)\n";
  const c = codes(text);
  for (const code of ['sxp/unexpected-close', 'sxp/unterminated-string', 'sxp/invalid-bool', 'sxp/unclosed-list', 'sxp/invalid-int']) {
    assert.ok(c.includes(code), `${code} in ${c.join(', ')}`);
  }
});
