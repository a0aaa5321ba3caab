// The reader: node kinds, exact spans, escapes, comments and recovery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSxp, decodeEscapes } from '../../../server/src/formats/sxp/parser';
import { readSettings, settingsMap, splitScript } from '../../../server/src/formats/sxp/settings';
import type { SxpList } from '../../../server/src/formats/sxp/ast';

const slice = (text: string, s: { start: number; end: number }) => text.slice(s.start, s.end);

test('atoms, strings and nested lists carry exact spans', () => {
  const text = `(xend-relocation-hosts-allow '^localhost$ ^a\\\\.b$')\n(xen-api-server ((9363 pam) (unix none)))\n`;
  const f = parseSxp(text);
  assert.deepEqual(f.errors, []);
  assert.equal(f.items.length, 2);
  const first = f.items[0] as SxpList;
  assert.equal(first.kind, 'list');
  assert.equal(slice(text, first.span), `(xend-relocation-hosts-allow '^localhost$ ^a\\\\.b$')`);
  assert.equal(slice(text, first.items[0].span), 'xend-relocation-hosts-allow');
  const s = first.items[1];
  assert.equal(s.kind, 'string');
  if (s.kind !== 'string') return;
  assert.equal(s.value, '^localhost$ ^a\\.b$');
  assert.equal(slice(text, s.span), `'^localhost$ ^a\\\\.b$'`);
  assert.equal(slice(text, s.innerSpan), `^localhost$ ^a\\\\.b$`);
  const api = f.items[1] as SxpList;
  const inner = api.items[1] as SxpList;
  assert.equal(inner.items.length, 2);
  assert.equal(slice(text, inner.items[1].span), '(unix none)');
  assert.equal(f.maxDepth, 3);
});

test('escapes decode as xend decodes them', () => {
  assert.equal(parseSxp(`("a\\tb\\x41\\101\\q\\'\\"")`).errors.length, 0);
  const v = (parseSxp(`("a\\tb\\x41\\101\\q\\'\\"")`).items[0] as SxpList).items[0];
  assert.equal(v.kind === 'string' && v.value, 'a\tbAA\\q\'"');
  const bad = parseSxp(`(keymap 'a\\xZb' "\\777")`);
  assert.deepEqual(
    bad.errors.map((e) => e.code),
    ['sxp/invalid-escape', 'sxp/invalid-escape'],
  );
  assert.equal(slice(`(keymap 'a\\xZb' "\\777")`, bad.errors[0].span), '\\x');
  const d = decodeEscapes('a\\nb', 10, true);
  assert.deepEqual(d.map, [10, 11, 13, 14]);
});

test('words end at separators and #; a quote inside a word is part of it', () => {
  const f = parseSxp(`(a b;c d#comment\n e'f)`);
  const l = f.items[0] as SxpList;
  assert.deepEqual(
    l.items.map((n) => n.kind === 'atom' && n.text),
    ['a', 'b', ';c', 'd', "e'f"],
  );
  assert.equal(f.comments.length, 1);
  assert.equal(f.comments[0].trailing, true);
});

test('comments: own line, indented and trailing are told apart', () => {
  const text = '# top\n   # indented\n(dom0-cpus 0) # trailing\n';
  const f = parseSxp(text);
  assert.deepEqual(
    f.comments.map((c) => [c.text, c.trailing, c.indented]),
    [
      ['# top', false, false],
      ['# indented', false, true],
      ['# trailing', true, false],
    ],
  );
  assert.equal(slice(text, f.comments[2].span), '# trailing');
});

