// The chevrotain grammar is loaded only when a statement leaves the parser's fast path: a file of
// plain settings (the bench's 300,000 assignments among them) never loads it; the first Python
// statement does, and is parsed as before. (A file of its own: the state is this process's.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grammarLoaded, parseDomain } from '../../../server/src/formats/domain/parser';
import { generateDomain } from '../../bench/generate';

test('a file of plain settings does not load the grammar; a Python statement does', () => {
  assert.equal(grammarLoaded(), false, 'loaded before any parse');
  const plain = parseDomain(generateDomain(2_000) + "name = 'vm1'\nmemory = 0x100\nvif = [ 'ip=10.0.0.1', ]\nvif += [ 'mac=00:16:3e:00:00:01' ]\n");
  assert.equal(plain.statements.length, 2_004);
  assert.deepEqual(plain.errors, []);
  assert.equal(grammarLoaded(), false, 'plain settings loaded the grammar');

  const python = parseDomain("import os\nmemory = 256 * 2\nname = 'vm' + str(1)\n");
  assert.equal(grammarLoaded(), true, 'an expression did not load the grammar');
  assert.deepEqual(
    python.statements.map((s) => s.kind),
    ['python', 'assignment', 'assignment'],
  );
  assert.equal(python.usesPython, true);
});
