// The /etc/network/interfaces format: parse, check, outline, fold, hover and complete.
import type { FormatService, ParsedDocument } from '../../core/language';
import { LineIndex } from '../../core/text';
import { isBudgetExceeded } from '../../core/budget';
import type { InterfacesAst } from './ast';
import { checkInterfaces } from './checks';
import { completion, folding, hover, netmaskHints, symbols } from './features';
import { parseInterfaces } from './parser';
import { findTemplate, templateDiagnostic } from '../template';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { InterfacesDialect } from '../../core/settings';

export type { InterfacesAst } from './ast';
export * from './ast';
export { parseInterfaces } from './parser';
export { checkInterfaces, STRUCTURAL_CODES } from './checks';

function guard<T>(fallback: T, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isBudgetExceeded(e)) throw e;
    return fallback;
  }
}

/**
 * A template gets one diagnostic instead of the checks. ifupdown2 renders Mako itself, so a Mako
 * file is a hint under auto and ifupdown2; Debian ifupdown and ifupdown-ng read its `%` lines as
 * options outside any stanza and refuse the file, which the checks say (interfaces/template).
 */
function interfacesDiagnostics(text: string, ast: InterfacesAst, lines: LineIndex, dialect: InterfacesDialect): Diagnostic[] {
  const mark = findTemplate(text);
  if (mark) {
    if (mark.kind !== 'Mako') return [templateDiagnostic(mark, lines)];
    if (dialect === 'auto' || dialect === 'ifupdown2') return [templateDiagnostic(mark, lines, 'ifupdown2')];
    return checkInterfaces(ast, lines, dialect).filter((d) => d.code === 'interfaces/template');
  }
  return checkInterfaces(ast, lines, dialect);
}

export const interfacesService: FormatService<InterfacesAst> = {
  name: 'interfaces',
  languageId: 'debian-interfaces',
  parse(text: string): ParsedDocument<InterfacesAst> {
    return { text, lines: new LineIndex(text), ast: parseInterfaces(text) };
  },
  diagnostics: (doc, settings) => guard([], () => interfacesDiagnostics(doc.text, doc.ast, doc.lines, settings.interfaces.dialect)),
  symbols: (doc) => guard([], () => symbols(doc)),
  folding: (doc) => guard([], () => folding(doc)),
  hover: (doc, pos) => guard(null, () => hover(doc, pos)),
  completion: (doc, pos, settings) => guard([], () => completion(doc, pos, settings.interfaces.dialect)),
  inlayHints: (doc, range) => guard([], () => netmaskHints(doc.ast, doc.lines, range)),
};
