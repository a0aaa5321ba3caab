// findTemplate looks only into the lines that hold `{`, `%` or `$` (found with indexOf over the
// whole text); it must give exactly what a look into every line, one by one, gives. The line-by-line
// way is kept here as the reference, and both run on awkward texts, random texts made of the
// markers' characters, the corpus and the real-world files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findTemplate, type TemplateMark } from '../../../server/src/formats/template';
import { corpusDir, listFiles, sharedDir } from '../../support/paths';

const MAKO_WORDS = ['for', 'if', 'elif', 'else', 'endfor', 'endif', 'while', 'endwhile', 'try', 'except', 'endtry'];
const MAX_LINE = 4096;
const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
function pair(line: string, open: string, close: string): number {
  const i = line.indexOf(open);
  if (i < 0) return -1;
  return line.indexOf(close, i + open.length) > i ? i : -1;
}
function makoControl(line: string): boolean {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  if (line[i] !== '%' || line[i + 1] === '%') return false;
  i++;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  let j = i;
  while (j < line.length && line.charCodeAt(j) >= 97 && line.charCodeAt(j) <= 122) j++;
  return MAKO_WORDS.includes(line.slice(i, j));
}
function wordEnd(line: string, i: number): number {
  while (i < line.length && line[i] !== ' ' && line[i] !== '\t' && line[i] !== '\r') i++;
  return i;
}
function shellVariableIface(line: string): number {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  if (!line.startsWith('iface', i)) return -1;
  i += 5;
  if (line[i] !== ' ' && line[i] !== '\t') return -1;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return line[i] === '$' && isNameStart(line.charCodeAt(i + 1)) ? i : -1;
}

/** The reference: every line, one by one, in file order. */
function everyLine(text: string): TemplateMark | undefined {
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start <= MAX_LINE) {
      const line = text.slice(start, end);
      let at = pair(line, '{{', '}}');
      if (at >= 0) return { kind: 'Jinja', start: start + at, end: start + line.indexOf('}}', at) + 2 };
      at = pair(line, '{%', '%}');
      if (at >= 0) return { kind: 'Jinja', start: start + at, end: start + line.indexOf('%}', at) + 2 };
      at = pair(line, '{#', '#}');
      if (at >= 0) return { kind: 'Jinja', start: start + at, end: start + line.indexOf('#}', at) + 2 };
      at = pair(line, '<%', '%>');
      if (at >= 0) return { kind: 'ERB', start: start + at, end: start + line.indexOf('%>', at) + 2 };
      at = line.indexOf('{$');
      if (at >= 0 && isNameStart(line.charCodeAt(at + 2)) && line.indexOf('}', at + 3) > at)
        return { kind: 'Text::Template', start: start + at, end: start + line.indexOf('}', at + 3) + 1 };
      if (makoControl(line)) return { kind: 'Mako', start, end: line.endsWith('\r') ? end - 1 : end };
      at = shellVariableIface(line);
      if (at >= 0) return { kind: 'shell-variable', start: start + at, end: start + wordEnd(line, at) };
    }
    start = end + 1;
  }
  return undefined;
}

const same = (text: string, what: string) => assert.deepEqual(findTemplate(text), everyLine(text), `${what}: ${JSON.stringify(text.slice(0, 200))}`);

test('findTemplate: awkward texts give what a look into every line gives', () => {
  const long = 'x'.repeat(MAX_LINE);
  const texts = [
    '',
    '\n',
    '{',
    '%',
    '$',
    '{{',
    '{{}}',
    '}}{{',
    '{ {\n}}',
    '{$a}',
    '{$}',
    '{$1}',
    '%for x\n',
    '% for x in y:\r\n',
    '%% for\n',
    '  %\tendif',
    '%forx',
    'iface $IF inet static\n',
    'iface\t$_x\n',
    'iface $1 inet\n',
    ' iface  $NAME\r\n',
    'ifaces $NAME\n',
    'auto eth0\niface eth0 inet manual\n up ip link set ${IFACE} up\n',
    `${long}x {{ a }}\n{% b %}\n`,
    `${long} {{ a }}\n`,
    `${long}{{\n}}`,
    `a\n${long}{{ x }}${long}\n<% y %>\n`,
    'x = 1\n y = "{$\n" }\n{$v}',
    '<%\n%>\n<% a %>',
    '$\n%\n{\n{# c #}',
    'a{b%c$d\n{{e}}',
    '\n\n\n{%x%}',
    'x\r\n{{ y }}\r\n',
  ];
  for (const t of texts) same(t, 'awkward');
});

test("findTemplate: random texts of the markers' characters give what a look into every line gives", () => {
  // a fixed seed: the same texts every run
  let seed = 0x2545f491;
  const rand = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const pieces = [
    '{',
    '}',
    '%',
    '$',
    '#',
    '<',
    '>',
    '\n',
    '\r',
    ' ',
    '\t',
    'a',
    'x',
    '_',
    '1',
    'iface',
    'for',
    'endif',
    '{{',
    '}}',
    '{$',
    '<%',
    '%>',
    '{%',
    '%}',
  ];
  for (let k = 0; k < 5000; k++) {
    let t = '';
    const len = rand(40);
    for (let i = 0; i < len; i++) t += pieces[rand(pieces.length)];
    same(t, 'random');
  }
});

test('findTemplate: the corpus and the real-world files give what a look into every line gives', () => {
  const realworld = join(sharedDir, 'realworld');
  const files = [corpusDir, realworld].flatMap((d) => (existsSync(d) ? listFiles(d) : []));
  assert.ok(files.length > 100, `only ${files.length} files under ${corpusDir} and ${realworld} (set XEN_SHARED_DIR)`);
  let marked = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    same(text, f);
    if (findTemplate(text)) marked++;
  }
  assert.ok(marked > 0, 'no template among the files: the comparison saw only plain files');
});
