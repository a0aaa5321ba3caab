// The in-place value readers of the sxp checks against the plain rules they stand for: isInt against
// a pattern of what Python's int() accepts, isBoolWord against readBool (a lower-cased copy looked up
// in xend's words), on random texts and at random offsets inside them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isBoolWord, isInt, readBool } from '../../../server/src/formats/sxp/schema';

const INT = /^[ \t\n\v\f\r]*[+-]?[0-9]+[ \t\n\v\f\r]*$/;

test('isInt accepts what int() accepts: optional blanks and sign around decimal digits', () => {
  const piece = fc.constantFrom('0', '7', '42', '+', '-', ' ', '\t', '\n', '\v', '\f', '\r', 'x', '.', '١', '\u00a0', '');
  fc.assert(
    fc.property(fc.string({ maxLength: 4 }), fc.array(piece, { maxLength: 8 }), fc.string({ maxLength: 4 }), (before, parts, after) => {
      const value = parts.join('');
      const text = before + value + after;
      assert.equal(isInt(text, before.length, before.length + value.length), INT.test(value), JSON.stringify(value));
    }),
    { numRuns: 5000 },
  );
});

test('isBoolWord reads a word as readBool does, ASCII letters in any case and other characters too', () => {
  const piece = fc.constantFrom('y', 'Y', 'e', 'E', 's', 'S', 'n', 'N', 'o', 'O', 't', 'T', 'r', 'u', 'f', 'F', 'a', 'l', '1', '0', 'İ', 'ſ', 'K', ' ');
  fc.assert(
    fc.property(fc.string({ maxLength: 3 }), fc.array(piece, { maxLength: 6 }), (before, parts) => {
      const value = parts.join('');
      const text = before + value + 'x';
      assert.equal(isBoolWord(text, before.length, before.length + value.length), readBool(value) !== undefined, JSON.stringify(value));
    }),
    { numRuns: 5000 },
  );
  for (const w of ['yes', 'YES', 'No', 'on', 'OFF', 'true', 'False', 'y', 'N', '1', '0', 't', 'F']) assert.ok(isBoolWord(w, 0, w.length), w);
});
