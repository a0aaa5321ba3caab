// The checks of one xend-config.sxp on its own. Each returns plain findings with a stable code;
// the service turns them into LSP diagnostics.
import type { DiagnosticSeverity } from 'vscode-languageserver-types';
import { error, information, warning } from '../../core/diagnostics';
import { dottedQuadValue, isIPv4, isIPv6 } from '../../core/address';
import type { Span } from '../../core/text';
import type { ScriptCall, SxpFile, SxpNode, SxpSetting } from './ast';
import { FLAG_CLOSED, FLAG_ESCAPED, KIND_ATOM, KIND_LIST, KIND_MASK, scalarAt } from './parser';
import { isBoolWord, isInt, OPTIONS_BY_KEY, SCRIPTS_BY_NAME, suggestKey, type ScriptInfo, type SxpOption } from './schema';
import { splitScript } from './settings';

export interface SxpFinding {
  code: string;
  severity: DiagnosticSeverity;
  message: string;
  span: Span;
  /** Where the first of a duplicated key is. */
  relatedSpan?: Span;
  relatedMessage?: string;
  data?: unknown;
}

/** Every diagnostic code the xend-config checks can produce, syntax included. */
export const SXP_CODES = [
  'sxp/unclosed-list',
  'sxp/unexpected-close',
  'sxp/unterminated-string',
  'sxp/invalid-character',
  'sxp/invalid-escape',
  'sxp/not-a-setting',
  'sxp/unknown-key',
  'sxp/missing-value',
  'sxp/unquoted-spaces',
  'sxp/duplicate-key',
  'sxp/invalid-bool',
  'sxp/invalid-int',
  'sxp/invalid-address',
  'sxp/invalid-regexp',
  'sxp/unknown-value',
  'sxp/expected-value',
  'sxp/expected-list',
  'sxp/unknown-script',
  'sxp/unknown-script-arg',
  'sxp/malformed-script-arg',
  'sxp/script-pair',
] as const;

const short = (s: string, n = 40) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

/** True when the file looks like xend's main configuration (at least one key xend reads). */
export function looksLikeXendConfig(settings: SxpSetting[]): boolean {
  return settings.some((s) => OPTIONS_BY_KEY.has(s.key));
}

/** The same, on the offsets (no setting made). */
function setsXendKey(file: SxpFile): boolean {
  const { count, kinds, starts, ends, nexts } = file.tree;
  for (let k = 0; k < count; k = nexts[k]) {
    if ((kinds[k] & KIND_MASK) !== KIND_LIST) continue;
    const head = k + 1;
    if (head >= nexts[k] || (kinds[head] & KIND_MASK) !== KIND_ATOM) continue;
    if (OPTIONS_BY_KEY.has(file.text.slice(starts[head], ends[head]))) return true;
  }
  return false;
}

/**
 * How many findings to make: once `limit` findings of the top-level expressions are made, the
 * findings of the expressions after them come after all of those in file order, so they are only
 * counted (`counted`, and the most severe in `worst`): no message, no position.
 */
export interface FindingLimit {
  limit: number;
  counted: number;
  worst: DiagnosticSeverity | undefined;
}

/**
 * Where findings go: into `out`, or, once `counting`, only counted (see FindingLimit). The checks
 * ask `counting` before they make a finding, rather than handing over a closure that makes it: in
 * the CLI, which inlines little (cli.ts), a closure per setting, and the heap context its captured
 * variables then live in, was an allocation per setting for findings that are mostly only counted.
 */
class Findings {
  readonly out: SxpFinding[] = [];
  counting = false;
  /** The findings only counted, by severity (a field incremented where a call per finding was). */
  errors = 0;
  warnings = 0;
  constructor(readonly limit: FindingLimit | undefined) {}
  add(f: SxpFinding): void {
    this.out.push(f);
  }
  /** Adds the findings counted to the limit (at the end of the checks). */
  settle(): void {
    const l = this.limit;
    if (!l || this.errors + this.warnings === 0) return;
    l.counted += this.errors + this.warnings;
    const worst = this.errors > 0 ? error : warning;
    if (l.worst === undefined || worst < l.worst) l.worst = worst;
  }
}

