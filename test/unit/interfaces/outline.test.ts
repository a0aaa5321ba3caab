// The outline (document symbols) of an interfaces file, made fast (issue 14: VS Code asks for it
// on every open, and on a file of 20,000 stanzas it took longer than the parse and the check):
// compared, symbol by symbol, with the outline made the plain way from the whole tree (every
// stanza and option node made and kept, every position searched for), on the corpus, the real
// hosts' files, the bench's generated file and texts written to be awkward.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import { OUTLINE_OPTIONS_MAX_LINES, symbols } from '../../../server/src/formats/interfaces/features';
import type { Stanza } from '../../../server/src/formats/interfaces/ast';
import { corpusDir, listFiles, sharedDir } from '../../support/paths';
import { requirement } from '../../support/requirements';
import { generateInterfaces } from '../../bench/generate';
import { parse } from './helpers';
import { interfacesCorpus } from './oracle-cases';

/**
 * What the outline is, made the plain way: the whole tree, each range from its two offsets; in a
 * file of more logical lines than OUTLINE_OPTIONS_MAX_LINES, the stanzas alone, each with its
 * count of option lines.
 */
function plainOutline(text: string): DocumentSymbol[] {
  const doc = parse(text);
  const withOptions = doc.ast.logicalLines().lineCount <= OUTLINE_OPTIONS_MAX_LINES;
  const r = (start: number, end: number) => doc.lines.range(start, end);
  const name = (s: Stanza): string => {
    switch (s.kind) {
      case 'iface':
        return ['iface', s.name?.text ?? '?', s.family?.text, s.method?.text].filter(Boolean).join(' ');
      case 'mapping':
        return `mapping ${s.patterns.map((p) => p.text).join(' ')}`;
      case 'rename':
        return `rename ${s.pairs.map((p) => p.word.text).join(' ')}`;
      case 'source':
      case 'source-directory':
        return `${s.kind} ${s.paths.map((p) => p.text).join(' ')}`;
      default:
        return `${s.keyword.text} ${s.names.map((n) => n.text).join(' ')}`;
    }
  };
  return doc.ast.stanzas.map((s) => {
    const sel = s.kind === 'iface' && s.name ? s.name.span : s.keyword.span;
    const sym: DocumentSymbol = {
      name: name(s).trim() || s.keyword.text,
      kind:
        s.kind === 'iface'
          ? SymbolKind.Interface
          : s.kind === 'mapping'
            ? SymbolKind.Function
            : s.kind.startsWith('source')
              ? SymbolKind.File
              : SymbolKind.Event,
      range: r(s.span.start, s.span.end),
      selectionRange: r(sel.start, sel.end),
    };
    if ((s.kind === 'iface' || s.kind === 'mapping') && s.options.length && !withOptions) {
      return {
        name: sym.name,
        detail: s.options.length === 1 ? '1 option' : `${s.options.length} options`,
        kind: sym.kind,
        range: sym.range,
        selectionRange: sym.selectionRange,
      };
    }
    if ((s.kind === 'iface' || s.kind === 'mapping') && s.options.length) {
      sym.children = s.options.map((o) => {
        const v = o.valueText;
        return {
          name: o.nameText,
          detail: v === null ? undefined : v.length > 80 ? v.slice(0, 80) + '…' : v,
          kind: SymbolKind.Property,
          range: r(o.span.start, o.span.end),
          selectionRange: r(o.span.start, o.span.start + o.nameText.length),
        };
      });
    }
    return sym;
  });
}

function same(text: string, what: string): number {
  const fast = symbols(parse(text));
  const plain = plainOutline(text);
  // (JSON: what goes to the client; a position shared by two ranges is written twice)
  assert.equal(JSON.stringify(fast), JSON.stringify(plain), `${what}: the outline differs from the plain one`);
  return fast.length;
}

const AWKWARD = [
  // continuation lines inside and after an option's value, and in a header
  'iface eth0 inet static\n    address 10.0.0.1\\\n/24\n    up ip route add \\\n  10.1.0.0/16 via 10.0.0.2\n    netmask \\\n255.255.255.0\n',
  // a name cut by a continuation, CRLF line ends, tabs
  'iface br0 inet manual\r\n\tbridge_po\\\r\nrts eth0 eth1\r\n\tbridge_stp off\r\n\r\nauto br0\r\n',
  // stanzas without names, options before any stanza, every kind of stanza
  'address 1.2.3.4\niface\niface eth1\nmapping\nmapping eth* wlan*\n    script /usr/local/bin/map\n    map home eth0\nrename eth0=lan0 eth1=wan0\nsource /etc/network/interfaces.d/*\nsource-directory interfaces.d\nallow-hotplug eth2 eth3\nno-auto-down eth2\nno-scripts eth3\nauto\n',
  // inherits, a template, a very long value, an empty file's neighbours
  'iface base inet static\n    mtu 9000\niface eth4 inet static inherits base\n    address 192.0.2.4/24\n    description ' +
    'x'.repeat(200) +
    '\n\n\n\n# the end\n',
  '',
  '\n\n\n',
  'iface lo inet loopback',
];

test('the outline is the plain one on awkward texts', () => {
  AWKWARD.forEach((t, i) => same(t, `awkward text ${i + 1}`));
});

test('the outline is the plain one on the bench file of 20,000 stanzas', () => {
  assert.ok(same(generateInterfaces(20_000), 'generated 20,000 stanzas') > 20_000);
});

test(`a file of more than ${OUTLINE_OPTIONS_MAX_LINES.toLocaleString('en')} logical lines: its stanzas alone, each with its count of options`, () => {
  // stanzas of one header and three option lines, and a comment between them (not a logical line)
  const stanza = (i: number) => `# guest ${i}\niface vif${i} inet static\n    address 10.${i >> 8}.${i & 255}.1\n    netmask 255.255.255.0\n    mtu 1500\n`;
  const file = (stanzas: number) => Array.from({ length: stanzas }, (_, i) => stanza(i)).join('');
  const under = OUTLINE_OPTIONS_MAX_LINES / 4;
  const small = symbols(parse(file(under)));
  assert.equal(small.length, under);
  assert.equal(small[0].children?.length, 3, 'at the limit: the option lines are listed');
  same(file(under), 'at the limit');
  const large = symbols(parse(file(under + 1)));
  assert.equal(large.length, under + 1);
  assert.equal(large[0].children, undefined, 'over it: no option line');
  assert.equal(large[0].detail, '3 options');
  // the stanza's range still ends where its last option line does
  assert.deepEqual(large[5].range, { start: { line: 26, character: 0 }, end: { line: 29, character: 12 } });
  same(file(under + 1), 'over the limit');
});

const shared = requirement(existsSync(join(corpusDir, 'interfaces')) ? null : `no corpus at ${corpusDir} (set XEN_SHARED_DIR)`, 'SKIP_ORACLES');
test('the outline is the plain one on every corpus and real-world interfaces file', { skip: shared.skip }, () => {
  shared.check();
  const files = interfacesCorpus().map((f) => f.path);
  const realworld = join(sharedDir, 'realworld', 'interfaces');
  if (existsSync(realworld)) files.push(...listFiles(realworld));
  assert.ok(files.length >= 70, `only ${files.length} files`);
  let stanzas = 0;
  for (const path of files) stanzas += same(readFileSync(path, 'latin1'), path);
  assert.ok(stanzas > 500, `only ${stanzas} stanzas in all`);
});
