// Quick fixes for the host model's diagnostics (and xend's unquoted values), and a
// `source.fixAll.xen` action per file. Every fix is computed from the diagnostic's range (the
// place), its `data` (the values) and, where another span is needed, the current host model.
import type { CodeAction, CreateFile, Diagnostic, Range, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { CodeActionParams } from 'vscode-languageserver';
import { LineIndex, type Span } from '../core/text';
import type { HostFixData } from '../host/checks';
import type { HostModel } from '../host/model';

export const FIX_ALL_KIND = 'source.fixAll.xen';

export interface CodeActionSources {
  /** The current text of uri: the open document's, else the file's on disk; undefined when there is none. */
  textOf(uri: string): string | undefined;
  /** The current host model of uri's host, if it belongs to one. */
  modelOf(uri: string): HostModel | undefined;
  /** The file's current diagnostics (its own and the host's), for fix-all. */
  diagnosticsOf(uri: string): Diagnostic[];
}

interface Fix {
  title: string;
  /** Edits per uri. */
  edits: Map<string, TextEdit[]>;
  /** A file the fix creates before editing it. */
  create?: string;
  /** The address the fix gives out, if any (fix-all hands each one out once). */
  address?: string;
}

interface FixContext {
  uri: string;
  text: string;
  lines: LineIndex;
  host: CodeActionSources;
  model: HostModel | undefined;
}

function matchesOnly(kind: string, only: string[] | undefined): boolean {
  if (!only || only.length === 0) return true;
  return only.some((o) => kind === o || kind.startsWith(o + '.'));
}

/** textDocument/codeAction. Never throws: a fix that cannot be built is left out. */
export function codeActions(params: CodeActionParams, host: CodeActionSources): CodeAction[] {
  const uri = params.textDocument.uri;
  const text = host.textOf(uri);
  if (text === undefined) return [];
  const ctx: FixContext = { uri, text, lines: new LineIndex(text), host, model: undefined };
  let modelRead = false;
  const model = (): HostModel | undefined => {
    if (!modelRead) {
      modelRead = true;
      try {
        ctx.model = host.modelOf(uri);
      } catch {
        ctx.model = undefined;
      }
    }
    return ctx.model;
  };
  const out: CodeAction[] = [];
  const only = params.context.only;

  if (matchesOnly('quickfix', only)) {
    for (const d of params.context.diagnostics ?? []) {
      if (!isFixable(d)) continue;
      model();
      let fixes: Fix[] = [];
      try {
        fixes = fixesFor(d, ctx);
      } catch {
        fixes = [];
      }
      fixes.forEach((f, i) => {
        const action: CodeAction = { title: f.title, kind: 'quickfix', diagnostics: [d], edit: toWorkspaceEdit([f]) };
        if (i === 0) action.isPreferred = true;
        out.push(action);
      });
    }
  }

  if (matchesOnly(FIX_ALL_KIND, only) && (only?.length || params.context.diagnostics?.some(isFixable))) {
    model();
    const all = fixAll(ctx);
    if (all) out.push(all);
  }
  return out;
}

function isFixable(d: Diagnostic): boolean {
  const code = typeof d.code === 'string' ? d.code : '';
  if (code === 'sxp/unquoted-spaces') return typeof (d.data as { quoted?: unknown } | undefined)?.quoted === 'string';
  return code.startsWith('host/') && typeof (d.data as { fix?: unknown } | undefined)?.fix === 'string';
}

/** One fix per problem (the preferred one), merged without overlaps into one action. */
function fixAll(ctx: FixContext): CodeAction | undefined {
  let diagnostics: Diagnostic[];
  try {
    diagnostics = ctx.host.diagnosticsOf(ctx.uri).filter(isFixable);
  } catch {
    return undefined;
  }
  const taken = new Set<string>();
  const chosen: Fix[] = [];
  const spans = new Map<string, { start: number; end: number }[]>();
  const fixed: Diagnostic[] = [];
  for (const d of diagnostics) {
    let fixes: Fix[];
    try {
      fixes = fixesFor(d, ctx);
    } catch {
      continue;
    }
    const fix = fixes.find((f) => !f.address || !taken.has(f.address));
    if (!fix) continue;
    // no two edits of one file may overlap (two fixes of one place: the first wins)
    let clash = false;
    const mine: { uri: string; start: number; end: number }[] = [];
    for (const [u, edits] of fix.edits) {
      const lines = u === ctx.uri ? ctx.lines : new LineIndex(ctx.host.textOf(u) ?? '');
      for (const e of edits) {
        const start = lines.offsetAt(e.range.start);
        const end = lines.offsetAt(e.range.end);
        if (
          (spans.get(u) ?? []).some((s) => (start < s.end && s.start < end) || (start === end && start === s.start) || (s.start === s.end && s.start === start))
        )
          clash = true;
        mine.push({ uri: u, start, end });
      }
    }
    if (clash) continue;
    for (const m of mine) {
      let list = spans.get(m.uri);
      if (!list) spans.set(m.uri, (list = []));
      list.push({ start: m.start, end: m.end });
    }
    if (fix.address) taken.add(fix.address);
    chosen.push(fix);
    fixed.push(d);
  }
  if (!chosen.length) return undefined;
  return { title: 'Fix all Xen network problems in this file', kind: FIX_ALL_KIND, diagnostics: fixed, edit: toWorkspaceEdit(chosen) };
}

function toWorkspaceEdit(fixes: Fix[]): WorkspaceEdit {
  const byUri = new Map<string, TextEdit[]>();
  const creates: string[] = [];
  for (const f of fixes) {
    if (f.create && !creates.includes(f.create)) creates.push(f.create);
    for (const [u, edits] of f.edits) {
      let list = byUri.get(u);
      if (!list) byUri.set(u, (list = []));
      list.push(...edits);
    }
  }
  if (!creates.length) {
    const changes: Record<string, TextEdit[]> = {};
    for (const [u, edits] of byUri) changes[u] = edits;
    return { changes };
  }
  const documentChanges: (TextDocumentEdit | CreateFile)[] = creates.map((u) => ({ kind: 'create', uri: u, options: { ignoreIfExists: true } }));
  for (const [u, edits] of byUri) documentChanges.push({ textDocument: { uri: u, version: null }, edits });
  return { documentChanges };
}

function single(uri: string, range: Range, newText: string): Map<string, TextEdit[]> {
  return new Map([[uri, [{ range, newText }]]]);
}

function rangeOf(lines: LineIndex, span: Span): Range {
  return lines.range(span.start, span.end);
}

/** The fixes of one diagnostic, the preferred first. */
function fixesFor(d: Diagnostic, ctx: FixContext): Fix[] {
  const { uri, text, lines } = ctx;
  if (d.code === 'sxp/unquoted-spaces') {
    const quoted = (d.data as { quoted: string }).quoted;
    return [{ title: `Quote the value: ${quoted}`, edits: single(uri, d.range, quoted) }];
  }
  const data = d.data as HostFixData;
  const start = lines.offsetAt(d.range.start);
  const end = lines.offsetAt(d.range.end);
  switch (data.fix) {
    case 'set-netmask':
      return [{ title: `Set the netmask to ${data.value}`, edits: single(uri, d.range, data.value) }];
    case 'set-broadcast':
      return [{ title: `Set the broadcast address to ${data.value}`, edits: single(uri, d.range, data.value) }];
    case 'set-value':
      return [{ title: `Change it to ${data.value}`, edits: single(uri, d.range, data.value) }];
    case 'assign-address':
      return (data.free ?? []).map((a) => ({ title: `Use the free address ${a}`, edits: single(uri, d.range, a), address: a }));
    case 'add-ip': {
      const vif = ctx.model?.guests.find((g) => g.uri === uri)?.vifs.find((v) => v.span.start === start);
      let content: Span;
      if (vif) content = vif.contentSpan;
      else if (/['"]/.test(text[start] ?? '')) content = { start: start + 1, end: Math.max(start + 1, end - 1) };
      else return [];
      const empty = text.slice(content.start, content.end).trim() === '';
      return (data.free ?? []).map((a) => ({
        title: `Add ip=${a} to this vif`,
        edits: single(uri, empty ? rangeOf(lines, content) : rangeOf(lines, { start: content.start, end: content.start }), empty ? `ip=${a}` : `ip=${a},`),
        address: a,
      }));
    }
    case 'set-vif-script': {
      const x = ctx.model?.xend;
      const span = x && x.uri === uri && x.vifScriptSpan ? x.vifScriptSpan : undefined;
      if (!span) return [];
      return [{ title: `Use (vif-script '${data.value}')`, edits: single(uri, rangeOf(lines, span), `'${data.value}'`) }];
    }
    case 'set-script-pair': {
      const x = ctx.model?.xend;
      if (!x || x.uri !== uri) return [];
      // the pair the host's evidence points to first, then the other
      const out: { title: string; edits: Map<string, TextEdit[]> }[] = [];
      for (const pair of [data, ...(data.alternatives ?? [])]) {
        const edits: TextEdit[] = [];
        if (x.networkScript && x.networkScript.name !== pair.networkScript)
          edits.push({ range: rangeOf(lines, x.networkScript.nameSpan), newText: pair.networkScript });
        if (x.vifScript && x.vifScript.name !== pair.vifScript) edits.push({ range: rangeOf(lines, x.vifScript.nameSpan), newText: pair.vifScript });
        if (edits.length) out.push({ title: `Use the matching pair: ${pair.networkScript} with ${pair.vifScript}`, edits: new Map([[uri, edits]]) });
      }
      return out;
    }
    case 'set-xl-gatewaydev': {
      const xl = ctx.model?.xlConf;
      if (xl?.gatewaydev && xl.uri === uri) {
        return [{ title: `Set vif.default.gatewaydev to "${data.value}"`, edits: single(uri, rangeOf(lines, xl.gatewaydev.span), data.value) }];
      }
      const nl = text.indexOf('\n', end);
      const at = nl < 0 ? text.length : nl;
      const pos = lines.positionAt(at);
      return [
        { title: `Add vif.default.gatewaydev="${data.value}"`, edits: single(uri, { start: pos, end: pos }, `\nvif.default.gatewaydev="${data.value}"`) },
      ];
    }
    case 'add-vif-item': {
      const item = `${data.key}=${data.value}`;
      if (text.slice(start, end).startsWith(`${data.key}=`)) return [{ title: `Set ${item}`, edits: single(uri, d.range, item) }];
      return [{ title: `Add ${item} to this vif`, edits: single(uri, { start: d.range.end, end: d.range.end }, `,${item}`) }];
    }
    case 'remove-vif-item': {
      const after = /^\s*,\s*/.exec(text.slice(end, end + 200));
      let span: Span = { start, end };
      if (after) span = { start, end: end + after[0].length };
      else {
        const before = /\s*,\s*$/.exec(text.slice(Math.max(0, start - 200), start));
        if (before) span = { start: start - before[0].length, end };
      }
      return [{ title: `Remove ${text.slice(start, end)}`, edits: single(uri, rangeOf(lines, span), '') }];
    }
    case 'add-module': {
      const target = data.uri;
      if (!target) return [];
      const existing = target === uri ? text : ctx.host.textOf(target);
      if (existing !== undefined) {
        const tl = new LineIndex(existing);
        const pos = tl.positionAt(existing.length);
        const prefix = existing === '' || existing.endsWith('\n') ? '' : '\n';
        return [{ title: `Add '${data.module}' to /etc/modules`, edits: single(target, { start: pos, end: pos }, `${prefix}${data.module}\n`) }];
      }
      const zero = { line: 0, character: 0 };
      return [{ title: `Create /etc/modules with '${data.module}'`, edits: single(target, { start: zero, end: zero }, `${data.module}\n`), create: target }];
    }
    default:
      return [];
  }
}
