// The checks of one interfaces file on its own. Each returns diagnostics with a stable code
// `interfaces/<rule>`; the verdicts follow Debian ifupdown 0.8 unless the dialect says otherwise.
import type { Diagnostic } from 'vscode-languageserver-types';
import { error, hint, makeDiagnostic, warning, type DiagnosticSpec } from '../../core/diagnostics';
import { isIPv4, isIPv6, isMac, netmaskToPrefix, parseIPv4Cidr, parseIPv6Cidr } from '../../core/address';
import type { InterfacesDialect } from '../../core/settings';
import type { LineIndex } from '../../core/text';
import type { IfaceStanza, InterfacesAst, OptionNode } from './ast';
import { describeDialects, dialectsOf, FAMILIES, lookupOption, METHOD_OPTIONS, optionsFor, packagePrefix, type Dialect, type OptionSpec } from './schema';

/** Codes whose presence means ifupdown would refuse the file (the verdict compared with the oracles). */
export const STRUCTURAL_CODES: ReadonlySet<string> = new Set([
  'interfaces/syntax',
  'interfaces/unknown-family',
  'interfaces/unknown-method',
  'interfaces/missing-family',
  'interfaces/missing-method',
  'interfaces/option-outside-stanza',
  'interfaces/empty-value',
  'interfaces/missing-required-option',
  'interfaces/auto-without-iface',
  'interfaces/unknown-template',
  'interfaces/template',
]);

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

function suggest(word: string, candidates: string[]): string {
  let best = '';
  let bestD = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best ? ` Did you mean \`${best}\`?` : '';
}

/** Glob match for mapping patterns (`*`, `?`, `[...]`). */
function globToRegExp(glob: string): RegExp {
  let re = '^';
  for (const ch of glob) re += ch === '*' ? '.*' : ch === '?' ? '.' : /[\\^$.|+(){}]/.test(ch) ? '\\' + ch : ch;
  try {
    return new RegExp(re + '$');
  } catch {
    return /^$/;
  }
}

export function checkInterfaces(ast: InterfacesAst, lines: LineIndex, dialect: InterfacesDialect): Diagnostic[] {
  const out: Diagnostic[] = [];
  const add = (spec: DiagnosticSpec) => out.push(makeDiagnostic(lines, spec));
  const strictIfupdown = dialect === 'ifupdown';
  const accepts = (ds: readonly Dialect[]) => dialect === 'auto' || ds.includes(dialect);

  for (const e of ast.errors) add({ span: e.span, severity: error, code: 'interfaces/syntax', message: e.message });

  for (const t of ast.templates) {
    if (dialect === 'auto' || dialect === 'ifupdown2') continue;
    add({ span: t.span, severity: error, code: 'interfaces/template', message: `This is a Mako template line, which only ifupdown2 expands; ${dialect} reads it as an option outside any stanza.` });
  }

  for (const opt of ast.orphans) {
    add({
      span: opt.name.span,
      severity: error,
      code: 'interfaces/option-outside-stanza',
      message: `\`${opt.name.text}\` is not a stanza keyword, so it is read as an option, but no \`iface\` or \`mapping\` stanza is open here (options must follow an iface or mapping line, before any auto, source or similar line).`,
    });
  }

  // names defined by iface stanzas and mapping patterns, for `auto` and `inherits`
  const ifaceNames = new Map<string, IfaceStanza[]>();
  const mappingPatterns: RegExp[] = [];
  let hasSource = false;
  for (const s of ast.stanzas) {
    if (s.kind === 'mapping') for (const p of s.patterns) mappingPatterns.push(globToRegExp(p.text));
    if (s.kind === 'source' || s.kind === 'source-directory') hasSource = true;
  }

  for (const s of ast.stanzas) {
    if (s.kind === 'iface') {
      checkIface(s, ifaceNames, dialect, add, accepts, strictIfupdown);
      if (s.name) {
        const list = ifaceNames.get(s.name.text);
        if (list) list.push(s);
        else ifaceNames.set(s.name.text, [s]);
      }
    } else if (s.kind === 'mapping') {
      for (const opt of s.options) {
        if (opt.name.text !== 'script' && opt.name.text !== 'map') {
          add({ span: opt.name.span, severity: error, code: 'interfaces/option-outside-stanza', message: `A mapping stanza takes only \`script\` and \`map\` lines; \`${opt.name.text}\` belongs in an \`iface\` stanza.` });
        } else if (!opt.value) {
          add({ span: opt.name.span, severity: error, code: 'interfaces/empty-value', message: `\`${opt.name.text}\` needs a value.` });
        }
      }
    }
  }

  for (const s of ast.stanzas) {
    if (s.kind !== 'auto' && s.kind !== 'allow') continue;
    const bootTime = s.kind === 'auto' || s.className === 'auto';
    for (const n of s.names) {
      const name = n.text;
      if (name === 'lo' || ifaceNames.has(name) || mappingPatterns.some((r) => r.test(name))) continue;
      if (hasSource || !bootTime) {
        add({ span: n.span, severity: warning, code: 'interfaces/auto-without-iface', message: `No \`iface ${name}\` stanza in this file${hasSource ? ' (it may be in a sourced file)' : ''}; ${s.keyword.text} cannot configure \`${name}\` without one.` });
      } else {
        add({ span: n.span, severity: error, code: 'interfaces/auto-without-iface', message: `\`${s.keyword.text} ${name}\` names an interface that no \`iface ${name}\` stanza defines; ifupdown refuses the whole file ("unknown interface ${name}").` });
      }
    }
  }
  return out;
}

