// LineIndex: positions and offsets agree with a plain computation, whatever order they are asked in
// (positionAt remembers the line of its previous answer), for \n, \r\n and \r line ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineIndex } from '../../../server/src/core/text';

function naivePosition(text: string, offset: number): { line: number; character: number } {
  // every line start: 0, and just after each \n, \r\n or lone \r (an offset inside \r\n is on the first line)
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r' && text[i + 1] === '\n') continue;
    if (text[i] === '\n' || text[i] === '\r') starts.push(i + 1);
  }
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
  return { line, character: offset - starts[line] };
}

test('positionAt agrees with a plain count of line ends, in any order of questions', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom('a', 'b', ' ', '\n', '\r\n', '\r', 'é'), { maxLength: 60 }).map((p) => p.join('')),
      fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
      (text, asks) => {
        const lines = new LineIndex(text);
        for (const a of asks) {
          const offset = a % (text.length + 1);
          assert.deepEqual(lines.positionAt(offset), naivePosition(text, offset), `${JSON.stringify(text)} @${offset}`);
        }
        // and in file order, the way outlines ask
        for (let offset = 0; offset <= text.length; offset++) assert.deepEqual(lines.positionAt(offset), naivePosition(text, offset));
        for (let offset = 0; offset <= text.length; offset++) {
          const p = lines.positionAt(offset);
          if (!(text[offset - 1] === '\r' && text[offset] === '\n')) assert.equal(lines.offsetAt(p), offset);
        }
      },
    ),
    { numRuns: 500 },
  );
});

test('line starts are made on first use and out-of-range questions are clamped', () => {
  const lines = new LineIndex('one\ntwo\r\nthree');
  assert.equal(lines.lineCount, 3);
  assert.equal(lines.lineText(1), 'two');
  assert.deepEqual(lines.positionAt(-5), { line: 0, character: 0 });
  assert.deepEqual(lines.positionAt(1000), { line: 2, character: 5 });
  assert.equal(lines.offsetAt({ line: 9, character: 0 }), 14);
});

test('positionAt before the whole index is made: lines found as far as asked, past the first 1,024 (the partial list grows), then offsetAt', () => {
  fc.assert(
    fc.property(
      fc.constantFrom('\n', '\r\n', '\r', 'mixed'),
      fc.integer({ min: 1000, max: 5000 }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
      (end, count, asks) => {
        const ends = ['\n', '\r\n', '\r'];
        let text = '';
        for (let i = 0; i < count; i++) text += `line ${i}` + (end === 'mixed' ? ends[i % 3] : end);
        const lines = new LineIndex(text);
        // a few questions in file order first (the partial scan), then any order, then the whole index
        const sorted = asks.map((a) => a % (text.length + 1)).sort((x, y) => x - y);
        for (const offset of sorted) assert.deepEqual(lines.positionAt(offset), naivePosition(text, offset), `@${offset}`);
        for (const a of asks) {
          const offset = (a * 7919) % (text.length + 1);
          assert.deepEqual(lines.positionAt(offset), naivePosition(text, offset), `@${offset}`);
        }
        assert.equal(lines.lineCount, naivePosition(text, text.length).line + 1);
        // (an offset between the \r and the \n of a line end is on the line before: it comes back as the \r's)
        for (const offset of sorted) if (!(text[offset - 1] === '\r' && text[offset] === '\n')) assert.equal(lines.offsetAt(lines.positionAt(offset)), offset);
      },
    ),
    { numRuns: 60 },
  );
});
