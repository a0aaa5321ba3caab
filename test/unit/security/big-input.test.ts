// Issue 12, big but allowed input: 300 KB of `(` as an open xend-config.sxp (6 s and 620 MB per
// keystroke before), 2 MB of `(` as read from disk (46 s and 2.75 GB). The reader keeps lists to
// a depth, nodes and syntax errors to a number, and every format's diagnostics to a number, with
// one more that says how many were left out. Outcomes are asserted, not speeds (the time bounds
// are safety limits only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { serviceFor } from '../../../server/src/formats';
import { defaultSettings } from '../../../server/src/core/settings';
import type { LanguageId } from '../../../server/src/core/language';
import { MAX_FILE_DIAGNOSTICS } from '../../../server/src/core/diagnostics';
import { MAX_SXP_DEPTH, MAX_SXP_NODES, MAX_SYNTAX_ERRORS, parseSxp } from '../../../server/src/formats/sxp/parser';
import type { SxpList } from '../../../server/src/formats/sxp/ast';

const MB2 = 2 * 1024 * 1024 - 1;

function diagnose(languageId: LanguageId, text: string): Diagnostic[] {
  const svc = serviceFor(languageId);
  const started = Date.now();
  const doc = svc.parse(text, defaultSettings, 'file:///h/etc/x');
  const d = svc.diagnostics(doc, defaultSettings);
  svc.symbols(doc);
  svc.folding(doc);
  assert.ok(Date.now() - started < 30_000, `${languageId}: ${Date.now() - started} ms (a safety bound)`);
  return d;
}

const depthOf = (items: SxpList['items']) => {
  let depth = 0;
  let level = items;
  for (;;) {
    const l = level.find((x): x is SxpList => x.kind === 'list');
    if (!l) return depth;
    depth++;
    level = l.items;
  }
};

test('300 KB of `(` as xend-config.sxp: the lists kept stop at the depth cap, one note says so', () => {
  const text = '('.repeat(300 * 1024);
  const ast = parseSxp(text);
  assert.equal(depthOf(ast.items), MAX_SXP_DEPTH);
  assert.equal(ast.maxDepth, text.length, 'the parentheses are still counted');
  assert.deepEqual(ast.tooDeep, { start: MAX_SXP_DEPTH, end: MAX_SXP_DEPTH + 1 });
  const d = diagnose('xen-xend-config', text);
  assert.equal(d.filter((x) => x.code === 'sxp/too-deep').length, 1);
  assert.equal(d.filter((x) => x.code === 'sxp/unclosed-list').length, MAX_SXP_DEPTH);
  assert.ok(d.length <= MAX_FILE_DIAGNOSTICS + 3, String(d.length));
});

test('2 MB of `(`, of `)`, of `(` on lines, of quotes as xend-config.sxp: bounded nodes and errors, the rest counted', () => {
  const open = parseSxp('('.repeat(MB2));
  assert.equal(depthOf(open.items), MAX_SXP_DEPTH);
  const close = parseSxp(')'.repeat(MB2));
  assert.equal(close.errors.length, MAX_SYNTAX_ERRORS);
  assert.equal(close.moreErrors, MB2 - MAX_SYNTAX_ERRORS);
  const d = diagnose('xen-xend-config', ')'.repeat(MB2));
  const more = d.find((x) => x.code === 'sxp/more-problems');
  assert.ok(more, 'one diagnostic says how many more');
  assert.equal(more.severity, 1, 'the ones left out are errors');
  assert.match(String(more.message), new RegExp(`^${MB2 - MAX_SYNTAX_ERRORS} more problems`));
  // a million lists at the top level: the reader stops at MAX_SXP_NODES and says where
  const lines = parseSxp('(\n'.repeat(MB2 >> 1));
  assert.equal(lines.items.length, MAX_SXP_NODES);
  assert.ok(lines.stoppedAt);
  const dl = diagnose('xen-xend-config', '(\n'.repeat(MB2 >> 1));
  assert.equal(dl.filter((x) => x.code === 'sxp/too-big').length, 1);
  assert.ok(dl.length <= MAX_FILE_DIAGNOSTICS + 3);
  const quotes = diagnose('xen-xend-config', "'".repeat(MB2));
  assert.ok(quotes.length <= MAX_FILE_DIAGNOSTICS + 3);
});

test('every format: at most MAX_FILE_DIAGNOSTICS diagnostics on 512 KB of hostile text, and one that says more were found', () => {
  const KB512 = 512 * 1024;
  const texts: Record<string, string> = {
    bangs: '!\n'.repeat(KB512 >> 1),
    parens: '(\n'.repeat(KB512 >> 1),
    stanzas: 'iface a inet bogus\n'.repeat(KB512 / 19),
    backslashes: '\\\n'.repeat(KB512 >> 1),
  };
  for (const lang of ['debian-interfaces', 'xen-domain', 'kernel-modules', 'xen-xend-config'] as LanguageId[]) {
    for (const [name, text] of Object.entries(texts)) {
      const d = diagnose(lang, text);
      assert.ok(d.length <= MAX_FILE_DIAGNOSTICS + 3, `${lang} ${name}: ${d.length}`);
      const more = d.filter((x) => String(x.code).endsWith('/more-problems') || x.code === 'domain/not-read' || x.code === 'sxp/too-big');
      if (d.length >= MAX_FILE_DIAGNOSTICS) assert.ok(more.length >= 1, `${lang} ${name}: ${d.length} diagnostics and none says more were left out`);
    }
  }
});

test('a domain file: one statement of a million items is not parsed, and said so', () => {
  const d = diagnose('xen-domain', 'vif = [' + "'ip=1.2.3.4',".repeat(200_000) + ']\n');
  assert.equal(d.filter((x) => x.code === 'domain/not-read').length, 1);
});
