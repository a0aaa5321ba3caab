// The interfaces tree keeps offsets and makes its nodes on request, by three roads: `stanzas`
// (made once and kept), `visit` (made one at a time, or reused with `reuse`) and `stanzaAt`. All
// three must give the same nodes, and the checks, which walk with `visit`, the same verdicts
// whether or not the tree was made whole before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseInterfaces } from '../../../server/src/formats/interfaces/parser';
import { checkInterfaces } from '../../../server/src/formats/interfaces/checks';
import type { IfaceStanza, InterfacesAst, OptionNode, Stanza, Word } from '../../../server/src/formats/interfaces/ast';
import { LineIndex } from '../../../server/src/core/text';
import type { InterfacesDialect } from '../../../server/src/core/settings';
import { corpusDir } from '../../support/paths';
import { ARTICLE } from './helpers';
import { interfacesCorpus } from './oracle-cases';

// Plain copies of the nodes, every field a reader can ask for (a reused node changes after its
// visit, so it is copied during it).
const word = (w: Word | null | undefined) => (w ? { text: w.text, start: w.span.start, end: w.span.end } : null);
const option = (o: OptionNode) => ({
  name: word(o.name),
  value: word(o.value),
  nameText: o.nameText,
  valueText: o.valueText,
  values: o.values.map(word),
  valueCount: o.valueCount,
  span: [o.span.start, o.span.end],
});
function stanza(s: Stanza): unknown {
  const base = { kind: s.kind, keyword: word(s.keyword), span: [s.span.start, s.span.end], header: [s.headerSpan.start, s.headerSpan.end] };
  switch (s.kind) {
    case 'iface':
      return {
        ...base,
        name: word(s.name),
        family: word(s.family),
        method: word(s.method),
        texts: [s.nameText, s.familyText, s.methodText],
        inherits: s.inherits && { keyword: word(s.inherits.keyword), template: word(s.inherits.template) },
        extra: s.extra.map(word),
        options: s.options.map(option),
      };
    case 'mapping':
      return { ...base, patterns: s.patterns.map(word), options: s.options.map(option) };
    case 'source':
    case 'source-directory':
      return { ...base, paths: s.paths.map(word) };
    case 'rename':
      return { ...base, pairs: s.pairs.map((p) => [word(p.word), p.from, p.to]) };
    default:
      return { ...base, className: s.className, names: s.names.map(word) };
  }
}

function visited(ast: InterfacesAst, reuse: boolean): { stanzas: unknown[]; lines: number[]; orphans: unknown[] } {
  const out = { stanzas: [] as unknown[], lines: [] as number[], orphans: [] as unknown[] };
  ast.visit(
    (s, line) => {
      out.stanzas.push(stanza(s));
      out.lines.push(line);
    },
    (o) => out.orphans.push(option(o)),
    { reuse },
  );
  return out;
}

const DIALECTS: InterfacesDialect[] = ['auto', 'ifupdown', 'ifupdown2', 'ifupdown-ng'];

function agree(text: string): void {
  const whole = parseInterfaces(text);
  const expected = { stanzas: whole.stanzas.map(stanza), orphans: whole.orphans.map(option) };

  // visit, fresh, with and without reuse; then visit of a tree already made whole
  const fresh = parseInterfaces(text);
  const one = visited(fresh, false);
  const reused = visited(parseInterfaces(text), true);
  assert.deepEqual({ stanzas: one.stanzas, orphans: one.orphans }, expected);
  assert.deepEqual(reused, one);
  assert.deepEqual(visited(whole, true), one);

  // stanzaAt of each header line gives that stanza
  one.lines.forEach((line, i) => assert.deepEqual(stanza(fresh.stanzaAt(line)), one.stanzas[i], `stanzaAt(${line})`));

  // the name table agrees with the stanzas
  const ifaces = whole.stanzas
    .map((s, i) => [s, one.lines[i]] as const)
    .filter((p): p is readonly [IfaceStanza, number] => p[0].kind === 'iface' && p[0].nameText !== null);
  const names = new Set([...ifaces.map(([s]) => s.nameText!), 'lo', 'eth0', 'nonesuch', '']);
  const near = parseInterfaces(text);
  for (const n of names) {
    assert.equal(
      fresh.hasIface(n),
      ifaces.some(([s]) => s.nameText === n),
      `hasIface(${JSON.stringify(n)})`,
    );
    assert.deepEqual(
      fresh.ifaceLines(n),
      ifaces.filter(([s]) => s.nameText === n).map(([, line]) => line),
    );
    // the look at the line after `near` first changes nothing, whatever the line
    const lineCount = near.logicalLines().lineCount;
    for (let line = -1; line <= lineCount; line++) {
      assert.equal(near.hasIface(n, line), fresh.hasIface(n), `hasIface(${JSON.stringify(n)}, ${line})`);
    }
  }

  // the checks give the same diagnostics on a tree walked fresh and on one made whole first
  for (const dialect of DIALECTS) {
    const a = checkInterfaces(parseInterfaces(text), new LineIndex(text), dialect);
    const made = parseInterfaces(text);
    void made.stanzas;
    assert.deepEqual(checkInterfaces(made, new LineIndex(text), dialect), a, dialect);
  }
}

