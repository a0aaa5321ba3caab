// Editor features over a parsed domain file: outline, folding, hover and completion.
import {
  CompletionItemKind,
  FoldingRangeKind,
  MarkupKind,
  SymbolKind,
  type CompletionItem,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type Position,
} from 'vscode-languageserver-types';
import type { ParsedDocument } from '../../core/language';
import type { Toolstack } from '../../core/settings';
import type { Assignment, DomainFile, Statement, StringValue, Value } from './ast';
import { modeOf, looksLikeXlConf, type Mode } from './checks';
import { ACTIONS, KEYS, VIF_KEYS, toolstackWords, typeWords, vifKeyInfo, type KeyInfo, type VifKeyInfo } from './schema';
import { parseVifSpec, vifStrings } from './vif';

type Doc = ParsedDocument<DomainFile>;

function preview(v: Value | null, text: string): string {
  if (!v) return '';
  const raw = text.slice(v.span.start, Math.min(v.span.end, v.span.start + 60));
  return raw.replace(/\s+/g, ' ') + (v.span.end - v.span.start > 60 ? '…' : '');
}

function kindOf(v: Value | null): SymbolKind {
  if (!v) return SymbolKind.Variable;
  switch (v.kind) {
    case 'list':
      return SymbolKind.Array;
    case 'string':
      return SymbolKind.String;
    case 'number':
      return SymbolKind.Number;
    default:
      return SymbolKind.Variable;
  }
}

export function symbols(doc: Doc): DocumentSymbol[] {
  const { ast, lines, text } = doc;
  const out: DocumentSymbol[] = [];
  for (const s of ast.statements) {
    if (s.kind === 'python') {
      if (s.name && !s.local) {
        out.push({
          name: `${s.keyword} ${s.name.name}`,
          kind: s.keyword === 'class' ? SymbolKind.Class : SymbolKind.Function,
          range: lines.range(s.span.start, s.span.end),
          selectionRange: lines.range(s.name.span.start, s.name.span.end),
        });
      }
      continue;
    }
    if (!s.key || s.local) continue;
    const sym: DocumentSymbol = {
      name: s.key.name,
      detail: preview(s.value, text),
      kind: kindOf(s.value),
      range: lines.range(s.span.start, s.span.end),
      selectionRange: lines.range(s.key.span.start, s.key.span.end),
    };
    if ((s.key.name === 'vif' || s.key.name === 'vif2') && s.value) {
      sym.children = vifStrings(s.value).map(({ index, string }) => ({
        name: string.value.trim() === '' ? `vif ${index} (defaults)` : string.value,
        detail: `vif ${index}`,
        kind: SymbolKind.Object,
        range: lines.range(string.span.start, string.span.end),
        selectionRange: lines.range(string.span.start, string.span.end),
        children: parseVifSpec(string).map((it) => ({
          name: it.key,
          detail: it.value ?? '',
          kind: SymbolKind.Property,
          range: lines.range(it.span.start, it.span.end),
          selectionRange: lines.range(it.keySpan.start, it.keySpan.end),
        })),
      }));
    }
    out.push(sym);
  }
  return out;
}

export function folding(doc: Doc): FoldingRange[] {
  const { ast, lines } = doc;
  const out: FoldingRange[] = [];
  const visit = (v: Value | null) => {
    if (!v) return;
    if (v.kind === 'list') {
      const a = lines.positionAt(v.span.start).line;
      const b = lines.positionAt(v.span.end).line;
      if (b > a) out.push({ startLine: a, endLine: b });
      v.items.forEach(visit);
    } else if (v.kind === 'python') v.parts.forEach(visit);
  };
  for (const s of ast.statements) if (s.kind === 'assignment') visit(s.value);
  // Blocks of comment lines (a comment alone on its line, two or more in a row).
  let start = -1;
  let prev = -2;
  const flush = () => {
    if (start >= 0 && prev > start) out.push({ startLine: start, endLine: prev, kind: FoldingRangeKind.Comment });
  };
  for (const c of ast.comments) {
    const pos = lines.positionAt(c.span.start);
    const alone = lines.lineText(pos.line).slice(0, pos.character).trim() === '';
    if (!alone) continue;
    if (pos.line === prev + 1) prev = pos.line;
    else {
      flush();
      start = prev = pos.line;
    }
  }
  flush();
  // Python blocks: a header (def, if…) down to the last indented line after it.
  for (const s of ast.statements) {
    if (s.kind !== 'python' || !s.header) continue;
    const head = lines.positionAt(s.span.start);
    const indent = head.character;
    let end = head.line;
    for (let l = head.line + 1; l < lines.lineCount; l++) {
      const t = lines.lineText(l);
      if (t.trim() === '' || /^\s*#/.test(t)) continue;
      const ind = t.length - t.trimStart().length;
      if (ind <= indent) break;
      end = l;
    }
    if (end > head.line) out.push({ startLine: head.line, endLine: end });
  }
  return out;
}

/** The statement whose span holds the offset (statements are in file order). */
function statementAt(file: DomainFile, offset: number): Statement | undefined {
  const st = file.statements;
  let lo = 0;
  let hi = st.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = st[mid];
    if (s.span.end < offset) lo = mid + 1;
    else if (s.span.start > offset) hi = mid - 1;
    else return s;
  }
  return undefined;
}

