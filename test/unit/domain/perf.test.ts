// Parse-and-check time grows linearly with the file (no quadratic step), on the benchmark's
// generated domain files. Absolute figures are printed, not asserted: the machine is shared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domainService } from '../../../server/src/formats/domain/service';
import { generateDomain } from '../../bench/generate';
import { settingsFor } from './helpers';

function best(text: string, runs: number): number {
  const s = settingsFor('xl');
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    domainService.diagnostics(domainService.parse(text, s), s);
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

test('domain files: parse + check is linear (30,000 vs 150,000 assignments)', (t) => {
  const small = generateDomain(30_000);
  const large = generateDomain(150_000);
  best(small, 1); // warm-up
  const a = best(small, 3);
  const b = best(large, 2);
  t.diagnostic(`30k assignments (${(small.length / 1e6).toFixed(1)} MB): ${a.toFixed(0)} ms; 150k (${(large.length / 1e6).toFixed(1)} MB): ${b.toFixed(0)} ms; ratio ${(b / a).toFixed(2)}`);
  assert.ok(b / a < 12, `150k took ${(b / a).toFixed(1)} times the 30k time (linear is 5)`);
});
