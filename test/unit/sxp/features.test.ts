// Outline, folding, hover and completion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sxpService } from '../../../server/src/formats/sxp/service';
import { defaultSettings } from '../../../server/src/core/settings';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';

const parse = (t: string) => sxpService.parse(t, defaultSettings);
const hoverText = (h: Hover | null) => (h ? (h.contents as MarkupContent).value : '');

test('symbols: each top-level setting, vif-script included', () => {
  const doc = parse('# -*- sh -*-\n(network-script network-route)\n(vif-script vif-route)\n(xen-api-server ((9363 pam) (unix none)))\n');
  const syms = sxpService.symbols(doc);
  assert.deepEqual(
    syms.map((s) => s.name),
    ['network-script', 'vif-script', 'xen-api-server'],
  );
  assert.equal(syms[1].detail, 'vif-route');
  assert.deepEqual(syms[1].selectionRange, { start: { line: 2, character: 1 }, end: { line: 2, character: 11 } });
  assert.deepEqual(
    syms[2].children?.map((s) => s.name),
    ['9363', 'unix'],
  );
});

test('folding: multi-line lists and comment blocks', () => {
  const doc = parse("# one\n# two\n# three\n(tg3\n  (pci_ids\n    ('a'\n     'b')))\n(dom0-cpus 0) # x\n");
  const folds = sxpService.folding(doc);
  assert.ok(folds.some((f) => f.startLine === 0 && f.endLine === 2 && f.kind === 'comment'));
  assert.ok(folds.some((f) => f.startLine === 3 && f.endLine === 6));
  assert.ok(folds.some((f) => f.startLine === 4 && f.endLine === 6));
  assert.ok(!folds.some((f) => f.startLine === 7));
});

test('hover on a key: meaning, type, default; network-script mentions the network', () => {
  const doc = parse("(network-script network-route)\n(dom0-min-mem 196)\n(vif-script 'vif-route netdev=dummy0')\n");
  const h = sxpService.hover(doc, { line: 0, character: 3 }, defaultSettings);
  assert.match(hoverText(h), /network/i);
  assert.match(hoverText(h), /Default/);
  const m = hoverText(sxpService.hover(doc, { line: 1, character: 3 }, defaultSettings));
  assert.match(m, /whole number \(MiB\)/);
  assert.match(m, /Default: 0/);
});

test('hover on a script name and on a script argument', () => {
  const doc = parse("(network-script network-route)\n(vif-script 'vif-route netdev=dummy0')\n");
  const s = sxpService.hover(doc, { line: 0, character: 20 }, defaultSettings)!;
  assert.match(hoverText(s), /network-route/);
  assert.match(hoverText(s), /forwarding/);
  assert.deepEqual(s.range, { start: { line: 0, character: 16 }, end: { line: 0, character: 29 } });
  assert.match(hoverText(sxpService.hover(doc, { line: 1, character: 15 }, defaultSettings)), /vif-route/);
  assert.match(hoverText(sxpService.hover(doc, { line: 1, character: 25 }, defaultSettings)), /netdev/);
  assert.equal(sxpService.hover(parse('# (dom0-cpus 0)\n'), { line: 0, character: 4 }, defaultSettings), null);
});

test('completion: keys after (, yes/no, script names, script arguments', () => {
  const labels = (text: string, line: number, character: number) =>
    sxpService.completion(parse(text), { line, character }, defaultSettings).map((c) => c.label);
  assert.ok(labels('(', 0, 1).includes('vif-script'));
  assert.ok(labels('(vif-s', 0, 6).includes('vif-script'));
  assert.ok(labels('', 0, 0).includes('network-script'));
  assert.deepEqual(labels('(xend-http-server )', 0, 18), ['yes', 'no']);
  const vifs = labels('(vif-script )', 0, 12);
  assert.ok(vifs.includes('vif-route') && !vifs.includes('network-route'));
  const nets = labels('(network-script net', 0, 19);
  assert.ok(nets.includes('network-route') && nets.includes('network-bridge'));
  const args = labels("(network-script 'network-bridge ')", 0, 32);
  assert.ok(args.includes('netdev=') && args.includes('bridge='), args.join(' '));
  assert.deepEqual(labels('# (', 0, 3), []);
});
