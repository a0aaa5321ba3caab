// docs/diagnostics.md lists every diagnostic code the server and the CLI can publish, and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles, repoRoot } from '../../support/paths';

const CODE = /['"`]((?:interfaces|sxp|domain|modules|host|server|template|cli|live)\/[a-z0-9]+(?:-[a-z0-9]+)*)['"`]/g;

test('every diagnostic code in the server is documented in docs/diagnostics.md, and only those', () => {
  const used = new Set<string>();
  for (const file of listFiles(join(repoRoot, 'server', 'src')).filter((f) => f.endsWith('.ts'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(CODE)) used.add(m[1]);
  }
  const doc = readFileSync(join(repoRoot, 'docs', 'diagnostics.md'), 'utf8');
  const documented = new Set([...doc.matchAll(/^\| `([a-z]+\/[a-z0-9-]+)` \|/gm)].map((m) => m[1]));
  assert.ok(used.size > 50, `codes found in server/src: ${used.size}`);
  assert.deepEqual([...used].filter((c) => !documented.has(c)).sort(), [], 'used but not documented');
  assert.deepEqual([...documented].filter((c) => !used.has(c)).sort(), [], 'documented but not used');
});
