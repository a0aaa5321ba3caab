// The /etc/network/interfaces format: parse, check, outline, fold, hover and complete.
import type { FormatService, ParsedDocument } from '../../core/language';
import { LineIndex } from '../../core/text';
import { isBudgetExceeded } from '../../core/budget';
import type { InterfacesAst } from './ast';
import { checkInterfaces } from './checks';
import { completion, folding, hover, symbols } from './features';
import { parseInterfaces } from './parser';

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

export const interfacesService: FormatService<InterfacesAst> = {
  languageId: 'debian-interfaces',
  parse(text: string): ParsedDocument<InterfacesAst> {
    return { text, lines: new LineIndex(text), ast: parseInterfaces(text) };
  },
  diagnostics: (doc, settings) => guard([], () => checkInterfaces(doc.ast, doc.lines, settings.interfaces.dialect)),
  symbols: (doc) => guard([], () => symbols(doc)),
  folding: (doc) => guard([], () => folding(doc)),
  hover: (doc, pos) => guard(null, () => hover(doc, pos)),
  completion: (doc, pos, settings) => guard([], () => completion(doc, pos, settings.interfaces.dialect)),
};
