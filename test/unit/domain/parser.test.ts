// The parser: AST shapes with exact spans, recovery per line, plain-word errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDomain } from '../../../server/src/formats/domain/parser';
import type { Assignment, ListValue, StringValue } from '../../../server/src/formats/domain/ast';
import { settings } from '../../../server/src/formats/domain/ast';
import { parseVifSpec, vifSpecs } from '../../../server/src/formats/domain/vif';

const slice = (text: string, s: { start: number; end: number }) => text.slice(s.start, s.end);

test('xl assignments: keys, strings, numbers, lists with exact spans', () => {
  const text = "name = 'vm1'\nmemory = 256\nvif = [ 'ip=80.68.86.194' ]\n";
  const f = parseDomain(text);
  assert.deepEqual(f.errors, []);
  assert.deepEqual(f.xlIssues, []);
  assert.equal(f.usesPython, false);
  const [a, b, c] = f.statements as Assignment[];
  assert.equal(a.key!.name, 'name');
  assert.deepEqual(a.key!.span, { start: 0, end: 4 });
  assert.equal(slice(text, a.span), "name = 'vm1'");
  assert.deepEqual(a.opSpan, { start: 5, end: 6 });
  const s = a.value as StringValue;
  assert.equal(s.kind, 'string');
  assert.equal(s.value, 'vm1');
  assert.equal(slice(text, s.span), "'vm1'");
  assert.equal(slice(text, s.contentSpan), 'vm1');
  assert.deepEqual(b.value, { kind: 'number', span: { start: 22, end: 25 }, text: '256', value: 256 });
  const l = c.value as ListValue;
  assert.equal(l.kind, 'list');
  assert.equal(slice(text, l.span), "[ 'ip=80.68.86.194' ]");
  assert.equal((l.items[0] as StringValue).value, 'ip=80.68.86.194');
});

test('numbers: decimal, hex, octal as xl reads them', () => {
  const f = parseDomain('a = 0x10\nb = 010\nc = 0\nd = 09\n');
  const vals = settings(f).map((x) => (x.value as { value: number }).value);
  assert.deepEqual(vals.slice(0, 3), [16, 8, 0]);
  assert.ok(Number.isNaN(vals[3]));
});

test('string escapes are decoded, and each character keeps its place in the document', () => {
  const text = 'a = "x\\ty\\x41\\101\\"z"\n';
  const s = (parseDomain(text).statements[0] as Assignment).value as StringValue;
  assert.equal(s.value, 'x\tyAA"z');
  assert.equal(text[s.offsets![2]], 'y');
  assert.equal(text.slice(s.offsets![3], s.offsets![3] + 4), '\\x41');
  assert.equal(s.offsets![s.value.length], s.contentSpan.end);
});

test('nested lists, trailing comma, newlines and comments inside lists, ; separators, +=', () => {
  const text = "disk = [\n  'a', # first\n  ['b', 1],\n]\nx = 1; y = 2\nextra += ' quiet'\n";
  const f = parseDomain(text);
  assert.deepEqual(f.errors, []);
  assert.deepEqual(f.xlIssues, []);
  const [disk, x, y, extra] = settings(f);
  const l = disk.value as ListValue;
  assert.equal(l.trailingComma, true);
  assert.equal(l.items.length, 2);
  assert.equal(l.items[1].kind, 'list');
  assert.equal(x.key!.name, 'x');
  assert.equal(y.key!.name, 'y');
  assert.equal(extra.op, '+=');
  assert.equal(f.comments.length, 1);
  assert.equal(f.comments[0].text, '# first');
});

