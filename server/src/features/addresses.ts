// Features around the addresses of a host: what an address is (hover), the free addresses offered
// inside `ip=` (completion, where the host model says a guest's file writes addresses) and a
// summary of the host for the status bar (the custom request xen/hostInfo). Pure: the server
// hands over the host model and the document's lines; no format's tree is walked here.
import { CompletionItemKind, MarkupKind, type CompletionItem, type Hover, type MarkedString, type Position, type Range } from 'vscode-languageserver-types';
import { ipv6Forms, isIPv4, isIPv6, netmaskToPrefix } from '../core/address';
import type { LineIndex, Span } from '../core/text';
import { addressVerdict, type AddressUse, type HostModel, type SubnetSource } from '../host/model';
import { freeAddresses } from '../host/free';
import type { HostInfo } from '../protocol';
import { baseName } from '../core/uri';

/** `interfaces:5` for a place of the host (line 1-based), or the file name alone if unknown. */
function where(model: HostModel, uri: string, span: Span): string {
  const f = model.files.get(uri);
  if (!f) return baseName(uri);
  return `${baseName(uri)}:${f.lines.positionAt(span.start).line + 1}`;
}

export function describeSource(model: HostModel, source: SubnetSource): string {
  switch (source.kind) {
    case 'setting':
      return 'the setting xen.network.routedSubnet';
    case 'gateway-stanza':
      return `the gateway stanza ${source.interface} (${where(model, source.uri, source.span)})`;
    case 'static-stanza':
      return `the static stanza ${source.interface} (${where(model, source.uri, source.span)}), whose subnet holds the guests' addresses`;
  }
}

export function hostInfo(model: HostModel | undefined): HostInfo | null {
  if (!model) return null;
  const s = model.subnet;
  return {
    subnet: s ? s.cidr : null,
    source: s
      ? describeSource(model, s.source)
      : (model.settingProblem ?? 'no routed subnet found: set xen.network.routedSubnet, or give the gateway interface an address and netmask'),
    mode: model.mode.mode,
    gateway: model.gateway?.address ?? null,
    free: s ? freeAddresses(model, { limit: 0 }).count : 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Hover

const isHexCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isWordCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
/** A character of an IPv6 address's run: a hex digit, `:` or `.`. */
const isV6Code = (c: number) => isHexCode(c) || c === 58 || c === 46;
/** A character no address may touch: a word character, `:` or `.`. */
const isStickyCode = (c: number) => isWordCode(c) || c === 58 || c === 46;
/** A character of a zone: a word character, `.` or `-`. */
const isZoneCode = (c: number) => isWordCode(c) || c === 46 || c === 45;

/**
 * The places of a line that may hold an IPv6 address, left to right: a run of hex digits, `:` and
 * `.` that no word character, `:` or `.` touches, with two colons at least, and the zone after a
 * `%` when one follows. Each character is looked at a bounded number of times.
 */
export function* ipv6Candidates(line: string): Generator<{ start: number; end: number }> {
  let i = 0;
  const n = line.length;
  while (i < n) {
    if (!isV6Code(line.charCodeAt(i)) || (i > 0 && isStickyCode(line.charCodeAt(i - 1)))) {
      i++;
      continue;
    }
    const a = i;
    let j = i;
    let colons = 0;
    while (j < n && isV6Code(line.charCodeAt(j))) {
      if (line.charCodeAt(j) === 58) colons++;
      j++;
    }
    let end = -1;
    if (colons >= 2) {
      // with a zone, when one follows that nothing sticky ends; else the run alone, when nothing sticky follows it
      if (j < n && line.charCodeAt(j) === 37 /* % */) {
        let z = j + 1;
        while (z < n && isZoneCode(line.charCodeAt(z))) z++;
        if (z > j + 1 && (z >= n || !isStickyCode(line.charCodeAt(z)))) end = z;
        else {
          // a shorter zone ends where its next character is not sticky: the only such zone
          // character is '-', so the zone ends before the last '-' that leaves it non-empty
          for (let p = z - 1; p > j + 1 && end < 0; p--) if (line.charCodeAt(p) === 45 /* - */) end = p;
        }
      }
      if (end < 0 && (j >= n || !isStickyCode(line.charCodeAt(j)))) end = j;
    }
    if (end >= 0) {
      yield { start: a, end };
      i = end;
    } else {
      // the run's other characters cannot start one (a sticky character precedes each)
      i = j > a ? j : a + 1;
    }
  }
}

const isQuoteCode = (c: number) => c === 39 || c === 34;
const isSpaceCode = (c: number) =>
  c === 32 ||
  (c >= 9 && c <= 13) ||
  c === 0xa0 ||
  c === 0xfeff ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000;

/**
 * Whether text ends with the key `netmask` and what separates a value from it: `netmask`, maybe a
 * quote, then one or more blanks with one `=` at most among them, then maybe a quote (read from the
 * end, in one pass: the pattern `\s*[=\s]\s*` was quadratic on a run of blanks).
 */
export function endsWithNetmaskKey(text: string): boolean {
  let i = text.length;
  if (i > 0 && isQuoteCode(text.charCodeAt(i - 1))) i--;
  const sepEnd = i;
  let equals = 0;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c === 61 /* = */ && equals === 0) equals++;
    else if (!isSpaceCode(c)) break;
    i--;
  }
  if (i === sepEnd) return false;
  if (i > 0 && isQuoteCode(text.charCodeAt(i - 1))) i--;
  if (i < 7) return false;
  for (let k = 0; k < 7; k++) {
    const c = text.charCodeAt(i - 7 + k);
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== 'netmask'.charCodeAt(k)) return false;
  }
  return true;
}

