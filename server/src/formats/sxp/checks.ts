// The checks of one xend-config.sxp on its own. Each returns plain findings with a stable code;
// the service turns them into LSP diagnostics.
import type { DiagnosticSeverity } from 'vscode-languageserver-types';
import { error, information, warning } from '../../core/diagnostics';
import { isIPv4, isIPv6 } from '../../core/address';
import type { Span } from '../../core/text';
import type { SxpFile, SxpNode, SxpSetting } from './ast';
import { KIND_ATOM, KIND_LIST, KIND_MASK, scalarAt } from './parser';
import { OPTIONS_BY_KEY, SCRIPTS_BY_NAME, readBool, readInt, suggestKey, type SxpOption } from './schema';
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

/** Where findings go: made into `out`, or only counted once the limit is reached. */
class Findings {
  readonly out: SxpFinding[] = [];
  counting = false;
  constructor(readonly limit: FindingLimit | undefined) {}
  add(severity: DiagnosticSeverity, make: () => Omit<SxpFinding, 'severity'>): void {
    if (this.counting) {
      const l = this.limit!;
      l.counted++;
      if (l.worst === undefined || severity < l.worst) l.worst = severity;
      return;
    }
    this.out.push({ severity, ...make() });
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
  // the first of each key: where it starts
  const firstByKey = new Map<string, number>();
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
      sink.add(warning, () => {
        const item = file.node(k);
        const what =
          item.kind === 'list'
            ? item.items.length === 0
              ? 'An empty list'
              : 'A list that does not start with a setting name'
            : `The ${item.kind === 'string' ? 'string' : 'word'} ${short(text.slice(starts[k], ends[k]))}`;
        return {
          code: 'sxp/not-a-setting',
          message: `${what} at the top level is ignored by xend: a setting is a list that starts with its name, like (dom0-min-mem 196).`,
          span: item.kind === 'list' ? item.open : { start: starts[k], end: ends[k] },
        };
      });
      continue;
    }
    const key = text.slice(starts[head], ends[head]);
    const keyStart = starts[head];
    const first = firstByKey.get(key);
    if (first !== undefined) {
      sink.add(warning, () => ({
        code: 'sxp/duplicate-key',
        message: `'${short(key)}' is set more than once; xend reads only the first one${lineOf ? ` (line ${lineOf(first) + 1})` : ''}, so this one has no effect.`,
        span: { start: keyStart, end: ends[head] },
        relatedSpan: { start: first, end: first + key.length },
        relatedMessage: `the first '${short(key)}', which xend uses`,
        data: { firstStart: first },
      }));
    } else {
      firstByKey.set(key, keyStart);
    }
    const opt = OPTIONS_BY_KEY.get(key);
    if (!opt) {
      if (xend) {
        sink.add(warning, () => {
          const suggestion = suggestKey(key);
          return {
            code: 'sxp/unknown-key',
            message: `xend does not know the setting '${short(key)}' and ignores it.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`,
            span: { start: keyStart, end: ends[head] },
            data: suggestion ? { suggestion } : undefined,
          };
        });
      }
      continue;
    }
    const v = nexts[head] < nexts[k] ? nexts[head] : -1;
    if (first === undefined && v >= 0) {
      if (key === 'network-script') network = v;
      else if (key === 'vif-script') vif = v;
    }
    checkValue(file, k, key, v, opt, sink);
  }
  checkScriptPair(network < 0 ? undefined : file.node(network), vif < 0 ? undefined : file.node(vif), out);
  return out;
}

