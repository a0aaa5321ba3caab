// No input makes any service function throw, and every range stays inside the document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { sxpService } from '../../../server/src/formats/sxp/service';
import { defaultSettings } from '../../../server/src/core/settings';
import { LineIndex } from '../../../server/src/core/text';
import type { Range } from 'vscode-languageserver-types';
import { sxpCorpusFiles } from './oracle-cases';

function inside(lines: LineIndex, r: Range): boolean {
  const ok = (p: { line: number; character: number }) =>
    p.line >= 0 && p.line < lines.lineCount && p.character >= 0 && p.character <= lines.lineEnd(p.line) - lines.lineStart(p.line);
  return ok(r.start) && ok(r.end) && (r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character));
}

function exercise(text: string, probes = 5): void {
  const doc = sxpService.parse(text, defaultSettings);
  const lines = doc.lines;
  for (const d of sxpService.diagnostics(doc, defaultSettings)) {
    assert.ok(inside(lines, d.range), `diagnostic range ${JSON.stringify(d.range)}`);
    assert.match(String(d.code), /^(sxp|template)\//); // a template gets the one template diagnostic
  }
  const walk = (syms: ReturnType<typeof sxpService.symbols>) => {
    for (const s of syms) {
      assert.ok(inside(lines, s.range) && inside(lines, s.selectionRange));
      if (s.children) walk(s.children);
    }
  };
  walk(sxpService.symbols(doc));
  for (const f of sxpService.folding(doc)) assert.ok(f.startLine <= f.endLine && f.endLine < lines.lineCount);
  for (let i = 0; i < probes; i++) {
    const line = Math.floor((i * lines.lineCount) / probes);
    const character = (i * 7) % (lines.lineEnd(line) - lines.lineStart(line) + 2);
    const h = sxpService.hover(doc, { line, character }, defaultSettings);
    if (h?.range) assert.ok(inside(lines, h.range));
    for (const c of sxpService.completion(doc, { line, character }, defaultSettings)) {
      if (c.textEdit && 'range' in c.textEdit) assert.ok(inside(lines, c.textEdit.range));
    }
  }
}

const corpus = sxpCorpusFiles().map((f) => readFileSync(f, 'latin1'));

test('random text and random bytes', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (s) => exercise(s)),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (b) => exercise(Buffer.from(b).toString('latin1'))),
    { numRuns: 200 },
  );
  fc.assert(
    fc.property(fc.array(fc.constantFrom('(', ')', "'", '"', '\\', '#', ' ', '\n', '\r', 'a', 'x=1', '\u0000', 'é'), { maxLength: 200 }), (parts) =>
      exercise(parts.join('')),
    ),
    { numRuns: 300 },
  );
});

test('mutations of the corpus', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: corpus.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 20 }), fc.string({ maxLength: 8 })), { maxLength: 6 }),
      (which, edits) => {
        let t = corpus[which];
        for (const [at, del, ins] of edits) {
          const p = at % (t.length + 1);
          t = t.slice(0, p) + ins + t.slice(p + del);
        }
        exercise(t, 3);
      },
    ),
    { numRuns: 100 },
  );
});

test('hostile inputs: NUL, CRLF, BOM, Latin-1, a multi-MB line, 100,000 nested (', () => {
  const inputs = [
    '\u0000(dom0-cpus\u0000 0)\u0000',
    '(dom0-cpus 0)\r\n(vif-script vif-route)\r\n',
    '\uFEFF(dom0-cpus 0)\n',
    Buffer.from([0x28, 0x6b, 0x65, 0x79, 0x6d, 0x61, 0x70, 0x20, 0xe9, 0x29]).toString('latin1'),
    'x'.repeat(5 * 1024 * 1024),
    "(vncpasswd '" + 'y'.repeat(3 * 1024 * 1024),
    '('.repeat(100_000),
    ')'.repeat(100_000),
    '('.repeat(100_000) + ')'.repeat(100_000),
    '(a\n'.repeat(50_000),
    "'\\".repeat(10_000),
  ];
  for (const text of inputs) exercise(text, 3);
  const deep = sxpService.parse('('.repeat(100_000), defaultSettings);
  assert.ok(sxpService.diagnostics(deep, defaultSettings).length <= 1000);
});
