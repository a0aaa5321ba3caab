// Every domain file and xl.conf of the shared corpus reads without a syntax error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseDomain } from '../../../server/src/formats/domain/parser';
import { settings } from '../../../server/src/formats/domain/ast';
import { domainCorpusFiles } from './oracle-cases';
import { diags } from './helpers';

test('corpus: every domain file and xl.conf parses with no syntax error and no error diagnostic (toolstack auto)', () => {
  const files = domainCorpusFiles();
  assert.ok(files.length >= 20, `corpus files found: ${files.length}`);
  for (const file of files) {
    const text = readFileSync(file, 'latin1');
    const f = parseDomain(text);
    assert.deepEqual(f.errors, [], basename(file));
    assert.deepEqual(
      diags(text, 'auto').filter((d) => d.severity === 1),
      [],
      basename(file),
    );
    assert.deepEqual(
      diags(text, 'xm').filter((d) => d.severity === 1),
      [],
      basename(file),
    );
  }
});

test('corpus: the Python files (xmexample2/3) are told apart from the xl ones', () => {
  for (const file of domainCorpusFiles()) {
    const f = parseDomain(readFileSync(file, 'latin1'));
    const python = /xmexample[23]\./.test(basename(file));
    assert.equal(f.usesPython, python, basename(file));
    if (python) assert.ok(settings(f).some((a) => a.key!.name === 'name' && a.value?.kind === 'python'));
    else assert.ok(settings(f).length > 0 || /xl\.conf/.test(file), basename(file));
  }
});
