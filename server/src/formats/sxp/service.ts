// xend-config.sxp: the format's service (diagnostics from checks.ts; outline, folding, hover and
// completion from features.ts).
import type { Diagnostic } from 'vscode-languageserver-types';
import type { FormatService, ParsedDocument } from '../../core/language';
import { capDiagnostics, error, hint, information, makeDiagnostic, MAX_FILE_DIAGNOSTICS, type DiagnosticSeverity } from '../../core/diagnostics';
import { findTemplate, templateDiagnostic } from '../template';
import { LineIndex } from '../../core/text';
import type { SxpFile } from './ast';
import { checkSxp, type FindingLimit } from './checks';
import { MAX_SXP_DEPTH, MAX_SXP_NODES, parseSxp } from './parser';
import { sxpCompletion, sxpFolding, sxpHover, sxpSymbols } from './features';

export type SxpDocument = ParsedDocument<SxpFile>;

export function parseDocument(text: string): SxpDocument {
  return { text, lines: new LineIndex(text), ast: parseSxp(text) };
}

export function sxpDiagnostics(doc: SxpDocument): Diagnostic[] {
  const mark = findTemplate(doc.text);
  if (mark) return [templateDiagnostic(mark, doc.lines)];
  // (past the cap the checks count their findings: they make no message nor position for them)
  const limit: FindingLimit = { limit: MAX_FILE_DIAGNOSTICS + 1, counted: 0, worst: undefined };
  const findings = checkSxp(doc.ast, (o) => doc.lines.positionAt(o).line, limit);
  findings.sort((a, b) => a.span.start - b.span.start);
  const out: Diagnostic[] = [];
  for (const f of findings.slice(0, MAX_FILE_DIAGNOSTICS + 1)) {
    out.push(
      makeDiagnostic(doc.lines, {
        span: f.span,
        severity: f.severity,
        code: f.code,
        message: f.message,
        data: f.data,
        related: f.relatedSpan
          ? [{ location: { uri: '', range: doc.lines.range(f.relatedSpan.start, f.relatedSpan.end) }, message: f.relatedMessage ?? '' }]
          : undefined,
      }),
    );
  }
  if (doc.ast.tooDeep) {
    // (not an error: xend reads deep lists; the checks do not look inside them)
    out.unshift(
      makeDiagnostic(doc.lines, {
        span: doc.ast.tooDeep,
        severity: information,
        code: 'sxp/too-deep',
        message: `Lists nested more than ${MAX_SXP_DEPTH} deep from here: what this one holds is not checked (no xend setting nests more than a few levels).`,
      }),
    );
  }
  if (doc.ast.stoppedAt) {
    out.unshift(
      makeDiagnostic(doc.lines, {
        span: doc.ast.stoppedAt,
        severity: information,
        code: 'sxp/too-big',
        message: `This file holds more than ${MAX_SXP_NODES.toLocaleString('en')} words, strings and lists (a xend-config.sxp holds a few hundred): it is not read nor checked from here on.`,
      }),
    );
  }
  // the findings beyond the cap, and the syntax errors the reader counted without keeping them
  let worst: DiagnosticSeverity = doc.ast.moreErrors ? error : hint;
  for (let i = MAX_FILE_DIAGNOSTICS + 1; i < findings.length; i++) worst = Math.min(worst, findings[i].severity) as DiagnosticSeverity;
  if (limit.worst !== undefined) worst = Math.min(worst, limit.worst) as DiagnosticSeverity;
  return capDiagnostics(
    'sxp/more-problems',
    out,
    MAX_FILE_DIAGNOSTICS + (doc.ast.tooDeep ? 1 : 0) + (doc.ast.stoppedAt ? 1 : 0),
    Math.max(0, findings.length - MAX_FILE_DIAGNOSTICS - 1) + limit.counted + (doc.ast.moreErrors ?? 0),
    worst,
  );
}

export const sxpService: FormatService<SxpFile> = {
  name: 'sxp',
  languageId: 'xen-xend-config',
  parse: (text) => parseDocument(text),
  diagnostics: (doc) => sxpDiagnostics(doc),
  symbols: (doc) => sxpSymbols(doc),
  folding: (doc) => sxpFolding(doc),
  hover: (doc, pos) => sxpHover(doc, pos),
  completion: (doc, pos) => sxpCompletion(doc, pos),
};

export { parseSxp } from './parser';
export { readSettings, settingsMap, splitScript } from './settings';
export type * from './ast';
