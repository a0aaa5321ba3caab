// Issue 12, messages: a diagnostic quotes at most a short piece of any token of the file (the
// server's published messages and the CLI's lines go through boundTokens).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { boundTokens, MAX_QUOTED } from '../../../server/src/core/message';

const longestRun = (s: string) => Math.max(0, ...s.split(/[ \t\n\v\f\r\u00a0\u2028\u2029]/).map((w) => w.length));

test('no token longer than the bound survives; short ones are untouched; the start of a long one is kept', () => {
  const piece = fc.oneof(
    fc.constantFrom(' ', '\n', '\t', '`', "'", 'x'),
    fc.string({ maxLength: 90 }),
    fc.constantFrom('a'.repeat(200), '=', '\u{1F600}'.repeat(30)),
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
      const m = parts.join('');
      const b = boundTokens(m);
      assert.ok(longestRun(b) <= MAX_QUOTED + 1, JSON.stringify(b));
      assert.equal(boundTokens(b), b, 'idempotent');
      if (longestRun(m) <= MAX_QUOTED) assert.equal(b, m);
    }),
    { numRuns: 2000 },
  );
  const token = 'CI_DEPLOY_TOKEN=glpat-Zq9sEcReTtOkEnVaLuE0123456789';
  const b = boundTokens(`\`${token}\` is not a stanza keyword`);
  assert.equal(b, `\`${token.slice(0, MAX_QUOTED - 1)}… is not a stanza keyword`);
  assert.ok(!b.includes(token));
});
