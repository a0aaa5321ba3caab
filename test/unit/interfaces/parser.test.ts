// The interfaces parser: exact spans, continuations, comments, CRLF, recovery, messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInterfaces } from '../../../server/src/formats/interfaces/parser';
import type { IfaceStanza, MappingStanza, NameListStanza, RenameStanza, SourceStanza } from '../../../server/src/formats/interfaces/ast';
import { ARTICLE, at } from './helpers';

const iface = (text: string, i = 0) => parseInterfaces(text).stanzas.filter((s) => s.kind === 'iface')[i] as IfaceStanza;

test('the article parses without errors into its stanzas', () => {
  const ast = parseInterfaces(ARTICLE);
  assert.deepEqual(ast.errors, []);
  assert.deepEqual(ast.orphans, []);
  assert.deepEqual(
    ast.stanzas.map((s) => s.kind),
    ['auto', 'iface', 'allow', 'iface', 'auto', 'iface'],
  );
  assert.equal(ast.comments.length, 3);
  const dummy = ast.stanzas[5] as IfaceStanza;
  assert.deepEqual(
    dummy.options.map((o) => [o.name.text, o.value?.text]),
    [
      ['address', '80.68.86.193'],
      ['netmask', '255.255.255.248'],
      ['broadcast', '80.68.86.199'],
    ],
  );
  const allow = ast.stanzas[2] as NameListStanza;
  assert.equal(allow.className, 'hotplug');
  assert.deepEqual(
    allow.names.map((n) => n.text),
    ['eth0'],
  );
});

test('spans of the stanza keyword, name, family and method', () => {
  const text = 'auto dummy0\n  iface  dummy0\tinet static\n    address 80.68.86.193\n';
  const s = iface(text);
  assert.equal(at(text, s.keyword.span), 'iface');
  assert.equal(s.keyword.span.start, text.indexOf('iface'));
  assert.equal(at(text, s.name!.span), 'dummy0');
  assert.equal(s.name!.span.start, text.indexOf('dummy0', 12));
  assert.equal(at(text, s.family!.span), 'inet');
  assert.equal(at(text, s.method!.span), 'static');
  assert.equal(at(text, s.headerSpan), 'iface  dummy0\tinet static');
  assert.equal(at(text, s.span), 'iface  dummy0\tinet static\n    address 80.68.86.193');
  const auto = parseInterfaces(text).stanzas[0] as NameListStanza;
  assert.equal(auto.kind, 'auto');
  assert.equal(at(text, auto.keyword.span), 'auto');
  assert.equal(at(text, auto.names[0].span), 'dummy0');
  assert.equal(at(text, auto.span), 'auto dummy0');
});

test('spans of option name and value; the value keeps inner spacing as written', () => {
  const text = 'iface eth0 inet static\n\taddress   80.68.80.24  \n  up ip route add 10.0.0.0/8   via 80.68.80.1\n  mtu\n';
  const s = iface(text);
  const [addr, up, mtu] = s.options;
  assert.equal(at(text, addr.name.span), 'address');
  assert.equal(at(text, addr.value!.span), '80.68.80.24');
  assert.equal(addr.value!.text, '80.68.80.24');
  assert.equal(at(text, addr.span), 'address   80.68.80.24');
  assert.equal(up.value!.text, 'ip route add 10.0.0.0/8   via 80.68.80.1');
  assert.equal(at(text, up.value!.span), up.value!.text);
  assert.deepEqual(
    up.values.map((w) => w.text),
    ['ip', 'route', 'add', '10.0.0.0/8', 'via', '80.68.80.1'],
  );
  for (const w of up.values) assert.equal(at(text, w.span), w.text);
  assert.equal(mtu.value, null);
  assert.deepEqual(mtu.values, []);
});

test('a `\\` at the end of a line joins the next line into the value; the span covers both lines', () => {
  const text = 'iface eth0 inet manual\n  up echo one \\\n     two\n  down echo three\n';
  const s = iface(text);
  assert.equal(s.options.length, 2);
  const up = s.options[0];
  assert.equal(up.name.text, 'up');
  assert.ok(!up.value!.text.includes('\\'), up.value!.text);
  assert.ok(!up.value!.text.includes('\n'), up.value!.text);
  assert.match(up.value!.text, /^echo one\s+two$/);
  assert.equal(at(text, up.value!.span), 'echo one \\\n     two');
  assert.equal(at(text, up.span), 'up echo one \\\n     two');
  assert.equal(s.options[1].name.text, 'down');
  assert.deepEqual(parseInterfaces(text).errors, []);
});

