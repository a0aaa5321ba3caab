// What every format provides to the server and the command line. A format is a folder under
// server/src/formats/ (lexer, parser, typed AST, schema of known keys, checks, and the
// editor features over its AST) exporting one FormatService.
import type { CompletionItem, Diagnostic, DocumentSymbol, FoldingRange, Hover, InlayHint, Position, Range } from 'vscode-languageserver-types';
import type { LineIndex } from './text';
import type { Settings } from './settings';

export type LanguageId = 'xen-xend-config' | 'debian-interfaces' | 'xen-domain' | 'kernel-modules';

export const LANGUAGE_IDS: readonly LanguageId[] = ['xen-xend-config', 'debian-interfaces', 'xen-domain', 'kernel-modules'];

/**
 * A format's one name inside the server: its folder under server/src/formats/, its service and
 * registry key, and the prefix of its diagnostic codes. (The language ids above are the public
 * names the editor knows; sysctl has none: the host model and the apply read it.)
 */
export type FormatName = 'sxp' | 'interfaces' | 'domain' | 'modules' | 'sysctl';

/** Diagnostics from this server all carry this source. */
export const DIAGNOSTIC_SOURCE = 'xen';

/** A parsed document: the text, its line index and the format's own AST. */
export interface ParsedDocument<A = unknown> {
  readonly text: string;
  readonly lines: LineIndex;
  readonly ast: A;
}

export interface FormatService<A = unknown> {
  readonly name: FormatName;
  readonly languageId: LanguageId;
  /**
   * Never throws, whatever the text: syntax problems become diagnostics. `uri` (when known) lets a
   * format tell flavours apart by file name, e.g. /etc/modules from modules-load.d/*.conf.
   */
  parse(text: string, settings: Settings, uri?: string): ParsedDocument<A>;
  /**
   * Syntax errors plus every check of the file on its own. Each diagnostic has a stable `code`.
   * A related location with an empty `uri` points into the same document (services do not know
   * their document's uri); withDocumentUri() fills it in before diagnostics leave the server.
   */
  diagnostics(doc: ParsedDocument<A>, settings: Settings): Diagnostic[];
  symbols(doc: ParsedDocument<A>): DocumentSymbol[];
  folding(doc: ParsedDocument<A>): FoldingRange[];
  hover(doc: ParsedDocument<A>, pos: Position, settings: Settings): Hover | null;
  completion(doc: ParsedDocument<A>, pos: Position, settings: Settings): CompletionItem[];
  /** Hints shown inside the text (a netmask's prefix length), within range; none when absent. */
  inlayHints?(doc: ParsedDocument<A>, range?: Range): InlayHint[];
}