/**
 * `lineOf` gives a 0-based line for an offset (to name the line of the first of duplicates).
 * With `limit`, the findings past the limit are counted, not made (see FindingLimit).
 */
export function checkSxp(file: SxpFile, lineOf?: (offset: number) => number, limit?: FindingLimit): SxpFinding[] {
  const sink = new Findings(limit);
  const out = sink.out;
  for (const e of file.errors) out.push({ code: e.code, severity: error, message: e.message, span: e.span });
  const syntax = out.length;
  const xend = setsXendKey(file);
  const { count, kinds, starts, ends, nexts } = file.tree;
  const text = file.text;
  // each key met: its text, where its first setting starts, its option
  const byKey = new Map<string, KeySeen>();
  // The same by the key's length and first and last characters: a key met before is found without
  // a copy of its text (its text compared in place), so neither the copy nor its hash is made
  // again for each of the settings of a large file. (Different keys of one such number: the last
  // one met is kept, the others are found through byKey.)
  const recent = new Map<number, KeySeen>();
  // the values of the first network-script and vif-script (for the pair check)
  let network = -1;
  let vif = -1;
  for (let k = 0; k < count; k = nexts[k]) {
    if (limit && !sink.counting && out.length - syntax >= limit.limit) sink.counting = true;
    const isList = (kinds[k] & KIND_MASK) === KIND_LIST;
    const head = k + 1;
    const isSetting = isList && head < nexts[k] && (kinds[head] & KIND_MASK) === KIND_ATOM;
    if (!isSetting) {
      if (!xend) continue;
      if (sink.counting) sink.warnings++;
      else sink.add(notASetting(file, k));
      continue;
    }
    const keyStart = starts[head];
    const keyEnd = ends[head];
    const tag = (keyEnd - keyStart) * 65536 + (text.charCodeAt(keyStart) & 255) * 256 + (text.charCodeAt(keyEnd - 1) & 255);
    let seen = recent.get(tag);
    if (seen === undefined || !text.startsWith(seen.key, keyStart)) {
      const key = text.slice(keyStart, keyEnd);
      seen = byKey.get(key);
      if (seen === undefined) {
        seen = { key, first: -1, opt: OPTIONS_BY_KEY.get(key) };
        byKey.set(key, seen);
      }
      recent.set(tag, seen);
    }
    const key = seen.key;
    const first = seen.first;
    if (first >= 0) {
      if (sink.counting) sink.warnings++;
      else sink.add(duplicateKey(key, keyStart, keyEnd, first, lineOf));
    } else {
      seen.first = keyStart;
    }
    const opt = seen.opt;
    if (!opt) {
      if (xend) {
        if (sink.counting) sink.warnings++;
        else sink.add(unknownKey(key, keyStart, keyEnd));
      }
      continue;
    }
    const v = nexts[head] < nexts[k] ? nexts[head] : -1;
    if (first < 0 && v >= 0 && opt.type === 'script') {
      if (key === 'network-script') network = v;
      else if (key === 'vif-script') vif = v;
    }
    checkValue(file, k, key, v, opt, sink);
  }
  sink.settle();
  checkScriptPair(network < 0 ? undefined : file.node(network), vif < 0 ? undefined : file.node(vif), out);
  return out;
}

function notASetting(file: SxpFile, k: number): SxpFinding {
  const { starts, ends } = file.tree;
  const item = file.node(k);
  const what =
    item.kind === 'list'
      ? item.items.length === 0
        ? 'An empty list'
        : 'A list that does not start with a setting name'
      : `The ${item.kind === 'string' ? 'string' : 'word'} ${short(file.text.slice(starts[k], ends[k]))}`;
  return {
    code: 'sxp/not-a-setting',
    severity: warning,
    message: `${what} at the top level is ignored by xend: a setting is a list that starts with its name, like (dom0-min-mem 196).`,
    span: item.kind === 'list' ? item.open : { start: starts[k], end: ends[k] },
  };
}

