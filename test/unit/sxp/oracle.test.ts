// Agreement with a parser nobody on this project wrote: Augeas's Xendconfsxp lens. For every corpus
// file and broken variants of it, our verdict (syntax errors or none) equals Augeas's, unless the
// case is listed, with its reason, in docs/parsers/sxp.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oraclesInstalled, repoRoot } from '../../support/paths';
import { augeasVerdicts, type Verdict } from '../../support/oracles';
import { parseSxp } from '../../../server/src/formats/sxp/parser';
import { oracleCases } from './oracle-cases';
import { requirement } from '../../support/requirements';

/** The divergence table of docs/parsers/sxp.md: case id → {augeas, ours, reason}. */
function documentedDivergences(): Map<string, { augeas: Verdict; ours: Verdict; reason: string }> {
  const doc = readFileSync(join(repoRoot, 'docs', 'parsers', 'sxp.md'), 'utf8');
  const rows = new Map<string, { augeas: Verdict; ours: Verdict; reason: string }>();
  for (const line of doc.split('\n')) {
    const m = /^\|\s*`([^`]+)`\s*\|\s*(accepts|rejects)\s*\|\s*(accepts|rejects)\s*\|\s*(.+?)\s*\|\s*$/.exec(line);
    if (m) rows.set(m[1], { augeas: m[2] as Verdict, ours: m[3] as Verdict, reason: m[4] });
  }
  return rows;
}

const oracles = requirement(
  oraclesInstalled() ? null : 'the oracles are not installed (../shared/oracles/setup.sh): augtool or xlu-check is missing',
  'SKIP_ORACLES',
);
test('our verdicts agree with Augeas Xendconfsxp on the corpus and its variants, or the divergence is documented', { skip: oracles.skip }, () => {
  oracles.check();
  const cases = oracleCases();
  const dir = mkdtempSync(join(tmpdir(), 'sxp-oracle-'));
  try {
    const files = new Map<string, string>();
    cases.forEach((c, i) => {
      const p = join(dir, `case${i}.sxp`);
      writeFileSync(p, c.text, 'latin1');
      files.set(p, c.id);
    });
    const augeas = augeasVerdicts('Xendconfsxp', files);
    const documented = documentedDivergences();
    const undocumented: string[] = [];
    const diverging = new Set<string>();
    for (const c of cases) {
      const ours: Verdict = parseSxp(c.text).errors.length ? 'rejects' : 'accepts';
      const theirs = augeas.get(c.id)!;
      if (ours === theirs) continue;
      diverging.add(c.id);
      const row = documented.get(c.id);
      if (!row) undocumented.push(`${c.id}: Augeas ${theirs}, we ${ours}`);
      else assert.deepEqual([row.augeas, row.ours], [theirs, ours], `docs/parsers/sxp.md has the wrong verdicts for ${c.id}`);
    }
    assert.deepEqual(undocumented, [], 'divergences from Augeas not listed in docs/parsers/sxp.md');
    // the table lists only real divergences of existing cases
    const stale = [...documented.keys()].filter((id) => !diverging.has(id));
    assert.deepEqual(stale, [], 'rows of docs/parsers/sxp.md that no longer diverge (or name no case)');
    // every broken variant is rejected by us
    for (const c of cases)
      if (/#(unclosed-paren|stray-close|unterminated-string|missing-last-close)$/.test(c.id)) {
        assert.ok(parseSxp(c.text).errors.length > 0, `${c.id} should have a syntax error`);
      }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
