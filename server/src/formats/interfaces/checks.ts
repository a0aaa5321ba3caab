// The checks of one interfaces file on its own. Each returns diagnostics with a stable code
// `interfaces/<rule>`; the verdicts follow Debian ifupdown 0.8 unless the dialect says otherwise.
import type { Diagnostic } from 'vscode-languageserver-types';
import {
  capDiagnostics,
  error,
  hint,
  makeDiagnostic,
  MAX_FILE_DIAGNOSTICS,
  warning,
  type DiagnosticSeverity,
  type DiagnosticSpec,
} from '../../core/diagnostics';
import { isIPv4, isIPv4Cidr, isIPv6, isIPv6Cidr, isMac, netmaskToPrefix } from '../../core/address';
import type { InterfacesDialect } from '../../core/settings';
import type { LineIndex } from '../../core/text';
import { compileWildcard, type Wildcard } from '../../core/wildcard';
import { checkpoint } from '../../core/budget';
import type { IfaceStanza, InterfacesAst, NameListStanza, OptionNode } from './ast';
import {
  describeDialects,
  dialectsOf,
  FAMILIES,
  lookupOption,
  METHOD_OPTIONS,
  OBSOLETE_OPTIONS,
  optionsFor,
  packagePrefix,
  type Dialect,
  type MethodSpec,
  type OptionSpec,
} from './schema';

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
  'interfaces/loopback-not-lo',
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

