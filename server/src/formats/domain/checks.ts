// The checks of a domain file on its own. Each diagnostic has a stable code `domain/<rule>`.
import type { Diagnostic } from 'vscode-languageserver-types';
import { error, hint, information, makeDiagnostic, warning, type DiagnosticSeverity, type DiagnosticSpec } from '../../core/diagnostics';
import type { Toolstack } from '../../core/settings';
import type { LineIndex } from '../../core/text';
import { isIPv4, isIPv6, isMac, parseIPv4Cidr, parseIPv6Cidr } from '../../core/address';
import { settings, type Assignment, type DomainFile, type StringValue, type Value } from './ast';
import { ACTIONS, KEYS, typeWords, vifKeyInfo, type KeyInfo } from './schema';
import { parseVifSpec, vifStrings } from './vif';
import { short } from './values';
import { pythonNames } from './python';

/** How a file is checked: as xl reads it, as xm reads it, or either (auto, no Python seen). */
export type Mode = 'xl' | 'xm' | 'either';

export function modeOf(file: DomainFile, toolstack: Toolstack): Mode {
  if (toolstack === 'xl' || toolstack === 'xm') return toolstack;
  return file.usesPython ? 'xm' : 'either';
}

export const CODES = {
  syntax: 'domain/syntax',
  xlPython: 'domain/xl-python',
  xlLexical: 'domain/xl-lexical',
  unknownKey: 'domain/unknown-key',
  xmOnlyKey: 'domain/xm-only-key',
  xlOnlyKey: 'domain/xl-only-key',
  duplicateKey: 'domain/duplicate-key',
  expectedNumber: 'domain/expected-number',
  invalidNumber: 'domain/invalid-number',
  memoryUnit: 'domain/memory-unit',
  expectedBoolean: 'domain/expected-boolean',
  expectedString: 'domain/expected-string',
  expectedList: 'domain/expected-list',
  unknownAction: 'domain/unknown-action',
  unknownValue: 'domain/unknown-value',
  unknownVifKey: 'domain/unknown-vif-key',
  vifKeyToolstack: 'domain/vif-key-toolstack',
  vifDeprecatedKey: 'domain/vif-deprecated-key',
  vifSyntax: 'domain/vif-syntax',
  duplicateVifKey: 'domain/duplicate-vif-key',
  invalidMac: 'domain/invalid-mac',
  duplicateMac: 'domain/duplicate-mac',
  invalidIp: 'domain/invalid-ip',
  invalidVifValue: 'domain/invalid-vif-value',
  pythonNameError: 'domain/python-name-error',
} as const;

