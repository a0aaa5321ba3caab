// The fast scanner produces exactly the tokens of the chevrotain lexer over the same token types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { tokenize, tokenizeWithChevrotain, type LexResult } from '../../../server/src/formats/domain/lexer';
import { domainCorpusFiles } from './oracle-cases';

const flat = (r: LexResult) =>
  [r.tokens, r.comments, r.continuations].map((l) => l.map((t) => `${t.tokenType.name}@${t.startOffset}:${t.image}`));

function same(text: string): void {
  assert.deepEqual(flat(tokenize(text)), flat(tokenizeWithChevrotain(text)), JSON.stringify(text.slice(0, 200)));
}

test('scanner = chevrotain lexer on the corpus and on hand-picked corners', () => {
  for (const f of domainCorpusFiles()) same(readFileSync(f, 'latin1'));
  for (const t of ["a = 'x\\", "'''", "'''a'''", '"""a\n"""', "'a\\'", '<<= >>= <> <= >= == != ! **= //= ** // -= += %= &= |= ^= @ ~', '1.2.3 .5 0x1G 1e5', 'a.b.c . .x', '\\\r\n\\\n\\x', '\ufeff\u00a0\u0000é\ud83d\ude00', '#c\r\n#d\r', "'\r'", '"a\\"b"']) same(t);
});

test('scanner = chevrotain lexer on random text', () => {
  const alphabet = fc.constantFrom(...'ab_AZ09.\'"#\\\n\r \t=+-*/%<>!&|^~@,[](){}:;\u0000\u00a0é'.split(''), "'''", '"""', '\r\n');
  fc.assert(fc.property(fc.array(alphabet, { maxLength: 120 }), (a) => same(a.join(''))), { numRuns: 500 });
  fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => same(s)), { numRuns: 300 });
});
