// The typed tree of an xend-config.sxp file. Every node carries its exact span (UTF-16 offsets
// into the document text), so checks and editor features never have to re-scan the text.
import type { Span } from '../../core/text';

/** A bare word: `network-route`, `196`, `^localhost$`. */
export interface SxpAtom {
  kind: 'atom';
  text: string;
  span: Span;
}

/** A problem inside a quoted string's escapes (xend rejects the file on it). */
export interface SxpEscapeProblem {
  span: Span;
  message: string;
}

/** A `'...'` or `"..."` string. `value` has its escapes decoded the way xend decodes them. */
export interface SxpString {
  kind: 'string';
  quote: "'" | '"';
  /** The text between the quotes, escapes not decoded. */
  raw: string;
  value: string;
  span: Span;
  /** The span of the text between the quotes. */
  innerSpan: Span;
  /** False when the closing quote is missing (the string then ends, for recovery, at the end of its line). */
  terminated: boolean;
  escapeProblems?: SxpEscapeProblem[];
}

/** `( ... )`. `close` is undefined when the list is never closed. */
export interface SxpList {
  kind: 'list';
  items: SxpNode[];
  span: Span;
  open: Span;
  close?: Span;
}

export type SxpNode = SxpAtom | SxpString | SxpList;

export interface SxpComment {
  /** The whole comment, `#` included. */
  text: string;
  span: Span;
  /** Code precedes it on the same line (`(dom0-cpus 0) # all`). */
  trailing: boolean;
  /** Whitespace precedes it on its own line. */
  indented: boolean;
}

export type SxpSyntaxCode = 'sxp/unclosed-list' | 'sxp/unexpected-close' | 'sxp/unterminated-string' | 'sxp/invalid-character' | 'sxp/invalid-escape';

export interface SxpSyntaxError {
  code: SxpSyntaxCode;
  message: string;
  span: Span;
}

export interface SxpFile {
  text: string;
  /** The top-level expressions, in order. */
  items: SxpNode[];
  comments: SxpComment[];
  errors: SxpSyntaxError[];
  /** Syntax errors found beyond the MAX_SYNTAX_ERRORS kept in `errors` (counted, not kept). */
  moreErrors?: number;
  /** The `(` of the first list nested deeper than the reader keeps (MAX_SXP_DEPTH): what it holds is not checked. */
  tooDeep?: Span;
  /** Where the reader stopped, the file holding more than MAX_SXP_NODES words, strings and lists: the rest is not checked. */
  stoppedAt?: Span;
  /** Deepest list nesting seen (features that walk the tree use it to stay iterative). */
  maxDepth: number;
}

/** A script setting's value split the way xend and the hotplug scripts split it. */
export interface ScriptArgument {
  /** The whole word, e.g. `netdev=eth1`. */
  text: string;
  span: Span;
  /** Undefined when the word has no `=`. */
  key?: string;
  keySpan?: Span;
  value?: string;
  valueSpan?: Span;
}

export interface ScriptCall {
  name: string;
  nameSpan: Span;
  args: ScriptArgument[];
}

/** A top-level `(key value ...)`. */
export interface SxpSetting {
  key: string;
  keySpan: Span;
  list: SxpList;
  /** The first value: the one xend reads. Undefined for `(key)`. */
  value?: SxpNode;
  /** Values after the first, which xend ignores. */
  extra: SxpNode[];
  /** False when an earlier setting has the same key (xend reads only the first). */
  first: boolean;
}