type Add = (spec: DiagnosticSpec) => void;

// The options a family and method take, as a set, made once per pair rather than once per stanza.
const allowedCache = new Map<string, ReadonlySet<string>>();
function allowedOptions(family: string, method: string): ReadonlySet<string> {
  const key = `${family} ${method}`;
  let set = allowedCache.get(key);
  if (!set) allowedCache.set(key, (set = new Set(optionsFor(family, method))));
  return set;
}

function checkIface(s: IfaceStanza, defined: Map<string, IfaceStanza[]>, dialect: InterfacesDialect, add: Add, accepts: (ds: readonly Dialect[]) => boolean, strict: boolean): void {
  if (!s.name) return;
  let template: IfaceStanza | undefined;
  if (s.inherits?.template) {
    const cands = defined.get(s.inherits.template.text);
    template = cands?.find((c) => !s.family || !c.family || c.family.text === s.family.text) ?? cands?.[0];
    if (!template) {
      add({ span: s.inherits.template.span, severity: error, code: 'interfaces/unknown-template', message: `\`inherits ${s.inherits.template.text}\`: no stanza of that name comes before this one to copy options from.` });
    }
  }
  const familyText = s.family?.text ?? template?.family?.text;
  const methodText = s.method?.text ?? template?.method?.text;
  const family = familyText ? FAMILIES[familyText] : undefined;
  if (!s.family && !template) {
    if (dialect === 'ifupdown') {
      add({ span: s.name.span, severity: error, code: 'interfaces/missing-family', message: `\`iface ${s.name.text}\` has no address family and method: ifupdown needs \`iface ${s.name.text} FAMILY METHOD\` (for example \`inet static\`). A bare \`iface NAME\` is accepted by ifupdown2 and ifupdown-ng.` });
    }
  } else if (s.family && !family) {
    add({ span: s.family.span, severity: error, code: 'interfaces/unknown-family', message: `\`${s.family.text}\` is not an address family; expected one of ${Object.keys(FAMILIES).filter((f) => f !== 'meta').join(', ')}.${suggest(s.family.text, Object.keys(FAMILIES))}` });
  } else if (family && !s.method && !template) {
    if (dialect === 'ifupdown') {
      add({ span: s.family!.span, severity: error, code: 'interfaces/missing-method', message: `\`iface ${s.name.text} ${family.name}\` has no method; ifupdown needs one of ${Object.keys(family.methods).join(', ')} after the family.` });
    }
  } else if (family && s.method && !family.methods[s.method.text]) {
    const names = Object.keys(family.methods);
    add({ span: s.method.span, severity: error, code: 'interfaces/unknown-method', message: `\`${s.method.text}\` is not a method of the ${family.name} family; expected one of ${names.join(', ')}.${suggest(s.method.text, names)}` });
  }
  for (const w of s.extra) {
    add({ span: w.span, severity: warning, code: 'interfaces/extra-parameter', message: `\`${w.text}\` after the method is not understood; ifupdown ignores it (comments must be on their own line).` });
  }

  const method = family && methodText ? family.methods[methodText] : undefined;
  const allowed = method ? allowedOptions(family!.name, method.name) : undefined;
  const seen = new Map<string, OptionNode>();
  for (const opt of s.options) checkOption(s, opt, allowed, method?.name, family?.name, seen, dialect, add, accepts, strict);

  if (method?.required?.length) {
    for (const req of method.required) {
      const has = (st: IfaceStanza | undefined) => st?.options.some((o) => o.name.text === req && o.value);
      if (has(s) || has(template)) continue;
      // Only Debian's ifupdown insists; ifupdown2 and ifupdown-ng bring such a stanza up without it
      // (a bond or a bridge port often has no address of its own).
      if (dialect === 'ifupdown2' || dialect === 'ifupdown-ng') continue;
      const strictDebian = dialect === 'ifupdown';
      add({
        span: s.method?.span ?? s.name.span,
        severity: strictDebian ? error : warning,
        code: 'interfaces/missing-required-option',
        message: `The ${method.name} method of ${family!.name} needs an \`${req}\` line in this stanza; Debian's \`ifup ${s.name.text}\` fails without it${strictDebian ? '' : ' (ifupdown2 and ifupdown-ng accept it)'}.`,
        data: { option: req },
      });
    }
  }
}