function duplicateKey(key: string, keyStart: number, keyEnd: number, first: number, lineOf: ((offset: number) => number) | undefined): SxpFinding {
  return {
    code: 'sxp/duplicate-key',
    severity: warning,
    message: `'${short(key)}' is set more than once; xend reads only the first one${lineOf ? ` (line ${lineOf(first) + 1})` : ''}, so this one has no effect.`,
    span: { start: keyStart, end: keyEnd },
    relatedSpan: { start: first, end: first + key.length },
    relatedMessage: `the first '${short(key)}', which xend uses`,
    data: { firstStart: first },
  };
}

function unknownKey(key: string, keyStart: number, keyEnd: number): SxpFinding {
  const suggestion = suggestKey(key);
  return {
    code: 'sxp/unknown-key',
    severity: warning,
    message: `xend does not know the setting '${short(key)}' and ignores it.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`,
    span: { start: keyStart, end: keyEnd },
    data: suggestion ? { suggestion } : undefined,
  };
}

/** A key met by checkSxp: its text, where its first setting starts (-1 before it is met), its option. */
interface KeySeen {
  key: string;
  first: number;
  opt: SxpOption | undefined;
}

/** Makes the finding of a setting's value (its span: the value's). */
function valueFinding(out: Findings, severity: DiagnosticSeverity, code: string, message: string, start: number, end: number): void {
  out.add({ code, severity, message, span: { start, end } });
}

