// The checks past the per-file cap: counted, never positioned nor worded (work counted, not timed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../../server/src/core/text';
import { MAX_FILE_DIAGNOSTICS } from '../../../server/src/core/diagnostics';
import { parseDomain } from '../../../server/src/formats/domain/parser';
import { checkDomain, Findings } from '../../../server/src/formats/domain/checks';
import { diags } from './helpers';
import { grouped } from '../../../server/src/formats/domain/values';

/** A LineIndex that counts the positions asked of it. */
class CountingLines extends LineIndex {
  positions = 0;
  override positionAt(offset: number) {
    this.positions++;
    return super.positionAt(offset);
  }
}

/** n settings of one key: n - 1 duplicate-key warnings (each overridden one). */
const duplicates = (n: number) => Array.from({ length: n }, (_, i) => `memory = ${256 + i}`).join('\n') + '\n';

test('past the cap the checks count: positions asked grow with the cap, not with the problems', () => {
  for (const n of [2_000, 8_000]) {
    const text = duplicates(n);
    const lines = new CountingLines(text);
    const findings = new Findings(lines, 100);
    const made = checkDomain(parseDomain(text), lines, 'auto', findings);
    assert.equal(made.length, 100);
    assert.equal(findings.dropped, n - 1 - 100);
    assert.equal(findings.worst, 2 /* warning */);
    // a duplicate-key diagnostic asks 5 positions (its range, the line of the winner, the winner's range)
    assert.ok(lines.positions <= 100 * 5, `${lines.positions} positions for ${n} settings`);
  }
});

test('the service says how many more there are, at the first one left out, with their worst severity', () => {
  const n = 3_000;
  const text = duplicates(n) + "vif = [ 'mac=zz' ]\n";
  const d = diags(text, 'xm');
  assert.equal(d.length, MAX_FILE_DIAGNOSTICS + 1);
  const more = d[d.length - 1];
  assert.equal(more.code, 'domain/more-problems');
  // n - 1 duplicates and one invalid MAC (an error under xm), of which MAX_FILE_DIAGNOSTICS are shown
  assert.match(more.message, new RegExp(`^${n - MAX_FILE_DIAGNOSTICS} more problems`));
  assert.equal(more.severity, 1);
  // placed at the first left out: the overridden setting of line MAX_FILE_DIAGNOSTICS + 1
  assert.equal(more.range.start.line, MAX_FILE_DIAGNOSTICS);
  assert.ok(d.slice(0, -1).every((x) => x.code === 'domain/duplicate-key'));
});

test('grouped writes numbers as toLocaleString("en") does', () => {
  for (const n of [0, 7, 999, 1000, 20_000, 50_000, 123_456, 1_000_000, 1_234_567_890, -4321]) assert.equal(grouped(n), n.toLocaleString('en'));
});