/** The IPv4 address written at `offset` (optionally with `/nn` after it), if any. */
export function addressAt(lines: LineIndex, pos: Position): { address: string; span: Span; v6?: boolean } | undefined {
  const line = lines.lineText(pos.line);
  if (line.length > 100_000) return undefined;
  // an IPv6 address: a run of hex digits, colons and dots (an embedded IPv4) with at least two
  // colons, maybe a zone (`%eth0`) after it (read by a scanner, in one pass: a pattern of three
  // `[…]*` took minutes on a comment of colons)
  for (const t of ipv6Candidates(line)) {
    if (t.start > pos.character) break;
    if (pos.character <= t.end) {
      const text = line.slice(t.start, t.end);
      if (isIPv6(text)) {
        const start = lines.lineStart(pos.line) + t.start;
        return { address: text, span: { start, end: start + text.length }, v6: true };
      }
    }
  }
  const re = /(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?:\/\d{1,2})?(?![\w.])/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) {
    const a = m.index;
    const b = a + m[0].length;
    if (pos.character >= a && pos.character <= b) {
      if (!isIPv4(m[1])) return undefined;
      const start = lines.lineStart(pos.line) + a;
      return { address: m[1], span: { start, end: start + m[1].length } };
    }
    if (a > pos.character) break;
  }
  return undefined;
}

const USE_WORDS: Record<AddressUse['role'], string> = {
  'interface-address': 'interface address',
  'interface-gateway': 'interface gateway',
  'interface-broadcast': 'interface broadcast',
  'guest-vif': 'vif ip=',
  'guest-ip': 'xm ip',
  'guest-gateway': 'xm gateway',
};

/** What `address` is in the host, in Markdown. */
export function addressMarkdown(model: HostModel, address: string): string {
  const uses = model.addresses.get(address) ?? [];
  const s = model.subnet;
  const verdict = addressVerdict(model, address);
  const holds = uses.filter((u) => u.role === 'interface-address' || u.role === 'guest-vif' || u.role === 'guest-ip');
  let role: string;
  switch (verdict) {
    case undefined:
      role = 'unknown (no routed subnet)';
      break;
    case 'outside':
      role = 'outside the routed subnet';
      break;
    case 'network':
      role = 'network address (no host may hold it)';
      break;
    case 'broadcast':
      role = 'broadcast address (no host may hold it)';
      break;
    case 'gateway':
      role = `gateway of the guests (on ${model.gateway?.interface ?? '?'})`;
      break;
    default:
      if (holds.some((u) => u.role !== 'interface-address')) role = 'guest';
      else if (holds.length) role = 'interface address';
      else role = 'usable, free';
  }
  const out: string[] = [`**${address}**`, ''];
  if (s) {
    out.push(`- subnet: \`${s.cidr}\` (from ${describeSource(model, s.source)})`);
  } else {
    out.push(`- subnet: none known${model.settingProblem ? ` — ${model.settingProblem}` : ''}`);
  }
  out.push(`- role: ${role}`);
  if (uses.length) {
    out.push(`- used by: ${uses.map((u) => `${where(model, u.uri, u.span)} (${USE_WORDS[u.role]})`).join(', ')}`);
  } else {
    out.push('- used by: nobody');
  }
  if (s) {
    const free = freeAddresses(model, { limit: 0 }).count;
    out.push(`- free: ${free} of ${s.usableCount} usable address${s.usableCount === 1 ? '' : 'es'}`);
  }
  return out.join('\n');
}

