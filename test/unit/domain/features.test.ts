// Outline, folding, hover and completion of domain files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domainService } from '../../../server/src/formats/domain/service';
import { ARTICLE, settingsFor } from './helpers';

const parse = (text: string) => domainService.parse(text, settingsFor('auto'));
const hoverText = (text: string, line: number, character: number, ts: 'auto' | 'xl' | 'xm' = 'auto') => {
  const h = domainService.hover(parse(text), { line, character }, settingsFor(ts));
  return h ? JSON.stringify(h.contents) : '';
};
const labels = (text: string, line: number, character: number, ts: 'auto' | 'xl' | 'xm' = 'auto') =>
  domainService.completion(parse(text), { line, character }, settingsFor(ts)).map((c) => c.label);

test('outline: one symbol per assignment, vif entries and their keys as children', () => {
  const text = "name = 'vm1'\nvif = [ 'ip=80.68.86.194,mac=00:16:3e:00:00:01', '' ]\ndef f(x):\n  y = 1\n";
  const syms = domainService.symbols(parse(text));
  assert.deepEqual(
    syms.map((s) => s.name),
    ['name', 'vif', 'def f'],
  );
  const vif = syms[1];
  assert.deepEqual(
    vif.children!.map((c) => c.name),
    ['ip=80.68.86.194,mac=00:16:3e:00:00:01', 'vif 1 (defaults)'],
  );
  assert.deepEqual(
    vif.children![0].children!.map((c) => `${c.name}=${c.detail}`),
    ['ip=80.68.86.194', 'mac=00:16:3e:00:00:01'],
  );
  assert.deepEqual(vif.selectionRange, { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } });
  assert.deepEqual(vif.children![0].children![1].selectionRange, { start: { line: 1, character: 25 }, end: { line: 1, character: 28 } });
});

test('folding: multi-line lists, comment blocks, Python blocks', () => {
  const text = "# a\n# b\n# c\ndisk = [\n  'a',\n  'b',\n]\nname = 'x' # not a block\ndef f(x):\n    return x\n\nvcpus = 1\n";
  const folds = domainService.folding(parse(text));
  const has = (a: number, b: number, kind?: string) => folds.some((f) => f.startLine === a && f.endLine === b && f.kind === kind);
  assert.ok(has(0, 2, 'comment'), JSON.stringify(folds));
  assert.ok(has(3, 6), JSON.stringify(folds));
  assert.ok(has(8, 9), JSON.stringify(folds));
  assert.equal(folds.length, 3);
});

test('hover on a key: what it does, its type, default and toolstack', () => {
  const h = hoverText(ARTICLE, 1, 2);
  assert.match(h, /memory/);
  assert.match(h, /MiB/);
  assert.match(h, /Default/);
  assert.match(h, /xl and xm/);
  assert.match(hoverText(ARTICLE, 2, 1), /network/);
  assert.match(hoverText("ip = '1.2.3.4'\n", 0, 0), /xm only/);
  assert.equal(hoverText('bogus = 1\n', 0, 1), '');
});

test('hover on a vif key inside the string explains that key', () => {
  const text = "vif = [ 'ip=80.68.86.194,script=vif-route' ]\n";
  assert.match(hoverText(text, 0, 10), /IP address/);
  assert.match(hoverText(text, 0, 28), /hotplug script/);
  // on the key `vif` itself: the whole setting
  assert.match(hoverText(text, 0, 1), /network interfaces/);
});

test('completion: keys at a line start, filtered by toolstack', () => {
  const text = ARTICLE + 'me';
  const all = labels(text, 3, 2);
  assert.ok(all.includes('memory') && all.includes('maxmem') && all.includes('on_crash'));
  assert.ok(labels(text, 3, 2, 'xl').includes('type'));
  assert.ok(!labels(text, 3, 2, 'xl').includes('netmask'));
  assert.ok(!labels(text, 3, 2, 'xm').includes('type'));
  const item = domainService.completion(parse('\n'), { line: 0, character: 0 }, settingsFor('auto')).find((c) => c.label === 'memory')!;
  assert.equal(item.insertText, 'memory = ');
});

test('completion inside a vif string: vif keys after the quote or a comma, values after script= or type=', () => {
  const c = labels(ARTICLE, 2, 11);
  for (const k of ['mac', 'bridge', 'script', 'ip', 'vifname']) assert.ok(c.includes(k), c.join(','));
  assert.ok(labels("vif = [ 'ip=1.2.3.4,' ]\n", 0, 20).includes('mac'));
  assert.ok(labels("vif = [ '", 0, 9).includes('bridge'), 'unterminated string while typing');
  assert.ok(!labels("vif = [ '' ]\n", 0, 9, 'xm').includes('gatewaydev'));
  assert.ok(labels("vif = [ '' ]\n", 0, 9, 'xl').includes('gatewaydev'));
  assert.deepEqual(labels("vif = [ 'script=' ]\n", 0, 16), ['vif-bridge', 'vif-route', 'vif-nat', 'vif-openvswitch']);
  assert.deepEqual(labels("vif = [ 'ip=1.2.3.4,type=' ]\n", 0, 25), ['ioemu', 'vif']);
  assert.deepEqual(labels("vif = [\n  'ip=1.2.3.4',\n  '' ]\n", 2, 3).includes('mac'), true);
});

test('completion of values: actions, booleans, enumerations', () => {
  const acts = domainService.completion(parse('on_crash = '), { line: 0, character: 11 }, settingsFor('auto'));
  assert.ok(acts.some((a) => a.label === 'restart' && a.insertText === "'restart'"));
  const quoted = domainService.completion(parse("on_crash = '"), { line: 0, character: 12 }, settingsFor('auto'));
  assert.ok(quoted.some((a) => a.label === 'preserve' && a.insertText === 'preserve'));
  assert.deepEqual(labels('acpi = ', 0, 7), ['1', '0']);
  assert.deepEqual(labels("type = '", 0, 8), ['pv', 'pvh', 'hvm']);
  assert.deepEqual(labels('name = ', 0, 7), []);
});
