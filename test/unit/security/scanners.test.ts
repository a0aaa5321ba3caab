// Issue 12, hover: the IPv6 address under the cursor is found by a scanner, not by a pattern of
// three `[…]*` (cubic on a run of colons). The scanner finds what the old pattern found (the
// pattern is the reference here, on short lines only), and a comment of 5,000 colons is answered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addressAt, ipv6Candidates } from '../../../server/src/features/addresses';
import { LineIndex } from '../../../server/src/core/text';

/** The old pattern, as a reference definition (only ever run here, on lines of at most 40 characters). */
function reference(line: string): { start: number; end: number }[] {
  const v6 = /(?<![\w:.])[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%[\w.-]+)?(?![\w:.])/g;
  const out: { start: number; end: number }[] = [];
  let m: RegExpExecArray | null;
  while ((m = v6.exec(line))) {
    out.push({ start: m.index, end: m.index + m[0].length });
    if (m[0].length === 0) v6.lastIndex++;
  }
  return out;
}

const ch = fc.constantFrom('0', '1', 'a', 'F', 'g', 'x', ':', ':', ':', '.', '%', '-', '_', ' ', '#', '=', "'", '/');

test('the scanner finds the places the old pattern found', () => {
  fc.assert(
    fc.property(fc.array(ch, { maxLength: 40 }), (cs) => {
      const line = cs.join('');
      assert.deepEqual([...ipv6Candidates(line)], reference(line), JSON.stringify(line));
    }),
    { numRuns: 5000 },
  );
  for (const line of [
    'fe80::1%eth0 x',
    'a fe80::1%eth0:x',
    '::',
    ':::',
    'x::1',
    '2001:db8::1/64',
    'ip=2001:db8::2,mac=00:16:3e:00:00:01',
    '1::2%',
    '1::2%-',
    '1.2.3.4',
    '::%0-:',
    'a::b%e-t-h:0',
    '::%-:',
    '::%--x:',
  ]) {
    assert.deepEqual([...ipv6Candidates(line)], reference(line), line);
  }
});

test('hover: a comment of 5,000 colons then x is answered at once (the pattern took minutes)', () => {
  for (const n of [2000, 5000, 50_000]) {
    const text = `# ${':'.repeat(n)}x\nname = 'vm1'\n`;
    const lines = new LineIndex(text);
    const started = Date.now();
    for (const character of [0, 3, Math.floor(n / 2), n + 2, n + 3]) assert.equal(addressAt(lines, { line: 0, character }), undefined);
    assert.ok(Date.now() - started < 2000, `${n} colons: ${Date.now() - started} ms (a safety bound)`);
  }
  // and an address is still found
  const lines = new LineIndex("vif = [ 'ip=2001:db8::5' ]\n");
  assert.equal(addressAt(lines, { line: 0, character: 16 })?.address, '2001:db8::5');
});