export function keyMarkdown(info: KeyInfo): string {
  const parts = [`**${info.name}** — ${typeWords(info.type)}`, '', info.description, ''];
  if (info.values?.length) parts.push(`Values: ${info.values.map((v) => `\`${v}\``).join(', ')}`, '');
  if (info.default) parts.push(`Default: \`${info.default}\``, '');
  if (info.replacedBy) parts.push(`Newer name: \`${info.replacedBy}\``, '');
  parts.push(`Read by: ${toolstackWords(info.toolstack)}`);
  return parts.join('\n');
}

export function vifKeyMarkdown(info: VifKeyInfo): string {
  const parts = [`**${info.name}** — vif key (network interface of the guest)`, '', info.description, ''];
  if (info.values?.length) parts.push(`Values: ${info.values.map((v) => `\`${v}\``).join(', ')}`, '');
  if (info.default) parts.push(`Default: \`${info.default}\``, '');
  if (info.deprecated) parts.push(`Newer name: \`${info.deprecated}\``, '');
  parts.push(`Accepted by: ${toolstackWords(info.toolstack)}`);
  return parts.join('\n');
}

function vifStringAt(a: Assignment, offset: number): StringValue | undefined {
  for (const { string } of vifStrings(a.value)) if (offset >= string.span.start && offset <= string.span.end) return string;
  return undefined;
}

export function hover(doc: Doc, pos: Position): Hover | null {
  const { ast, lines } = doc;
  const offset = lines.offsetAt(pos);
  const s = statementAt(ast, offset);
  if (!s || s.kind !== 'assignment' || !s.key) return null;
  const name = s.key.name;
  if ((name === 'vif' || name === 'vif2') && s.value) {
    const str = vifStringAt(s, offset);
    if (str) {
      for (const it of parseVifSpec(str)) {
        if (offset >= it.span.start && offset <= it.span.end) {
          const info = vifKeyInfo(it.key);
          if (!info) return null;
          return { contents: { kind: MarkupKind.Markdown, value: vifKeyMarkdown(info) }, range: lines.range(it.keySpan.start, it.keySpan.end) };
        }
      }
    }
  }
  const info = KEYS.get(name);
  if (!info) return null;
  return { contents: { kind: MarkupKind.Markdown, value: keyMarkdown(info) }, range: lines.range(s.key.span.start, s.key.span.end) };
}

function keyAllowed(info: KeyInfo, mode: Mode, xlConf: boolean): boolean {
  if (info.toolstack === 'xl.conf') return xlConf || mode !== 'xm';
  if (mode === 'xl') return info.toolstack !== 'xm';
  if (mode === 'xm') return info.toolstack !== 'xl';
  return true;
}

/** Whether the offset is inside a quoted string of its line, and where that string's text starts. */
function openString(line: string, upto: number): { quote: string; start: number } | undefined {
  let quote = '';
  let start = -1;
  for (let i = 0; i < upto; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '#') return undefined;
    else if (c === "'" || c === '"') {
      quote = c;
      start = i + 1;
    }
  }
  return quote ? { quote, start } : undefined;
}