test("an unclosed '(' is named and does not hide the settings after it", () => {
  const text = '(network-script network-route\n(vif-script vif-route)\n(dom0-min-mem 196)\n)\n';
  // balanced overall: xend reads one list; nothing to report
  assert.deepEqual(parseSxp(text).errors, []);
  const broken = '(network-script network-route\n(vif-script vif-route)\n(dom0-min-mem 196)\n';
  const f = parseSxp(broken);
  assert.deepEqual(
    f.errors.map((e) => [e.code, e.span.start]),
    [['sxp/unclosed-list', 0]],
  );
  assert.match(f.errors[0].message, /never closed/);
  assert.deepEqual(
    readSettings(f).map((s) => s.key),
    ['network-script', 'vif-script', 'dom0-min-mem'],
  );
});

test("a stray ')' is reported and reading goes on", () => {
  const text = '(dom0-cpus 0))\n(vif-script vif-route)\n';
  const f = parseSxp(text);
  assert.deepEqual(
    f.errors.map((e) => [e.code, e.span.start, e.span.end]),
    [['sxp/unexpected-close', 13, 14]],
  );
  assert.match(f.errors[0].message, /Unexpected '\)'/);
  assert.deepEqual(
    readSettings(f).map((s) => s.key),
    ['dom0-cpus', 'vif-script'],
  );
});

test('an unterminated string ends at its line for recovery; one error, not two', () => {
  const text = "(vncpasswd 'secret)\n(vif-script vif-route)\n";
  const f = parseSxp(text);
  assert.deepEqual(
    f.errors.map((e) => e.code),
    ['sxp/unterminated-string'],
  );
  assert.equal(f.errors[0].span.start, 11);
  assert.ok(readSettings(f).some((s) => s.key === 'vif-script'));
});

test('a multi-line string is one string', () => {
  const f = parseSxp("(xend-relocation-hosts-allow '^a$\n ^b$')\n");
  assert.deepEqual(f.errors, []);
  assert.equal(settingsMap(f).get('xend-relocation-hosts-allow')!.value!.kind, 'string');
});

test('control and non-ASCII characters cannot start a word; inside one they can', () => {
  assert.deepEqual(
    parseSxp('\uFEFF(dom0-cpus 0)').errors.map((e) => [e.code, e.span.start, e.span.end]),
    [['sxp/invalid-character', 0, 1]],
  );
  assert.match(parseSxp('\uFEFF(dom0-cpus 0)').errors[0].message, /byte-order mark/);
  assert.deepEqual(parseSxp('(keymap fr\u00e9)').errors, []);
  assert.equal(parseSxp('(a \u0000)').errors[0].code, 'sxp/invalid-character');
});

test('settings: first wins; the script value is split with spans', () => {
  const text = "(vif-script 'vif-route netdev=dummy0')\n(vif-script vif-bridge)\n(network-script network-route)\n";
  const f = parseSxp(text);
  const all = readSettings(f);
  assert.deepEqual(
    all.map((s) => [s.key, s.first]),
    [
      ['vif-script', true],
      ['vif-script', false],
      ['network-script', true],
    ],
  );
  const call = splitScript(settingsMap(f).get('vif-script')!.value)!;
  assert.equal(call.name, 'vif-route');
  assert.equal(slice(text, call.nameSpan), 'vif-route');
  assert.equal(call.args.length, 1);
  assert.equal(call.args[0].key, 'netdev');
  assert.equal(call.args[0].value, 'dummy0');
  assert.equal(slice(text, call.args[0].span), 'netdev=dummy0');
  assert.equal(slice(text, call.args[0].keySpan!), 'netdev');
  assert.equal(slice(text, call.args[0].valueSpan!), 'dummy0');
  const bare = splitScript(settingsMap(f).get('network-script')!.value)!;
  assert.equal(slice(text, bare.nameSpan), 'network-route');
  assert.deepEqual(bare.args, []);
});

test('spans of script arguments stay right after escapes', () => {
  const text = "(network-script 'network-bridge\\tbridge=xenbr0')";
  const call = splitScript(settingsMap(parseSxp(text)).get('network-script')!.value)!;
  assert.equal(slice(text, call.nameSpan), 'network-bridge');
  assert.equal(slice(text, call.args[0].span), 'bridge=xenbr0');
});