const corpus = existsSync(join(corpusDir, 'interfaces')) ? interfacesCorpus().map((f) => readFileSync(f.path, 'latin1')) : [];
corpus.push(ARTICLE);

test('the corpus: stanzas, visit (fresh, reused, after stanzas) and stanzaAt give the same nodes; names and checks agree', () => {
  assert.ok(corpus.length > 20, 'the corpus is read');
  for (const text of corpus) agree(text);
});

test('property: the same on random edits of corpus files and on strings of interfaces pieces', () => {
  const piece = fc.constantFrom(
    'iface',
    'auto',
    'allow-hotplug',
    'mapping',
    'source',
    'rename',
    'a=b',
    'x=',
    'inherits',
    'inet',
    'inet6',
    'static',
    'address',
    'eth0',
    'eth0',
    'lo',
    '1.2.3.4/29',
    'up ip link set eth0 up',
    '%for',
    '<%',
    '%>',
    '\\\n',
    '#',
    ' ',
    '\t',
    '\n',
    '\n',
    '\r\n',
    '\r',
    '\u0000',
    '\uFEFF',
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 120 }), (parts) => agree(parts.join(''))),
    { numRuns: 400 },
  );
  fc.assert(
    fc.property(fc.constantFrom(...corpus), fc.array(fc.tuple(fc.nat(), fc.nat(6), piece), { maxLength: 5 }), (text, edits) => {
      let t = text;
      for (const [at, cut, p] of edits) {
        const i = at % (t.length + 1);
        t = t.slice(0, i) + p + t.slice(i + cut);
      }
      agree(t);
    }),
    { numRuns: 150 },
  );
});

test('stanzaAt refuses a line that opens no stanza; the reader says where a template name is missing', () => {
  const text = 'iface eth0 inet static\n  address 1.2.3.4\niface eth1 inet static inherits\n';
  const ast = parseInterfaces(text);
  assert.throws(() => ast.stanzaAt(1), RangeError);
  assert.throws(() => ast.stanzaAt(99), RangeError);
  assert.equal((ast.stanzaAt(0) as IfaceStanza).options.length, 1);
  assert.deepEqual(
    ast.errors.map((e) => text.slice(e.span.start, e.span.end)),
    ['inherits'],
  );
});

test('a large file is read into a few typed arrays, not an object per line', () => {
  const lines: string[] = [];
  for (let i = 0; i < 5000; i++) lines.push(`auto eth${i}`, `iface eth${i} inet static`, `    address 10.${i >> 8}.${i & 255}.1`, '    netmask 255.255.255.0');
  const text = lines.join('\n');
  const ast = parseInterfaces(text);
  // (nothing is made until asked: the checks walk the file with no stanza kept)
  assert.deepEqual(checkInterfaces(ast, new LineIndex(text), 'ifupdown'), []);
  const longLists = () =>
    Object.values(ast as object).filter(
      (v) =>
        v !== null &&
        typeof v === 'object' &&
        !ArrayBuffer.isView(v) &&
        (Array.isArray(v) ? v.length > 100 : Object.values(v).some((x) => Array.isArray(x) && x.length > 100)),
    ).length;
  assert.equal(longLists(), 0, 'no long list of nodes before `stanzas` is asked for');
  assert.equal(ast.stanzas.length, 10000);
  assert.equal(longLists(), 1, 'the nodes, once asked for, are kept');
  assert.ok(ast.hasIface('eth4999') && !ast.hasIface('eth5000'));
});
