// The checks of one xend-config.sxp on its own. Each returns plain findings with a stable code;
// the service turns them into LSP diagnostics.
import type { DiagnosticSeverity } from 'vscode-languageserver-types';
import { error, information, warning } from '../../core/diagnostics';
import { isIPv4, isIPv6 } from '../../core/address';
import type { Span } from '../../core/text';
import type { SxpFile, SxpNode, SxpSetting } from './ast';
import { OPTIONS_BY_KEY, SCRIPTS_BY_NAME, readBool, readInt, suggestKey, type SxpOption } from './schema';
import { readSettings, scalarText, splitScript } from './settings';

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

function nodeText(file: SxpFile, node: SxpNode): string {
  return file.text.slice(node.span.start, node.span.end);
}

/** `lineOf` gives a 0-based line for an offset (to name the line of the first of duplicates). */
export function checkSxp(file: SxpFile, lineOf?: (offset: number) => number): SxpFinding[] {
  const out: SxpFinding[] = [];
  for (const e of file.errors) out.push({ code: e.code, severity: error, message: e.message, span: e.span });
  const settings = readSettings(file);
  const xend = looksLikeXendConfig(settings);

  if (xend) {
    for (const item of file.items) {
      const isSetting = item.kind === 'list' && item.items.length > 0 && item.items[0].kind === 'atom';
      if (isSetting) continue;
      const what =
        item.kind === 'list'
          ? item.items.length === 0
            ? 'An empty list'
            : 'A list that does not start with a setting name'
          : `The ${item.kind === 'string' ? 'string' : 'word'} ${short(nodeText(file, item))}`;
      out.push({
        code: 'sxp/not-a-setting',
        severity: warning,
        message: `${what} at the top level is ignored by xend: a setting is a list that starts with its name, like (dom0-min-mem 196).`,
        span: item.kind === 'list' ? item.open : item.span,
      });
    }
  }

  const firstByKey = new Map<string, SxpSetting>();
  for (const s of settings) {
    if (!s.first) {
      const first = firstByKey.get(s.key)!;
      out.push({
        code: 'sxp/duplicate-key',
        severity: warning,
        message: `'${short(s.key)}' is set more than once; xend reads only the first one${lineOf ? ` (line ${lineOf(first.keySpan.start) + 1})` : ''}, so this one has no effect.`,
        span: s.keySpan,
        relatedSpan: first.keySpan,
        relatedMessage: `the first '${short(s.key)}', which xend uses`,
        data: { firstStart: first.keySpan.start },
      });
    } else {
      firstByKey.set(s.key, s);
    }
    const opt = OPTIONS_BY_KEY.get(s.key);
    if (!opt) {
      if (xend) {
        const suggestion = suggestKey(s.key);
        out.push({
          code: 'sxp/unknown-key',
          severity: warning,
          message: `xend does not know the setting '${short(s.key)}' and ignores it.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`,
          span: s.keySpan,
          data: suggestion ? { suggestion } : undefined,
        });
      }
      continue;
    }
    checkValue(file, s, opt, out);
  }
  checkScriptPair(settings, out);
  return out;
}

