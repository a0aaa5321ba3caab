// Agreement with libxlutil (the parser inside xl): for every corpus file and broken variants of
// them, our verdict with toolstack 'xl' (errors or none) is libxlutil's, or the case is listed
// with its reason in docs/parsers/domain.md, and that list holds exactly the cases that differ.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oraclesBin, oraclesInstalled, repoRoot } from '../../support/paths';
import { domainCorpusFiles, EXTRA_CASES, variants } from './oracle-cases';
import { errors } from './helpers';
import { requirement } from '../../support/requirements';

/** The case names of the divergence table in docs/parsers/domain.md. */
function documentedDivergences(): Map<string, string> {
  const doc = readFileSync(join(repoRoot, 'docs', 'parsers', 'domain.md'), 'utf8');
  const section = doc.split(/^## /m).find((s) => s.startsWith('Divergences from libxlutil')) ?? '';
  const out = new Map<string, string>();
  for (const line of section.split('\n')) {
    const m = /^\|\s*`([^`]+)`\s*\|\s*(accepts|rejects)\s*\|\s*(accepts|rejects)\s*\|/.exec(line);
    if (m) out.set(m[1], `${m[2]}/${m[3]}`);
  }
  return out;
}

const oracles = requirement(
  oraclesInstalled() ? null : `the libxlutil oracle is not installed (${join(oraclesBin, 'xlu-check')} missing; ../shared/oracles/setup.sh)`,
  'SKIP_ORACLES',
);
test('our xl verdict agrees with libxlutil on the corpus and broken variants (or the doc says why not)', { skip: oracles.skip }, () => {
  oracles.check();
  const dir = mkdtempSync(join(tmpdir(), 'domain-oracle-'));
  try {
    const found = new Map<string, string>();
    let n = 0;
    const cases = [...domainCorpusFiles().flatMap(variants), ...EXTRA_CASES];
    {
      for (const c of cases) {
        const path = join(dir, `case${n++}.cfg`);
        writeFileSync(path, c.text, 'latin1');
        const r = spawnSync(join(oraclesBin, 'xlu-check'), [path], { encoding: 'utf8' });
        const theirs = r.status === 0 ? 'accepts' : 'rejects';
        const ours = errors(c.text, 'xl').length === 0 ? 'accepts' : 'rejects';
        if (theirs !== ours) found.set(c.name, `${theirs}/${ours}`);
      }
    }
    assert.ok(n >= 100, `cases: ${n}`);
    const documented = documentedDivergences();
    const undocumented = [...found].filter(([k, v]) => documented.get(k) !== v).map(([k, v]) => `${k} (libxlutil/ours: ${v})`);
    const stale = [...documented.keys()].filter((k) => !found.has(k));
    assert.deepEqual(undocumented, [], 'divergences missing from docs/parsers/domain.md');
    assert.deepEqual(stale, [], 'docs/parsers/domain.md lists cases that no longer differ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
