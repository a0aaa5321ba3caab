// The Xen domain file format (xl and xm, and xl.conf which uses the same language) as one
// FormatService: parse once, then checks and editor features over the typed AST.
import type { FormatService } from '../../core/language';
import { LineIndex } from '../../core/text';
import { capDiagnostics, information, makeDiagnostic, MAX_FILE_DIAGNOSTICS } from '../../core/diagnostics';
import { isBudgetExceeded } from '../../core/budget';
import type { DomainFile } from './ast';
import { parseDomain } from './parser';
import { checkDomain, Findings } from './checks';
import { completion, folding, hover, symbols } from './features';
import { findTemplate, templateDiagnostic } from '../template';

export type { DomainFile } from './ast';
export { parseDomain } from './parser';

function safeParse(text: string): DomainFile {
  try {
    return parseDomain(text);
  } catch (e) {
    if (isBudgetExceeded(e)) throw e;
    // Never throw: an internal failure becomes one diagnostic at the top of the file.
    return {
      kind: 'file',
      span: { start: 0, end: text.length },
      statements: [],
      comments: [],
      errors: [{ span: { start: 0, end: 0 }, message: `The domain-file parser failed on this text (${String((e as Error)?.message ?? e)}).` }],
      xlIssues: [],
      usesPython: false,
    };
  }
}

export const domainService: FormatService<DomainFile> = {
  name: 'domain',
  languageId: 'xen-domain',
  parse: (text) => ({ text, lines: new LineIndex(text), ast: safeParse(text) }),
  diagnostics: (doc, settings) => {
    const mark = findTemplate(doc.text);
    if (mark) return [templateDiagnostic(mark, doc.lines)];
    // the first MAX_FILE_DIAGNOSTICS + 1 made (the one after the cap gives the more-problems line its place), the rest counted
    const findings = new Findings(doc.lines, MAX_FILE_DIAGNOSTICS + 1);
    const checked = checkDomain(doc.ast, doc.lines, settings.domain.toolstack, findings);
    const out = capDiagnostics('domain/more-problems', checked, MAX_FILE_DIAGNOSTICS, findings.dropped, findings.worst);
    // (information: the file is not refused for it, the checks did not look there)
    if (doc.ast.notRead)
      out.unshift(makeDiagnostic(doc.lines, { span: doc.ast.notRead.span, severity: information, code: 'domain/not-read', message: doc.ast.notRead.message }));
    return out;
  },
  symbols: (doc) => symbols(doc),
  folding: (doc) => folding(doc),
  hover: (doc, pos) => hover(doc, pos),
  completion: (doc, pos, settings) => completion(doc, pos, settings.domain.toolstack),
};