test('a continuation with CRLF, and a continued iface line', () => {
  const text = 'iface eth0 \\\r\n  inet static\r\n  address 1.2.3.4 \\\r\n\r\n';
  const s = iface(text);
  assert.equal(s.family?.text, 'inet');
  assert.equal(s.method?.text, 'static');
  assert.equal(s.options[0].value?.text, '1.2.3.4');
});

test('`#` starts a comment only as the first non-blank character of a line', () => {
  const text = '# top\n   # indented\niface eth0 inet manual\n  up echo a#b # not a comment\n  # own line\n  down x\n';
  const ast = parseInterfaces(text);
  assert.deepEqual(
    ast.comments.map((c) => c.text),
    ['# top', '# indented', '# own line'],
  );
  for (const c of ast.comments) assert.equal(at(text, c.span), c.text);
  const s = ast.stanzas[0] as IfaceStanza;
  assert.deepEqual(
    s.options.map((o) => o.name.text),
    ['up', 'down'],
  );
  assert.equal(s.options[0].value?.text, 'echo a#b # not a comment');
});

test('a `#` on a line continued from the previous one is data, not a comment', () => {
  const text = 'iface eth0 inet manual\n  up echo a \\\n# b\n';
  const s = iface(text);
  assert.equal(parseInterfaces(text).comments.length, 0);
  assert.match(s.options[0].value!.text, /^echo a\s*# b$/);
});

test('CRLF line ends: same stanzas, spans exclude the \\r', () => {
  const lf = ARTICLE;
  const crlf = lf.replace(/\n/g, '\r\n');
  const a = parseInterfaces(lf);
  const b = parseInterfaces(crlf);
  assert.deepEqual(b.errors, []);
  assert.deepEqual(
    b.stanzas.map((s) => s.kind),
    a.stanzas.map((s) => s.kind),
  );
  const dummy = b.stanzas[5] as IfaceStanza;
  for (const o of dummy.options) {
    assert.ok(!at(crlf, o.span).includes('\r'));
    assert.equal(at(crlf, o.value!.span), o.value!.text);
  }
  for (const c of b.comments) assert.ok(!c.text.includes('\r'));
});

test('a missing final newline and an empty file', () => {
  const empty = parseInterfaces('');
  assert.deepEqual(
    { stanzas: empty.stanzas, orphans: empty.orphans, templates: empty.templates, comments: empty.comments, errors: empty.errors },
    { stanzas: [], orphans: [], templates: [], comments: [], errors: [] },
  );
  const s = iface('iface lo inet loopback');
  assert.equal(s.method?.text, 'loopback');
});

test('mapping, source, source-directory, rename, no-auto-down, no-scripts, allow-CLASS', () => {
  const text = [
    'mapping eth0 eth1',
    '  script /usr/local/sbin/map-scheme',
    '  map HOME eth0-home',
    'source /etc/network/interfaces.d/*',
    'source-directory /etc/network/interfaces.d',
    'rename eth0=lan eth1=wan',
    'no-auto-down eth0',
    'no-scripts eth1',
    'allow-ovs br0',
    '',
  ].join('\n');
  const ast = parseInterfaces(text);
  assert.deepEqual(ast.errors, []);
  assert.deepEqual(
    ast.stanzas.map((s) => s.kind),
    ['mapping', 'source', 'source-directory', 'rename', 'no-auto-down', 'no-scripts', 'allow'],
  );
  const mapping = ast.stanzas[0] as MappingStanza;
  assert.deepEqual(
    mapping.patterns.map((p) => p.text),
    ['eth0', 'eth1'],
  );
  assert.deepEqual(
    mapping.options.map((o) => o.name.text),
    ['script', 'map'],
  );
  assert.deepEqual(
    (ast.stanzas[1] as SourceStanza).paths.map((p) => p.text),
    ['/etc/network/interfaces.d/*'],
  );
  const rename = ast.stanzas[3] as RenameStanza;
  assert.deepEqual(
    rename.pairs.map((p) => [p.from, p.to]),
    [
      ['eth0', 'lan'],
      ['eth1', 'wan'],
    ],
  );
  assert.equal((ast.stanzas[6] as NameListStanza).className, 'ovs');
});

test('iface with inherits and extra words', () => {
  const text = 'iface base inet static\n  address 1.2.3.4\niface eth0 inet static inherits base\niface eth1 inet static junk more\n';
  const e0 = iface(text, 1);
  assert.equal(e0.inherits?.keyword.text, 'inherits');
  assert.equal(e0.inherits?.template?.text, 'base');
  assert.equal(at(text, e0.inherits!.template!.span), 'base');
  const e1 = iface(text, 2);
  assert.deepEqual(
    e1.extra.map((w) => w.text),
    ['junk', 'more'],
  );
  const bare = iface('iface br0 inherits base\n');
  assert.equal(bare.family, null);
  assert.equal(bare.method, null);
  assert.equal(bare.inherits?.template?.text, 'base');
});

test('keywords are whole words: `ifaceX`, `autoconf` and `sources` are options', () => {
  const text = 'iface eth0 inet6 auto\n  autoconf 1\n  ifaces x\n  sources y\n';
  const s = iface(text);
  assert.deepEqual(
    s.options.map((o) => o.name.text),
    ['autoconf', 'ifaces', 'sources'],
  );
});

test('options before any stanza and after `auto` are orphans', () => {
  const text = 'address 1.2.3.4\niface eth0 inet manual\nauto eth0\n  mtu 1500\n';
  const ast = parseInterfaces(text);
  assert.deepEqual(
    ast.orphans.map((o) => o.name.text),
    ['address', 'mtu'],
  );
  assert.equal((ast.stanzas[0] as IfaceStanza).options.length, 0);
});

test('recovery: a broken line does not hide the errors and stanzas of later lines', () => {
  const text = 'iface\nauto\niface eth0 inet static\n  address 1.2.3.4\nsource\niface eth1 inet dhcp\nrename eth2\nauto eth1\n';
  const ast = parseInterfaces(text);
  assert.equal(ast.errors.length, 4, JSON.stringify(ast.errors));
  const lines = ast.errors.map((e) => text.slice(0, e.span.start).split('\n').length);
  assert.deepEqual(lines, [1, 2, 5, 7]);
  const names = ast.stanzas.filter((s): s is IfaceStanza => s.kind === 'iface' && !!s.name).map((s) => s.name!.text);
  assert.deepEqual(names, ['eth0', 'eth1']);
  assert.equal((ast.stanzas.filter((s) => s.kind === 'iface')[1] as IfaceStanza).options[0].value?.text, '1.2.3.4');
  assert.ok(ast.stanzas.some((s) => s.kind === 'auto' && s.names.some((n) => n.text === 'eth1')));
});

test('syntax messages say what was expected in plain words', () => {
  const msg = (text: string) => parseInterfaces(text).errors.map((e) => e.message);
  assert.deepEqual(msg('iface\n'), ['Expected an interface name after `iface`, but the line ends there.']);
  assert.deepEqual(msg('auto\n'), ['Expected at least one interface name after `auto`, but the line ends there.']);
  assert.deepEqual(msg('source\n'), ['Expected a file name or pattern after `source`, but the line ends there.']);
  assert.deepEqual(msg('source-directory\n'), ['Expected a directory after `source-directory`, but the line ends there.']);
  assert.deepEqual(msg('mapping\n'), ['Expected an interface name or pattern after `mapping`, but the line ends there.']);
  assert.deepEqual(msg('allow-hotplug\n'), ['Expected at least one interface name after the `allow-` line, but the line ends there.']);
  assert.deepEqual(msg('no-scripts\n'), ['Expected at least one interface name after `no-scripts`, but the line ends there.']);
  assert.deepEqual(msg('no-auto-down\n'), ['Expected at least one interface name after `no-auto-down`, but the line ends there.']);
  assert.deepEqual(msg('rename\n'), ['Expected at least one `CURRENT=NEW` pair after `rename`, but the line ends there.']);
  assert.match(msg('rename eth0\n')[0], /Expected `CURRENT=NEW`.*found `eth0`/);
  assert.match(msg('iface eth0 inet static inherits\n')[0], /Expected the name of a stanza to inherit from after `inherits`/);
  for (const m of [...msg('iface\n'), ...msg('rename a=\n')]) {
    assert.doesNotMatch(m, /token|EOF|Newline|AnyWord|-->/, m);
  }
});

test('error spans point at the offending word', () => {
  const text = 'auto\nrename eth0\n';
  const ast = parseInterfaces(text);
  assert.equal(at(text, ast.errors[0].span), 'auto');
  assert.equal(at(text, ast.errors[1].span), 'eth0');
});

test('ifupdown2 Mako template lines are kept apart', () => {
  const text = '%for v in [10, 20]:\nauto vlan${v}\niface vlan${v}\n%endfor\n<% x = 1 %>\n';
  const ast = parseInterfaces(text);
  assert.equal(ast.templates.length, 3);
  assert.deepEqual(ast.errors, []);
});
