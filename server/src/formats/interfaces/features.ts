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
import type { ParsedDocument } from '../../core/language';
import type { InterfacesDialect } from '../../core/settings';
import type { IfaceStanza, InterfacesAst, OptionNode, Stanza, Word } from './ast';
import { COMMON_OPTIONS, describeDialects, dialectsOf, FAMILIES, KEYWORD_BY_NAME, KEYWORDS, lookupOption, OPTIONS, optionsFor, packagePrefix } from './schema';

type Doc = ParsedDocument<InterfacesAst>;

function stanzaName(s: Stanza): string {
  switch (s.kind) {
    case 'iface':
      return ['iface', s.name?.text ?? '?', s.family?.text, s.method?.text].filter(Boolean).join(' ');
    case 'mapping':
      return `mapping ${s.patterns.map((p) => p.text).join(' ')}`;
    case 'rename':
      return `rename ${s.pairs.map((p) => p.word.text).join(' ')}`;
    case 'source':
    case 'source-directory':
      return `${s.kind} ${s.paths.map((p) => p.text).join(' ')}`;
    default:
      return `${s.keyword.text} ${s.names.map((n) => n.text).join(' ')}`;
  }
}

/** A name list's outline name: the keyword and the words, one space between (what joining them gives). */
function joined(head: string, words: readonly Word[]): string {
  let out = head;
  for (const w of words) out += ' ' + w.text;
  return out;
}

/** The outline name of an iface stanza: `iface NAME FAMILY METHOD`, the missing ones left out (a missing name is `?`). */
function ifaceName(s: IfaceStanza): string {
  let out = 'iface ' + (s.name?.text ?? '?');
  const family = s.family?.text;
  if (family) out += ' ' + family;
  const method = s.method?.text;
  if (method) out += ' ' + method;
  return out;
}

/**
 * The outline: a symbol per stanza, its option lines as children. Speed, on a file of 20,000
 * stanzas (VS Code asks for the outline on every open): the stanzas are walked with `visit`, which
 * reuses its nodes (only texts and offsets go into the outline, so the tree is not made whole for
 * it); positions are asked for in file order (the stanza's start, its selection, its options, its
 * end), each next to the one before, so that the line index never searches from the top; and a
 * position two ranges share (an option's start, the end of a stanza and of its last option) is
 * one object. The symbols are those stanzaName and the spans give (test/unit/interfaces/outline.test.ts
 * compares them with the outline made from the whole tree).
 */
export function symbols(doc: Doc): DocumentSymbol[] {
  const lines = doc.lines;
  const out: DocumentSymbol[] = [];
  doc.ast.visit(
    (s) => {
      const span = s.span;
      const selection = s.kind === 'iface' && s.name ? s.name.span : s.keyword.span;
      const start = lines.positionAt(span.start);
      const selectionRange: Range = { start: lines.positionAt(selection.start), end: lines.positionAt(selection.end) };
      let name: string;
      if (s.kind === 'iface') name = ifaceName(s);
      else if (s.kind === 'mapping') name = joined('mapping', s.patterns);
      else if (s.kind === 'source' || s.kind === 'source-directory') name = joined(s.kind, s.paths);
      else name = stanzaName(s);
      const sym: DocumentSymbol = {
        name: name.trim() || s.keyword.text,
        kind:
          s.kind === 'iface'
            ? SymbolKind.Interface
            : s.kind === 'mapping'
              ? SymbolKind.Function
              : s.kind.startsWith('source')
                ? SymbolKind.File
                : SymbolKind.Event,
        range: { start, end: start },
        selectionRange,
      };
      let end: Position | undefined;
      let endOffset = -1;
      if ((s.kind === 'iface' || s.kind === 'mapping') && s.options.length) {
        const options = s.options;
        const children: DocumentSymbol[] = new Array(options.length);
        for (let i = 0; i < options.length; i++) {
          const o = options[i];
          const v = o.valueText;
          const name = o.nameText;
          const from = o.span.start;
          const to = o.span.end;
          const optionStart = lines.positionAt(from);
          const nameEnd = from + name.length;
          // (a name ends on the line it starts on, unless a line break continues it: no search)
          const nameEndPos: Position =
            name.includes('\n') || name.includes('\r') ? lines.positionAt(nameEnd) : { line: optionStart.line, character: optionStart.character + name.length };
          const optionEnd = to === nameEnd ? nameEndPos : lines.positionAt(to);
          children[i] = {
            name,
            detail: v === null ? undefined : v.length > 80 ? v.slice(0, 80) + '…' : v,
            kind: SymbolKind.Property,
            range: { start: optionStart, end: optionEnd },
            selectionRange: { start: optionStart, end: nameEndPos },
          };
          if (i === options.length - 1) {
            end = optionEnd;
            endOffset = to;
          }
        }
        sym.children = children;
      }
      sym.range = { start, end: end !== undefined && endOffset === span.end ? end : lines.positionAt(span.end) };
      out.push(sym);
    },
    () => undefined,
    { reuse: true },
  );
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