export function checkInterfaces(ast: InterfacesAst, lines: LineIndex, dialect: InterfacesDialect): Diagnostic[] {
  const text = lines.text;
  const out: Diagnostic[] = [];
  // at most MAX_FILE_DIAGNOSTICS are made; the others are counted (with the worst severity among them)
  let made = 0;
  let dropped = 0;
  let droppedWorst: DiagnosticSeverity = hint;
  const room = (spec: DiagnosticSpec) => {
    if (made < MAX_FILE_DIAGNOSTICS) {
      made++;
      return true;
    }
    dropped++;
    if (spec.severity < droppedWorst) droppedWorst = spec.severity;
    return false;
  };
  const add = (spec: DiagnosticSpec) => {
    if (room(spec)) out.push(makeDiagnostic(lines, spec));
  };
  const strictIfupdown = dialect === 'ifupdown';
  const accepts = (ds: readonly Dialect[]) => dialect === 'auto' || ds.includes(dialect);

  for (const e of ast.errors) add({ span: e.span, severity: error, code: 'interfaces/syntax', message: e.message });

  for (const t of ast.templates) {
    if (dialect === 'auto' || dialect === 'ifupdown2') continue;
    add({
      span: t.span,
      severity: error,
      code: 'interfaces/template',
      message: `This is a Mako template line, which only ifupdown2 expands; ${dialect} reads it as an option outside any stanza.`,
    });
  }

  // Speed, for files of many thousand stanzas: the stanzas are walked with `visit`, which makes
  // each one for the time of its check and keeps none, and nothing below keeps an object per
  // stanza or per option unless there is something to report (the diagnostics take their ranges
  // at once, so the nodes can be reused from one stanza to the next). The tree looks names up in
  // a table of offsets; a stanza that `inherits` names is made again when asked for.
  const orphanOut: Diagnostic[] = [];
  const mappingPatterns: Wildcard[] = [];
  // names of `auto` and `allow-` lines that no stanza defined before them, to look up again once
  // all are known: the name's offsets and the line, three entries each
  const pending = new PendingNames();
  let hasSource = false;
  // the first stanza with the loopback method on another name than lo
  let loopbackElsewhere: { start: number; end: number; name: string } | undefined;
  const stanzaOut: Diagnostic[] = [];
  const addStanza = (spec: DiagnosticSpec) => {
    if (room(spec)) stanzaOut.push(makeDiagnostic(lines, spec));
  };
  ast.visit(
    (s, line) => {
      checkpoint();
      switch (s.kind) {
        case 'iface':
          checkIface(s, line, ast, dialect, addStanza, accepts, strictIfupdown);
          if (s.methodText === 'loopback' && s.nameText !== null && s.nameText !== 'lo' && s.name && loopbackElsewhere === undefined)
            loopbackElsewhere = { start: s.name.span.start, end: s.name.span.end, name: s.nameText };
          break;
        case 'mapping':
          for (const p of s.patterns) mappingPatterns.push(compileWildcard(p.text));
          for (const opt of s.options) {
            if (opt.name.text !== 'script' && opt.name.text !== 'map') {
              addStanza({
                span: opt.name.span,
                severity: error,
                code: 'interfaces/option-outside-stanza',
                message: `A mapping stanza takes only \`script\` and \`map\` lines; \`${opt.name.text}\` belongs in an \`iface\` stanza.`,
              });
            } else if (!opt.value) {
              addStanza({ span: opt.name.span, severity: error, code: 'interfaces/empty-value', message: `\`${opt.name.text}\` needs a value.` });
            }
          }
          break;
        case 'source':
        case 'source-directory':
          hasSource = true;
          break;
        case 'auto':
        case 'allow':
          for (let i = 0; i < s.names.length; i++) {
            const n = s.names[i];
            if (n.text !== 'lo' && !ast.hasIface(n.text, line)) pending.push(n.span.start, n.span.end, line);
          }
          break;
        default:
          break;
      }
    },
    (opt) => {
      const spec: DiagnosticSpec = {
        span: opt.name.span,
        severity: error,
        code: 'interfaces/option-outside-stanza',
        message: `\`${opt.name.text}\` is not a stanza keyword, so it is read as an option, but no \`iface\` or \`mapping\` stanza is open here (options must follow an iface or mapping line, before any auto, source or similar line).`,
      };
      if (room(spec)) orphanOut.push(makeDiagnostic(lines, spec));
    },
    { reuse: true },
  );
  for (const d of orphanOut) out.push(d);
  for (const d of stanzaOut) out.push(d);

  // Debian's ifupdown always brings lo up (an implicit `auto lo`) and adds `iface lo inet
  // loopback` itself only when no stanza uses the loopback method. `iface lo0 inet loopback`
  // therefore leaves `auto lo` without a stanza, and ifupdown 0.8 refuses the whole file
  // ("unknown interface lo"), as ifquery shows.
  if (loopbackElsewhere && !ast.hasIface('lo') && (dialect === 'auto' || dialect === 'ifupdown')) {
    const n = loopbackElsewhere.name;
    add({
      span: { start: loopbackElsewhere.start, end: loopbackElsewhere.end },
      severity: hasSource ? warning : error,
      code: 'interfaces/loopback-not-lo',
      message: `\`iface ${n} inet loopback\`: ifupdown adds its own \`iface lo inet loopback\` only when no stanza uses the loopback method, yet still brings lo up, so ${hasSource ? 'unless a sourced file defines `iface lo`, ' : ''}it refuses the whole file ("unknown interface lo"). Name the stanza \`lo\`, or add \`iface lo inet loopback\`.`,
    });
  }

  const p = pending.list;
  for (let i = 0; i < pending.length; i += 3) {
    checkpoint();
    const span = { start: p[i], end: p[i + 1] };
    const name = text.slice(span.start, span.end);
    if (matchesAny(mappingPatterns, name)) continue;
    const s = ast.stanzaAt(p[i + 2]) as NameListStanza;
    const bootTime = s.kind === 'auto' || s.className === 'auto';
    if (hasSource || !bootTime) {
      // data.sourced: the host check, which reads the sourced files, says it again or not at all
      add({
        span,
        severity: warning,
        code: 'interfaces/auto-without-iface',
        message: `No \`iface ${name}\` stanza in this file${hasSource ? ' (it may be in a sourced file)' : ''}; ${s.keyword.text} cannot configure \`${name}\` without one.`,
        data: hasSource ? { sourced: true } : undefined,
      });
    } else {
      add({
        span,
        severity: error,
        code: 'interfaces/auto-without-iface',
        message: `\`${s.keyword.text} ${name}\` names an interface that no \`iface ${name}\` stanza defines; ifupdown refuses the whole file ("unknown interface ${name}").`,
      });
    }
  }
  return capDiagnostics('interfaces/more-problems', out, MAX_FILE_DIAGNOSTICS, dropped, droppedWorst);
}

type Add = (spec: DiagnosticSpec) => void;

/** A growing list of numbers in a typed array (no object per entry for the collector to copy). */
class PendingNames {
  list = new Int32Array(96);
  length = 0;
  push(a: number, b: number, c: number): void {
    if (this.length + 3 > this.list.length) {
      const next = new Int32Array(this.list.length * 2);
      next.set(this.list);
      this.list = next;
    }
    this.list[this.length++] = a;
    this.list[this.length++] = b;
    this.list[this.length++] = c;
  }
}

