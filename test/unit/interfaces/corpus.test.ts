// Every interfaces file of ../shared/corpus parses, with the dialect of its folder, without syntax
// errors, except the files that are broken on purpose (listed here with the reason).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from '../../support/paths';
import { STRUCTURAL_CODES } from '../../../server/src/formats/interfaces/checks';
import { diags } from './helpers';
import { interfacesCorpus } from './oracle-cases';
import { requirement } from '../../support/requirements';

/** Corpus files with deliberate syntax errors, and why. */
export const BROKEN_ON_PURPOSE: Record<string, string> = {
  'debian-ifupdown/testcase.12': 'ifupdown\'s test of an `iface` line with no interface name (ifquery: "too few parameters for iface line")',
  'debian-ifupdown/testcase.14': "ifupdown's test of `inherits` with no stanza name after it",
  'debian-ifupdown/testcase.15': "ifupdown's test of `inherits` with no stanza name after it",
};

const shared = requirement(existsSync(join(corpusDir, 'interfaces')) ? null : `no corpus at ${corpusDir} (set XEN_SHARED_DIR)`, 'SKIP_ORACLES');
test('the interfaces corpus is there', { skip: shared.skip }, () => {
  shared.check();
  const ids = interfacesCorpus().map((f) => f.id);
  assert.ok(ids.length >= 70, `only ${ids.length} files`);
  for (const id of Object.keys(BROKEN_ON_PURPOSE)) assert.ok(ids.includes(id), `${id} listed but not in the corpus`);
});

for (const f of existsSync(join(corpusDir, 'interfaces')) ? interfacesCorpus() : []) {
  test(`corpus ${f.id} (${f.dialect})`, () => {
    const text = readFileSync(f.path, 'latin1');
    const ds = diags(text, f.dialect);
    const syntax = ds.filter((d) => d.code === 'interfaces/syntax');
    if (BROKEN_ON_PURPOSE[f.id]) {
      assert.ok(syntax.length > 0, `${f.id} is listed as broken on purpose but has no syntax error`);
      return;
    }
    assert.deepEqual(
      syntax.map((d) => `${d.range.start.line + 1}: ${d.message}`),
      [],
    );
    // a template (ifupdown2's Mako example) gets the one template diagnostic instead of the checks
    for (const d of ds) assert.match(String(d.code), /^(interfaces|template)\//);
    // files written for the newer tools are accepted by their dialect: no structural errors
    if (f.dialect !== 'ifupdown') {
      const structural = ds.filter((d) => STRUCTURAL_CODES.has(String(d.code)) && d.code !== 'interfaces/auto-without-iface');
      assert.deepEqual(
        structural.map((d) => `${d.range.start.line + 1}: ${d.code} ${d.message}`),
        [],
      );
    }
  });
}