function checkValue(file: SxpFile, s: SxpSetting, opt: SxpOption, out: SxpFinding[]): void {
  const v = s.value;
  if (!v) {
    out.push({
      code: 'sxp/missing-value',
      severity: warning,
      message: `'${s.key}' has no value, so xend uses its default (${opt.default}).`,
      span: s.list.span,
    });
    return;
  }
  if (opt.type === 'list') {
    if (v.kind !== 'list') {
      out.push({
        code: 'sxp/expected-list',
        severity: warning,
        message: `'${s.key}' expects a list in parentheses, e.g. ${opt.default}.`,
        span: v.span,
      });
    }
    return;
  }
  if (v.kind === 'list') {
    out.push({
      code: 'sxp/expected-value',
      severity: error,
      message: `'${s.key}' expects a single ${typeWord(opt)}, not a list.`,
      span: v.span,
    });
    return;
  }
  if (s.extra.length) {
    const last = s.extra[s.extra.length - 1];
    const ignored = file.text.slice(s.extra[0].span.start, last.span.end);
    const whole = file.text.slice(v.span.start, last.span.end);
    const script = opt.type === 'script';
    out.push({
      code: 'sxp/unquoted-spaces',
      severity: script ? error : warning,
      message: `xend reads only the first word, '${short(scalarText(v) ?? '')}', of '${s.key}'; the rest ('${short(ignored)}') is ignored. Quote the whole value: '${short(whole, 60)}'.`,
      span: { start: v.span.start, end: last.span.end },
      data: { quoted: `'${whole.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` },
    });
  }
  const text = scalarText(v) ?? '';
  switch (opt.type) {
    case 'bool':
      if (readBool(text) === undefined) {
        out.push({
          code: 'sxp/invalid-bool',
          severity: error,
          message: `'${s.key}' is yes or no, not '${short(text)}'; xend refuses to start on it (it also accepts y/n, on/off, true/false, 1/0).`,
          span: v.span,
        });
      }
      break;
    case 'int':
      if (readInt(text) === undefined) {
        out.push({
          code: 'sxp/invalid-int',
          severity: error,
          message: `'${s.key}' is a whole number${opt.unit ? ` (${opt.unit})` : ''}, not '${short(text)}'; xend refuses to start on it.`,
          span: v.span,
        });
      }
      break;
    case 'address': {
      const problem = addressProblem(text, !!opt.allowInterface);
      if (problem) out.push({ code: 'sxp/invalid-address', severity: warning, message: `'${s.key}': ${problem}`, span: v.span });
      break;
    }
    case 'regexps':
      for (const word of text.split(/[ \t\n\v\f\r]+/)) {
        if (!word) continue;
        const why = regexpProblem(word);
        if (why) {
          out.push({
            code: 'sxp/invalid-regexp',
            severity: error,
            message: `'${short(word)}' in '${s.key}' is not a valid regular expression (${why}); xend fails when it compiles it.`,
            span: v.span,
          });
        }
      }
      break;
    case 'string':
      if (opt.values && !opt.values.includes(text)) {
        out.push({
          code: 'sxp/unknown-value',
          severity: warning,
          message: `'${short(text)}' is not one of the values of '${s.key}': ${opt.values.join(', ')}.`,
          span: v.span,
        });
      }
      break;
    case 'script':
      checkScript(s, opt, out);
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
  if (regexpCache.has(src)) return regexpCache.get(src);
  if (regexpCache.size > 1000) regexpCache.clear();
  const why = compileProblem(src);
  regexpCache.set(src, why);
  return why;
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

function checkScript(s: SxpSetting, opt: SxpOption, out: SxpFinding[]): void {
  const call = splitScript(s.value);
  if (!call) return;
  // an absolute or relative path is the admin's own script: nothing to check about it
  if (call.name.includes('/')) return;
  const info = SCRIPTS_BY_NAME.get(call.name);
  if (opt.scripts === 'any') return;
  if (!info || info.family !== opt.scripts) {
    const family = [...SCRIPTS_BY_NAME.values()].filter((x) => x.family === opt.scripts).map((x) => x.name);
    out.push({
      code: 'sxp/unknown-script',
      severity: warning,
      message: info
        ? `'${call.name}' is a ${info.family} script, not a ${opt.scripts} script; '${s.key}' normally names one of ${family.join(', ')}.`
        : `'${short(call.name)}' is not a script Xen ships (${family.join(', ')}); xend looks for it in /etc/xen/scripts, so make sure your own script is there.`,
      span: call.nameSpan,
    });
    return;
  }
  const known = new Set(info.args.map((a) => a.name));
  for (const arg of call.args) {
    if (arg.key === undefined) {
      out.push({
        code: 'sxp/malformed-script-arg',
        severity: warning,
        message: `'${short(arg.text)}' is not a key=value argument; ${info.name} takes arguments like ${info.args.map((a) => a.name + '=…').join(' ') || 'none'}.`,
        span: arg.span,
      });
    } else if (!known.has(arg.key)) {
      out.push({
        code: 'sxp/unknown-script-arg',
        severity: warning,
        message: info.args.length
          ? `${info.name} does not use '${short(arg.key)}'; its arguments are ${info.args.map((a) => a.name).join(', ')}.`
          : `${info.name} takes no arguments; '${short(arg.key)}' is ignored.`,
        span: arg.keySpan ?? arg.span,
      });
    }
  }
}

function checkScriptPair(settings: SxpSetting[], out: SxpFinding[]): void {
  const net = settings.find((s) => s.first && s.key === 'network-script');
  const vif = settings.find((s) => s.first && s.key === 'vif-script');
  const n = splitScript(net?.value);
  const v = splitScript(vif?.value);
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