/** Checks the value (node `at` of the tree, -1 when the list has none) of setting `list`. */
function checkValue(file: SxpFile, list: number, key: string, at: number, opt: SxpOption, out: Findings): void {
  const { kinds, starts, ends, nexts } = file.tree;
  if (at < 0) {
    out.add(warning, () => ({
      code: 'sxp/missing-value',
      message: `'${key}' has no value, so xend uses its default (${opt.default}).`,
      span: { start: starts[list], end: ends[list] },
    }));
    return;
  }
  const isList = (kinds[at] & KIND_MASK) === KIND_LIST;
  // (the value's span; its view made only for a message or a script)
  const v = { span: { start: starts[at], end: ends[at] } };
  if (opt.type === 'list') {
    if (!isList) {
      out.add(warning, () => ({
        code: 'sxp/expected-list',
        message: `'${key}' expects a list in parentheses, e.g. ${opt.default}.`,
        span: v.span,
      }));
    }
    return;
  }
  if (isList) {
    out.add(error, () => ({
      code: 'sxp/expected-value',
      message: `'${key}' expects a single ${typeWord(opt)}, not a list.`,
      span: v.span,
    }));
    return;
  }
  const stop = nexts[list];
  // (the key is node list + 1, the value the node after it, then the values xend ignores)
  const firstExtra = nexts[nexts[list + 1]];
  if (firstExtra < stop) {
    let last = firstExtra;
    while (nexts[last] < stop) last = nexts[last];
    const script = opt.type === 'script';
    out.add(script ? error : warning, () => {
      const ignored = file.text.slice(starts[firstExtra], ends[last]);
      const whole = file.text.slice(v.span.start, ends[last]);
      return {
        code: 'sxp/unquoted-spaces',
        message: `xend reads only the first word, '${short(scalarAt(file, at) ?? '')}', of '${key}'; the rest ('${short(ignored)}') is ignored. Quote the whole value: '${short(whole, 60)}'.`,
        span: { start: v.span.start, end: ends[last] },
        data: { quoted: `'${whole.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` },
      };
    });
  }
  const text = scalarAt(file, at) ?? '';
  switch (opt.type) {
    case 'bool':
      if (readBool(text) === undefined) {
        out.add(error, () => ({
          code: 'sxp/invalid-bool',
          message: `'${key}' is yes or no, not '${short(text)}'; xend refuses to start on it (it also accepts y/n, on/off, true/false, 1/0).`,
          span: v.span,
        }));
      }
      break;
    case 'int':
      if (readInt(text) === undefined) {
        out.add(error, () => ({
          code: 'sxp/invalid-int',
          message: `'${key}' is a whole number${opt.unit ? ` (${opt.unit})` : ''}, not '${short(text)}'; xend refuses to start on it.`,
          span: v.span,
        }));
      }
      break;
    case 'address': {
      const problem = addressProblem(text, !!opt.allowInterface);
      if (problem) out.add(warning, () => ({ code: 'sxp/invalid-address', message: `'${key}': ${problem}`, span: v.span }));
      break;
    }
    case 'regexps':
      for (const word of text.split(/[ \t\n\v\f\r]+/)) {
        if (!word) continue;
        const why = regexpProblem(word);
        if (why) {
          out.add(error, () => ({
            code: 'sxp/invalid-regexp',
            message: `'${short(word)}' in '${key}' is not a valid regular expression (${why}); xend fails when it compiles it.`,
            span: v.span,
          }));
        }
      }
      break;
    case 'string':
      if (opt.values && !opt.values.includes(text)) {
        out.add(warning, () => ({
          code: 'sxp/unknown-value',
          message: `'${short(text)}' is not one of the values of '${key}': ${opt.values!.join(', ')}.`,
          span: v.span,
        }));
      }
      break;
    case 'script':
      checkScript(key, file.node(at), opt, out);
      break;
    default:
      break;
  }
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
  if (plainPattern(src)) return undefined;
  if (regexpCache.has(src)) return regexpCache.get(src);
  if (regexpCache.size > 1000) regexpCache.clear();
  const why = compileProblem(src);
  regexpCache.set(src, why);
  return why;
}

/**
 * True for a pattern that cannot fail to compile: only characters that are literals or the
 * anchors and dot (`^`, `$`, `.`), and backslashes before a dot (`^host\.example\.org$`), so no
 * group, class, repetition nor alternation. Most host patterns are such; they need no compile.
 */
function plainPattern(src: string): boolean {
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 92 /* \\ */) {
      if (src.charCodeAt(i + 1) !== 46 /* . */) return false;
      i++;
    } else if (c === 40 || c === 41 || c === 91 || c === 93 || c === 123 || c === 125 || c === 42 || c === 43 || c === 63 || c === 124 || c > 126 || c < 32)
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

function checkScript(key: string, value: SxpNode, opt: SxpOption, out: Findings): void {
  const call = splitScript(value);
  if (!call) return;
  // an absolute or relative path is the admin's own script: nothing to check about it
  if (call.name.includes('/')) return;
  const info = SCRIPTS_BY_NAME.get(call.name);
  if (opt.scripts === 'any') return;
  if (!info || info.family !== opt.scripts) {
    const family = FAMILY_NAMES.get(opt.scripts ?? '') ?? [];
    out.add(warning, () => ({
      code: 'sxp/unknown-script',
      message: info
        ? `'${call.name}' is a ${info.family} script, not a ${opt.scripts} script; '${key}' normally names one of ${family.join(', ')}.`
        : `'${short(call.name)}' is not a script Xen ships (${family.join(', ')}); xend looks for it in /etc/xen/scripts, so make sure your own script is there.`,
      span: call.nameSpan,
    }));
    return;
  }
  for (const arg of call.args) {
    if (arg.key === undefined) {
      out.add(warning, () => ({
        code: 'sxp/malformed-script-arg',
        message: `'${short(arg.text)}' is not a key=value argument; ${info.name} takes arguments like ${info.args.map((a) => a.name + '=…').join(' ') || 'none'}.`,
        span: arg.span,
      }));
    } else if (!info.args.some((a) => a.name === arg.key)) {
      const argKey = arg.key;
      out.add(warning, () => ({
        code: 'sxp/unknown-script-arg',
        message: info.args.length
          ? `${info.name} does not use '${short(argKey)}'; its arguments are ${info.args.map((a) => a.name).join(', ')}.`
          : `${info.name} takes no arguments; '${short(argKey)}' is ignored.`,
        span: arg.keySpan ?? arg.span,
      }));
    }
  }
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
