// Building diagnostics the same way in every format: a stable code, plain words, and optional
// data that a quick fix reads (never the message text).
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE } from './language';
import type { LineIndex, Span } from './text';

export { DiagnosticSeverity };

export interface DiagnosticSpec {
  span: Span;
  severity: DiagnosticSeverity;
  /** Stable identifier, `<format>/<rule>`, e.g. `interfaces/unknown-option`. Fixes dispatch on it. */
  code: string;
  message: string;
  data?: unknown;
  related?: DiagnosticRelatedInformation[];
  unnecessary?: boolean;
  deprecated?: boolean;
}

export function makeDiagnostic(lines: LineIndex, spec: DiagnosticSpec): Diagnostic {
  const d: Diagnostic = {
    range: lines.range(spec.span.start, Math.max(spec.span.start, spec.span.end)),
    severity: spec.severity,
    code: spec.code,
    source: DIAGNOSTIC_SOURCE,
    message: spec.message,
  };
  if (spec.data !== undefined) d.data = spec.data;
  if (spec.related?.length) d.relatedInformation = spec.related;
  const tags: (1 | 2)[] = [];
  if (spec.unnecessary) tags.push(1);
  if (spec.deprecated) tags.push(2);
  if (tags.length) d.tags = tags;
  return d;
}

export const error = DiagnosticSeverity.Error;
export const warning = DiagnosticSeverity.Warning;
export const information = DiagnosticSeverity.Information;
export const hint = DiagnosticSeverity.Hint;

/** Diagnostics one file gets at most (a hostile file could otherwise produce millions). */
export const MAX_FILE_DIAGNOSTICS = 1000;

/**
 * At most max of diagnostics (in their order); code is the format's `<format>/more-problems`; when there are more (or `dropped` were counted and
 * not kept earlier, of severity `droppedSeverity`), one diagnostic more says how many, at the first
 * one left out, with the worst severity among those left out (so the file's verdict stays).
 * stoppedEarly: the caller stopped looking after max + 1, so how many more is not known.
 */
export function capDiagnostics(
  code: string,
  diagnostics: Diagnostic[],
  max = MAX_FILE_DIAGNOSTICS,
  dropped = 0,
  droppedSeverity: DiagnosticSeverity = DiagnosticSeverity.Error,
  stoppedEarly = false,
): Diagnostic[] {
  if (diagnostics.length <= max && dropped === 0) return diagnostics;
  const kept = diagnostics.slice(0, max);
  const rest = diagnostics.length - kept.length;
  let severity: DiagnosticSeverity = dropped ? droppedSeverity : DiagnosticSeverity.Hint;
  for (let i = max; i < diagnostics.length; i++) severity = Math.min(severity, diagnostics[i].severity ?? DiagnosticSeverity.Error) as DiagnosticSeverity;
  const at = diagnostics[max]?.range ?? kept[kept.length - 1]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const n = rest + dropped;
  kept.push({
    range: at,
    severity,
    code,
    source: DIAGNOSTIC_SOURCE,
    message: stoppedEarly
      ? `More problems in this file are not shown: the check stopped after the first ${kept.length}; fix these and the next will show.`
      : `${n} more problem${n === 1 ? '' : 's'} in this file ${n === 1 ? 'is' : 'are'} not shown (only the first ${kept.length} are); fix these and the next will show.`,
  });
  return kept;
}

/** Points related locations that a service left without a uri (same document) at `uri`. */
export function withDocumentUri(diagnostics: Diagnostic[], uri: string): Diagnostic[] {
  for (const d of diagnostics) {
    for (const r of d.relatedInformation ?? []) if (!r.location.uri) r.location.uri = uri;
  }
  return diagnostics;
}
