// Outline, folding, hover, completion and inlay hints over the interfaces AST.
import {
  CompletionItemKind,
  InlayHintKind,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  type CompletionItem,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type InlayHint,
  type Position,
  type Range,
} from 'vscode-languageserver-types';
import { isIPv4, netmaskToPrefix } from '../../core/address';
import { lastStartingAt, type LineIndex } from '../../core/text';
import { checkpoint } from '../../core/budget';
import type { ParsedDocument } from '../../core/language';
import type { InterfacesDialect } from '../../core/settings';
import type { IfaceStanza, InterfacesAst, OptionNode, Stanza, Word } from './ast';
import { IFACE, MAPPING, OPTION, SOURCE, SOURCE_DIRECTORY, sliceShared } from './parser';
import { COMMON_OPTIONS, describeDialects, dialectsOf, FAMILIES, KEYWORD_BY_NAME, KEYWORDS, lookupOption, OPTIONS, optionsFor, packagePrefix } from './schema';

type Doc = ParsedDocument<InterfacesAst>;

/** An option's value as ifupdown reads it: text[from, to) with its continuations (a `\\` and the line break after it) taken out. */
function valueOf(text: string, from: number, to: number): string {
  const raw = text.slice(from, to);
  return raw.includes('\\') ? raw.replace(/\\(\r\n|\r|\n)/g, '') : raw;
}

/**
 * The words first .. last (inclusive) joined by one space. (Concatenated, not sliced from the
 * header even when one space separates them: a slice of the file's text took longer to serialise,
 * more than it saved, measured.)
 */
function wordsJoined(text: string, starts: Int32Array, ends: Int32Array, first: number, last: number): string {
  let out = text.slice(starts[first], ends[first]);
  for (let i = first + 1; i <= last; i++) out += ' ' + text.slice(starts[i], ends[i]);
  return out;
}

const NO_LINE = 0x7fffffff;

/**
 * A file of more logical lines than this gets an outline of its stanzas alone, each saying how many
 * option lines it has (its detail): on 20,000 stanzas the option symbols are four in five of the
 * 93,000 and most of the outline's cost (made, sent and held by the editor), for a file nobody reads
 * option by option in an outline. Navigation by stanza (outline, breadcrumbs, sticky scroll) stays.
 */
export const OUTLINE_OPTIONS_MAX_LINES = 10_000;

/**
 * The outline: a symbol per stanza, its option lines as children. VS Code asks for it on every open
 * (outline, breadcrumbs, sticky scroll), and on a file of 20,000 stanzas it makes 93,000 symbols,
 * so it is made from the reader's offsets (`logicalLines`: no stanza, option or word node, no
 * array of words), with the positions found by one forward sweep over the line starts (the
 * offsets come in file order), and with no object more than the answer holds: per option line, its
 * symbol, two ranges and three positions (its start is both ranges'; a line without a value ends
 * where its name does). Option names and short values are the reader's shared strings. Under a time
 * budget (`checkpoint` per stanza). The symbols are those of stanzaName and the nodes' spans:
 * test/unit/interfaces/outline.test.ts compares them with the outline made from the whole tree.
 */