test('Python of xm files parses without syntax errors and is marked where xl rejects it', () => {
  const text = [
    'import os, re',
    'def vmid_check(var, val):',
    '    val = int(val)',
    '    if val <= 0:',
    '        raise ValueError',
    '    return val',
    'xm_vars.var(\'vmid\', use="Virtual machine id.", check=vmid_check)',
    'xm_vars.check()',
    'vmid = int(vmid)',
    "name = 'VM%d' % vmid",
    "disk = [ 'phy:sda%d,sda1,w' % (7+vmid), 'phy:sda6,sda6,r' ]",
    'memory = 128 * 2',
    'if vmid > 1:',
    "    extra = 'x'",
    'else:',
    "    extra = 'y'",
    'acpi = True',
    "cpus = '%s' % vmid # comment",
    'x = [i for i in range(3)] if False else -1',
    '',
  ].join('\n');
  const f = parseDomain(text);
  assert.deepEqual(
    f.errors.map((e) => e.message),
    ["Expected ',' or ']' to continue or close the list, but found 'for'."],
  );
  assert.equal(f.usesPython, true);
  const keys = settings(f).map((a) => `${a.key!.name}${a.conditional ? '?' : ''}`);
  assert.deepEqual(keys, ['vmid', 'name', 'disk', 'memory', 'extra?', 'extra?', 'acpi', 'cpus', 'x']);
  // the def body's `val = int(val)` is a local of the function, not a setting
  const local = f.statements.find((s) => s.kind === 'assignment' && s.key?.name === 'val') as Assignment;
  assert.equal(local.local, true);
  const lineOf = (off: number) => text.slice(0, off).split('\n').length;
  const issueLines = [...new Set(f.xlIssues.map((i) => lineOf(i.span.start)))];
  assert.deepEqual(issueLines, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 17, 18]);
  const pct = f.xlIssues.find((i) => lineOf(i.span.start) === 10)!;
  assert.equal(text.slice(pct.span.start, pct.span.end), "'VM%d' % vmid");
  const disk = settings(f).find((a) => a.key!.name === 'disk')!;
  assert.equal((disk.value as ListValue).items[0].kind, 'python');
  assert.equal((disk.value as ListValue).items[1].kind, 'string');
});

test('a broken line does not hide the lines after it', () => {
  const text = "name = 'vm1\nmemory = \nvif = [ 'ip=1.2.3.4',\nkernel = '/boot/k'\nbad line here\nvcpus = 2\n";
  const f = parseDomain(text);
  assert.deepEqual(
    settings(f).map((a) => a.key!.name),
    ['name', 'memory', 'vif', 'kernel', 'bad', 'vcpus'],
  );
  const lineOf = (off: number) => text.slice(0, off).split('\n').length;
  assert.deepEqual(
    f.errors.map((e) => lineOf(e.span.start)),
    [1, 2, 3, 5],
  );
  assert.match(f.errors[0].message, /not closed/);
  assert.match(f.errors[1].message, /Expected a value .* after '='/);
  assert.match(f.errors[2].message, /Expected ',' or ']'/);
  assert.match(f.errors[3].message, /Expected '=' after 'bad'/);
  assert.equal((settings(f)[5].value as { value: number }).value, 2);
  assert.equal(settings(f)[4].value, null);
});

test('syntax errors say what was expected, in plain words', () => {
  const msg = (t: string) => parseDomain(t).errors.map((e) => e.message);
  assert.deepEqual(msg('memory 256\n'), ["Expected '=' after 'memory', but found '256'."]);
  assert.deepEqual(msg('= 1\n'), ["Expected a name before '='."]);
  assert.deepEqual(msg('a = [1 2]\n'), ["Expected ',' or ']' to continue or close the list, but found '2'."]);
  assert.deepEqual(msg('a = [,]\n'), ["Expected ',' or ']' to continue or close the list, but found ','."]);
  assert.deepEqual(msg('a = 1 b = 2\n'), ["Expected the end of the setting, but found 'b'. Put each setting on its own line (or separate them with ';')."]);
  assert.deepEqual(msg('a = 0x1G\n'), ["'0x1G' is not a number."]);
  assert.deepEqual(msg('memory\n'), ["Expected '=' and a value after 'memory'."]);
  const e = parseDomain('a = $\n').errors[0];
  assert.deepEqual(e.span, { start: 4, end: 5 });
  assert.match(e.message, /Expected a value \(a number, a 'quoted string' or a \[ list \]\), but found '\$'/);
});

