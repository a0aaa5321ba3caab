// Building diagnostics the same way in every format: a stable code, plain words, and optional
// data that a quick fix reads (never the message text).
import {
  DiagnosticSeverity,
  type Diagnostic,
  type DiagnosticRelatedInformation,
} from 'vscode-languageserver-types';
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

/** Points related locations that a service left without a uri (same document) at `uri`. */
export function withDocumentUri(diagnostics: Diagnostic[], uri: string): Diagnostic[] {
  for (const d of diagnostics) {
    for (const r of d.relatedInformation ?? []) if (!r.location.uri) r.location.uri = uri;
  }
  return diagnostics;
}
