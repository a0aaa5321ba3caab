// /etc/modules and modules-load.d: the format's service for the editor and the command line.
import type { FormatService, ParsedDocument } from '../../core/language';
import type { Settings } from '../../core/settings';
import { LineIndex } from '../../core/text';
import { pathOf } from '../../core/uri';
import type { ModulesFile, ModulesFlavour } from './ast';
import { flavourOf, ignoredModulesLoadName, parseModules } from './parser';
import { modulesDiagnostics } from './checks';
import { modulesCompletion, modulesFolding, modulesHover, modulesSymbols } from './features';

export type ModulesDocument = ParsedDocument<ModulesFile>;

/** Parses with the file's kind: pass the document's URI or path when known (modules-load.d files take no parameters). */
export function parseModulesDocument(text: string, flavour: ModulesFlavour = 'auto'): ModulesDocument {
  return { text, lines: new LineIndex(text), ast: parseModules(text, flavour) };
}

export const modulesService: FormatService<ModulesFile> & {
  parse(text: string, settings: Settings, uri?: string): ModulesDocument;
} = {
  name: 'modules',
  languageId: 'kernel-modules',
  parse: (text: string, _settings: Settings, uri?: string) => {
    const doc = parseModulesDocument(text, flavourOf(uri));
    const ignored = ignoredModulesLoadName(uri ? pathOf(uri) : uri);
    if (ignored !== undefined) doc.ast.ignoredName = ignored;
    return doc;
  },
  diagnostics: (doc) => modulesDiagnostics(doc),
  symbols: (doc) => modulesSymbols(doc),
  folding: (doc) => modulesFolding(doc),
  hover: (doc, pos) => modulesHover(doc, pos),
  completion: (doc, pos) => modulesCompletion(doc, pos),
};

export { parseModules, flavourOf } from './parser';
export { MODULES_CODES } from './checks';
