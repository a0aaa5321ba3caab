// Nothing is lost from what users see (issue 13): every file of ../shared/corpus is opened in the
// real server, as a user would open it, and the diagnostics published for it are compared with
// test/fixtures/corpus-diagnostics.txt, which was written by the server as it stood before the
// host index redesign (commit 07e7277). A change that means to alter what users see rewrites the
// file with XEN_UPDATE_SNAPSHOT=1 and says why in its commit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from '../support/lsp-client';
import { corpusDir, listFiles, repoRoot } from '../support/paths';
import { requirement } from '../support/requirements';

const SNAPSHOT = join(repoRoot, 'test', 'fixtures', 'corpus-diagnostics.txt');

/** The language a user's editor gives each corpus file (the corpus names them by origin, not as a host would). */
function languageOf(rel: string): string | undefined {
  if (rel.startsWith('xen/xend-')) return 'xen-xend-config';
  if (rel.startsWith('xen/xl.conf') || rel.startsWith('domains/')) return 'xen-domain';
  if (rel.startsWith('interfaces/')) return 'debian-interfaces';
  return undefined;
}

const shared = requirement(existsSync(corpusDir) ? null : `no corpus at ${corpusDir} (set XEN_SHARED_DIR)`, 'SKIP_ORACLES');

test('every corpus file gets the diagnostics it got before the redesign', { skip: shared.skip }, async () => {
  shared.check();
  const files = listFiles(corpusDir)
    .map((f) => ({ path: f, rel: relative(corpusDir, f) }))
    .filter((f) => languageOf(f.rel));
  assert.ok(files.length > 140, `corpus files: ${files.length}`);
  const client = await TestClient.start();
  const lines: string[] = [];
  try {
    for (const f of files) {
      const uri = pathToFileURL(f.path).href;
      const published = client.waitForDiagnostics(uri, () => true, 20_000);
      await client.open(uri, languageOf(f.rel)!, readFileSync(f.path, 'utf8'));
      const p = await published;
      const ds = p.diagnostics
        .map(
          (d) =>
            `${f.rel}:${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${['', 'error', 'warning', 'info', 'hint'][d.severity ?? 1]} [${String(d.code)}] ${String(d.message).replace(/\n/g, ' / ')}`,
        )
        .sort();
      lines.push(ds.length ? ds.join('\n') : `${f.rel}: (none)`);
      await client.close(uri);
    }
  } finally {
    await client.stop();
  }
  const now = lines.join('\n') + '\n';
  if (process.env.XEN_UPDATE_SNAPSHOT === '1') {
    writeFileSync(SNAPSHOT, now);
    return;
  }
  const before = readFileSync(SNAPSHOT, 'utf8');
  if (now !== before) {
    const a = new Set(before.split('\n'));
    const b = new Set(now.split('\n'));
    const lost = [...a].filter((l) => !b.has(l)).slice(0, 20);
    const gained = [...b].filter((l) => !a.has(l)).slice(0, 20);
    assert.fail(`what users see on the corpus changed.\nlost:\n  ${lost.join('\n  ')}\ngained:\n  ${gained.join('\n  ')}`);
  }
});