test('what xl alone refuses: escapes, CR, BOM, a comment ending the file without a line break, upper-case names', () => {
  const kinds = (t: string) => parseDomain(t).xlIssues.map((i) => i.kind);
  assert.deepEqual(kinds("a = 'x\\d'\n"), ['lexical']);
  assert.deepEqual(kinds("a = 'x\\x4'\n"), ['lexical']);
  assert.deepEqual(kinds('a = 1\r\n'), ['lexical']);
  assert.deepEqual(kinds('\ufeffa = 1\n'), ['lexical']);
  assert.deepEqual(kinds('a = 1\n# end'), ['lexical']);
  assert.deepEqual(kinds('a = 1 # fine\n'), []);
  assert.deepEqual(kinds('Name = 1\n'), ['python']);
  assert.deepEqual(kinds('if = 1\n'), []);
  assert.deepEqual(kinds('a.b = 1\n'), []);
  assert.deepEqual(kinds("a = 'x' 'y'\n"), ['python']);
  assert.deepEqual(kinds('a = """x"""\n'), ['python']);
  assert.deepEqual(kinds('a = 1 + \\\n 2\n'), ['python', 'python']);
  assert.deepEqual(kinds('a = -1\n'), ['python']);
  assert.deepEqual(kinds('a -= 1\n'), ['python']);
});

test('vif specs: items with spans inside the document, escapes and spaces handled', () => {
  const text = "vif = [ 'ip=80.68.86.194', 'mac=00:16:3e:00:00:11, bridge=xenbr0', '', 'trusted,ip=1.2.3.4 5.6.7.8' ]\nvif += [ \"script=vif-\\x72oute\" ]\n";
  const specs = vifSpecs(parseDomain(text));
  assert.deepEqual(
    specs.map((s) => s.index),
    [0, 1, 2, 3, 4],
  );
  assert.deepEqual(
    specs.map((s) => s.items.map((i) => `${i.key}=${i.value ?? '(flag)'}`)),
    [['ip=80.68.86.194'], ['mac=00:16:3e:00:00:11', 'bridge=xenbr0'], [], ['trusted=(flag)', 'ip=1.2.3.4 5.6.7.8'], ['script=vif-route']],
  );
  const bridge = specs[1].items[1];
  assert.equal(text.slice(bridge.keySpan.start, bridge.keySpan.end), 'bridge');
  assert.equal(text.slice(bridge.valueSpan!.start, bridge.valueSpan!.end), 'xenbr0');
  const script = specs[4].items[0];
  assert.equal(text.slice(script.valueSpan!.start, script.valueSpan!.end), 'vif-\\x72oute');
  assert.deepEqual(parseVifSpec({ kind: 'string', span: { start: 0, end: 2 }, contentSpan: { start: 1, end: 1 }, quote: "'", value: '' }), []);
});

test('comments: made when first asked for, then kept; a comment ending the file without a line break is an xl issue', () => {
  const text = "# head\nname = 'vm1' # after\n  # indented\nmemory = 256\n# last";
  const f = parseDomain(text);
  const first = f.comments;
  assert.equal(f.comments, first, 'made again on the second request');
  assert.deepEqual(
    first.map((c) => [c.text, slice(text, c.span)]),
    [
      ['# head', '# head'],
      ['# after', '# after'],
      ['# indented', '# indented'],
      ['# last', '# last'],
    ],
  );
  assert.deepEqual(
    f.xlIssues.map((x) => [x.message, slice(text, x.span)]),
    [['xl needs a line break after a comment on the last line.', '# last']],
  );
  assert.deepEqual(parseDomain(text + '\n').xlIssues, []);
  const g = parseDomain(text);
  g.comments = [];
  assert.deepEqual(g.comments, []);
  assert.equal(Object.keys(g).includes('comments'), true);
});