export function symbols(doc: Doc): DocumentSymbol[] {
  const text = doc.text;
  const { wordStarts: ws, wordEnds: we, lineWords, lineKinds, lineCount } = doc.ast.logicalLines();
  const starts = doc.lines.lineStartOffsets();
  const lastLine = starts.length - 1;
  // the sweep: the line of the last offset asked for, where it starts and where the next one does
  let line = 0;
  let lineStart = 0;
  let nextStart = lastLine > 0 ? starts[1] : NO_LINE;
  const at = (offset: number): Position => {
    if (offset < lineStart) {
      // (never in file order; kept right all the same)
      line = doc.lines.positionAt(offset).line;
      lineStart = starts[line];
      nextStart = line < lastLine ? starts[line + 1] : NO_LINE;
    }
    while (offset >= nextStart) {
      line++;
      lineStart = nextStart;
      nextStart = line < lastLine ? starts[line + 1] : NO_LINE;
    }
    return { line, character: offset - lineStart };
  };
  const out: DocumentSymbol[] = [];
  const withOptions = lineCount <= OUTLINE_OPTIONS_MAX_LINES;
  let k = 0;
  while (k < lineCount && lineKinds[k] === OPTION) k++; // (option lines before any stanza: no symbol)
  while (k < lineCount) {
    checkpoint();
    const kind = lineKinds[k];
    const first = lineWords[k];
    const last = lineWords[k + 1] - 1;
    // the stanza's option lines (after a stanza that has none, the orphans: no symbol)
    let after = k + 1;
    while (after < lineCount && lineKinds[after] === OPTION) after++;
    const keywordEnd = we[first];
    let name: string;
    let selectionWord = first;
    if (kind === IFACE) {
      if (last > first) {
        selectionWord = first + 1;
        // the name, then the family and the method: up to two words before `inherits`
        let nameLast = first + 1;
        while (nameLast < last && nameLast < first + 3 && !(we[nameLast + 1] - ws[nameLast + 1] === 8 && text.startsWith('inherits', ws[nameLast + 1])))
          nameLast++;
        name = wordsJoined(text, ws, we, first, nameLast);
      } else name = 'iface ?';
    } else name = wordsJoined(text, ws, we, first, last);
    // (trim, as the plain outline does: a word may end with a space other than the blanks that split words)
    if (name.charCodeAt(name.length - 1) > 126) name = name.trim() || text.slice(ws[first], keywordEnd);
    const start = at(ws[first]);
    const selectionStart = selectionWord === first ? start : at(ws[selectionWord]);
    // (a word ends on the line it starts on)
    const selectionRange: Range = { start: selectionStart, end: { line, character: we[selectionWord] - lineStart } };
    const symbolKind =
      kind === IFACE
        ? SymbolKind.Interface
        : kind === MAPPING
          ? SymbolKind.Function
          : kind === SOURCE || kind === SOURCE_DIRECTORY
            ? SymbolKind.File
            : SymbolKind.Event;
    if ((kind === IFACE || kind === MAPPING) && after > k + 1 && !withOptions) {
      // (a large file: the stanza alone, to the end of its last option line)
      const n = after - k - 1;
      const g = lineWords[after] - 1;
      out.push({ name, detail: n === 1 ? '1 option' : `${n} options`, kind: symbolKind, range: { start, end: at(we[g]) }, selectionRange });
    } else if ((kind === IFACE || kind === MAPPING) && after > k + 1) {
      const children: DocumentSymbol[] = new Array(after - k - 1);
      let end!: Position;
      for (let m = k + 1; m < after; m++) {
        const f = lineWords[m];
        const g = lineWords[m + 1] - 1;
        const optionStart = at(ws[f]);
        const nameEnd: Position = { line, character: we[f] - lineStart };
        end = g === f ? nameEnd : at(we[g]);
        let detail: string | undefined;
        if (g > f) {
          const v = g === f + 1 ? sliceShared(text, ws[f + 1], we[g]) : valueOf(text, ws[f + 1], we[g]);
          detail = v.length > 80 ? v.slice(0, 80) + '…' : v;
        }
        children[m - k - 1] = {
          name: sliceShared(text, ws[f], we[f]),
          detail,
          kind: SymbolKind.Property,
          range: { start: optionStart, end },
          selectionRange: { start: optionStart, end: nameEnd },
        };
      }
      out.push({ name, kind: symbolKind, range: { start, end }, selectionRange, children });
    } else out.push({ name, kind: symbolKind, range: { start, end: at(we[last]) }, selectionRange });
    k = after;
  }
  return out;
}

export function folding(doc: Doc): FoldingRange[] {
  const out: FoldingRange[] = [];
  doc.ast.visit(
    (s) => {
      const span = s.span;
      const a = doc.lines.positionAt(span.start).line;
      const b = doc.lines.positionAt(span.end).line;
      if (b > a) out.push({ startLine: a, endLine: b, kind: 'region' });
    },
    () => undefined,
    { reuse: true },
  );
  // runs of comment lines
  let start = -1;
  let prev = -2;
  for (const c of doc.ast.comments) {
    const l = doc.lines.positionAt(c.span.start).line;
    if (l !== prev + 1) {
      if (start >= 0 && prev > start) out.push({ startLine: start, endLine: prev, kind: 'comment' });
      start = l;
    }
    prev = l;
  }
  if (start >= 0 && prev > start) out.push({ startLine: start, endLine: prev, kind: 'comment' });
  return out;
}

/** The stanza whose span starts at or before the offset (the last one), by binary search. */
function stanzaAt(ast: InterfacesAst, offset: number): Stanza | undefined {
  const found = lastStartingAt(ast.stanzas, offset);
  return found >= 0 ? ast.stanzas[found] : undefined;
}