/** Checks the value (node `at` of the tree, -1 when the list has none) of setting `list`. */
function checkValue(file: SxpFile, list: number, key: string, at: number, opt: SxpOption, out: Findings): void {
  const { kinds, starts, ends, nexts } = file.tree;
  if (at < 0) {
    if (out.counting) out.warnings++;
    else valueFinding(out, warning, 'sxp/missing-value', `'${key}' has no value, so xend uses its default (${opt.default}).`, starts[list], ends[list]);
    return;
  }
  const isList = (kinds[at] & KIND_MASK) === KIND_LIST;
  // (the value's span)
  const vStart = starts[at];
  const vEnd = ends[at];
  if (opt.type === 'list') {
    if (!isList) {
      if (out.counting) out.warnings++;
      else valueFinding(out, warning, 'sxp/expected-list', `'${key}' expects a list in parentheses, e.g. ${opt.default}.`, vStart, vEnd);
    }
    return;
  }
  if (isList) {
    if (out.counting) out.errors++;
    else valueFinding(out, error, 'sxp/expected-value', `'${key}' expects a single ${typeWord(opt)}, not a list.`, vStart, vEnd);
    return;
  }
  const stop = nexts[list];
  // (the key is node list + 1, the value the node after it, then the values xend ignores)
  const firstExtra = nexts[nexts[list + 1]];
  if (firstExtra < stop) {
    let last = firstExtra;
    while (nexts[last] < stop) last = nexts[last];
    const severity = opt.type === 'script' ? error : warning;
    if (out.counting) {
      if (severity === error) out.errors++;
      else out.warnings++;
    } else out.add(unquotedSpaces(file, key, at, firstExtra, last, severity));
  }
  // (a path is not checked: its text is not needed)
  if (opt.type === 'path') return;
  // The value's text is src[from, to): the file's own text for a word or a string without escapes
  // (no copy: the checks below read it in place, and slice it only for a message), else the
  // string's decoded value.
  const kind = kinds[at];
  let src = file.text;
  let from = vStart;
  let to = vEnd;
  if ((kind & KIND_MASK) !== KIND_ATOM) {
    if ((kind & FLAG_ESCAPED) === 0) {
      from = vStart + 1;
      if ((kind & FLAG_CLOSED) !== 0) to = vEnd - 1;
    } else {
      // (host patterns, `^host\\.example\\.org$`, are checked on the text as written when they
      // can be: no decoded copy of a value that has nothing to report)
      if (opt.type === 'regexps' && plainRawPatterns(src, vStart + 1, (kind & FLAG_CLOSED) !== 0 ? vEnd - 1 : vEnd)) return;
      src = scalarAt(file, at) ?? '';
      from = 0;
      to = src.length;
    }
  }
  switch (opt.type) {
    case 'bool':
      if (!isBoolWord(src, from, to)) {
        if (out.counting) out.errors++;
        else
          valueFinding(
            out,
            error,
            'sxp/invalid-bool',
            `'${key}' is yes or no, not '${short(src.slice(from, to))}'; xend refuses to start on it (it also accepts y/n, on/off, true/false, 1/0).`,
            vStart,
            vEnd,
          );
      }
      break;
    case 'int':
      if (!isInt(src, from, to)) {
        if (out.counting) out.errors++;
        else
          valueFinding(
            out,
            error,
            'sxp/invalid-int',
            `'${key}' is a whole number${opt.unit ? ` (${opt.unit})` : ''}, not '${short(src.slice(from, to))}'; xend refuses to start on it.`,
            vStart,
            vEnd,
          );
      }
      break;
    case 'address': {
      // (an IPv4 address, the usual value, is read in place; anything else is sliced and looked at closer)
      if (to === from || dottedQuadValue(src, from, to) >= 0) break;
      const problem = addressProblem(src.slice(from, to), !!opt.allowInterface);
      if (problem) {
        if (out.counting) out.warnings++;
        else valueFinding(out, warning, 'sxp/invalid-address', `'${key}': ${problem}`, vStart, vEnd);
      }
      break;
    }
    case 'regexps':
      // the words between runs of [ \t\n\v\f\r] (what a split would give, without the array)
      for (let i = from; i < to;) {
        let c = src.charCodeAt(i);
        if (c === 32 || (c >= 9 && c <= 13)) {
          i++;
          continue;
        }
        const s = i;
        while (i < to) {
          c = src.charCodeAt(i);
          if (c === 32 || (c >= 9 && c <= 13)) break;
          i++;
        }
        // (most words are plain host patterns, checked in place)
        if (plainPattern(src, s, i)) continue;
        const word = src.slice(s, i);
        const why = regexpProblem(word);
        if (why) {
          if (out.counting) out.errors++;
          else
            valueFinding(
              out,
              error,
              'sxp/invalid-regexp',
              `'${short(word)}' in '${key}' is not a valid regular expression (${why}); xend fails when it compiles it.`,
              vStart,
              vEnd,
            );
        }
      }
      break;
    case 'string':
      if (opt.values && !isOneOf(opt.values, src, from, to)) {
        if (out.counting) out.warnings++;
        else
          valueFinding(
            out,
            warning,
            'sxp/unknown-value',
            `'${short(src.slice(from, to))}' is not one of the values of '${key}': ${opt.values.join(', ')}.`,
            vStart,
            vEnd,
          );
      }
      break;
    case 'script':
      checkScript(file, key, at, src, from, to, opt, out);
      break;
    default:
      break;
  }
}

/** Whether src[from, to) is one of values. */
function isOneOf(values: readonly string[], src: string, from: number, to: number): boolean {
  // (an index, not for-of: before V8 optimizes it, a for-of loop makes an iterator per call)
  for (let k = 0; k < values.length; k++) if (values[k].length === to - from && src.startsWith(values[k], from)) return true;
  return false;
}

function unquotedSpaces(file: SxpFile, key: string, at: number, firstExtra: number, last: number, severity: DiagnosticSeverity): SxpFinding {
  const { starts, ends } = file.tree;
  const ignored = file.text.slice(starts[firstExtra], ends[last]);
  const whole = file.text.slice(starts[at], ends[last]);
  return {
    code: 'sxp/unquoted-spaces',
    severity,
    message: `xend reads only the first word, '${short(scalarAt(file, at) ?? '')}', of '${key}'; the rest ('${short(ignored)}') is ignored. Quote the whole value: '${short(whole, 60)}'.`,
    span: { start: starts[at], end: ends[last] },
    data: { quoted: `'${whole.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` },
  };
}

