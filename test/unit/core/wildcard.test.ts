// core/wildcard: the linear matcher of `mapping` and `source` globs, against a reference
// definition (a table over pattern pieces × name positions), with patterns built to be worst cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileWildcard, hasWildcard, wildcardMatch } from '../../../server/src/core/wildcard';

/** A piece of a pattern with its meaning: a star, or a test of one character. */
interface Piece {
  text: string;
  star?: true;
  one?: (c: string) => boolean;
}

const PIECES: Piece[] = [
  { text: '*', star: true },
  { text: '?', one: () => true },
  { text: 'a', one: (c) => c === 'a' },
  { text: 'b', one: (c) => c === 'b' },
  { text: '.', one: (c) => c === '.' },
  { text: '[ab]', one: (c) => c === 'a' || c === 'b' },
  { text: '[!a]', one: (c) => c !== 'a' },
  { text: '[^b]', one: (c) => c !== 'b' },
  { text: '[a-c]', one: (c) => c >= 'a' && c <= 'c' },
  { text: '[]a]', one: (c) => c === ']' || c === 'a' },
  { text: '\\*', one: (c) => c === '*' },
  { text: '\\?', one: (c) => c === '?' },
];

/** The reference: can pieces[i..] match name[j..]? Filled as a table from the end, no shortcut. */
function reference(pieces: Piece[], name: string): boolean {
  const P = pieces.length;
  const N = name.length;
  // m[i][j]: pieces i.. match name j..
  const m: boolean[][] = Array.from({ length: P + 1 }, () => new Array<boolean>(N + 1).fill(false));
  m[P][N] = true;
  for (let i = P - 1; i >= 0; i--) {
    for (let j = N; j >= 0; j--) {
      const p = pieces[i];
      if (p.star) m[i][j] = m[i + 1][j] || (j < N && m[i][j + 1]);
      else m[i][j] = j < N && p.one!(name[j]) && m[i + 1][j + 1];
    }
  }
  return m[0][0];
}

const piece = fc.constantFrom(...PIECES);
const nameChar = fc.constantFrom('a', 'b', 'c', '.', '*', '?', ']', '[');

test('matches as the reference does on random patterns and names', () => {
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), fc.array(nameChar, { maxLength: 16 }), (ps, cs) => {
      const name = cs.join('');
      const pattern = ps.map((p) => p.text).join('');
      assert.equal(wildcardMatch(pattern, name), reference(ps, name), `${JSON.stringify(pattern)} vs ${JSON.stringify(name)}`);
    }),
    { numRuns: 3000 },
  );
});

test('matches as the reference does on worst cases: many stars, long runs of one character', () => {
  // patterns of many `*a` with a tail that fails late, against runs of `a`
  const star = PIECES[0];
  const a = PIECES[2];
  const b = PIECES[3];
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 200 }), fc.constantFrom([b], [a], [], [star], [PIECES[1]]), (k, n, tail) => {
      const ps: Piece[] = [];
      for (let i = 0; i < k; i++) ps.push(star, a);
      ps.push(...tail);
      const name = 'a'.repeat(n);
      const pattern = ps.map((p) => p.text).join('');
      assert.equal(wildcardMatch(pattern, name), reference(ps, name), `${pattern} vs a×${n}`);
    }),
    { numRuns: 400 },
  );
  // names of one repeated character with a different last one, patterns of stars and `?`
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(PIECES[0], PIECES[1], PIECES[2], PIECES[6]), { minLength: 1, maxLength: 30 }),
      fc.integer({ min: 0, max: 120 }),
      fc.constantFrom('', 'b', 'x'),
      (ps, n, last) => {
        const name = 'a'.repeat(n) + last;
        const pattern = ps.map((p) => p.text).join('');
        assert.equal(wildcardMatch(pattern, name), reference(ps, name), `${pattern} vs ${name}`);
      },
    ),
    { numRuns: 400 },
  );
});

test("the issue's reproductions end at once (they hung the regular expressions)", () => {
  const started = Date.now();
  // mapping *a*a*a*a*a*a*a*a*a*ab with an `auto` of 80 `a`s
  assert.equal(wildcardMatch('*a*a*a*a*a*a*a*a*a*ab', 'a'.repeat(80)), false);
  // source interfaces.d/*a*a*a*a*a*a*a*a*a*a*a*ab with a file name of 200 characters
  assert.equal(wildcardMatch('*a*a*a*a*a*a*a*a*a*a*a*ab', 'a'.repeat(200)), false);
  assert.equal(wildcardMatch('*a*a*a*a*a*a*a*a*a*a*a*ab', 'a'.repeat(199) + 'b'), true);
  // far bigger than any line: 2,000 `*a` against 20,000 `a` (at most pattern × name steps)
  const w = compileWildcard('*a'.repeat(2000) + 'b');
  assert.equal(w.matches('a'.repeat(20_000)), false);
  assert.equal(w.matches('a'.repeat(20_000) + 'b'), true);
  // a safety bound only (the backtracking forms took minutes, or never ended)
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
});

test('brackets, escapes and odd patterns', () => {
  assert.equal(wildcardMatch('eth[0-3]', 'eth2'), true);
  assert.equal(wildcardMatch('eth[0-3]', 'eth4'), false);
  assert.equal(wildcardMatch('eth[!0-3]', 'eth4'), true);
  assert.equal(wildcardMatch('eth[', 'eth['), true, 'an unclosed [ is an ordinary character');
  assert.equal(wildcardMatch('a[]', 'a[]'), true, '`[]` has no closing bracket: ordinary characters');
  assert.equal(wildcardMatch('\\*', '*'), true);
  assert.equal(wildcardMatch('\\*', 'x'), false);
  assert.equal(wildcardMatch('', ''), true);
  assert.equal(wildcardMatch('', 'a'), false);
  assert.equal(wildcardMatch('*', ''), true);
  assert.equal(wildcardMatch('**', 'x/y'), true, 'fnmatch without flags: a star takes a slash');
  assert.equal(hasWildcard('interfaces.d/*'), true);
  assert.equal(hasWildcard('interfaces.d/eth0'), false);
});