const inside = (w: Word | null | undefined, off: number): boolean => !!w && off >= w.span.start && off <= w.span.end;

function optionDoc(name: string): string | null {
  const spec = lookupOption(name);
  if (spec) {
    const lines = [`**${spec.name}** (option)`, '', spec.description, '', `Type: ${spec.type}${spec.values ? ` (${spec.values.join(', ')})` : ''}`];
    if (spec.default) lines.push(`Default: \`${spec.default}\``);
    lines.push(`Read by: ${describeDialects(dialectsOf(spec))}${spec.package ? ` (with ${spec.package})` : ''}`);
    if (spec.repeat) lines.push(spec.repeat === true ? 'May appear several times.' : `May appear several times in ${describeDialects(spec.repeat as never)}.`);
    return lines.join('\n\n');
  }
  const p = packagePrefix(name);
  if (p) return `**${name}** (option)\n\nAn option read by ${p.package}; ifupdown hands it to hook scripts as IF_${name.toUpperCase().replace(/-/g, '_')}.`;
  return null;
}

export function hover(doc: Doc, pos: Position): Hover | null {
  const off = doc.lines.offsetAt(pos);
  const s = stanzaAt(doc.ast, off);
  const orphan = doc.ast.orphans.find((o) => inside(o.name, off));
  const md = (value: string, w: Word): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range: doc.lines.range(w.span.start, w.span.end) });
  if (orphan) {
    const d = optionDoc(orphan.name.text);
    return d ? md(d, orphan.name) : null;
  }
  if (!s || off > s.span.end) return null;
  if (inside(s.keyword, off)) {
    const k =
      KEYWORD_BY_NAME.get(s.keyword.text) ??
      (s.kind === 'allow'
        ? { name: s.keyword.text, description: `Names interfaces brought up by \`ifup --allow=${s.className}\` (the \`${s.className}\` class).` }
        : undefined);
    return k ? md(`**${k.name}** (stanza)\n\n${k.description}`, s.keyword) : null;
  }
  if (s.kind === 'iface') {
    if (inside(s.family, off)) {
      const f = FAMILIES[s.family!.text];
      return f ? md(`**${f.name}** (address family)\n\n${f.description}\n\nMethods: ${Object.keys(f.methods).join(', ')}`, s.family!) : null;
    }
    if (inside(s.method, off)) {
      const mm = s.family ? FAMILIES[s.family.text]?.methods[s.method!.text] : undefined;
      if (!mm) return null;
      const req = mm.required?.length ? `\n\nRequired: ${mm.required.map((x) => '`' + x + '`').join(', ')}` : '';
      return md(
        `**${mm.name}** (method of ${s.family!.text})\n\n${mm.description}${req}\n\nOptions: ${mm.options.length ? mm.options.join(', ') : 'none of its own'}`,
        s.method!,
      );
    }
    if (s.inherits && inside(s.inherits.keyword, off))
      return md("**inherits** (iface line)\n\nCopies the options of an earlier stanza of that name; this stanza's own lines come on top.", s.inherits!.keyword);
    if (inside(s.name, off)) return md(`**${s.name!.text}** (interface)\n\n${s.options.length} option line(s) in this stanza.`, s.name!);
  }
  if (s.kind === 'iface' || s.kind === 'mapping') {
    const o = findOption(s.options, off);
    if (o && inside(o.name, off)) {
      const d = optionDoc(o.name.text);
      return d ? md(d, o.name) : null;
    }
  }
  return null;
}

function findOption(opts: OptionNode[], off: number): OptionNode | undefined {
  let lo = 0;
  let hi = opts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const o = opts[mid];
    if (off < o.span.start) hi = mid - 1;
    else if (off > o.span.end) lo = mid + 1;
    else return o;
  }
  return undefined;
}

const BOOLEAN_VALUES = ['yes', 'no', 'on', 'off'];