function typeWord(opt: SxpOption): string {
  switch (opt.type) {
    case 'bool':
      return 'yes or no';
    case 'int':
      return 'number';
    case 'address':
      return 'address';
    case 'script':
      return 'script name (quoted with its arguments)';
    case 'regexps':
      return 'quoted string of regular expressions';
    default:
      return 'value';
  }
}

export function addressProblem(text: string, allowInterface: boolean): string | undefined {
  if (text === '' || isIPv4(text) || isIPv6(text)) return undefined;
  if (/^[\d.]+$/.test(text)) return `'${short(text)}' is not a valid IPv4 address (four numbers 0 to 255 separated by dots).`;
  const host = /^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
  if (host.test(text)) return undefined;
  if (allowInterface && /^[A-Za-z0-9_.:@-]{1,15}$/.test(text)) return undefined;
  return `'${short(text)}' is neither an IP address nor a host name${allowInterface ? ' nor an interface name' : ''}.`;
}

/** Why a Python regular expression does not compile (approximated with JavaScript's), or undefined. */
const regexpCache = new Map<string, string | undefined>();
export function regexpProblem(src: string): string | undefined {
  if (plainPattern(src, 0, src.length)) return undefined;
  if (regexpCache.has(src)) return regexpCache.get(src);
  if (regexpCache.size > 1000) regexpCache.clear();
  const why = compileProblem(src);
  regexpCache.set(src, why);
  return why;
}

/**
 * True for a pattern, src[from, to), that cannot fail to compile: only characters that are literals or the
 * anchors and dot (`^`, `$`, `.`), and backslashes before a dot (`^host\.example\.org$`), so no
 * group, class, repetition nor alternation. Most host patterns are such; they need no compile.
 */
function plainPattern(src: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = src.charCodeAt(i);
    if (c === 92 /* \\ */) {
      if (i + 1 >= to || src.charCodeAt(i + 1) !== 46 /* . */) return false;
      i++;
    } else if (c === 40 || c === 41 || c === 91 || c === 93 || c === 123 || c === 125 || c === 42 || c === 43 || c === 63 || c === 124 || c > 126 || c < 32)
      return false;
  }
  return true;
}

/**
 * True when every word of the string text[from, to), written with escapes, is a plain pattern once
 * decoded (see plainPattern), told without decoding it: only when its escapes are all `\\` (one
 * backslash decoded, and no escape then makes a blank or any other character). False for anything
 * else, which the caller decodes and checks word by word.
 */
function plainRawPatterns(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \\ */) {
      // `\\`, a backslash once decoded, which a plain pattern has only before a dot
      if (i + 2 >= to || text.charCodeAt(i + 1) !== 92 || text.charCodeAt(i + 2) !== 46 /* . */) return false;
      i += 2;
    } else if (c === 32 || (c >= 9 && c <= 13)) continue;
    else if (c === 40 || c === 41 || c === 91 || c === 93 || c === 123 || c === 125 || c === 42 || c === 43 || c === 63 || c === 124 || c > 126 || c < 32)
      return false;
  }
  return true;
}

function compileProblem(src: string): string | undefined {
  const js = src.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  try {
    new RegExp(js);
    return undefined;
  } catch (e) {
    const m = /: ([^:]*)$/.exec(String((e as Error).message));
    return (m ? m[1] : 'syntax error').toLowerCase();
  }
}

/**
 * Checks a script setting's value, node `at` of the tree, whose text (decoded) is text[from, to). The
 * words are read in place (no split, no argument objects); the value's spans (splitScript, which
 * maps each character back to the document through its escapes) are worked out only for a finding
 * made, not for one only counted nor for a value with nothing to report.
 */
