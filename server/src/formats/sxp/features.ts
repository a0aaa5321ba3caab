// xend-config.sxp in the editor: outline, folding, hover and completion over the parsed tree.
// Every walk of the tree is iterative (a file may nest 100,000 lists).
import {
  CompletionItemKind,
  FoldingRangeKind,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  type CompletionItem,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type Position,
} from 'vscode-languageserver-types';
import { checkpoint } from '../../core/budget';
import type { ParsedDocument } from '../../core/language';
import type { Span } from '../../core/text';
import type { SxpFile, SxpList, SxpNode } from './ast';
import { COMMENT_TRAILING, KIND_ATOM, KIND_LIST, KIND_MASK, scalarAt, within } from './parser';
import { OPTIONS_BY_KEY, SCRIPTS, SCRIPTS_BY_NAME, XEND_OPTIONS, type ScriptInfo, type SxpOption } from './schema';
import { splitScript } from './settings';

type SxpDocument = ParsedDocument<SxpFile>;

const MAX_FOLDS = 5000;
const MAX_SYMBOL_DEPTH = 4;

/** True when s has no whitespace but single spaces between printable ASCII (clip leaves it as it is). */
function plainLine(s: string): boolean {
  let space = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (space) return false;
      space = true;
    } else if (c < 33 || c > 126) return false;
    else space = false;
  }
  return true;
}

function clip(s: string, n = 60): string {
  const one = plainLine(s) ? s : s.replace(/\s+/g, ' ');
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

export function sxpSymbols(doc: SxpDocument): DocumentSymbol[] {
  const { ast, lines, text } = doc;
  // on the offsets: node k is a list, its head k + 1 (see SxpOffsets)
  const { kinds, starts, ends, nexts, count } = ast.tree;
  const headed = (k: number): boolean => (kinds[k] & KIND_MASK) === KIND_LIST && k + 1 < nexts[k] && (kinds[k + 1] & KIND_MASK) === KIND_ATOM;
  // positions from a line cursor: the top-level symbols come in file order
  const lineCount = lines.lineCount;
  let line = 0;
  let lineStart = 0;
  let nextStart = lineCount > 1 ? lines.lineStart(1) : Infinity;
  const position = (offset: number): Position => {
    if (offset < lineStart) {
      const p = lines.positionAt(offset);
      line = p.line;
      lineStart = lines.lineStart(line);
      nextStart = line + 1 < lineCount ? lines.lineStart(line + 1) : Infinity;
      return p;
    }
    while (offset >= nextStart) {
      line++;
      lineStart = nextStart;
      nextStart = line + 1 < lineCount ? lines.lineStart(line + 1) : Infinity;
    }
    return { line, character: offset - lineStart };
  };
  const toSymbol = (k: number, kind?: SymbolKind): DocumentSymbol => {
    const head = k + 1;
    const name = text.slice(starts[head], ends[head]);
    const value = nexts[head];
    let detail = '';
    if (value < nexts[k]) {
      detail = clip(
        (kinds[value] & KIND_MASK) === KIND_LIST ? text.slice(starts[value], Math.min(ends[value], starts[value] + 200)) : (scalarAt(ast, value) ?? ''),
      );
    }
    const start = position(starts[k]);
    const selectionStart = position(starts[head]);
    const selectionEnd = position(ends[head]);
    return {
      name: name.length > 200 ? name.slice(0, 199) + '…' : name,
      detail,
      kind: kind ?? (OPTIONS_BY_KEY.has(name) ? SymbolKind.Property : SymbolKind.Object),
      range: { start, end: position(ends[k]) },
      selectionRange: { start: selectionStart, end: selectionEnd },
    };
  };
  const out: DocumentSymbol[] = [];
  // breadth-limited, iterative: the lists whose children are still to find, their symbols and depths
  const workLists: number[] = [];
  const workSymbols: DocumentSymbol[] = [];
  const workDepths: number[] = [];
  for (let k = 0; k < count; k = nexts[k]) {
    if (!headed(k)) continue;
    checkpoint();
    const sym = toSymbol(k);
    out.push(sym);
    // (a list without a list inside has no children: not queued)
    if (nexts[k] > k + 3 || (k + 2 < nexts[k] && (kinds[k + 2] & KIND_MASK) === KIND_LIST)) {
      workLists.push(k);
      workSymbols.push(sym);
      workDepths.push(1);
    }
  }
  while (workLists.length) {
    const list = workLists.pop()!;
    const sym = workSymbols.pop()!;
    const depth = workDepths.pop()!;
    if (depth >= MAX_SYMBOL_DEPTH) continue;
    checkpoint();
    let kids: DocumentSymbol[] | undefined;
    // children: lists inside the value that start with a word (e.g. a device's (pci_ids ...))
    const stop = nexts[list];
    const add = (l: number) => {
      const s = toSymbol(l, SymbolKind.Field);
      (kids ??= []).push(s);
      workLists.push(l);
      workSymbols.push(s);
      workDepths.push(depth + 1);
    };
    for (let child = nexts[list + 1]; child < stop; child = nexts[child]) {
      if ((kinds[child] & KIND_MASK) !== KIND_LIST) continue;
      if (headed(child)) add(child);
      else for (let g = child + 1; g < nexts[child]; g = nexts[g]) if (headed(g)) add(g);
    }
    if (kids) sym.children = kids;
  }
  return out;
}

export function sxpFolding(doc: SxpDocument): FoldingRange[] {
  const { ast, lines } = doc;
  const { kinds, starts, ends, nexts, count } = ast.tree;
  const out: FoldingRange[] = [];
  const stack: number[] = [];
  for (let k = 0; k < count; k = nexts[k]) stack.push(k);
  while (stack.length && out.length < MAX_FOLDS) {
    const k = stack.pop()!;
    if ((kinds[k] & KIND_MASK) !== KIND_LIST) continue;
    const startLine = lines.positionAt(starts[k]).line;
    const endLine = lines.positionAt(ends[k]).line;
    if (endLine > startLine) {
      out.push({ startLine, endLine });
      for (let child = k + 1; child < nexts[k]; child = nexts[child]) if ((kinds[child] & KIND_MASK) === KIND_LIST) stack.push(child);
    }
  }
  // blocks of two or more comment lines of their own
  let blockStart = -1;
  let prevLine = -2;
  const flush = () => {
    if (blockStart >= 0 && prevLine > blockStart) out.push({ startLine: blockStart, endLine: prevLine, kind: FoldingRangeKind.Comment });
  };
  const { commentStarts, commentFlags } = ast.tree;
  for (let c = 0; c < commentStarts.length; c++) {
    if (commentFlags[c] & COMMENT_TRAILING) continue;
    const line = lines.positionAt(commentStarts[c]).line;
    if (line !== prevLine + 1) {
      flush();
      blockStart = line;
    }
    prevLine = line;
  }
  flush();
  out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return out;
}

/** The nodes from the top level down to the innermost one whose span holds the offset. */
export function pathAt(file: SxpFile, offset: number): SxpNode[] {
  // on the offsets: the last node of the level that starts at or before the offset (the views of
  // the path alone are made)
  const { kinds, starts, ends, nexts, count } = file.tree;
  const path: SxpNode[] = [];
  let first = 0;
  let stop = count;
  for (;;) {
    let found = -1;
    for (let k = first; k < stop && starts[k] <= offset; k = nexts[k]) found = k;
    if (found < 0) return path;
    // an unclosed list's span ends at its last token; the cursor after it is still inside
    if (offset < starts[found] || offset > ends[found]) return path;
    path.push(file.node(found));
    if ((kinds[found] & KIND_MASK) !== KIND_LIST) return path;
    first = found + 1;
    stop = nexts[found];
  }
}

function inComment(file: SxpFile, offset: number): boolean {
  const { commentStarts, commentEnds } = file.tree;
  let lo = 0;
  let hi = commentStarts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (commentEnds[mid] < offset) lo = mid + 1;
    else if (commentStarts[mid] >= offset) hi = mid - 1;
    else return true;
  }
  return false;
}