function checkOption(
  s: IfaceStanza,
  opt: OptionNode,
  allowed: ReadonlySet<string> | undefined,
  methodName: string | undefined,
  familyName: string | undefined,
  seen: Map<string, OptionNode>,
  dialect: InterfacesDialect,
  add: Add,
  accepts: (ds: readonly Dialect[]) => boolean,
  strict: boolean,
): void {
  const name = opt.name.text;
  if (!opt.value) {
    add({ span: opt.name.span, severity: error, code: 'interfaces/empty-value', message: `\`${name}\` has no value; ifupdown refuses an option line without one.` });
    return;
  }
  const spec = lookupOption(name);
  const prefix = spec ? undefined : packagePrefix(name);
  if (spec) {
    const ds = dialectsOf(spec);
    if (!accepts(ds)) {
      add({ span: opt.name.span, severity: warning, code: 'interfaces/unknown-option', message: `${dialect} does not know \`${name}\`; ${describeDialects(ds)} ${ds.length > 1 ? 'do' : 'does'}.${strict ? ' ifupdown only passes it to hook scripts.' : ''}`, data: { knownBy: ds } });
    } else if (allowed && METHOD_OPTIONS.has(spec.name) && !allowed.has(spec.name) && !spec.dialects && !spec.package && spec.name !== 'script' && spec.name !== 'map') {
      add({ span: opt.name.span, severity: warning, code: 'interfaces/option-wrong-method', message: `\`${name}\` is not an option of the ${methodName} method of ${familyName}; ifupdown ignores it here.` });
    }
  } else if (prefix) {
    if (prefix.dialects && !accepts(prefix.dialects)) {
      add({ span: opt.name.span, severity: warning, code: 'interfaces/unknown-option', message: `${dialect} does not know \`${name}\`; options starting with \`${prefix.prefix}\` are read by ${describeDialects(prefix.dialects)}.`, data: { knownBy: prefix.dialects } });
    }
  } else {
    add({ span: opt.name.span, severity: warning, code: 'interfaces/unknown-option', message: `\`${name}\` is not an option that ifupdown, ifupdown2 or ifupdown-ng knows${methodName ? ` for ${familyName} ${methodName}` : ''}; ifupdown passes it on to hook scripts as IF_${name.toUpperCase().replace(/-/g, '_')}, which only helps if a script reads it.` });
  }

  const key = spec?.name ?? name;
  const prev = seen.get(key);
  if (prev && spec) {
    const rep = spec.repeat;
    const mayRepeat = rep === true || (Array.isArray(rep) && (dialect === 'auto' ? true : rep.includes(dialect as Dialect)));
    if (!mayRepeat) {
      const line = `\`${name}\` is given twice in \`iface ${s.name?.text ?? ''}\``;
      const more = Array.isArray(rep) ? ` ${describeDialects(rep as Dialect[])} accept several; ifupdown uses only one (put another address in a second \`iface\` stanza).` : ' Only one is used.';
      add({ span: opt.name.span, severity: warning, code: 'interfaces/duplicate-option', message: line + '.' + more, related: [] });
    }
  } else if (!prev) seen.set(key, opt);

  if (spec) checkValue(spec, opt, familyName, dialect, add);
}

