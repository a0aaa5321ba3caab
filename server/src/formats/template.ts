// Telling a template (Jinja, ERB, Mako) from the configuration file it will become. People keep
// the interfaces file of an Ansible role or a Puppet module in the project beside real files;
// checked as a configuration file, every `{{ name }}` becomes a complaint. A template gets one
// diagnostic saying so, and no other check runs on it.
//
// Only a few fixed markers are looked for, line by line with indexOf (no regular expression runs
// over the whole text): Jinja's `{{ … }}`, `{% … %}` and `{# … #}`, ERB's `<% … %>`, Perl
// Text::Template's `{$name}` (xen-tools' domain-file templates), `iface $NAME` (a file for
// envsubst or a shell script: no reader expands a stanza name), and Mako's control lines
// (`% for`, `% if`, `% endfor`…) — `${…}` alone is not enough, since shell commands in `up`
// lines use it.
import type { Diagnostic } from 'vscode-languageserver-types';
import { hint, information, makeDiagnostic } from '../core/diagnostics';
import type { LineIndex } from '../core/text';

export type TemplateKind = 'Jinja' | 'ERB' | 'Mako' | 'Text::Template' | 'shell-variable';

export interface TemplateMark {
  kind: TemplateKind;
  /** The first marker found: offsets into the text. */
  start: number;
  end: number;
}

const MAKO_WORDS = ['for', 'if', 'elif', 'else', 'endfor', 'endif', 'while', 'endwhile', 'try', 'except', 'endtry'];

/** Lines longer than this are not looked into (a hostile file's one huge line costs nothing). */
const MAX_LINE = 4096;

function pair(line: string, open: string, close: string): number {
  const i = line.indexOf(open);
  if (i < 0) return -1;
  return line.indexOf(close, i + open.length) > i ? i : -1;
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Whether the line is a Mako control line: optional blanks, `%`, optional blanks, a control word. */
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

/** Where `$NAME` starts when the line is `iface $NAME …` (blanks allowed before), else -1. */
function shellVariableIface(line: string): number {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  if (!line.startsWith('iface', i)) return -1;
  i += 5;
  if (line[i] !== ' ' && line[i] !== '\t') return -1;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return line[i] === '$' && isNameStart(line.charCodeAt(i + 1)) ? i : -1;
}

/** The marker of one line (text[start, end), no `\n` in it), or undefined. */
function lineMark(text: string, start: number, end: number): TemplateMark | undefined {
  const line = text.slice(start, end);
  let at = pair(line, '{{', '}}');
  if (at >= 0) return { kind: 'Jinja', start: start + at, end: start + line.indexOf('}}', at) + 2 };
  at = pair(line, '{%', '%}');
  if (at >= 0) return { kind: 'Jinja', start: start + at, end: start + line.indexOf('%}', at) + 2 };
  at = pair(line, '{#', '#}');
  if (at >= 0) return { kind: 'Jinja', start: start + at, end: start + line.indexOf('#}', at) + 2 };
  at = pair(line, '<%', '%>');
  if (at >= 0) return { kind: 'ERB', start: start + at, end: start + line.indexOf('%>', at) + 2 };
  // Perl's Text::Template, as xen-tools writes its domain files (`name = '{$hostname}'`)
  at = line.indexOf('{$');
  if (at >= 0 && isNameStart(line.charCodeAt(at + 2)) && line.indexOf('}', at + 3) > at)
    return { kind: 'Text::Template', start: start + at, end: start + line.indexOf('}', at + 3) + 1 };
  if (makoControl(line)) return { kind: 'Mako', start, end: line.endsWith('\r') ? end - 1 : end };
  // `iface $NAME …`: no reader expands a variable in a stanza name (ifupdown takes `$NAME`
  // literally), so the file is a template for envsubst or a shell script
  at = shellVariableIface(line);
  if (at >= 0) return { kind: 'shell-variable', start: start + at, end: start + wordEnd(line, at) };
  return undefined;
}

/**
 * The first template marker of the text, or undefined when it reads as a plain file.
 *
 * Every marker holds `{`, `%` or `$` (`{{ {% {# {$`, `<%`, a Mako `%` line, `iface $NAME`), so only
 * the lines holding one of the three are looked into, in file order: the next of each character
 * is found with indexOf over the whole text (a native search, fast from the first call, where a
 * loop over every line ran cold on a large file: 20-50 ms of the CLI's run on the bench's files).
 */
export function findTemplate(text: string): TemplateMark | undefined {
  const n = text.length;
  // the next `{`, `%` and `$` at or after `from` (n when there is none)
  let brace = -1;
  let percent = -1;
  let dollar = -1;
  let from = 0;
  while (from < n) {
    if (brace < from) brace = nextOf(text, '{', from);
    if (percent < from) percent = nextOf(text, '%', from);
    if (dollar < from) dollar = nextOf(text, '$', from);
    const at = Math.min(brace, percent, dollar);
    if (at >= n) return undefined;
    // the line of `at`, split at `\n` only
    const start = at === 0 ? 0 : text.lastIndexOf('\n', at - 1) + 1;
    let end = text.indexOf('\n', at);
    if (end < 0) end = n;
    if (end - start <= MAX_LINE) {
      const mark = lineMark(text, start, end);
      if (mark) return mark;
    }
    from = end + 1;
  }
  return undefined;
}

function nextOf(text: string, c: string, from: number): number {
  const i = text.indexOf(c, from);
  return i < 0 ? text.length : i;
}

export const TEMPLATE_CODE = 'template/not-checked';

/**
 * The one diagnostic of a template. `expandedBy` names a real reader that expands this kind
 * itself (ifupdown2 renders Mako), which makes it a hint rather than information.
 */
export function templateDiagnostic(mark: TemplateMark, lines: LineIndex, expandedBy?: string): Diagnostic {
  const message = expandedBy
    ? `This is a ${mark.kind} template, which ${expandedBy} expands when it reads the file; the checks are off for it.`
    : `This is a ${mark.kind} template, not a configuration file: the checks are off for it (check the file it renders to).`;
  return makeDiagnostic(lines, {
    span: { start: mark.start, end: mark.end },
    severity: expandedBy ? hint : information,
    code: TEMPLATE_CODE,
    message,
    data: { kind: mark.kind },
  });
}