function optionMarkdown(opt: SxpOption): string {
  const type: Record<string, string> = {
    bool: 'yes or no',
    int: 'whole number',
    string: 'text',
    address: opt.allowInterface ? 'IP address, host name or interface name' : 'IP address or host name',
    script: 'script name, with optional key=value arguments (quote the whole value)',
    regexps: 'regular expressions separated by spaces (quoted)',
    list: 'list',
    path: 'path',
  };
  const lines = [`**${opt.key}** — xend setting`, '', opt.description, '', `- Type: ${type[opt.type]}${opt.unit ? ` (${opt.unit})` : ''}`];
  if (opt.values) lines.push(`- Values: ${opt.values.map((v) => '`' + v + '`').join(', ')}`);
  lines.push(`- Default: ${opt.default}`);
  return lines.join('\n');
}

function scriptMarkdown(info: ScriptInfo): string {
  const lines = [`**${info.name}** — ${info.family} script (/etc/xen/scripts/${info.name})`, '', info.description];
  if (info.partner) lines.push('', `Pairs with \`${info.partner}\`.`);
  if (info.args.length) {
    lines.push('', 'Arguments:');
    for (const a of info.args) lines.push(`- \`${a.name}=\` ${a.description}${a.default ? ` Default: ${a.default}.` : ''}`);
  }
  return lines.join('\n');
}

