// The typed tree of an xend-config.sxp file. Every node carries its exact span (UTF-16 offsets
// into the document text), so checks and editor features never have to re-scan the text.
//
// The reader keeps offsets in typed arrays (`SxpTree`, parser.ts): the nodes below are views made
// on request, each its own span (`node.span === node`), and their texts are sliced when asked.
import type { Span } from '../../core/text';

/** A bare word: `network-route`, `196`, `^localhost$`. */
export interface SxpAtom {
  readonly kind: 'atom';
  readonly text: string;
  readonly span: Span;
}

/** A problem inside a quoted string's escapes (xend rejects the file on it). */
export interface SxpEscapeProblem {
  span: Span;
  message: string;
}

/** A `'...'` or `"..."` string. `value` has its escapes decoded the way xend decodes them. */
export interface SxpString {
  readonly kind: 'string';
  readonly quote: "'" | '"';
  /** The text between the quotes, escapes not decoded. */
  readonly raw: string;
  readonly value: string;
  readonly span: Span;
  /** The span of the text between the quotes. */
  readonly innerSpan: Span;
  /** False when the closing quote is missing (the string then ends, for recovery, at the end of its line). */
  readonly terminated: boolean;
  readonly escapeProblems?: SxpEscapeProblem[];
}

/** `( ... )`. `close` is undefined when the list is never closed. */
export interface SxpList {
  readonly kind: 'list';
  readonly items: SxpNode[];
  readonly span: Span;
  readonly open: Span;
  readonly close?: Span;
}

export type SxpNode = SxpAtom | SxpString | SxpList;

export interface SxpComment {
  /** The whole comment, `#` included. */
  readonly text: string;
  readonly span: Span;
  /** Code precedes it on the same line (`(dom0-cpus 0) # all`). */
  readonly trailing: boolean;
  /** Whitespace precedes it on its own line. */
  readonly indented: boolean;
}

export type SxpSyntaxCode = 'sxp/unclosed-list' | 'sxp/unexpected-close' | 'sxp/unterminated-string' | 'sxp/invalid-character' | 'sxp/invalid-escape';

export interface SxpSyntaxError {
  code: SxpSyntaxCode;
  message: string;
  span: Span;
}

/**
 * The offsets of a parse. Node k (0 ≤ k < count, in the order their first token comes) has its
 * kind and flags in `kinds[k]` (KIND_* | FLAG_*, parser.ts), its span in `starts[k]`..`ends[k]`,
 * and `nexts[k]` is the node after it and everything it holds: a list's children are k + 1, then
 * `nexts` of each until `nexts[k]`; the top-level nodes are 0, then `nexts` of each until `count`.
 */
export interface SxpOffsets {
  readonly count: number;
  readonly kinds: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly nexts: Int32Array;
  /** Comments: their spans, and COMMENT_TRAILING / COMMENT_INDENTED. */
  readonly commentStarts: Int32Array;
  readonly commentEnds: Int32Array;
  readonly commentFlags: Uint8Array;
}

export interface SxpFile {
  readonly text: string;
  /** The top-level expressions, in order (views made on first ask). */
  readonly items: SxpNode[];
  /** The comments, in order (made on first ask). */
  readonly comments: SxpComment[];
  /** What `items` and `comments` are made from. */
  readonly tree: SxpOffsets;
  /** The view of node k of `tree`. */
  node(k: number): SxpNode;
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