function checkScript(file: SxpFile, key: string, at: number, text: string, from: number, to: number, opt: SxpOption, out: Findings): void {
  // (nothing is reported on a setting that takes any script)
  if (opt.scripts === 'any') return;
  let i = from;
  while (i < to && isBlank(text.charCodeAt(i))) i++;
  if (i === to) return;
  const nameStart = i;
  while (i < to && !isBlank(text.charCodeAt(i))) i++;
  const name = text.slice(nameStart, i);
  // an absolute or relative path is the admin's own script: nothing to check about it
  if (name.includes('/')) return;
  const info = SCRIPTS_BY_NAME.get(name);
  let call: ScriptCall | undefined;
  if (!info || info.family !== opt.scripts) {
    if (out.counting) {
      out.warnings++;
      return;
    }
    call = splitScript(file.node(at))!;
    const family = FAMILY_NAMES.get(opt.scripts ?? '') ?? [];
    out.add({
      code: 'sxp/unknown-script',
      severity: warning,
      message: info
        ? `'${call.name}' is a ${info.family} script, not a ${opt.scripts} script; '${key}' normally names one of ${family.join(', ')}.`
        : `'${short(call.name)}' is not a script Xen ships (${family.join(', ')}); xend looks for it in /etc/xen/scripts, so make sure your own script is there.`,
      span: call.nameSpan,
    });
    return;
  }
  // the arguments: the words after the name, `key=value` when a `=` comes after their first character
  for (let arg = 0; ; arg++) {
    while (i < to && isBlank(text.charCodeAt(i))) i++;
    if (i === to) return;
    const s = i;
    let eq = -1;
    while (i < to) {
      const c = text.charCodeAt(i);
      if (isBlank(c)) break;
      if (c === 61 /* = */ && eq < 0) eq = i;
      i++;
    }
    if (eq > s) {
      if (knowsArg(info, text, s, eq)) continue;
      if (out.counting) {
        out.warnings++;
        continue;
      }
      const argKey = text.slice(s, eq);
      const a = (call ??= splitScript(file.node(at))!).args[arg];
      out.add({
        code: 'sxp/unknown-script-arg',
        severity: warning,
        message: info.args.length
          ? `${info.name} does not use '${short(argKey)}'; its arguments are ${info.args.map((x) => x.name).join(', ')}.`
          : `${info.name} takes no arguments; '${short(argKey)}' is ignored.`,
        span: a.keySpan ?? a.span,
      });
    } else {
      if (out.counting) {
        out.warnings++;
        continue;
      }
      const a = (call ??= splitScript(file.node(at))!).args[arg];
      out.add({
        code: 'sxp/malformed-script-arg',
        severity: warning,
        message: `'${short(a.text)}' is not a key=value argument; ${info.name} takes arguments like ${info.args.map((x) => x.name + '=…').join(' ') || 'none'}.`,
        span: a.span,
      });
    }
  }
}

/** The blanks that separate a script's words: space, \t, \n, \v, \f, \r. */
function isBlank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Whether the script takes the argument named text[from, to). */
function knowsArg(info: ScriptInfo, text: string, from: number, to: number): boolean {
  const args = info.args;
  for (let k = 0; k < args.length; k++) if (args[k].name.length === to - from && text.startsWith(args[k].name, from)) return true;
  return false;
}

/** The names of the scripts of each family, in SCRIPTS order. */
const FAMILY_NAMES = new Map<string, string[]>();
for (const x of SCRIPTS_BY_NAME.values()) {
  const names = FAMILY_NAMES.get(x.family) ?? [];
  names.push(x.name);
  FAMILY_NAMES.set(x.family, names);
}

function checkScriptPair(network: SxpNode | undefined, vif: SxpNode | undefined, out: SxpFinding[]): void {
  const n = splitScript(network);
  const v = splitScript(vif);
  if (!n || !v) return;
  const ni = SCRIPTS_BY_NAME.get(n.name);
  const vi = SCRIPTS_BY_NAME.get(v.name);
  if (!ni?.partner || !vi?.partner || ni.family !== 'network' || vi.family !== 'vif') return;
  if (ni.partner !== vi.name) {
    out.push({
      code: 'sxp/script-pair',
      severity: information,
      message: `${v.name} usually goes with ${vi.partner}, but network-script is ${n.name} (which goes with ${ni.partner}). Mixed modes work only with care.`,
      span: v.nameSpan,
      relatedSpan: n.nameSpan,
      relatedMessage: `network-script ${n.name}`,
    });
  }
}
