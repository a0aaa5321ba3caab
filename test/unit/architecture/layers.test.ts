// The server's layers (docs/architecture.md): each folder of server/src imports only the layers
// below it. Read from the sources: every relative import of every server file is checked against
// the table, so a change that makes a format reach into the host index, or the host into the
// LSP layer, fails here with the file and the import named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { repoRoot } from '../../support/paths';

const SERVER = join(repoRoot, 'server', 'src');

/** Each layer and the layers it may import (besides itself). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  protocol: [],
  core: [],
  formats: ['core'],
  host: ['core', 'formats'],
  generate: ['core', 'formats', 'host'],
  apply: ['core', 'formats', 'host'],
  live: ['core', 'formats', 'host', 'apply'],
  features: ['core', 'formats', 'host', 'generate', 'apply', 'live', 'protocol'],
  lsp: ['core', 'formats', 'host', 'generate', 'apply', 'live', 'features', 'protocol'],
  server: ['core', 'formats', 'host', 'features', 'lsp', 'protocol'],
  cli: ['core', 'formats', 'host', 'features'],
  main: ['server'],
};

function layerOf(path: string): string {
  const rel = relative(SERVER, path).split(sep);
  return rel.length === 1 ? rel[0].replace(/\.ts$/, '') : rel[0];
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : n.endsWith('.ts') ? [p] : [];
  });
}

test('every server file imports only the layers below its own', () => {
  const files = tsFiles(SERVER);
  assert.ok(files.length > 80, `server files: ${files.length}`);
  const wrong: string[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const from = layerOf(file);
    assert.ok(
      from in MAY_IMPORT,
      `${relative(repoRoot, file)}: a folder the layer table does not know (${from}); add it to the table and to docs/architecture.md`,
    );
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      // (a module loaded on first use is required: formats/index.ts)
      const from_ = line.indexOf("from '.");
      const req = line.indexOf("require('.");
      const at = from_ >= 0 ? from_ + 6 : req >= 0 ? req + 9 : -1;
      if (at < 0) continue;
      const spec = line.slice(at, line.indexOf("'", at));
      const to = layerOf(normalize(join(dirname(file), spec)));
      seen.add(`${from}->${to}`);
      if (to !== from && !MAY_IMPORT[from].includes(to)) wrong.push(`${relative(repoRoot, file)} (${from}) imports ${spec} (${to})`);
    }
  }
  assert.deepEqual(wrong, []);
  // the table is not vacuous: the main edges are there
  for (const e of ['formats->core', 'host->formats', 'features->host', 'lsp->features', 'server->lsp'])
    assert.ok(seen.has(e), `${e} in ${[...seen].join(' ')}`);
});

test('a layer that breaks the order is found (the check itself)', () => {
  assert.ok(!MAY_IMPORT.formats.includes('host'));
  assert.ok(!MAY_IMPORT.core.length);
  assert.ok(!MAY_IMPORT.host.includes('features') && !MAY_IMPORT.host.includes('lsp'));
});