export function sxpHover(doc: SxpDocument, pos: Position): Hover | null {
  const { ast, lines } = doc;
  const offset = lines.offsetAt(pos);
  if (inComment(ast, offset)) return null;
  const path = pathAt(ast, offset);
  const top = path[0];
  if (!top || top.kind !== 'list') return null;
  const head = top.items[0];
  if (!head || head.kind !== 'atom') return null;
  const opt = OPTIONS_BY_KEY.get(head.text);
  const md = (value: string, span: Span): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range: lines.range(span.start, span.end) });
  if (within(head.span, offset)) {
    if (opt) return md(optionMarkdown(opt), head.span);
    return md(`**${clip(head.text)}** — not a setting xend knows; xend ignores it.`, head.span);
  }
  if (!opt) return null;
  const value = top.items[1];
  if (opt.type === 'script' && value && value.kind !== 'list' && within(value.span, offset)) {
    const call = splitScript(value);
    if (call) {
      const info = SCRIPTS_BY_NAME.get(call.name);
      if (within(call.nameSpan, offset)) {
        if (info) return md(scriptMarkdown(info), call.nameSpan);
        return md(`**${clip(call.name)}** — not a script Xen ships; xend runs /etc/xen/scripts/${clip(call.name)}.`, call.nameSpan);
      }
      for (const arg of call.args) {
        if (!within(arg.span, offset)) continue;
        const a = info?.args.find((x) => x.name === arg.key);
        if (a && info) return md(`**${a.name}** — argument of ${info.name}\n\n${a.description}${a.default ? `\n\nDefault: ${a.default}` : ''}`, arg.span);
        return null;
      }
    }
  }
  if (path.length >= 2) return md(optionMarkdown(opt), path[1].span);
  return null;
}

function replaceRange(doc: SxpDocument, offset: number) {
  // the word being typed, back to whitespace, a paren or a quote
  let start = offset;
  while (start > 0 && !/[\s()'"#]/.test(doc.text[start - 1]) && offset - start < 200) start--;
  return doc.lines.range(start, offset);
}

export function sxpCompletion(doc: SxpDocument, pos: Position): CompletionItem[] {
  const { ast, lines, text } = doc;
  const offset = lines.offsetAt(pos);
  if (inComment(ast, offset)) return [];
  const path = pathAt(ast, offset);
  const range = replaceRange(doc, offset);
  const keyItems = (wrap: boolean): CompletionItem[] =>
    XEND_OPTIONS.map((opt) => ({
      label: opt.key,
      kind: CompletionItemKind.Property,
      detail: `${opt.type}, default ${opt.default}`,
      documentation: { kind: MarkupKind.Markdown, value: optionMarkdown(opt) },
      ...(wrap
        ? { insertText: `(${opt.key} $1)`, insertTextFormat: InsertTextFormat.Snippet, filterText: opt.key }
        : { textEdit: { range, newText: opt.key } }),
    }));
  // the innermost open list around the cursor
  let listIndex = -1;
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i];
    if (n.kind === 'list' && offset > n.open.start && (!n.close || offset <= n.close.start)) {
      listIndex = i;
      break;
    }
  }
  if (listIndex < 0) {
    // at the top level: offer whole settings
    return path.length === 0 || path[0].kind !== 'list' ? keyItems(true) : [];
  }
  if (listIndex !== 0) return [];
  const list = path[0] as SxpList;
  // which slot of the list the cursor is in: 0 = the key, 1 = the value
  let slot = 0;
  for (const item of list.items) {
    if (item.span.end < offset) slot++;
    else break;
  }
  const head = list.items[0];
  if (slot === 0 && (!head || head.kind === 'atom')) return keyItems(false);
  if (!head || head.kind !== 'atom') return [];
  const opt = OPTIONS_BY_KEY.get(head.text);
  if (!opt || slot !== 1) return [];
  const value = list.items[1];
  const inString = value?.kind === 'string' && offset > value.span.start && (!value.terminated || offset < value.span.end);
  const simple = (label: string, detail?: string, kind: CompletionItemKind = CompletionItemKind.Value): CompletionItem => ({
    label,
    kind,
    detail,
    textEdit: { range, newText: label },
  });
  switch (opt.type) {
    case 'bool':
      return [simple('yes'), simple('no')];
    case 'string':
      return (opt.values ?? []).map((v) => simple(v));
    case 'script': {
      const family = opt.scripts === 'any' ? SCRIPTS : SCRIPTS.filter((s) => s.family === opt.scripts);
      const call = value && value.kind !== 'list' ? splitScript(value) : undefined;
      const afterName = call && inString && offset > call.nameSpan.end;
      if (afterName) {
        const info = SCRIPTS_BY_NAME.get(call.name);
        if (!info) return [];
        const used = new Set(call.args.map((a) => a.key));
        return info.args
          .filter((a) => !used.has(a.name) || call.args.some((x) => x.key === a.name && within(x.span, offset)))
          .map((a) => ({
            label: `${a.name}=`,
            kind: CompletionItemKind.Field,
            detail: `argument of ${info.name}`,
            documentation: { kind: MarkupKind.Markdown, value: a.description + (a.default ? `\n\nDefault: ${a.default}` : '') },
            textEdit: { range, newText: `${a.name}=` },
            command: { title: 'suggest', command: 'editor.action.triggerSuggest' },
          }));
      }
      return family.map((s) => ({
        ...simple(s.name, `${s.family} script`, CompletionItemKind.Function),
        documentation: { kind: MarkupKind.Markdown, value: scriptMarkdown(s) },
      }));
    }
    case 'int':
      return /^\d/.test(opt.default) ? [simple(opt.default.split(' ')[0], 'default')] : [];
    default:
      void text;
      return [];
  }
}