function markdownOf(contents: Hover['contents']): string {
  const one = (m: MarkedString): string => (typeof m === 'string' ? m : '```' + m.language + '\n' + m.value + '\n```');
  if (Array.isArray(contents)) return contents.map(one).join('\n\n');
  if (typeof contents === 'string') return contents;
  if ('kind' in contents) return contents.value;
  return one(contents);
}

/** The format's hover, then the address part after a separator (either may be missing). */
export function addressHover(model: HostModel | undefined, lines: LineIndex, pos: Position, formatHover: Hover | null): Hover | null {
  if (!model) return formatHover;
  const at = addressAt(lines, pos);
  if (!at) return formatHover;
  const before = lines.text.slice(lines.lineStart(pos.line), at.span.start);
  if (at.v6) {
    const forms = ipv6Forms(at.address);
    const part = `**${at.address}**: an IPv6 address${forms ? ` (in full \`${forms.full}\`, shortest \`${forms.short}\`)` : ''}. The routed subnet and the guests' \`ip=\` are IPv4; IPv6 addresses are read but not checked against them.`;
    const range: Range = formatHover?.range ?? lines.range(at.span.start, at.span.end);
    return { contents: { kind: MarkupKind.Markdown, value: formatHover ? `${markdownOf(formatHover.contents)}\n\n---\n\n${part}` : part }, range };
  }
  const isMask = endsWithNetmaskKey(before);
  const prefix = isMask ? netmaskToPrefix(at.address) : undefined;
  const part = isMask
    ? `**${at.address}**: a netmask, ${prefix === undefined ? 'not contiguous (no prefix length matches it)' : `prefix /${prefix}`}`
    : addressMarkdown(model, at.address);
  const range: Range = formatHover?.range ?? lines.range(at.span.start, at.span.end);
  const value = formatHover ? `${markdownOf(formatHover.contents)}\n\n---\n\n${part}` : part;
  return { contents: { kind: MarkupKind.Markdown, value }, range };
}

// ---------------------------------------------------------------------------------------------
// Completion

/** The address token around offset inside [start, end] (space-separated under xl). */
function tokenIn(text: string, start: number, end: number, offset: number): Span {
  let a = offset;
  let b = offset;
  while (a > start && !/[\s,]/.test(text[a - 1])) a--;
  while (b < end && !/[\s,]/.test(text[b])) b++;
  return { start: a, end: b };
}

/** Where an address is being typed in a guest's file: inside one of the places the host model says it writes addresses. */
function ipValueAt(model: HostModel, uri: string, text: string, offset: number): Span | undefined {
  const slot = model.guests.find((g) => g.uri === uri)?.ipSlots.find((c) => offset >= c.start && offset <= c.end);
  return slot ? tokenIn(text, slot.start, slot.end, offset) : undefined;
}

/** The host's free addresses first (the first preselected), then the format's own items. */
export function addressCompletion(model: HostModel | undefined, uri: string, lines: LineIndex, pos: Position, formatItems: CompletionItem[]): CompletionItem[] {
  if (!model?.subnet) return formatItems;
  const offset = lines.offsetAt(pos);
  const span = ipValueAt(model, uri, lines.text, offset);
  if (!span) return formatItems;
  const range = lines.range(span.start, span.end);
  const free = freeAddresses(model, { limit: 64 });
  const items: CompletionItem[] = free.addresses.map((address, i) => ({
    label: address,
    kind: CompletionItemKind.Value,
    detail: `free in ${model.subnet!.cidr}`,
    documentation: `${free.count} free address${free.count === 1 ? '' : 'es'} in ${model.subnet!.cidr} (from ${describeSource(model, model.subnet!.source)}).`,
    sortText: `!${String(i).padStart(4, '0')}`,
    filterText: address,
    preselect: i === 0 ? true : undefined,
    textEdit: { range, newText: address },
  }));
  return [...items, ...formatItems.filter((f) => !free.addresses.includes(f.label))];
}
