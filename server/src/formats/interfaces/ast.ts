// The typed syntax tree of an /etc/network/interfaces file. Every node carries the exact
// half-open span of UTF-16 offsets it covers in the document text.
import type { Span } from '../../core/text';

/** One whitespace-separated word of a line, as written. */
export interface Word {
  text: string;
  span: Span;
}

/** An option line inside a stanza: `name value...`. */
export interface OptionNode {
  kind: 'option';
  /** `name.text`, and `value?.text ?? null`: what the checks read, without the Word nodes. */
  readonly nameText: string;
  readonly valueText: string | null;
  name: Word;
  /** The value as ifupdown reads it: the rest of the logical line, trimmed, continuations removed. Null when the line has no value. */
  value: Word | null;
  /** The value split into words (for options that take lists). */
  readonly values: Word[];
  /** The number of words of the value (`values.length`, without making the list). */
  readonly valueCount: number;
  span: Span;
}

interface StanzaBase {
  /** The keyword that opens the stanza (`iface`, `auto`, `allow-hotplug`, ...). */
  keyword: Word;
  /** From the keyword to the end of the stanza's last option line. */
  span: Span;
  /** The header line alone (keyword and its arguments). */
  headerSpan: Span;
}

/** `iface NAME [FAMILY [METHOD]] [inherits TEMPLATE]` with its option lines. */
export interface IfaceStanza extends StanzaBase {
  kind: 'iface';
  /** `name?.text`, `family?.text`, `method?.text` (what the checks read, without the Word nodes). */
  readonly nameText: string | null;
  readonly familyText: string | null;
  readonly methodText: string | null;
  name: Word | null;
  family: Word | null;
  method: Word | null;
  /** The `inherits` word and the template it names (template null when missing). */
  inherits: { keyword: Word; template: Word | null } | null;
  /** Words after the method that ifupdown does not understand. */
  extra: Word[];
  options: OptionNode[];
}

/** `mapping PATTERN...` with its `script` and `map` lines. */
export interface MappingStanza extends StanzaBase {
  kind: 'mapping';
  patterns: Word[];
  options: OptionNode[];
}

/** `auto`, `allow-CLASS`, `no-auto-down`, `no-scripts`: a keyword followed by interface names. */
export interface NameListStanza extends StanzaBase {
  kind: 'auto' | 'allow' | 'no-auto-down' | 'no-scripts';
  /** For `allow-hotplug`: `hotplug`. For `auto`: `auto`. */
  className: string;
  names: Word[];
}

/** `source PATTERN...` and `source-directory DIR...`. */
export interface SourceStanza extends StanzaBase {
  kind: 'source' | 'source-directory';
  paths: Word[];
}

/** `rename CUR=NEW...`. */
export interface RenameStanza extends StanzaBase {
  kind: 'rename';
  pairs: { word: Word; from: string; to: string | null }[];
}

export type Stanza = IfaceStanza | MappingStanza | NameListStanza | SourceStanza | RenameStanza;

/** An ifupdown2 Mako template line (`%for`, `<% ... %>`): not read as configuration. */
export interface TemplateLine {
  kind: 'template';
  span: Span;
}

export interface Comment {
  kind: 'comment';
  text: string;
  span: Span;
}

/** A syntax error: `span` is where it shows, the message says what was expected. */
export interface SyntaxProblem {
  message: string;
  span: Span;
}

/**
 * The logical lines of the file as the reader keeps them: offsets, no node (what a pass that wants
 * no node, such as the outline, reads). Logical line k (0 <= k < lineCount) has the words
 * lineWords[k] .. lineWords[k + 1] - 1; word i is text[wordStarts[i], wordEnds[i]) and never
 * spans a line break; lineKinds[k] is the line's kind (the reader's OPTION, IFACE, MAPPING...
 * numbers). Template lines are not among them. Not to be written to.
 */
export interface LogicalLines {
  readonly wordStarts: Int32Array;
  readonly wordEnds: Int32Array;
  readonly lineWords: Int32Array;
  readonly lineKinds: Uint8Array;
  readonly lineCount: number;
}

export interface InterfacesAst {
  /** Stanzas in file order. */
  readonly stanzas: Stanza[];
  /** Option lines that no `iface` or `mapping` stanza owns (before the first one, or after `auto`, `source`...). */
  readonly orphans: OptionNode[];
  /** Option lines of a mapping stanza other than `script` and `map` are kept in the stanza; see checks. */
  readonly templates: TemplateLine[];
  readonly comments: Comment[];
  readonly errors: SyntaxProblem[];
  /**
   * Hands each stanza (complete with its option lines) and each orphan option line to the
   * visitors in file order, built anew and kept by nobody: what a pass over a large file uses
   * instead of `stanzas`, which keeps every node for as long as the tree lives. `line` numbers the
   * stanza's header among the file's logical lines (for `stanzaAt`). With `how.reuse`
   * the visitor promises to keep no node past its call (nor any Word of one), and the nodes are
   * reused for the next stanza.
   */
  visit(stanza: (s: Stanza, line: number) => void, orphan: (o: OptionNode) => void, how?: { reuse?: boolean }): void;
  /** The stanza whose header is logical line `line` (a number `visit` gave), built anew. */
  stanzaAt(line: number): Stanza;
  /** The logical lines as offsets (see LogicalLines). */
  logicalLines(): LogicalLines;
  /**
   * Whether some `iface NAME` stanza of the file has this name (looked up in a table of offsets made
   * once). With `near`, a logical line (as `visit` numbers them), the line after it is looked at
   * first: `auto NAME` is most often followed by `iface NAME`, and then no table is made.
   */
  hasIface(name: string, near?: number): boolean;
  /** The header lines (for `stanzaAt`) of the `iface NAME` stanzas of this name, in file order. */
  ifaceLines(name: string): number[];
}
