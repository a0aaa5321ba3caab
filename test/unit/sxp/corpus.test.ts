// Every xend file of the shared corpus reads without a syntax error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseSxp } from '../../../server/src/formats/sxp/parser';
import { sxpService } from '../../../server/src/formats/sxp/service';
import { defaultSettings } from '../../../server/src/core/settings';
import { sxpCorpusFiles } from './oracle-cases';

test('corpus: every ../shared/corpus/xen/*.sxp* file parses with no syntax error and no error diagnostic', () => {
  const files = sxpCorpusFiles();
  assert.ok(files.length >= 5, `corpus files found: ${files.length}`);
  for (const file of files) {
    const text = readFileSync(file, 'latin1');
    assert.deepEqual(parseSxp(text).errors, [], basename(file));
    const doc = sxpService.parse(text, defaultSettings);
    const errors = sxpService.diagnostics(doc, defaultSettings).filter((d) => d.severity === 1);
    assert.deepEqual(errors, [], basename(file));
  }
});

test('corpus: the 4.4.4 example reads the settings xend would', () => {
  const file = sxpCorpusFiles().find((f) => basename(f) === 'xend-config.sxp.4.4.4')!;
  const syms = sxpService.symbols(sxpService.parse(readFileSync(file, 'latin1'), defaultSettings)).map((s) => s.name);
  assert.deepEqual(syms.slice(0, 4), ['xend-relocation-server', 'xend-relocation-hosts-allow', 'network-script', 'vif-script']);
});
