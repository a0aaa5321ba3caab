// Whatever the text, the domain service never throws and every range stays inside the document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Range } from 'vscode-languageserver-types';
import { domainService } from '../../../server/src/formats/domain/service';
import { settingsFor } from './helpers';
import { domainCorpusFiles } from './oracle-cases';

function within(r: Range, lineCount: number): boolean {
  const ok = (p: { line: number; character: number }) => p.line >= 0 && p.line < lineCount && p.character >= 0;
  return ok(r.start) && ok(r.end) && (r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character));
}

function exercise(text: string, probes: number[]): void {
  for (const ts of ['auto', 'xl', 'xm'] as const) {
    const s = settingsFor(ts);
    const doc = domainService.parse(text, s);
    const n = doc.lines.lineCount;
    for (const d of domainService.diagnostics(doc, s)) {
      assert.ok(within(d.range, n), JSON.stringify(d));
      assert.match(String(d.code), /^(domain|template)\//); // a template gets the one template diagnostic
    }
    const walk = (syms: ReturnType<typeof domainService.symbols>) => {
      for (const x of syms) {
        assert.ok(within(x.range, n) && within(x.selectionRange, n));
        if (x.children) walk(x.children);
      }
    };
    walk(domainService.symbols(doc));
    for (const f of domainService.folding(doc)) assert.ok(f.startLine <= f.endLine && f.endLine < n);
    if (ts !== 'auto') continue;
    for (const p of probes) {
      const pos = doc.lines.positionAt(Math.floor(p * (text.length + 1)));
      const h = domainService.hover(doc, pos, s);
      if (h?.range) assert.ok(within(h.range, n));
      domainService.completion(doc, pos, s);
      domainService.completion(doc, { line: pos.line + 3, character: pos.character + 50 }, s);
    }
  }
}

const corpus = domainCorpusFiles().map((f) => readFileSync(f, 'latin1'));
const pieces = [
  "vif = [ '",
  "'",
  '"',
  '[',
  ']',
  '(',
  ')',
  ',',
  '=',
  '+=',
  ';',
  '#',
  '\n',
  '\r\n',
  '\\',
  '%',
  'ip=',
  'mac=',
  'def f(x):\n  ',
  'if x:',
  '\u0000',
  '\ufeff',
  'é',
  '"""',
  "'''",
  ' ',
  'memory',
  '0x',
  '08',
];

test('random strings and random token soup never break the service', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }), (s, probes) => exercise(s, probes)),
    { numRuns: 150 },
  );
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 80 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }), (a, probes) =>
      exercise(a.join(''), probes),
    ),
    { numRuns: 200 },
  );
});

test('corpus files with random mutations (NUL, CRLF, BOM, Latin-1, deletions, insertions) never break the service', () => {
  const mutation = fc.oneof(
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      what: fc.constantFrom('\u0000', '\r\n', '\ufeff', '\u00e9\u00ff', "'", '[', ']', '\\', '(', '#', '\n'),
    }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ kind: fc.constant('crlf' as const) }),
    fc.record({ kind: fc.constant('bom' as const) }),
  );
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: corpus.length - 1 }),
      fc.array(mutation, { maxLength: 6 }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }),
      (i, muts, probes) => {
        let t = corpus[i];
        for (const m of muts) {
          if (m.kind === 'insert') {
            const at = Math.floor(m.at * t.length);
            t = t.slice(0, at) + m.what + t.slice(at);
          } else if (m.kind === 'delete') {
            const at = Math.floor(m.at * t.length);
            t = t.slice(0, at) + t.slice(at + m.len);
          } else if (m.kind === 'crlf') t = t.replace(/\n/g, '\r\n');
          else t = '\ufeff' + t;
        }
        exercise(t, probes);
      },
    ),
    { numRuns: 60 },
  );
});

test('hostile inputs: a multi-MB line, deep brackets, thousands of unterminated vif lines', () => {
  const inputs = [
    'x'.repeat(3 * 1024 * 1024),
    "extra = '" + 'a'.repeat(2 * 1024 * 1024) + "'\n",
    '['.repeat(50_000),
    '('.repeat(50_000),
    "vif = [ '".repeat(10_000),
    '\\\n'.repeat(10_000),
    Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)).toString('latin1'),
  ];
  for (const t of inputs) exercise(t, [0, 0.5, 1]);
});