export function completion(doc: Doc, pos: Position, dialect: InterfacesDialect): CompletionItem[] {
  const off = doc.lines.offsetAt(pos);
  const lineStart = doc.lines.lineStart(pos.line);
  const before = doc.text.slice(lineStart, off);
  if (before.length > 4096) return [];
  const words = before.trimStart().split(/[ \t]+/);
  const atWordStart = /(^|[ \t])$/.test(before);
  const index = atWordStart ? words.filter((w) => w).length : words.length - 1; // which word is being typed
  if (/^\s*#/.test(before)) return [];
  const first = words[0] ?? '';
  const s = stanzaAt(doc.ast, off - 1);
  const current: IfaceStanza | undefined = s && s.kind === 'iface' && s.span.start < lineStart ? s : undefined;

  if (index === 0) {
    const items: CompletionItem[] = KEYWORDS.map((k) => ({
      label: k.name,
      kind: CompletionItemKind.Keyword,
      detail: 'stanza',
      documentation: k.description,
      insertText: k.snippet,
      insertTextFormat: InsertTextFormat.Snippet,
    }));
    if (current || (s && s.kind === 'mapping')) {
      const names =
        s && s.kind === 'mapping'
          ? ['script', 'map']
          : current?.family && current.method
            ? optionsFor(current.family.text, current.method.text)
            : [...OPTIONS.keys()];
      for (const n of names) {
        const spec = OPTIONS.get(n);
        if (spec?.dialects && dialect !== 'auto' && !spec.dialects.includes(dialect as never)) continue;
        items.push({ label: n, kind: CompletionItemKind.Property, detail: spec ? `option (${spec.type})` : 'option', documentation: spec?.description });
      }
      if (current?.method)
        for (const n of ['dns-nameservers', 'bridge_ports', 'vlan-raw-device'])
          if (!items.some((i) => i.label === n))
            items.push({ label: n, kind: CompletionItemKind.Property, detail: 'option', documentation: OPTIONS.get(n)?.description });
    }
    return items;
  }
  if (first === 'iface') {
    if (index === 2)
      return Object.values(FAMILIES)
        .filter((f) => f.name !== 'meta')
        .map((f) => ({ label: f.name, kind: CompletionItemKind.EnumMember, detail: 'address family', documentation: f.description }));
    if (index === 3) {
      const fam = FAMILIES[words[2]];
      const fams = fam ? [fam] : [FAMILIES.inet];
      return fams.flatMap((f) =>
        Object.values(f.methods).map((mm) => ({
          label: mm.name,
          kind: CompletionItemKind.EnumMember,
          detail: `method of ${f.name}`,
          documentation: mm.description,
        })),
      );
    }
    if (index === 4) return [{ label: 'inherits', kind: CompletionItemKind.Keyword, documentation: 'Copy the options of an earlier stanza.' }];
    return [];
  }
  if (first === 'auto' || first.startsWith('allow-') || first === 'no-auto-down' || first === 'no-scripts') {
    const names = new Set<string>();
    for (const st of doc.ast.stanzas) if (st.kind === 'iface' && st.name) names.add(st.name.text);
    return [...names].map((n) => ({ label: n, kind: CompletionItemKind.Value, detail: 'interface' }));
  }
  if (index === 1) {
    const spec = lookupOption(first);
    if (!spec) return [];
    const vals =
      spec.values ??
      (spec.type === 'boolean'
        ? BOOLEAN_VALUES
        : spec.type === 'onoff'
          ? ['on', 'off']
          : spec.type === 'broadcast'
            ? ['+', '-']
            : spec.name === 'bridge_ports' || spec.name === 'bridge-ports'
              ? ['none', 'all']
              : []);
    return vals.map((v) => ({ label: v, kind: CompletionItemKind.Value, detail: spec.name }));
  }
  void COMMON_OPTIONS;
  return [];
}

// ---------------------------------------------------------------------------------------------
// Inlay hints

/** `/29` after each contiguous dotted netmask of the file, within range. */
export function netmaskHints(ast: InterfacesAst, lines: LineIndex, range?: Range): InlayHint[] {
  const out: InlayHint[] = [];
  const from = range ? lines.offsetAt(range.start) : 0;
  const to = range ? lines.offsetAt(range.end) : Infinity;
  for (const st of ast?.stanzas ?? []) {
    if (st.kind !== 'iface' && st.kind !== 'mapping') continue;
    if (st.span.end < from || st.span.start > to) continue;
    for (const o of st.options) {
      if (o.name.text !== 'netmask' || o.values.length !== 1) continue;
      const w = o.values[0];
      if (w.span.end < from || w.span.end > to || !isIPv4(w.text)) continue;
      const prefix = netmaskToPrefix(w.text);
      if (prefix === undefined || prefix === null) continue;
      out.push({
        position: lines.positionAt(w.span.end),
        label: `/${prefix}`,
        kind: InlayHintKind.Type,
        paddingLeft: true,
        tooltip: `${w.text} is a /${prefix} prefix`,
      });
    }
  }
  return out;
}