/** Whether a `mapping` pattern matches name, as ifupdown's fnmatch(3) does (a linear wildcard matcher: no regular expression). */
function matchesAny(patterns: Wildcard[], name: string): boolean {
  for (let i = 0; i < patterns.length; i++) if (patterns[i].matches(name)) return true;
  return false;
}

// The options a family and method take, as a set, made once per method rather than once per stanza.
const allowedCache = new Map<MethodSpec, ReadonlySet<string>>();
function allowedOptions(family: string, method: MethodSpec): ReadonlySet<string> {
  let set = allowedCache.get(method);
  if (!set) allowedCache.set(method, (set = new Set(optionsFor(family, method.name))));
  return set;
}

/** Whether the stanza has a `name` line with a value. */
function hasOption(st: IfaceStanza | undefined, name: string): boolean {
  if (!st) return false;
  const options = st.options;
  for (let i = 0; i < options.length; i++) if (options[i].nameText === name && options[i].valueText !== null) return true;
  return false;
}

/** The earlier option of a stanza under the same key, for duplicates. Few options: a scan of reused arrays; many: a map. */
class Seen {
  private keys: string[] = [];
  private opts: OptionNode[] = [];
  private n = 0;
  private map: Map<string, OptionNode> | null = null;
  reset(): void {
    this.n = 0;
    this.map = null;
  }
  get(key: string): OptionNode | undefined {
    if (this.map) return this.map.get(key);
    for (let i = 0; i < this.n; i++) if (this.keys[i] === key) return this.opts[i];
    return undefined;
  }
  set(key: string, opt: OptionNode): void {
    if (this.map) {
      this.map.set(key, opt);
      return;
    }
    this.keys[this.n] = key;
    this.opts[this.n] = opt;
    this.n++;
    if (this.n > 16) {
      this.map = new Map();
      for (let i = 0; i < this.n; i++) this.map.set(this.keys[i], this.opts[i]);
    }
  }
}
const seenOptions = new Seen();

