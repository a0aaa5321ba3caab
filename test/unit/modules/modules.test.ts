// /etc/modules and modules-load.d: parsing, checks, and the editor features.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { MarkupContent } from 'vscode-languageserver-types';
import { modulesService, parseModulesDocument, MODULES_CODES } from '../../../server/src/formats/modules/service';
import { flavourOf, parseModules } from '../../../server/src/formats/modules/parser';
import { defaultSettings } from '../../../server/src/core/settings';

const doc = (text: string, uri?: string) => modulesService.parse(text, defaultSettings, uri);
const codes = (text: string, uri?: string) => modulesService.diagnostics(doc(text, uri), defaultSettings).map((d) => d.code);

test('parse: names, parameters, comments with # and ;, blank lines, CRLF', () => {
  const text = '# /etc/modules\r\n\r\ndummy numdummies=2\r\n  ; note\r\nloop max_loop=64 debug\r\n';
  const f = parseModules(text, 'etc-modules');
  assert.deepEqual(
    f.modules.map((m) => [m.name, m.line, m.params.map((p) => [p.key, p.value])]),
    [
      ['dummy', 2, [['numdummies', '2']]],
      [
        'loop',
        4,
        [
          ['max_loop', '64'],
          ['debug', undefined],
        ],
      ],
    ],
  );
  assert.deepEqual(
    f.comments.map((c) => [c.text, c.line]),
    [
      ['# /etc/modules', 0],
      ['; note', 3],
    ],
  );
  const m = f.modules[0];
  assert.equal(text.slice(m.nameSpan.start, m.nameSpan.end), 'dummy');
  assert.equal(text.slice(m.params[0].span.start, m.params[0].span.end), 'numdummies=2');
});

test('the kind of file comes from its path', () => {
  assert.equal(flavourOf('file:///host/etc/modules'), 'etc-modules');
  assert.equal(flavourOf('/etc/modules-load.d/xen.conf'), 'modules-load.d');
  assert.equal(flavourOf(undefined), 'auto');
});

test("the article's /etc/modules has no diagnostics; its symbols are the modules", () => {
  const d = doc('# /etc/modules\ndummy\nloop\n', 'file:///etc/modules');
  assert.deepEqual(modulesService.diagnostics(d, defaultSettings), []);
  assert.deepEqual(
    modulesService.symbols(d).map((s) => s.name),
    ['dummy', 'loop'],
  );
});

const cases: [string, string, string, string | undefined, (string | undefined)?][] = [
  ['modules/invalid-name', 'dum/my\n', 'dummy\nxen-netback\nchar-major-10-135\n', undefined],
  ['modules/duplicate-module', 'xen-netback\nloop\nxen_netback\n', 'xen-netback\nloop\n', undefined],
  ['modules/parameters-not-allowed', 'dummy numdummies=2\n', 'dummy\n', '/etc/modules-load.d/net.conf'],
  ['modules/inline-comment', 'dummy # for dummy0\n', '# for dummy0\ndummy\n', undefined],
  // systemd-modules-load reads only modules-load.d/*.conf: the same text is skipped under another name
  ['modules/not-conf', 'dummy\n', 'dummy\n', 'file:///etc/modules-load.d/xen', 'file:///etc/modules-load.d/xen.conf'],
];

test('every code has a positive and a negative case', () => {
  assert.deepEqual(new Set(cases.map((c) => c[0])), new Set(MODULES_CODES));
});

for (const [code, bad, good, uri, goodUri] of cases) {
  test(`${code}: reported when due, silent otherwise`, () => {
    assert.ok(codes(bad, uri).includes(code), `${code} in ${codes(bad, uri).join(', ')}`);
    assert.ok(!codes(good, goodUri ?? uri).includes(code));
  });
}

test('parameters are fine in /etc/modules, and the duplicate points at the first', () => {
  assert.deepEqual(codes('dummy numdummies=2\n', 'file:///etc/modules'), []);
  const d = modulesService.diagnostics(doc('loop\ndummy\nloop\n'), defaultSettings)[0];
  assert.equal(d.severity, 2);
  assert.equal(d.range.start.line, 2);
  assert.match(String(d.message), /line 1/);
  assert.equal(d.relatedInformation![0].location.range.start.line, 0);
});

test('invalid name: the range is the bad character, the message says what is allowed', () => {
  const d = modulesService.diagnostics(doc('du$mmy\n'), defaultSettings)[0];
  assert.deepEqual(d.range, { start: { line: 0, character: 2 }, end: { line: 0, character: 3 } });
  assert.match(String(d.message), /letters, digits/);
  assert.equal(d.severity, 1);
});

test('hover: well-known network modules get a sentence, others a generic note', () => {
  const d = doc('dummy\nsnd_hda_intel\n8021q\n');
  const h = (line: number) => (modulesService.hover(d, { line, character: 2 }, defaultSettings)!.contents as MarkupContent).value;
  assert.match(h(0), /dummy0/);
  assert.match(h(1), /modinfo/);
  assert.match(h(2), /VLAN/);
  assert.equal(modulesService.hover(doc('# dummy\n'), { line: 0, character: 3 }, defaultSettings), null);
});

test('completion: well-known names, not those already listed', () => {
  const d = doc('dummy\nxen-\n');
  const labels = modulesService.completion(d, { line: 1, character: 4 }, defaultSettings).map((c) => c.label);
  assert.ok(labels.includes('xen-netback') && labels.includes('bridge'));
  assert.ok(!labels.includes('dummy'));
  assert.deepEqual(
    modulesService
      .completion(d, { line: 0, character: 5 }, defaultSettings)
      .map((c) => c.label)
      .includes('dummy'),
    true,
  );
  assert.deepEqual(modulesService.completion(doc('# x'), { line: 0, character: 3 }, defaultSettings), []);
});

test('folding: blocks of comment lines', () => {
  const folds = modulesService.folding(doc('# a\n# b\n; c\ndummy\n# d\nloop\n'));
  assert.deepEqual(folds, [{ startLine: 0, endLine: 2, kind: 'comment' }]);
});

test('robustness: no input makes a function throw; ranges stay in the document', () => {
  const exercise = (text: string) => {
    const d = parseModulesDocument(text, 'modules-load.d');
    const maxLine = d.lines.lineCount - 1;
    for (const x of modulesService.diagnostics(d, defaultSettings)) assert.ok(x.range.end.line <= maxLine);
    for (const s of modulesService.symbols(d)) assert.ok(s.range.end.line <= maxLine);
    modulesService.folding(d);
    for (let line = 0; line <= Math.min(maxLine, 3); line++) {
      modulesService.hover(d, { line, character: 1 }, defaultSettings);
      modulesService.completion(d, { line, character: 1 }, defaultSettings);
    }
  };
  fc.assert(fc.property(fc.string({ maxLength: 300 }), exercise), { numRuns: 300 });
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (b) => exercise(Buffer.from(b).toString('latin1'))),
    { numRuns: 200 },
  );
  for (const t of [
    '\u0000dummy\u0000',
    '\uFEFFdummy\r\nloop\r\n',
    'x'.repeat(10 * 1024 * 1024),
    'dummy\n'.repeat(100_000),
    '('.repeat(100_000),
    '\r'.repeat(10_000),
  ]) {
    exercise(t);
  }
});
