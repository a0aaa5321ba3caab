// The hand scanner (lexer.ts) against the chevrotain lexer over the same token types
// (grammar.ts): the same tokens, comments and line continuations for any text. And the
// chevrotain parser is built only when a statement needs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scan } from '../../../server/src/formats/domain/lexer';
import { grammarBuilt, tokenizeWithChevrotain, TYPE_OF_KIND } from '../../../server/src/formats/domain/grammar';
import { parseDomain } from '../../../server/src/formats/domain/parser';
import { ARTICLE } from './helpers';

test('an xl file of the common shapes is read without building the chevrotain parser', () => {
  // (first in this file: each test file runs in a process of its own)
  const f = parseDomain(`${ARTICLE}# a comment\nvif += [ 'ip=80.68.86.195', ]\nkernel = "/boot/vmlinuz"\nvcpus = 2; maxmem = 0x200\n`);
  assert.equal(f.statements.length, 7);
  assert.deepEqual(f.errors, []);
  assert.equal(grammarBuilt(), false);
  parseDomain('memory = 256 * 2\n');
  assert.equal(grammarBuilt(), true);
});

function both(text: string): { ours: string[]; ref: string[] } {
  const s = scan(text);
  const ours: string[] = [];
  for (let k = 0; k < s.count; k++) ours.push(`${TYPE_OF_KIND[s.kinds[k]].name} ${s.starts[k]}-${s.ends[k]}`);
  for (let k = 0; k < s.commentCount; k++) ours.push(`comment ${s.comments[2 * k]}-${s.comments[2 * k + 1]}`);
  for (let k = 0; k < s.continuationCount; k++) ours.push(`continuation ${s.continuations[2 * k]}-${s.continuations[2 * k + 1]}`);
  const r = tokenizeWithChevrotain(text);
  const ref: string[] = r.tokens.map((t) => `${t.tokenType.name} ${t.startOffset}-${t.startOffset + t.image.length}`);
  for (const t of r.comments) ref.push(`comment ${t.startOffset}-${t.startOffset + t.image.length}`);
  for (const t of r.continuations) ref.push(`continuation ${t.startOffset}-${t.startOffset + t.image.length}`);
  return { ours, ref };
}

const PIECES = [
  ...'abxzAZ_09.=+-*/%&|^<>!~@,;:[](){}#\'"\\ \t\f\v\u00a0\n\r\u0000\ufeffé',
  '\r\n',
  '+=',
  '**=',
  '//=',
  '<<=',
  '>>',
  '<>',
  '==',
  "'''",
  '"""',
  '\\\n',
  '\\\r\n',
  '0x1f',
  '.5',
  '08',
  'vif',
  'def ',
  "'ip=1.2.3.4'",
];

test('the hand scanner reads any text as the chevrotain lexer does', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 80 }), (parts) => {
      const text = parts.join('');
      const { ours, ref } = both(text);
      assert.deepEqual(ours, ref, JSON.stringify(text));
    }),
    { numRuns: 3000 },
  );
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
      const { ours, ref } = both(text);
      assert.deepEqual(ours, ref, JSON.stringify(text));
    }),
    { numRuns: 1000 },
  );
});