/** The key of the assignment the line belongs to: this line's, or an earlier line's for a list spanning lines. */
function keyBefore(doc: Doc, line: number): string | undefined {
  for (let l = line, n = 0; l >= 0 && n < 200; l--, n++) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(\+?=)/.exec(doc.lines.lineText(l));
    if (m) return m[1];
    if (l < line && /^\s*[A-Za-z_]/.test(doc.lines.lineText(l)) && !/^\s*['"\]]/.test(doc.lines.lineText(l))) return undefined;
  }
  return undefined;
}

export function completion(doc: Doc, pos: Position, toolstack: Toolstack): CompletionItem[] {
  const { ast, lines } = doc;
  const mode = modeOf(ast, toolstack);
  const lineText = lines.lineText(pos.line);
  const col = Math.min(pos.character, lineText.length);
  const before = lineText.slice(0, col);

  // A key name at the start of a line.
  if (/^\s*[A-Za-z_.]*$/.test(before)) {
    const prior = pos.line > 0 ? keyBefore(doc, pos.line - 1) : undefined;
    const inList = prior !== undefined && openBrackets(doc, pos.line) > 0;
    if (!inList) {
      const xlConf = looksLikeXlConf(ast);
      const rest = lineText.slice(col);
      const hasEq = /^[A-Za-z0-9_.]*\s*\+?=/.test(rest);
      const items: CompletionItem[] = [];
      for (const info of KEYS.values()) {
        if (!keyAllowed(info, mode, xlConf)) continue;
        items.push({
          label: info.name,
          kind: CompletionItemKind.Property,
          detail: `${typeWords(info.type)} — ${toolstackWords(info.toolstack)}`,
          documentation: { kind: MarkupKind.Markdown, value: keyMarkdown(info) },
          insertText: hasEq ? info.name : `${info.name} = `,
          sortText: (info.toolstack === 'xl.conf' && !xlConf ? '2' : info.toolstack === 'both' ? '0' : '1') + info.name,
        });
      }
      return items;
    }
  }

  const key = keyBefore(doc, pos.line);
  if (!key) return [];
  const str = openString(lineText, col);
  if ((key === 'vif' || key === 'vif2') && str) {
    const inside = lineText.slice(str.start, col);
    const seg = inside.slice(inside.lastIndexOf(',') + 1);
    const eq = seg.indexOf('=');
    if (eq < 0) {
      const items: CompletionItem[] = [];
      for (const info of VIF_KEYS.values()) {
        if (mode === 'xl' && info.toolstack === 'xm') continue;
        if (mode === 'xm' && info.toolstack === 'xl') continue;
        items.push({
          label: info.name,
          kind: CompletionItemKind.Field,
          detail: `vif key — ${toolstackWords(info.toolstack)}`,
          documentation: { kind: MarkupKind.Markdown, value: vifKeyMarkdown(info) },
          insertText: info.flag ? info.name : `${info.name}=`,
          sortText: (['ip', 'mac', 'bridge', 'script'].includes(info.name) ? '0' : info.toolstack === 'both' ? '1' : '2') + info.name,
        });
      }
      return items;
    }
    const vkey = seg.slice(0, eq).trim();
    const info = vifKeyInfo(vkey);
    return (info?.values ?? []).map((v) => ({ label: v, kind: CompletionItemKind.Value, detail: `${vkey} value` }));
  }

  // Values after `key =`.
  const info = KEYS.get(key);
  if (!info) return [];
  const at = valueStart(before);
  if (!at) return [];
  const quoted = at.quoted;
  if (info.type === 'boolean') {
    if (quoted) return [];
    return [
      { label: '1', kind: CompletionItemKind.Value, detail: 'on' },
      { label: '0', kind: CompletionItemKind.Value, detail: 'off' },
    ];
  }
  const values = info.type === 'action' ? ACTIONS : (info.values ?? []);
  return values.map((v) => ({
    label: v,
    kind: CompletionItemKind.EnumMember,
    detail: info.name,
    insertText: quoted ? v : `'${v}'`,
  }));
}

/** Brackets left open before the start of a line, counted from the statement above (cheap estimate). */
function openBrackets(doc: Doc, line: number): number {
  const offset = doc.lines.lineStart(line);
  const s = statementAt(doc.ast, offset - 1);
  const start = s ? s.span.start : doc.lines.lineStart(Math.max(0, line - 1));
  const text = doc.text.slice(start, offset);
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote || c === '\n') quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '[' || c === '(' || c === '{') depth++;
    else if (c === ']' || c === ')' || c === '}') depth = Math.max(0, depth - 1);
  }
  return depth;
}

/**
 * Where the value after `key =` starts in before (the line up to the cursor), as the pattern
 * `=\s*(['"]?)[^'"]*$` found it, read in one pass: the leftmost `=` followed by blanks, maybe one
 * quote, and no other quote up to the end; quoted says whether that quote is there.
 */
export function valueStart(before: string): { quoted: boolean } | undefined {
  let q = -1;
  for (let i = before.length - 1; i >= 0; i--) {
    const c = before[i];
    if (c === "'" || c === '"') {
      q = i;
      break;
    }
  }
  if (q < 0) return before.includes('=') ? { quoted: false } : undefined;
  // `=`, blanks, the quote: an opened string
  let e = q - 1;
  while (e >= 0 && /\s/.test(before[e])) e--;
  if (e >= 0 && before[e] === '=') {
    // (a quote before it would have to be the last one: q is)
    return { quoted: true };
  }
  // else an `=` after the last quote
  return before.indexOf('=', q + 1) >= 0 ? { quoted: false } : undefined;
}
