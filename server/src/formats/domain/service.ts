// The Xen domain file format (xl and xm, and xl.conf which uses the same language) as one
// FormatService: parse once, then checks and editor features over the typed AST.
import type { FormatService } from '../../core/language';
import { LineIndex } from '../../core/text';
import type { DomainFile } from './ast';
import { parseDomain } from './parser';
import { checkDomain } from './checks';
import { completion, folding, hover, symbols } from './features';
import { findTemplate, templateDiagnostic } from '../template';

export type { DomainFile } from './ast';
export { parseDomain } from './parser';

function safeParse(text: string): DomainFile {
  try {
    return parseDomain(text);
  } catch (e) {
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
  languageId: 'xen-domain',
  parse: (text) => ({ text, lines: new LineIndex(text), ast: safeParse(text) }),
  diagnostics: (doc, settings) => {
    const mark = findTemplate(doc.text);
    return mark ? [templateDiagnostic(mark, doc.lines)] : checkDomain(doc.ast, doc.lines, settings.domain.toolstack);
  },
  symbols: (doc) => symbols(doc),
  folding: (doc) => folding(doc),
  hover: (doc, pos) => hover(doc, pos),
  completion: (doc, pos, settings) => completion(doc, pos, settings.domain.toolstack),
};
