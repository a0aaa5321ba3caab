// No input makes any service function throw, and every range stays inside the document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Range } from 'vscode-languageserver-types';
import { interfacesService } from '../../../server/src/formats/interfaces/service';
import type { InterfacesDialect } from '../../../server/src/core/settings';
import type { LineIndex } from '../../../server/src/core/text';
import { corpusDir } from '../../support/paths';
import { ARTICLE, settingsFor } from './helpers';
import { interfacesCorpus } from './oracle-cases';

function inside(lines: LineIndex, r: Range): boolean {
  const ok = (p: { line: number; character: number }) =>
    p.line >= 0 && p.line < lines.lineCount && p.character >= 0 && p.character <= lines.lineEnd(p.line) - lines.lineStart(p.line);
  return ok(r.start) && ok(r.end) && (r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character));
}

const DIALECTS: InterfacesDialect[] = ['auto', 'ifupdown', 'ifupdown2', 'ifupdown-ng'];

function exercise(text: string, probes = 5, seed = 0): void {
  const settings = settingsFor(DIALECTS[seed % 4]);
  const doc = interfacesService.parse(text, settings);
  const lines = doc.lines;
  for (const d of interfacesService.diagnostics(doc, settings)) {
    assert.ok(inside(lines, d.range), `diagnostic range ${JSON.stringify(d.range)}`);
    assert.match(String(d.code), /^(interfaces|template)\//);
    assert.ok(String(d.message).length > 0);
  }
  const walk = (syms: ReturnType<typeof interfacesService.symbols>) => {
    for (const s of syms) {
      assert.ok(inside(lines, s.range) && inside(lines, s.selectionRange), JSON.stringify(s.range));
      if (s.children) walk(s.children);
    }
  };
  walk(interfacesService.symbols(doc));
  for (const f of interfacesService.folding(doc)) assert.ok(f.startLine <= f.endLine && f.endLine < lines.lineCount);
  for (let i = 0; i < probes; i++) {
    const line = Math.floor(((i + seed) * 7919) % Math.max(1, lines.lineCount));
    const character = ((i + seed) * 13) % (lines.lineEnd(line) - lines.lineStart(line) + 2);
    const h = interfacesService.hover(doc, { line, character }, settings);
    if (h?.range) assert.ok(inside(lines, h.range));
    for (const c of interfacesService.completion(doc, { line, character }, settings)) {
      assert.ok(typeof c.label === 'string');
      if (c.textEdit && 'range' in c.textEdit) assert.ok(inside(lines, c.textEdit.range));
    }
  }
}

const corpus = existsSync(join(corpusDir, 'interfaces')) ? interfacesCorpus().map((f) => readFileSync(f.path, 'latin1')) : [];
corpus.push(ARTICLE);

test('random text and random bytes', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), fc.nat(), (s, seed) => exercise(s, 5, seed)),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), (b, seed) => exercise(Buffer.from(b).toString('latin1'), 5, seed)),
    { numRuns: 200 },
  );
  const piece = fc.constantFrom(
    'iface',
    'auto',
    'allow-hotplug',
    'mapping',
    'source',
    'rename',
    'inherits',
    'inet',
    'inet6',
    'static',
    'address',
    'eth0',
    '1.2.3.4/29',
    '%for',
    '<%',
    '%>',
    '\\',
    '#',
    ' ',
    '\t',
    '\n',
    '\r\n',
    '\r',
    '=',
    '\u0000',
    '\uFEFF',
    'é',
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 200 }), fc.nat(), (parts, seed) => exercise(parts.join(''), 5, seed)),
    { numRuns: 400 },
  );
});

test('mutations of the corpus: inserted and deleted bytes, NUL, CRLF, BOM, Latin-1', () => {
  const insert = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('\u0000', '\r\n', '\r', '\uFEFF', '\\', '\\\n', '#', 'iface ', '\n  address'),
    fc.uint8Array({ maxLength: 6 }).map((b) => Buffer.from(b).toString('latin1')),
  );
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: corpus.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 20 }), insert), { maxLength: 6 }),
      fc.nat(),
      (which, edits, seed) => {
        let t = corpus[which];
        for (const [pos, del, ins] of edits) {
          const p = pos % (t.length + 1);
          t = t.slice(0, p) + ins + t.slice(p + del);
        }
        exercise(t, 3, seed);
      },
    ),
    { numRuns: 150 },
  );
  for (const t of corpus) {
    exercise(t.replace(/\n/g, '\r\n'), 3);
    exercise('\uFEFF' + t, 3);
    exercise(Buffer.from(t, 'latin1').toString('latin1').replace(/ /g, '\u00a0'), 3);
  }
});

test('hostile inputs: NUL, lone CR, a BOM, a 2 MB line, a 2 MB continued line, many stanzas', () => {
  const inputs = [
    '\u0000iface\u0000 eth0 inet static\u0000\n',
    'iface eth0 inet static\r  address 1.2.3.4\r',
    '\uFEFFauto lo\niface lo inet loopback\n',
    'x'.repeat(2 * 1024 * 1024),
    'iface eth0 inet static\n  up ' + 'y '.repeat(1024 * 1024),
    'iface eth0 inet manual\n  up echo \\\n'.repeat(20_000),
    'iface ' + 'a'.repeat(2 * 1024 * 1024) + ' inet static\n',
    '\\\n'.repeat(50_000),
    'auto lo\n'.repeat(20_000),
    '#'.repeat(100_000),
  ];
  for (const text of inputs) exercise(text, 3);
});