function checkIface(
  s: IfaceStanza,
  line: number,
  ast: InterfacesAst,
  dialect: InterfacesDialect,
  add: Add,
  accepts: (ds: readonly Dialect[]) => boolean,
  strict: boolean,
): void {
  if (s.nameText === null) return;
  let template: IfaceStanza | undefined;
  if (s.inherits?.template) {
    // the stanzas of that name before this one
    const cands = ast
      .ifaceLines(s.inherits.template.text)
      .filter((l) => l < line)
      .map((l) => ast.stanzaAt(l) as IfaceStanza);
    template = cands.find((c) => s.familyText === null || c.familyText === null || c.familyText === s.familyText) ?? cands[0];
    if (!template) {
      add({
        span: s.inherits.template.span,
        severity: error,
        code: 'interfaces/unknown-template',
        message: `\`inherits ${s.inherits.template.text}\`: no stanza of that name comes before this one to copy options from.`,
      });
    }
  }
  const familyText = s.familyText ?? template?.familyText ?? undefined;
  const methodText = s.methodText ?? template?.methodText ?? undefined;
  const family = familyText ? FAMILIES[familyText] : undefined;
  if (s.familyText === null && !template) {
    if (dialect === 'ifupdown') {
      add({
        span: s.name!.span,
        severity: error,
        code: 'interfaces/missing-family',
        message: `\`iface ${s.nameText}\` has no address family and method: ifupdown needs \`iface ${s.nameText} FAMILY METHOD\` (for example \`inet static\`). A bare \`iface NAME\` is accepted by ifupdown2 and ifupdown-ng.`,
      });
    }
  } else if (s.familyText !== null && !family) {
    add({
      span: s.family!.span,
      severity: error,
      code: 'interfaces/unknown-family',
      message: `\`${s.familyText}\` is not an address family; expected one of ${Object.keys(FAMILIES)
        .filter((f) => f !== 'meta')
        .join(', ')}.${suggest(s.familyText, Object.keys(FAMILIES))}`,
    });
  } else if (family && s.methodText === null && !template) {
    if (dialect === 'ifupdown') {
      add({
        span: s.family!.span,
        severity: error,
        code: 'interfaces/missing-method',
        message: `\`iface ${s.nameText} ${family.name}\` has no method; ifupdown needs one of ${Object.keys(family.methods).join(', ')} after the family.`,
      });
    } else if (dialect === 'auto') {
      // ifquery: "unknown or no method and no inherits keyword specified", and the whole file is
      // refused; ifupdown2 reads the stanza without a method. Which one reads the file is not
      // known here, so a warning.
      add({
        span: s.family!.span,
        severity: warning,
        code: 'interfaces/missing-method',
        message: `\`iface ${s.nameText} ${family.name}\` has no method: Debian's ifupdown refuses the whole file ("unknown or no method"); ifupdown2 accepts it. Add one of ${Object.keys(family.methods).join(', ')} after the family.`,
      });
    }
  } else if (family && s.methodText !== null && !family.methods[s.methodText]) {
    const names = Object.keys(family.methods);
    add({
      span: s.method!.span,
      severity: error,
      code: 'interfaces/unknown-method',
      message: `\`${s.methodText}\` is not a method of the ${family.name} family; expected one of ${names.join(', ')}.${suggest(s.methodText, names)}`,
    });
  }
  for (let i = 0; i < s.extra.length; i++) {
    const w = s.extra[i];
    add({
      span: w.span,
      severity: warning,
      code: 'interfaces/extra-parameter',
      message: `\`${w.text}\` after the method is not understood; ifupdown ignores it (comments must be on their own line).`,
    });
  }

  const method = family && methodText ? family.methods[methodText] : undefined;
  const allowed = method ? allowedOptions(family!.name, method) : undefined;
  const seen = seenOptions;
  seen.reset();
  const options = s.options;
  // The family the values are read in: an `inet6 tunnel` with `mode ipip6` carries IPv4 inside
  // IPv6, and ifupdown configures its address with `ip -4 addr add`; a stanza without a family
  // (ifupdown-ng, ifupdown2) is IPv6 when its address is.
  let valueFamily = family?.name;
  if (valueFamily === 'inet6' && methodText === 'tunnel') {
    for (let i = 0; i < options.length; i++) if (options[i].nameText === 'mode' && options[i].valueText?.toLowerCase() === 'ipip6') valueFamily = 'inet';
  }
  if (valueFamily === undefined) {
    // only when every address is IPv6 (a stanza with both keeps each value's own family)
    let v6 = 0;
    let v4 = 0;
    for (let i = 0; i < options.length; i++) {
      const v = options[i].nameText === 'address' ? options[i].valueText : null;
      if (v === null) continue;
      if (v.includes(':')) v6++;
      else v4++;
    }
    if (v6 > 0 && v4 === 0) valueFamily = 'inet6';
  }
  for (let i = 0; i < options.length; i++) checkOption(s, options[i], allowed, method?.name, family?.name, seen, dialect, add, accepts, strict, valueFamily);
  seen.reset();

  if (method?.required?.length) {
    for (let i = 0; i < method.required.length; i++) {
      const req = method.required[i];
      if (hasOption(s, req) || hasOption(template, req)) continue;
      // Only Debian's ifupdown insists; ifupdown2 and ifupdown-ng bring such a stanza up without it
      // (a bond or a bridge port often has no address of its own).
      if (dialect === 'ifupdown2' || dialect === 'ifupdown-ng') continue;
      const strictDebian = dialect === 'ifupdown';
      add({
        span: s.method?.span ?? s.name!.span,
        severity: strictDebian ? error : warning,
        code: 'interfaces/missing-required-option',
        message: `The ${method.name} method of ${family!.name} needs an \`${req}\` line in this stanza; Debian's \`ifup ${s.nameText}\` fails without it${strictDebian ? '' : ' (ifupdown2 and ifupdown-ng accept it)'}.`,
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
  seen: Seen,
  dialect: InterfacesDialect,
  add: Add,
  accepts: (ds: readonly Dialect[]) => boolean,
  strict: boolean,
  valueFamily: string | undefined = familyName,
): void {
  const name = opt.nameText;
  if (opt.valueText === null) {
    add({
      span: opt.name.span,
      severity: error,
      code: 'interfaces/empty-value',
      message: `\`${name}\` has no value; ifupdown refuses an option line without one.`,
    });
    return;
  }
  const spec = lookupOption(name);
  // ifupdown2 reads `_` in option names as `-` (mstpctl_portadminedge is mstpctl-portadminedge)
  // set when the method does not read this option: ifupdown then ignores the line, value and all
  // (`ifup` of `inet manual` with `address X.X.X.X` succeeds), so a bad value is no refusal
  let ignoredByMethod = false;
  const prefix = spec ? undefined : (packagePrefix(name) ?? (name.includes('_') ? packagePrefix(name.replace(/_/g, '-')) : undefined));
  if (spec) {
    const ds = dialectsOf(spec);
    if (!accepts(ds)) {
      add({
        span: opt.name.span,
        severity: warning,
        code: 'interfaces/unknown-option',
        message: `${dialect} does not know \`${name}\`; ${describeDialects(ds)} ${ds.length > 1 ? 'do' : 'does'}.${strict ? ' ifupdown only passes it to hook scripts.' : ''}`,
        data: { knownBy: ds },
      });
    } else if (
      allowed &&
      METHOD_OPTIONS.has(spec.name) &&
      !allowed.has(spec.name) &&
      !spec.dialects &&
      !spec.package &&
      spec.name !== 'script' &&
      spec.name !== 'map'
    ) {
      if (methodName === 'loopback' && spec.name === 'address') {
        // ifupdown2 (Cumulus's standard setup) and ifupdown-ng add `address` lines of a loopback
        // stanza to lo; Debian's ifupdown ignores them.
        if (dialect === 'ifupdown') {
          add({
            span: opt.name.span,
            severity: warning,
            code: 'interfaces/option-wrong-method',
            message: `Debian's ifupdown ignores \`address\` in a loopback stanza (ifupdown2 and ifupdown-ng add it to lo); give it a stanza of its own, e.g. \`iface lo inet static\`.`,
          });
        } else if (dialect === 'auto') {
          add({
            span: opt.name.span,
            severity: hint,
            code: 'interfaces/option-wrong-method',
            message: `ifupdown2 and ifupdown-ng add this address to lo; Debian's ifupdown ignores \`address\` in a loopback stanza.`,
          });
        }
      } else {
        ignoredByMethod = true;
        add({
          span: opt.name.span,
          severity: warning,
          code: 'interfaces/option-wrong-method',
          message: `\`${name}\` is not an option of the ${methodName} method of ${familyName}; ifupdown ignores it here.`,
        });
      }
    }
  } else if (prefix) {
    if (prefix.dialects && !accepts(prefix.dialects)) {
      add({
        span: opt.name.span,
        severity: warning,
        code: 'interfaces/unknown-option',
        message: `${dialect} does not know \`${name}\`; options starting with \`${prefix.prefix}\` are read by ${describeDialects(prefix.dialects)}.`,
        data: { knownBy: prefix.dialects },
      });
    }
  } else if (OBSOLETE_OPTIONS.has(name)) {
    add({ span: opt.name.span, severity: hint, code: 'interfaces/obsolete-option', message: `\`${name}\`: ${OBSOLETE_OPTIONS.get(name)}.`, unnecessary: true });
  } else {
    add({
      span: opt.name.span,
      severity: warning,
      code: 'interfaces/unknown-option',
      message: `\`${name}\` is not an option that ifupdown, ifupdown2 or ifupdown-ng knows${methodName ? ` for ${familyName} ${methodName}` : ''}; ifupdown passes it on to hook scripts as IF_${name.toUpperCase().replace(/-/g, '_')}, which only helps if a script reads it.`,
    });
  }

  const key = spec?.name ?? name;
  const prev = seen.get(key);
  if (prev && spec) {
    const rep = spec.repeat;
    const mayRepeat = rep === true || (Array.isArray(rep) && (dialect === 'auto' ? true : rep.includes(dialect as Dialect)));
    if (!mayRepeat) {
      const line = `\`${name}\` is given twice in \`iface ${s.nameText ?? ''}\``;
      const more = Array.isArray(rep)
        ? ` ${describeDialects(rep as Dialect[])} accept several; ifupdown uses only one (put another address in a second \`iface\` stanza).`
        : ' Only one is used.';
      add({ span: opt.name.span, severity: warning, code: 'interfaces/duplicate-option', message: line + '.' + more, related: [] });
    }
  } else if (!prev) seen.set(key, opt);

  if (spec && !(ignoredByMethod && dialect === 'ifupdown')) {
    const addValue: Add = ignoredByMethod
      ? (d) =>
          add({
            ...d,
            severity: d.severity === error ? warning : d.severity,
            message: `${d.message} (ifupdown ignores this line under ${methodName}, so it does not fail there.)`,
          })
      : add;
    checkValue(spec, opt, valueFamily, dialect, addValue);
  }
}

function badValue(spec: OptionSpec, opt: OptionNode, what: string, add: Add): void {
  const v = opt.value!;
  const text = v.text;
  add({
    span: v.span,
    severity: error,
    code: 'interfaces/invalid-value',
    message: `\`${opt.name.text} ${text.length > 60 ? text.slice(0, 60) + '…' : text}\`: ${what}`,
    data: { type: spec.type },
  });
}

/** Whether text is one to three decimal digits (a prefix length; tested in place, as a regular expression call costs more while the code is cold). */
function isShortNumber(text: string): boolean {
  const n = text.length;
  if (n < 1 || n > 3) return false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function checkValue(spec: OptionSpec, opt: OptionNode, family: string | undefined, dialect: InterfacesDialect, add: Add): void {
  const text = opt.valueText!;
  const one = opt.valueCount === 1;
  switch (spec.type) {
    case 'ipcidr': {
      if (!one) return badValue(spec, opt, 'expected one address, optionally with `/prefix`.', add);
      const wantV6 = family === 'inet6' || (!family && text.includes(':'));
      if (wantV6 ? !isIPv6Cidr(text, true) : !isIPv4Cidr(text)) {
        badValue(
          spec,
          opt,
          wantV6
            ? 'expected an IPv6 address, optionally with `/prefix` (0 to 128).'
            : 'expected an IPv4 address such as 80.68.86.193, optionally with `/prefix` (0 to 32).',
          add,
        );
      }
      return;
    }
    case 'ip':
    case 'ipv4':
    case 'ipv6': {
      if (!one) return badValue(spec, opt, 'expected one address.', add);
      const ok = spec.type === 'ipv4' ? isIPv4(text) : spec.type === 'ipv6' ? isIPv6(text) : isIPv4(text) || isIPv6(text);
      if (!ok) badValue(spec, opt, `expected an ${spec.type === 'ipv6' ? 'IPv6' : spec.type === 'ipv4' ? 'IPv4' : 'IP'} address.`, add);
      return;
    }
    case 'netmask': {
      if (isShortNumber(text)) {
        const n = Number(text);
        if (n > (family === 'inet6' ? 128 : 32)) badValue(spec, opt, `a prefix length is at most ${family === 'inet6' ? 128 : 32}.`, add);
        return;
      }
      if (family === 'inet6') return badValue(spec, opt, 'for inet6 the netmask is a prefix length such as 64.', add);
      if (!isIPv4(text)) return badValue(spec, opt, 'expected a dotted netmask such as 255.255.255.248 or a prefix length such as 29.', add);
      if (netmaskToPrefix(text) === undefined)
        badValue(spec, opt, 'the one-bits of a netmask must be contiguous from the left (such as 255.255.255.248); this one has gaps.', add);
      return;
    }
    case 'broadcast':
      if (text !== '+' && text !== '-' && !isIPv4(text)) badValue(spec, opt, 'expected an IPv4 address, `+` (computed, the default) or `-`.', add);
      return;
    case 'number':
      if (!/^\d+(\.\d+)?$/.test(text)) badValue(spec, opt, 'expected a number.', add);
      else if (spec.values && !spec.values.includes(text)) badValue(spec, opt, `expected one of ${spec.values.join(', ')}.`, add);
      return;
    case 'boolean':
      if (!/^(yes|no|on|off|true|false|1|0)$/i.test(text)) badValue(spec, opt, 'expected yes or no (on/off also work).', add);
      return;
    case 'onoff':
      if (text !== 'on' && text !== 'off') badValue(spec, opt, 'expected on or off.', add);
      return;
    case 'mac':
      if (text !== 'random' && !isMac(text) && !(/^ether\s/.test(text) && isMac(text.slice(6).trim())))
        badValue(spec, opt, 'expected a MAC address such as 00:16:3e:12:34:56 (or `random`).', add);
      return;
    case 'enum':
      if (spec.values && !spec.values.includes(text.toLowerCase())) badValue(spec, opt, `expected one of ${spec.values.join(', ')}.`, add);
      return;
    default:
      void dialect;
      void hint;
      return;
  }
}