function levenshtein(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (cur[j] < best) best = cur[j];
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

export function suggestKey(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  const max = name.length <= 4 ? 1 : 2;
  for (const c of candidates) {
    const d = levenshtein(name, c, max);
    if (d <= max && d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/** True when xl.conf rather than a guest: it sets xl.conf keys and no guest key. */
export function looksLikeXlConf(file: DomainFile): boolean {
  let conf = false;
  for (const a of settings(file)) {
    const k = KEYS.get(a.key!.name);
    if (k?.toolstack === 'xl.conf') conf = true;
    else if (k && ['name', 'memory', 'kernel', 'disk', 'vif', 'builder', 'type', 'vcpus'].includes(k.name)) return false;
  }
  return conf;
}

const describe = (v: Value): string =>
  v.kind === 'list'
    ? 'a list'
    : v.kind === 'string'
      ? `the string '${v.value.length > 30 ? v.value.slice(0, 30) + '…' : v.value}'`
      : v.kind === 'number'
        ? `the number ${v.text}`
        : 'Python';

const MAX_SUGGESTIONS = 500;

/** Assignment targets Python itself can assign to: a name, an attribute, an index, a tuple of them. */
function assignableTarget(construct: string): boolean {
  return (
    construct.startsWith('indexing') || construct.startsWith('an attribute') || construct.startsWith('a tuple') || construct.startsWith('a Python variable')
  );
}

/** How a check reports: the severity, and the diagnostic made only if it is kept. */
type Push = (severity: DiagnosticSeverity, make: () => DiagnosticSpec) => void;

/**
 * Where the checks put what they find: the first `max` diagnostics are made (worded and given
 * their range), the others only counted with their worst severity, for the one line that says how
 * many more (capDiagnostics): a file of 300,000 duplicate keys costs a count, not 300,000 messages.
 */
export class Findings {
  readonly diagnostics: Diagnostic[] = [];
  /** Found after the first `max`, not made. */
  dropped = 0;
  /** The worst severity among the dropped (DiagnosticSeverity: lower is worse). */
  worst: DiagnosticSeverity = hint;
  constructor(
    private readonly lines: LineIndex,
    readonly max = Infinity,
  ) {}
  /** True once `max` diagnostics are made: what is found from then on is only counted. */
  get full(): boolean {
    return this.diagnostics.length >= this.max;
  }
  readonly push: Push = (severity, make) => {
    if (this.diagnostics.length < this.max) this.diagnostics.push(makeDiagnostic(this.lines, make()));
    else {
      this.dropped++;
      if (severity < this.worst) this.worst = severity;
    }
  };
}

/** The file's own diagnostics, in order; with `findings` given, only its first `max` are made (see Findings). */
export function checkDomain(file: DomainFile, lines: LineIndex, toolstack: Toolstack, findings = new Findings(lines)): Diagnostic[] {
  const push = findings.push;
  const mode = modeOf(file, toolstack);
  const text = lines.text;

  for (const e of file.errors) push(error, () => ({ span: e.span, severity: error, code: CODES.syntax, message: e.message }));

  // A target Python cannot assign to (`install-method = debootstrap` is `install - method = …`):
  // a SyntaxError for xm's Python as much as for xl, so an error whatever the toolstack.
  const badTargets = new Set<number>();
  for (const st of file.statements) {
    if (st.kind !== 'assignment' || !st.pythonTarget || assignableTarget(st.pythonTarget.construct)) continue;
    const t = st.pythonTarget;
    badTargets.add(t.span.start);
    push(error, () => ({
      span: t.span,
      severity: error,
      code: CODES.syntax,
      message: `'${short(text.slice(t.span.start, t.span.end))}' is not a name: Python cannot assign to ${t.construct} (SyntaxError), and xl reads only names, so both xm and xl refuse the file. Names use letters, digits and '_'.`,
    }));
  }
  const syntaxBroken = file.errors.length > 0 || badTargets.size > 0;

  // Where xl would reject the file. Under auto, a file with nothing only xm reads (no Python,
  // no xm-only key) is an xl file, and what breaks xl's lexer is then an error.
  let xmOnly = false;
  if (mode === 'either') for (const a of settings(file)) if (KEYS.get(a.key!.name)?.toolstack === 'xm') xmOnly = true;
  let firstPython = true;
  for (const x of file.xlIssues) {
    if (badTargets.has(x.span.start)) continue;
    const code = x.kind === 'python' ? CODES.xlPython : CODES.xlLexical;
    if (mode === 'xl') push(error, () => ({ span: x.span, severity: error, code, message: x.message }));
    else if (mode === 'either') {
      if (xmOnly)
        push(warning, () => ({
          span: x.span,
          severity: warning,
          code,
          message: `${x.message} (xl refuses the file; xm, which the xm-only keys here suggest, reads it.)`,
        }));
      else
        push(error, () => ({
          span: x.span,
          severity: error,
          code,
          message: `${x.message} xl (libxlutil) refuses the file; nothing here is only for xm, so it is read as an xl file.`,
        }));
    } else if (toolstack === 'auto') {
      const severity = x.kind === 'python' && firstPython ? information : hint;
      const message =
        x.kind === 'python' && firstPython ? `This file uses Python, so it is read as an xm file; xl would reject it here. ${x.message}` : x.message;
      if (x.kind === 'python') firstPython = false;
      push(severity, () => ({ span: x.span, severity, code, message }));
    }
  }

  // The names the Python of the file uses: a helper variable is not a key, an undefined name
  // stops xm with NameError (checked only when Python would get past compiling the file).
  const names = file.usesPython || mode === 'xm' ? pythonNames(file, text) : undefined;
  if (names && mode === 'xm' && !syntaxBroken) {
    const told = new Set<string>();
    for (const n of names.undefined) {
      if (told.has(n.name)) continue;
      told.add(n.name);
      push(error, () => ({
        span: n.span,
        severity: error,
        code: CODES.pythonNameError,
        message: `'${short(n.name)}' is not defined anywhere: xm runs this file as Python and stops with NameError. Put it in quotes if it is a value ('${short(n.name)}').`,
        data: { name: n.name },
      }));
    }
  }

  // Keys: unknown, other toolstack, duplicates, value types.
  const seen = new Map<string, Assignment>();
  // "Did you mean" costs an edit distance against every key: offered for the first unknown keys only.
  let suggestions = 0;
  for (const a of settings(file)) {
    const name = a.key!.name;
    const info = KEYS.get(name);
    if (!info) {
      if (names?.used.has(name)) {
        // a helper variable of the Python: used later in the file
      } else if (!/^[a-z_][a-z0-9_]*\.default\./.test(name)) {
        // (past the cap nothing more is worded: no suggestion to look for)
        const s = !findings.full && suggestions++ < MAX_SUGGESTIONS ? suggestKey(name, KEYS.keys()) : undefined;
        push(warning, () => ({
          span: a.key!.span,
          severity: warning,
          code: CODES.unknownKey,
          message: `Unknown key '${short(name)}': neither xl nor xm reads it, so it has no effect.${s ? ` Did you mean '${s}'?` : ''}`,
          data: s ? { suggestion: s } : undefined,
        }));
      }
    } else if (info.toolstack === 'xm' && mode === 'xl') {
      push(warning, () => ({
        span: a.key!.span,
        severity: warning,
        code: CODES.xmOnlyKey,
        message: `xl ignores '${short(name)}': only xm read it. ${info.description}`,
      }));
    } else if (info.toolstack === 'xl' && mode === 'xm') {
      push(warning, () => ({ span: a.key!.span, severity: warning, code: CODES.xlOnlyKey, message: `xm does not know '${short(name)}': only xl reads it.` }));
    }
    if (!a.conditional) {
      if (a.op === '=' || a.op === '+=') {
        const prev = seen.get(name);
        if (prev && a.op === '=') {
          push(warning, () => {
            const line = lines.positionAt(a.span.start).line + 1;
            return {
              span: prev.key!.span,
              severity: warning,
              code: CODES.duplicateKey,
              message: `'${short(name)}' is set again on line ${line}; the last setting wins, so this one has no effect.`,
              data: { line: line - 1 },
              unnecessary: true,
              related: [{ location: { uri: '', range: lines.range(a.key!.span.start, a.key!.span.end) }, message: 'the setting that wins' }],
            };
          });
        }
        if (a.op === '=') seen.set(name, a);
      }
    }
    if (info && a.value) checkType(info, a.value, mode, push);
    if ((name === 'vif' || name === 'vif2') && a.value) checkVif(a.value, mode, push);
  }
  return findings.diagnostics;
}

function checkType(info: KeyInfo, v: Value, mode: Mode, push: Push): void {
  if (v.kind === 'python') return;
  const name = info.name;
  const wrong = (code: string, what: string) =>
    push(error, () => ({ span: v.span, severity: error, code, message: `'${short(name)}' takes ${what}, but is given ${describe(v)}.` }));
  switch (info.type) {
    case 'number':
    case 'memory': {
      if (v.kind === 'number') {
        if (Number.isNaN(v.value)) {
          push(error, () => ({
            span: v.span,
            severity: error,
            code: CODES.invalidNumber,
            message: `'${v.text}' is not a number xl can read (decimal, 0x… hexadecimal, or octal with a leading 0 and digits 0-7).`,
          }));
        }
      } else if (v.kind === 'string') {
        const t = v.value.trim();
        if (/^[0-9]+$/.test(t) || /^0x[0-9a-f]+$/i.test(t)) return;
        if (info.type === 'memory' && /^[0-9]+(\.[0-9]+)?\s*[kmgt]i?b?$/i.test(t)) {
          push(error, () => ({
            span: v.span,
            severity: error,
            code: CODES.memoryUnit,
            message: `'${short(name)}' is a number of MiB without a unit: write it as a plain number (e.g. 512 for 512 MiB).`,
          }));
        } else wrong(CODES.expectedNumber, info.type === 'memory' ? 'a size in MiB (a plain number)' : 'a number');
      } else wrong(CODES.expectedNumber, typeWords(info.type));
      return;
    }
    case 'boolean':
      if (v.kind === 'number') return;
      if (v.kind === 'string' && /^[0-9]+$/.test(v.value.trim())) return;
      wrong(CODES.expectedBoolean, 'a boolean (0 or 1)');
      return;
    case 'string':
      if (v.kind === 'list') wrong(CODES.expectedString, "a 'string'");
      return;
    case 'list':
      if (v.kind !== 'list') {
        push(error, () => ({
          span: v.span,
          severity: error,
          code: CODES.expectedList,
          message: `'${short(name)}' takes a [ list ], but is given ${describe(v)}; write it as [ ${v.kind === 'string' ? `'${short(v.value)}'` : 'value'} ] (a single value is ignored).`,
        }));
      }
      return;
    case 'action':
      if (v.kind !== 'string') wrong(CODES.expectedString, "an action in quotes, e.g. 'destroy'");
      else if (!ACTIONS.includes(v.value)) {
        push(error, () => ({
          span: v.span,
          severity: error,
          code: CODES.unknownAction,
          message: `'${short(v.value)}' is not an action for '${short(name)}'; use one of ${ACTIONS.join(', ')}.`,
          data: { values: ACTIONS },
        }));
      }
      return;
    case 'enum':
      if (v.kind === 'list') wrong(CODES.expectedString, 'one word in quotes');
      else if (v.kind === 'string' && info.values && !info.values.includes(v.value)) {
        const values = info.values;
        push(warning, () => ({
          span: v.span,
          severity: warning,
          code: CODES.unknownValue,
          message: `'${short(v.value)}' is not a known value of '${short(name)}' (known: ${values.join(', ')}).`,
          data: { values },
        }));
      }
      return;
    default:
      void mode;
      return;
  }
}

const DOTTED_QUAD = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const RATE = /^[0-9]+(\.[0-9]+)?[GMK]?[Bb]\/s(@[0-9]+(us|ms|s))?$/;

function checkVif(value: Value, mode: Mode, push: Push): void {
  if (value.kind === 'list') {
    for (const item of value.items) {
      if (item.kind === 'number' || item.kind === 'list') {
        push(error, () => ({
          span: item.span,
          severity: error,
          code: CODES.expectedString,
          message: "Each vif is a 'string' of key=value items, e.g. 'ip=80.68.86.194'.",
        }));
      }
    }
  }
  const macs = new Map<string, StringValue>();
  for (const { string } of vifStrings(value)) {
    const items = parseVifSpec(string);
    const keys = new Set<string>();
    for (const it of items) {
      const info = vifKeyInfo(it.key);
      if (it.value === undefined && !info?.flag) {
        push(error, () => ({
          span: it.span,
          severity: error,
          code: CODES.vifSyntax,
          message: info ? `'${short(it.key)}' needs a value: write ${short(it.key)}=…` : `Expected key=value in the vif spec, but found '${short(it.key)}'.`,
        }));
        continue;
      }
      if (!info) {
        const s = suggestKey(it.key, [...['mac', 'bridge', 'ip', 'script', 'vifname', 'type', 'model', 'backend', 'rate', 'gatewaydev', 'mtu', 'devid']]);
        // xm (create.py configure_vifs) stops with "Invalid vif option"; xl 4.11-4.17
        // (parse_nic_config) prints "unrecognized argument" and goes on without it.
        push(mode === 'xm' ? error : warning, () => ({
          span: it.keySpan,
          severity: mode === 'xm' ? error : warning,
          code: CODES.unknownVifKey,
          message: `Unknown vif key '${short(it.key)}': ${
            mode === 'xm'
              ? 'xm stops with "Invalid vif option" and does not start the guest'
              : mode === 'xl'
                ? 'xl prints "unrecognized argument" and ignores it'
                : 'xl prints "unrecognized argument" and ignores it; xm would refuse the guest ("Invalid vif option")'
          }.${s ? ` Did you mean '${s}'?` : ''}`,
          data: s ? { suggestion: s } : undefined,
        }));
        continue;
      }
      if (info.toolstack !== 'both') {
        const other = info.toolstack === 'xl' ? 'xm' : 'xl';
        if (mode === other && other === 'xm') {
          push(error, () => ({
            span: it.keySpan,
            severity: error,
            code: CODES.vifKeyToolstack,
            message: `xm does not accept the vif key '${short(it.key)}' (only xl does): it stops with "Invalid vif option" and does not start the guest.`,
          }));
        } else if (mode === other) {
          push(warning, () => ({
            span: it.keySpan,
            severity: warning,
            code: CODES.vifKeyToolstack,
            message: `xl does not know the vif key '${short(it.key)}' (only xm does): it prints "unrecognized argument" and ignores it.`,
          }));
        } else if (mode === 'either') {
          push(warning, () => ({
            span: it.keySpan,
            severity: warning,
            code: CODES.vifKeyToolstack,
            message: `The vif key '${short(it.key)}' is understood by ${info.toolstack} only; ${other} would refuse it.`,
          }));
        }
      }
      if (info.deprecated && mode !== 'xm') {
        push(hint, () => ({
          span: it.keySpan,
          severity: hint,
          code: CODES.vifDeprecatedKey,
          message: `'${short(it.key)}' is an old name: xl prefers '${info.deprecated}'.`,
          deprecated: true,
          data: { replacement: info.deprecated },
        }));
      }
      if (keys.has(it.key))
        push(warning, () => ({
          span: it.span,
          severity: warning,
          code: CODES.duplicateVifKey,
          message: `'${short(it.key)}' is given twice in this vif; the last one wins.`,
        }));
      keys.add(it.key);
      const v = it.value ?? '';
      const vs = it.valueSpan ?? it.span;
      switch (it.key) {
        case 'mac':
          // xl prints "Invalid parameter `mac'" and goes on with the pairs it read (the guest gets
          // another MAC than written); xm's xend refuses the device
          if (!isMac(v))
            push(mode === 'xl' ? warning : error, () => ({
              span: vs,
              severity: mode === 'xl' ? warning : error,
              code: CODES.invalidMac,
              message: `'${short(v)}' is not a MAC address: write six pairs of hex digits joined by ':' (e.g. 00:16:3e:00:00:01).${mode === 'xl' ? ' xl prints "Invalid parameter `mac\'" and starts the guest with another MAC.' : ''}`,
            }));
          else {
            const k = v.toLowerCase();
            if (macs.has(k))
              push(warning, () => ({
                span: vs,
                severity: warning,
                code: CODES.duplicateMac,
                message: `The MAC address ${v} is used by another vif of this guest.`,
              }));
            macs.set(k, string);
          }
          break;
        case 'ip': {
          const addrs = v.split(/\s+/).filter(Boolean);
          if (addrs.length === 0) push(error, () => ({ span: vs, severity: error, code: CODES.invalidIp, message: "'ip=' needs an address." }));
          // several addresses: xl keeps the string, xend passes it whole to the vif script, and
          // vif-route and vif-bridge loop over its words: fine for both toolstacks
          let off = 0;
          for (const addr of addrs) {
            const at = v.indexOf(addr, off);
            off = at + addr.length;
            const ok = DOTTED_QUAD.test(addr) || isIPv4(addr) || isIPv6(addr) || parseIPv4Cidr(addr) !== undefined || parseIPv6Cidr(addr) !== undefined;
            if (!ok) {
              const span = it.valueSpan && !string.offsets ? { start: vs.start + at, end: vs.start + at + addr.length } : vs;
              push(error, () => ({ span, severity: error, code: CODES.invalidIp, message: `'${short(addr)}' is not an IPv4 or IPv6 address.` }));
            }
          }
          break;
        }
        case 'rate':
          if (!RATE.test(v))
            push(error, () => ({
              span: vs,
              severity: error,
              code: CODES.invalidVifValue,
              message: `'${short(v)}' is not a rate: write e.g. 10Mb/s, 1MB/s or 10Mb/s@20ms (B = bytes, b = bits).`,
            }));
          break;
        case 'mtu':
        case 'devid':
          if (!/^[0-9]+$/.test(v))
            push(error, () => ({
              span: vs,
              severity: error,
              code: CODES.invalidVifValue,
              message: `'${short(it.key)}' takes a whole number, not '${short(v)}'.`,
            }));
          break;
        case 'type':
          // xl prints "Invalid parameter `type'" and keeps the default; xm passes any word on
          if (mode !== 'xm' && v !== 'ioemu' && v !== 'vif')
            push(warning, () => ({
              span: vs,
              severity: warning,
              code: CODES.invalidVifValue,
              message: `xl knows the vif types 'ioemu' and 'vif', not '${short(v)}': it prints "Invalid parameter \`type'" and keeps the default.${v === 'netfront' ? " ('netfront' is xm's word; xl's is 'vif'.)" : ''}`,
            }));
          break;
        case 'accel':
          if (mode === 'xl')
            push(warning, () => ({ span: it.keySpan, severity: warning, code: CODES.vifKeyToolstack, message: "xl does not support 'accel' and ignores it." }));
          break;
      }
    }
  }
}