function checkValue(spec: OptionSpec, opt: OptionNode, family: string | undefined, dialect: InterfacesDialect, add: Add): void {
  const v = opt.value!;
  const text = v.text;
  const bad = (what: string) => add({ span: v.span, severity: error, code: 'interfaces/invalid-value', message: `\`${opt.name.text} ${text.length > 60 ? text.slice(0, 60) + '…' : text}\`: ${what}`, data: { type: spec.type } });
  const one = opt.values.length === 1;
  switch (spec.type) {
    case 'ipcidr': {
      if (!one) return bad('expected one address, optionally with `/prefix`.');
      const wantV6 = family === 'inet6' || (!family && text.includes(':'));
      if (wantV6 ? !parseIPv6Cidr(text.replace(/\/$/, '')) : !parseIPv4Cidr(text)) {
        bad(wantV6 ? 'expected an IPv6 address, optionally with `/prefix` (0 to 128).' : 'expected an IPv4 address such as 80.68.86.193, optionally with `/prefix` (0 to 32).');
      }
      return;
    }
    case 'ip':
    case 'ipv4':
    case 'ipv6': {
      if (!one) return bad('expected one address.');
      const ok = spec.type === 'ipv4' ? isIPv4(text) : spec.type === 'ipv6' ? isIPv6(text) : isIPv4(text) || isIPv6(text);
      if (!ok) bad(`expected an ${spec.type === 'ipv6' ? 'IPv6' : spec.type === 'ipv4' ? 'IPv4' : 'IP'} address.`);
      return;
    }
    case 'netmask': {
      if (/^\d{1,3}$/.test(text)) {
        const n = Number(text);
        if (n > (family === 'inet6' ? 128 : 32)) bad(`a prefix length is at most ${family === 'inet6' ? 128 : 32}.`);
        return;
      }
      if (family === 'inet6') return bad('for inet6 the netmask is a prefix length such as 64.');
      if (!isIPv4(text)) return bad('expected a dotted netmask such as 255.255.255.248 or a prefix length such as 29.');
      if (netmaskToPrefix(text) === undefined) bad('the one-bits of a netmask must be contiguous from the left (such as 255.255.255.248); this one has gaps.');
      return;
    }
    case 'broadcast':
      if (text !== '+' && text !== '-' && !isIPv4(text)) bad('expected an IPv4 address, `+` (computed, the default) or `-`.');
      return;
    case 'number':
      if (!/^\d+(\.\d+)?$/.test(text)) bad('expected a number.');
      else if (spec.values && !spec.values.includes(text)) bad(`expected one of ${spec.values.join(', ')}.`);
      return;
    case 'boolean':
      if (!/^(yes|no|on|off|true|false|1|0)$/i.test(text)) bad('expected yes or no (on/off also work).');
      return;
    case 'onoff':
      if (text !== 'on' && text !== 'off') bad('expected on or off.');
      return;
    case 'mac':
      if (text !== 'random' && !isMac(text) && !(/^ether\s/.test(text) && isMac(text.slice(6).trim()))) bad('expected a MAC address such as 00:16:3e:12:34:56 (or `random`).');
      return;
    case 'enum':
      if (spec.values && !spec.values.includes(text.toLowerCase())) bad(`expected one of ${spec.values.join(', ')}.`);
      return;
    default:
      void dialect;
      void hint;
      return;
  }
}
